/**
 * What-if scenarios: the changes a planner can try (demand up or down for a family or a SKU
 * from a month, an open supply order delayed, a family's capacity up or down) and how each
 * rewrites the plan's inputs. Pure: the inputs are copied, never changed in place, and the
 * service computes the KPIs of both versions with the same functions as the KPI answers.
 */
import { z } from "zod";
import { addDays, type IsoDate, type Period, periodIndex } from "./periods.js";

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const code = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, `must be ${what}`)
    .max(64, `must be ${what} of at most 64 characters`);

const month = z.string().regex(PERIOD, "must be a month, YYYY-MM");

/** A relative change as a fraction: −1 (everything gone) … +10 (+1,000 %). */
const change = z
  .number({ error: "must be a number: a fraction, 0.15 for +15 %" })
  .min(-1, "cannot remove more than 100 % (-1)")
  .max(10, "must be at most +1,000 % (10)")
  .refine((x) => x !== 0, "must not be 0: a change of 0 % changes nothing");

export const DemandChange = z
  .object({
    type: z.literal("demand"),
    family: code("a family code").optional(),
    sku: code("a SKU").optional(),
    /** A family code or a SKU, resolved by the API (a family first). */
    target: code("a family code or a SKU").optional(),
    change,
    from: month.optional(),
  })
  .strict()
  .refine(
    (c) => [c.family, c.sku, c.target].filter((x) => x !== undefined).length === 1,
    "name exactly one of family, sku or target",
  );

export const DelayChange = z
  .object({
    type: z.literal("delay"),
    reference: z
      .string({ error: "must be an open supply reference, e.g. PO-7781" })
      .trim()
      .min(1, "must be an open supply reference, e.g. PO-7781")
      .max(100, "must be at most 100 characters"),
    days: z
      .number({ error: "must be a whole number of days" })
      .int("must be a whole number of days")
      .min(-366, "must be within a year (−366 … 366 days)")
      .max(366, "must be within a year (−366 … 366 days)")
      .refine((d) => d !== 0, "must not be 0: a delay of 0 days changes nothing"),
  })
  .strict();

export const CapacityChange = z
  .object({
    type: z.literal("capacity"),
    family: code("a family code"),
    change,
    from: month.optional(),
  })
  .strict();

/** One change of a scenario, as the API takes it. */
export const ScenarioChange = z.discriminatedUnion("type", [DemandChange, DelayChange, CapacityChange]);
export type ScenarioChange = z.infer<typeof ScenarioChange>;

/** At most this many changes in one scenario. */
export const MAX_CHANGES = 20;
export const ScenarioChanges = z
  .array(ScenarioChange)
  .min(1, "give at least one change")
  .max(MAX_CHANGES, `at most ${MAX_CHANGES} changes`);

/** A change after the API has resolved its target against the fact base. */
export type ResolvedChange =
  | { type: "demand"; scope: "family" | "sku"; code: string; change: number; from: Period | null }
  | { type: "delay"; reference: string; days: number }
  | { type: "capacity"; family: string; change: number; from: Period | null };

/** A SKU-location of the plan: its demand plan for consecutive months from `startPeriod` (units). */
export interface ScenarioLine {
  sku: string;
  family: string;
  location: string;
  /** 'YYYY-MM' of demand[0]. */
  startPeriod: Period;
  demand: readonly number[];
}

export interface ScenarioSupply {
  sku: string;
  location: string;
  due: IsoDate;
  units: number;
  reference: string;
}

export interface ScenarioCapacity {
  family: string;
  period: Period;
  units: number;
}

export interface ScenarioInputs<
  L extends ScenarioLine = ScenarioLine,
  S extends ScenarioSupply = ScenarioSupply,
  C extends ScenarioCapacity = ScenarioCapacity,
> {
  lines: readonly L[];
  supply: readonly S[];
  capacity: readonly C[];
}

/** What one change did, for people to check it did what they meant. */
export type ChangeEffect =
  | {
      type: "demand";
      /** SKU-locations whose demand plan changed. */
      lines: number;
      /** Change of demand plan units within the first `horizon` months of each line. */
      units: number;
    }
  | {
      type: "delay";
      /** Open supply lines moved. */
      lines: number;
      /** Units on them. */
      units: number;
      moved: { sku: string; location: string; units: number; from: IsoDate; to: IsoDate }[];
    }
  | {
      type: "capacity";
      /** Capacity months changed. */
      months: number;
      /** Change of capacity units over those months. */
      units: number;
    };

/**
 * The inputs with the changes applied in order (a later change works on the result of the
 * earlier ones), and what each change did. Demand and capacity changes apply from `from`
 * (every month when null); a delay moves every open supply line with that reference.
 * @param horizon projection months, for reporting demand effects (does not limit the change)
 */
export function applyScenario<L extends ScenarioLine, S extends ScenarioSupply, C extends ScenarioCapacity>(
  inputs: ScenarioInputs<L, S, C>,
  changes: readonly ResolvedChange[],
  horizon: number,
): { inputs: ScenarioInputs<L, S, C>; effects: ChangeEffect[] } {
  let { lines, supply, capacity } = inputs;
  const effects: ChangeEffect[] = [];
  for (const c of changes) {
    switch (c.type) {
      case "demand": {
        let count = 0;
        let units = 0;
        const from = c.from === null ? null : periodIndex(c.from);
        lines = lines.map((l) => {
          if ((c.scope === "family" ? l.family : l.sku) !== c.code) return l;
          const start = periodIndex(l.startPeriod);
          const first = from === null ? 0 : Math.max(0, from - start);
          if (first >= l.demand.length) return l;
          const demand = l.demand.slice();
          let changed = false;
          for (let k = first; k < demand.length; k++) {
            const before = demand[k]!;
            const after = before * (1 + c.change);
            demand[k] = after;
            if (after !== before) changed = true;
            if (k < horizon) units += after - before;
          }
          if (!changed) return l;
          count++;
          return { ...l, demand };
        });
        effects.push({ type: "demand", lines: count, units });
        break;
      }
      case "delay": {
        const moved: Extract<ChangeEffect, { type: "delay" }>["moved"] = [];
        supply = supply.map((s) => {
          if (s.reference !== c.reference) return s;
          const to = addDays(s.due, c.days);
          moved.push({ sku: s.sku, location: s.location, units: s.units, from: s.due, to });
          return { ...s, due: to };
        });
        effects.push({
          type: "delay",
          lines: moved.length,
          units: moved.reduce((t, m) => t + m.units, 0),
          moved,
        });
        break;
      }
      case "capacity": {
        let months = 0;
        let units = 0;
        capacity = capacity.map((r) => {
          if (r.family !== c.family || (c.from !== null && r.period < c.from)) return r;
          months++;
          const after = r.units * (1 + c.change);
          units += after - r.units;
          return { ...r, units: after };
        });
        effects.push({ type: "capacity", months, units });
        break;
      }
    }
  }
  return { inputs: { lines, supply, capacity }, effects };
}

/** One line describing a change, e.g. "demand +15% for BOTTLES from 2026-03". */
export function describeChange(c: ResolvedChange): string {
  const pct = (x: number) => `${x > 0 ? "+" : "−"}${round(Math.abs(x) * 100)}%`;
  switch (c.type) {
    case "demand":
      return `demand ${pct(c.change)} for ${c.scope === "family" ? "family " : ""}${c.code}${c.from ? ` from ${c.from}` : ""}`;
    case "delay":
      return c.days > 0
        ? `${c.reference} delayed by ${c.days} day${c.days === 1 ? "" : "s"}`
        : `${c.reference} brought forward by ${-c.days} day${c.days === -1 ? "" : "s"}`;
    case "capacity":
      return `capacity ${pct(c.change)} for family ${c.family}${c.from ? ` from ${c.from}` : ""}`;
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
