/**
 * What-if scenarios: the plan's gaps, risk and inventory value under a set of changes, side by
 * side with the base plan. Computed in memory from the same inputs the KPI answers use (the
 * materialised plan lines, the open supply, the capacity) and with the same functions
 * (itemRisk per SKU-location, capacityGaps per family), so the base column is exactly what
 * /api/kpi/gaps and /api/kpi/risk say and nothing is written: the plan is never touched.
 */
import type { Db, Sql } from "../../db/client.js";
import { listCycleSteps } from "../../db/repositories/cycles.js";
import { getItem } from "../../db/repositories/items.js";
import { capacityRows, familyExists } from "../../db/repositories/kpi.js";
import { type OpenSupply, openSupply, type PlanLine, planLines } from "../../db/repositories/plan.js";
import {
  attachScenario,
  deleteScenario,
  detachScenario,
  getScenario,
  getScenarioByKey,
  insertScenario,
  knownReferences,
  listAttachments,
  listScenarios,
  type ScenarioRow,
  similarReferences,
} from "../../db/repositories/scenarios.js";
import { type CapacityGap, capacityGaps } from "../domain/capacity-gaps.js";
import {
  addMonths,
  firstDayOfPeriod,
  nextPeriods,
  type Period,
  periodIndex,
  toPeriod,
} from "../domain/periods.js";
import {
  applyScenario,
  type ChangeEffect,
  describeChange,
  type ResolvedChange,
  type ScenarioChange,
} from "../domain/scenario.js";
import type { RiskClass } from "../domain/stockout-risk.js";
import { BadRequestError, ConflictError, NotFoundError, UnprocessableError } from "../errors.js";
import { type ItemRisk, itemRisk, supplyByLine } from "./item-risk.js";
import { kpiContext } from "./kpi-context.js";
import { VersionCache } from "./version-cache.js";

export interface InventoryMonth {
  period: Period;
  /** Projected on hand (positive balances), units. */
  units: number;
  /** The same at unit cost, money. */
  value: number;
}

export interface ScenarioFigures {
  shortageCount: number;
  /** Units. */
  shortageUnits: number;
  /** Money. */
  valueAtRisk: number;
  risk: Record<RiskClass, number>;
  /** Σ capacity gaps over P+1…P+H, units. */
  capacityGapUnits: number;
  capacityGaps: CapacityGap[];
  /** Projected inventory by month (positive balances, at unit cost). */
  inventory: InventoryMonth[];
  /** Σ over SKU-locations of the balance at the end of the horizon (if positive) × unit cost, money. */
  inventoryEndValue: number;
  /** Σ over SKU-locations of the mean positive balance over the horizon × unit cost, money. */
  inventoryAverageValue: number;
  /** Money. */
  excessValue: number;
}

export interface LineSnapshot {
  risk: RiskClass;
  stockoutProbability: number;
  firstStockoutPeriod: Period | null;
  orderBy: string | null;
  shortageUnits: number;
  valueAtRisk: number;
  /** Balance at the end of the horizon, units. */
  endBalance: number;
}

export interface LineComparison {
  sku: string;
  name: string;
  family: string;
  location: string;
  base: LineSnapshot;
  scenario: LineSnapshot;
}

export interface CapacityComparison {
  family: string;
  period: Period;
  base: { demand: number; capacity: number | null; gap: number };
  scenario: { demand: number; capacity: number | null; gap: number };
}

export interface ScenarioComparison {
  lastPeriod: Period;
  horizon: number;
  /** The plan's data version the figures were computed from. */
  dataVersion: number;
  changes: { change: ScenarioChange; description: string; effect: ChangeEffect }[];
  base: ScenarioFigures;
  scenario: ScenarioFigures;
  /** scenario − base. */
  delta: {
    shortageCount: number;
    shortageUnits: number;
    valueAtRisk: number;
    highRisk: number;
    capacityGapUnits: number;
    inventoryEndValue: number;
    inventoryAverageValue: number;
    excessValue: number;
  };
  /** SKU-locations whose figures change, by the change of value at risk (largest first). */
  lines: LineComparison[];
  linesChanged: number;
  /** Family-months with a capacity gap in either plan. */
  capacity: CapacityComparison[];
}

const CHANGE_LIMIT = 100;

/** Resolves each change's target against the fact base; 404/422 name the change. */
async function resolve(
  db: Db,
  changes: readonly ScenarioChange[],
  periods: Period[],
): Promise<ResolvedChange[]> {
  const out: ResolvedChange[] = [];
  for (const [i, c] of changes.entries()) {
    const where = `changes.${i} (${c.type})`;
    switch (c.type) {
      case "demand": {
        let scope: "family" | "sku";
        let code: string;
        if (c.family !== undefined) {
          if (!(await familyExists(db, c.family)))
            throw new NotFoundError(`${where}: there is no family ${c.family}`);
          [scope, code] = ["family", c.family];
        } else if (c.sku !== undefined) {
          if (!(await getItem(db, c.sku))) throw new NotFoundError(`${where}: there is no SKU ${c.sku}`);
          [scope, code] = ["sku", c.sku];
        } else {
          const t = c.target!;
          const [family, item] = await Promise.all([familyExists(db, t), getItem(db, t)]);
          if (family && item) {
            throw new UnprocessableError(
              `${where}: ${t} is both a family and a SKU: say which (family: or sku:)`,
            );
          }
          if (!family && !item) throw new NotFoundError(`${where}: ${t} is neither a family nor a SKU`);
          [scope, code] = [family ? "family" : "sku", t];
        }
        out.push({ type: "demand", scope, code, change: c.change, from: c.from ?? null });
        break;
      }
      case "delay":
        out.push({ type: "delay", reference: c.reference, days: c.days });
        break;
      case "capacity":
        if (!(await familyExists(db, c.family)))
          throw new NotFoundError(`${where}: there is no family ${c.family}`);
        out.push({ type: "capacity", family: c.family, change: c.change, from: c.from ?? null });
        break;
    }
  }
  // Changes that would change nothing are mistakes worth saying.
  const refs = out.filter((c): c is Extract<ResolvedChange, { type: "delay" }> => c.type === "delay");
  if (refs.length > 0) {
    const known = await knownReferences(
      db,
      refs.map((r) => r.reference),
    );
    for (const r of refs) {
      if (!known.has(r.reference)) {
        const like = await similarReferences(db, r.reference, 5);
        throw new UnprocessableError(
          `no open supply has the reference ${r.reference}${like.length > 0 ? `; open supply references include ${like.slice(0, 5).join(", ")}` : ""}`,
          { reference: r.reference },
        );
      }
    }
  }
  for (const c of out) {
    if (c.type !== "capacity") continue;
    const rows = await capacityRows(db, {
      from: `${periods[0]}-01`,
      to: `${periods.at(-1)}-01`,
      family: c.family,
    });
    if (!rows.some((r) => c.from === null || toPeriod(r.period) >= c.from)) {
      throw new UnprocessableError(
        `${c.family} has no capacity in ${c.from ?? periods[0]}…${periods.at(-1)} to change (capacity comes from capacity.csv)`,
        { family: c.family },
      );
    }
  }
  return out;
}

interface Inputs {
  lines: (PlanLine & { startPeriod: Period })[];
  supply: OpenSupply[];
  capacity: { family: string; period: Period; units: number }[];
}

function risks(inputs: Inputs, horizon: number, p: Period, reuse?: BaseCase) {
  const bySupply =
    reuse && inputs.supply === reuse.inputs.supply ? reuse.supply : supplyByLine(inputs.supply);
  return inputs.lines.map((l, i) => {
    const key = `${l.sku}\t${l.location}`;
    const supply = bySupply.get(key) ?? [];
    // A line with the same demand array and the same supply rows as the base gives the same figures.
    if (reuse && l === reuse.inputs.lines[i] && sameRows(supply, reuse.supply.get(key) ?? [])) {
      return reuse.risks[i]!;
    }
    return itemRisk(l, supply, horizon, p);
  });
}

/** The base plan as every what-if at one data version, P and horizon sees it. */
interface BaseCase {
  inputs: Inputs;
  supply: Map<string, OpenSupply[]>;
  risks: ItemRisk[];
  figures: ScenarioFigures;
}

/**
 * Base cases per data version, by P and horizon. The base side of a comparison (every plan line,
 * its open supply and its projection: ~0.7 s of CPU at 30,000 SKU-locations) is the same for
 * every what-if until the fact base changes. Nothing here is mutated: applyScenario and risks()
 * build new objects for what a scenario changes. Two horizons are kept side by side (the
 * default and one other): a case holds every line's projection, 68 MB of heap at 30,000
 * SKU-locations and a 6-month horizon.
 */
const baseCases = new VersionCache<BaseCase>(2);

function baseCase(sql: Sql, dataVersion: number, p: Period, periods: Period[]): Promise<BaseCase> {
  const horizon = periods.length;
  return baseCases.get(sql, dataVersion, `${p}\t${horizon}`, async () => {
    const [lines, supply, caps] = await Promise.all([
      planLines(sql, {}),
      openSupply(sql, {}),
      capacityRows(sql, { from: `${periods[0]}-01`, to: `${periods.at(-1)}-01` }),
    ]);
    const inputs: Inputs = {
      lines: lines.map((l) => ({ ...l, startPeriod: toPeriod(l.startPeriod) })),
      supply,
      capacity: caps.map((c) => ({ family: c.family, period: toPeriod(c.period), units: c.units })),
    };
    const risks_ = risks(inputs, horizon, p);
    return { inputs, supply: supplyByLine(supply), risks: risks_, figures: figures(risks_, inputs, periods) };
  });
}

function sameRows(a: readonly OpenSupply[], b: readonly OpenSupply[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The demand plan per family for `periods`, from the lines (as family_demand: months ≥ the line's start). */
function familyDemand(lines: Inputs["lines"], periods: Period[]) {
  const sums = new Map<string, number[]>();
  const first = periodIndex(periods[0]!);
  for (const l of lines) {
    const start = periodIndex(l.startPeriod);
    let row = sums.get(l.family);
    if (!row) {
      row = new Array<number>(periods.length).fill(0);
      sums.set(l.family, row);
    }
    for (let t = 0; t < periods.length; t++) {
      const k = first + t - start;
      if (k >= 0 && k < l.demand.length) row[t] = row[t]! + l.demand[k]!;
    }
  }
  return [...sums].flatMap(([family, row]) =>
    row.map((units, t) => ({ family, period: periods[t]!, units })),
  );
}

function figures(items: ItemRisk[], inputs: Inputs, periods: Period[]): ScenarioFigures {
  const risk: Record<RiskClass, number> = { high: 0, medium: 0, low: 0 };
  let shortageCount = 0;
  let shortageUnits = 0;
  let valueAtRisk = 0;
  let excessValue = 0;
  let endValue = 0;
  let averageValue = 0;
  const byPeriod = new Map<Period, InventoryMonth>();
  for (const i of items) {
    risk[i.risk]++;
    if (i.shortageUnits > 0) shortageCount++;
    shortageUnits += i.shortageUnits;
    valueAtRisk += i.valueAtRisk;
    excessValue += i.excessValue;
    let sum = 0;
    for (const row of i.projection) {
      const units = Math.max(0, row.balance);
      sum += units;
      const m = byPeriod.get(row.period) ?? { period: row.period, units: 0, value: 0 };
      m.units += units;
      m.value += units * i.unitCost;
      byPeriod.set(row.period, m);
    }
    const last = i.projection.at(-1);
    if (last) endValue += Math.max(0, last.balance) * i.unitCost;
    if (i.projection.length > 0) averageValue += (sum / i.projection.length) * i.unitCost;
  }
  const gaps = capacityGaps(periods, inputs.capacity, familyDemand(inputs.lines, periods));
  return {
    shortageCount,
    shortageUnits,
    valueAtRisk,
    risk,
    capacityGapUnits: gaps.reduce((s, g) => s + g.gap, 0),
    capacityGaps: gaps,
    inventory: [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1)),
    inventoryEndValue: endValue,
    inventoryAverageValue: averageValue,
    excessValue,
  };
}

const snapshot = (i: ItemRisk): LineSnapshot => ({
  risk: i.risk,
  stockoutProbability: i.stockoutProbability,
  firstStockoutPeriod: i.firstStockoutPeriod,
  orderBy: i.orderBy,
  shortageUnits: i.shortageUnits,
  valueAtRisk: i.valueAtRisk,
  endBalance: i.projection.at(-1)?.balance ?? i.onHand,
});

/** Compares the base plan with the plan under `changes` at horizon H (months). */
export async function compareScenario(
  sql: Sql,
  changes: readonly ScenarioChange[],
  horizon: number,
  options: { lineLimit?: number } = {},
): Promise<ScenarioComparison> {
  const ctx = await kpiContext(sql);
  const p = ctx.lastPeriod;
  if (!p) throw new BadRequestError("there is no plan yet: import sales, inventory and forecasts first");
  const periods = nextPeriods(addMonths(p, 1), horizon);
  const [resolved, baseline] = await Promise.all([
    resolve(sql, changes, periods),
    baseCase(sql, ctx.dataVersion, p, periods),
  ]);
  const baseInputs = baseline.inputs;
  const applied = applyScenario(baseInputs, resolved, horizon);
  const scenarioInputs = applied.inputs as Inputs;
  const base = baseline.risks;
  const scenario = risks(scenarioInputs, horizon, p, baseline);
  const baseFigures = baseline.figures;
  const scenarioFigures = figures(scenario, scenarioInputs, periods);

  const changed: LineComparison[] = [];
  base.forEach((b, i) => {
    const s = scenario[i]!;
    if (s === b) return;
    const [sb, ss] = [snapshot(b), snapshot(s)];
    if (JSON.stringify(sb) === JSON.stringify(ss)) return;
    changed.push({
      sku: b.sku,
      name: b.name,
      family: b.family,
      location: b.location,
      base: sb,
      scenario: ss,
    });
  });
  changed.sort(
    (a, b) =>
      Math.abs(b.scenario.valueAtRisk - b.base.valueAtRisk) -
        Math.abs(a.scenario.valueAtRisk - a.base.valueAtRisk) ||
      Math.abs(b.scenario.stockoutProbability - b.base.stockoutProbability) -
        Math.abs(a.scenario.stockoutProbability - a.base.stockoutProbability) ||
      a.sku.localeCompare(b.sku) ||
      a.location.localeCompare(b.location),
  );

  const capacity = capacityComparison(baseFigures, scenarioFigures, baseInputs, scenarioInputs, periods);
  return {
    lastPeriod: p,
    horizon,
    dataVersion: ctx.dataVersion,
    changes: changes.map((change, i) => ({
      change,
      description: describeChange(resolved[i]!),
      effect: applied.effects[i]!,
    })),
    base: baseFigures,
    scenario: scenarioFigures,
    delta: {
      shortageCount: scenarioFigures.shortageCount - baseFigures.shortageCount,
      shortageUnits: scenarioFigures.shortageUnits - baseFigures.shortageUnits,
      valueAtRisk: scenarioFigures.valueAtRisk - baseFigures.valueAtRisk,
      highRisk: scenarioFigures.risk.high - baseFigures.risk.high,
      capacityGapUnits: scenarioFigures.capacityGapUnits - baseFigures.capacityGapUnits,
      inventoryEndValue: scenarioFigures.inventoryEndValue - baseFigures.inventoryEndValue,
      inventoryAverageValue: scenarioFigures.inventoryAverageValue - baseFigures.inventoryAverageValue,
      excessValue: scenarioFigures.excessValue - baseFigures.excessValue,
    },
    lines: changed.slice(0, options.lineLimit ?? CHANGE_LIMIT),
    linesChanged: changed.length,
    capacity,
  };
}

function capacityComparison(
  base: ScenarioFigures,
  scenario: ScenarioFigures,
  baseInputs: Inputs,
  scenarioInputs: Inputs,
  periods: Period[],
): CapacityComparison[] {
  const keys = new Set(
    [...base.capacityGaps, ...scenario.capacityGaps].map((g) => `${g.family}\t${g.period}`),
  );
  const demandOf = (inputs: Inputs) =>
    new Map(familyDemand(inputs.lines, periods).map((d) => [`${d.family}\t${d.period}`, d.units]));
  const capOf = (inputs: Inputs) => {
    const m = new Map<string, number>();
    for (const c of inputs.capacity)
      m.set(`${c.family}\t${c.period}`, (m.get(`${c.family}\t${c.period}`) ?? 0) + c.units);
    return m;
  };
  const [bd, sd, bc, sc] = [
    demandOf(baseInputs),
    demandOf(scenarioInputs),
    capOf(baseInputs),
    capOf(scenarioInputs),
  ];
  return [...keys].sort().map((k) => {
    const [family, period] = k.split("\t") as [string, Period];
    const side = (d: Map<string, number>, c: Map<string, number>) => {
      const demand = d.get(k) ?? 0;
      const capacity = c.get(k) ?? null;
      return { demand, capacity, gap: capacity === null ? 0 : Math.max(0, demand - capacity) };
    };
    return { family, period, base: side(bd, bc), scenario: side(sd, sc) };
  });
}

// ---------------------------------------------------------------- saved scenarios

export interface SavedScenarioJson {
  id: number;
  name: string;
  changes: ScenarioChange[];
  horizon: number;
  createdBy: string | null;
  source: string;
  createdAt: string;
  lastPeriod: Period | null;
  dataVersion: number;
  /** True when the plan has changed since the scenario was computed. */
  stale: boolean;
  delta: ScenarioComparison["delta"];
  attachments: { cycle: Period; step: string; attachedBy: string | null; attachedAt: string }[];
}

async function savedJson(db: Db, s: ScenarioRow, currentVersion: number): Promise<SavedScenarioJson> {
  const attachments = await listAttachments(db, { scenarioId: s.id });
  return {
    id: s.id,
    name: s.name,
    changes: s.changes as ScenarioChange[],
    horizon: s.horizon,
    createdBy: s.createdBy,
    source: s.source,
    createdAt: s.createdAt.toISOString(),
    lastPeriod: s.lastPeriod ? toPeriod(s.lastPeriod) : null,
    dataVersion: s.dataVersion,
    stale: s.dataVersion !== currentVersion,
    delta: (s.result as unknown as ScenarioComparison).delta,
    attachments: attachments.map((a) => ({
      cycle: toPeriod(a.cycle),
      step: a.step,
      attachedBy: a.attachedBy,
      attachedAt: a.attachedAt.toISOString(),
    })),
  };
}

export async function saveScenario(
  sql: Sql,
  comparison: ScenarioComparison,
  meta: {
    name: string | undefined;
    createdBy: string | null;
    source: string;
    at: Date;
    idempotencyKey?: string | undefined;
  },
): Promise<{ scenario: SavedScenarioJson; comparison: ScenarioComparison; created: boolean }> {
  const name =
    meta.name?.trim() ||
    comparison.changes
      .map((c) => c.description)
      .join("; ")
      .slice(0, 200);
  let id: number;
  try {
    id = await insertScenario(sql, {
      name,
      changes: comparison.changes.map((c) => c.change),
      horizon: comparison.horizon,
      createdBy: meta.createdBy,
      source: meta.source,
      at: meta.at,
      lastPeriod: `${comparison.lastPeriod}-01`,
      dataVersion: comparison.dataVersion,
      result: comparison as unknown as Record<string, unknown>,
      idempotencyKey: meta.idempotencyKey ?? null,
    });
  } catch (error) {
    // Two saves raced with one key: the loser answers the winner's scenario.
    const e = error as { code?: string; constraint_name?: string };
    if (meta.idempotencyKey && e?.code === "23505" && (e.constraint_name ?? "").includes("idempotency")) {
      const winner = await getScenarioByKey(sql, meta.idempotencyKey);
      if (winner) {
        return {
          scenario: await savedJson(sql, winner, comparison.dataVersion),
          comparison: winner.result as unknown as ScenarioComparison,
          created: false,
        };
      }
    }
    throw error;
  }
  const scenario = await savedJson(sql, (await getScenario(sql, id))!, comparison.dataVersion);
  return { scenario, comparison, created: true };
}

/** JSON with object keys sorted: jsonb does not keep the order the keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The scenario an earlier save with this idempotency key recorded, with its saved comparison;
 * undefined when the key is new. The same key for other changes or another horizon is a 409.
 */
export async function savedWithKey(
  sql: Sql,
  key: string,
  request: { changes: readonly ScenarioChange[]; horizon: number },
): Promise<{ scenario: SavedScenarioJson; comparison: ScenarioComparison } | undefined> {
  const row = await getScenarioByKey(sql, key);
  if (!row) return undefined;
  const same = row.horizon === request.horizon && canonical(row.changes) === canonical(request.changes);
  if (!same) {
    throw new ConflictError(
      `the idempotency key ${JSON.stringify(key)} was already used to save other changes (scenario ${row.id}); use a new key for a new scenario`,
      { idempotencyKey: key, scenarioId: row.id },
    );
  }
  const { dataVersion } = await kpiContext(sql);
  return {
    scenario: await savedJson(sql, row, dataVersion),
    comparison: row.result as unknown as ScenarioComparison,
  };
}

export async function listSavedScenarios(
  sql: Sql,
  q: { limit: number; offset: number },
): Promise<SavedScenarioJson[]> {
  const { dataVersion } = await kpiContext(sql);
  const rows = await listScenarios(sql, q);
  return Promise.all(rows.map((s) => savedJson(sql, s, dataVersion)));
}

/** A saved scenario with the comparison as saved, or computed again on the current plan. */
export async function savedScenario(
  sql: Sql,
  id: number,
  fresh: boolean,
): Promise<{ scenario: SavedScenarioJson; comparison: ScenarioComparison }> {
  const row = await getScenario(sql, id);
  if (!row) throw new NotFoundError(`there is no saved scenario ${id}`);
  const comparison = fresh
    ? await compareScenario(sql, row.changes as ScenarioChange[], row.horizon)
    : (row.result as unknown as ScenarioComparison);
  const { dataVersion } = await kpiContext(sql);
  return { scenario: await savedJson(sql, row, dataVersion), comparison };
}

export async function removeScenario(sql: Sql, id: number): Promise<void> {
  const row = await getScenario(sql, id);
  if (!row) throw new NotFoundError(`there is no saved scenario ${id}`);
  const attached = await listAttachments(sql, { scenarioId: id });
  if (attached.length > 0) {
    const where = attached.map((a) => `${toPeriod(a.cycle)}/${a.step}`).join(", ");
    throw new ConflictError(
      `scenario ${id} is attached to ${where}: detach it first (DELETE /api/cycles/{month}/steps/{step}/scenarios/${id})`,
      { attachments: attached.map((a) => ({ cycle: toPeriod(a.cycle), step: a.step })) },
    );
  }
  await deleteScenario(sql, id);
}

async function checkStep(db: Db, cycle: Period, step: string): Promise<void> {
  const steps = await listCycleSteps(db, [firstDayOfPeriod(cycle)]);
  if (steps.length === 0) throw new NotFoundError(`there is no cycle for ${cycle}`);
  if (!steps.some((s) => s.key === step)) {
    throw new NotFoundError(
      `the cycle ${cycle} has no step '${step}' (its steps: ${steps.map((s) => s.key).join(", ")})`,
    );
  }
}

/** Attaches a saved scenario to a cycle step (e.g. the pre-S&OP approval); true when new. */
export async function attachToStep(
  sql: Sql,
  a: { cycle: Period; step: string; scenarioId: number; by: string | null; at: Date },
): Promise<boolean> {
  await checkStep(sql, a.cycle, a.step);
  if (!(await getScenario(sql, a.scenarioId)))
    throw new NotFoundError(`there is no saved scenario ${a.scenarioId}`);
  return attachScenario(sql, { ...a, cycle: firstDayOfPeriod(a.cycle) });
}

export async function detachFromStep(
  sql: Sql,
  a: { cycle: Period; step: string; scenarioId: number },
): Promise<void> {
  await checkStep(sql, a.cycle, a.step);
  if (!(await detachScenario(sql, { ...a, cycle: firstDayOfPeriod(a.cycle) }))) {
    throw new NotFoundError(`scenario ${a.scenarioId} is not attached to ${a.cycle}/${a.step}`);
  }
}

/** The saved scenarios attached to a cycle step, oldest attachment first. */
export async function stepScenarios(sql: Sql, cycle: Period, step: string): Promise<SavedScenarioJson[]> {
  await checkStep(sql, cycle, step);
  const { dataVersion } = await kpiContext(sql);
  const attached = await listAttachments(sql, { cycle: firstDayOfPeriod(cycle), step });
  const out: SavedScenarioJson[] = [];
  for (const a of attached) {
    const row = await getScenario(sql, a.scenarioId);
    if (row) out.push(await savedJson(sql, row, dataVersion));
  }
  return out;
}
