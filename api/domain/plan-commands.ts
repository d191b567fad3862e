/**
 * The grammar of the planning commands people type (in Slack: `/sop whatif …`, `/sop override
 * …`), parsed into the same zod-validated objects the API takes, so a command is a thin call
 * and the command and the API cannot disagree. Pure; errors say what is wrong, where (a
 * 1-based column in the text) and what would be right.
 *
 *   whatif demand +15% BOTTLES from 2026-03     demand of a family or SKU, from a month
 *   whatif delay PO-7781 30d                     an open supply order later (or -10d: earlier)
 *   whatif capacity BOTTLES -20% [from 2026-03]  a family's capacity
 *   (several changes in one scenario: separate them with ";")
 *
 *   override BLT-100 2026-03 1200 trade show order from REI
 *   override family:BOTTLES 2026-04 5,000 summer campaign
 *   override BLT-100@WEST 2026-03 300 new store opening
 */
import { z } from "zod";
import { MAX_CHANGES, ScenarioChange } from "./scenario.js";

export interface ParseError {
  message: string;
  /** 1-based column of the text where the problem is. */
  column: number;
  /** How the command is written. */
  usage: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export const WHATIF_USAGE =
  "whatif demand +15% BOTTLES from 2026-03 · whatif delay PO-7781 30d · whatif capacity BOTTLES -20% (several changes: separate them with ;)";
export const OVERRIDE_USAGE =
  "override SKU|FAMILY YYYY-MM UNITS reason… (e.g. override BLT-100 2026-03 1200 trade show order from REI)";

interface Token {
  text: string;
  /** 1-based. */
  column: number;
}

function tokens(text: string, offset = 0): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ text: m[0], column: offset + (m.index ?? 0) + 1 });
  return out;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const PERCENT = /^([+\-−]?)(\d+(?:\.\d+)?)%$/;
const DURATION = /^([+\-−]?\d+)(d|day|days|w|wk|week|weeks)?$/i;
const UNITS = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;

const fail = <T>(message: string, column: number, usage: string): Parsed<T> => ({
  ok: false,
  error: { message, column, usage },
});

/** The first zod issue as a sentence naming the field. */
function zodMessage(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  if (!issue) return `${what} is not valid`;
  const field = issue.path.join(".");
  return field ? `${what}: ${field} ${issue.message}` : `${what}: ${issue.message}`;
}

/** A code with an optional `family:` / `sku:` prefix. */
function target(text: string): { kind: "family" | "sku" | null; code: string } {
  const m = /^(family|sku):(.*)$/i.exec(text);
  if (!m) return { kind: null, code: text };
  return { kind: m[1]!.toLowerCase() as "family" | "sku", code: m[2]! };
}

/**
 * One or more what-if changes (separated by `;`), as the `changes` of POST /api/scenarios.
 * A leading `whatif` is allowed.
 */
export function parseWhatIf(text: string): Parsed<ScenarioChange[]> {
  const changes: ScenarioChange[] = [];
  let offset = 0;
  const parts = text.split(";");
  for (const [i, part] of parts.entries()) {
    const column = offset;
    offset += part.length + 1;
    if (part.trim() === "") {
      if (parts.length > 1 && i === parts.length - 1) continue; // a trailing ";"
      return fail(
        parts.length > 1 ? "an empty change between two ;" : "what should change?",
        column + 1,
        WHATIF_USAGE,
      );
    }
    const parsed = parseChange(part, column, i === 0);
    if (!parsed.ok) return parsed;
    changes.push(parsed.value);
  }
  if (changes.length > MAX_CHANGES) {
    return fail(`at most ${MAX_CHANGES} changes in one scenario`, 1, WHATIF_USAGE);
  }
  return { ok: true, value: changes };
}

function parseChange(text: string, offset: number, first: boolean): Parsed<ScenarioChange> {
  let ts = tokens(text, offset);
  if (first && /^what-?if$/i.test(ts[0]?.text ?? "")) ts = ts.slice(1);
  const head = ts[0];
  if (!head) return fail("what should change?", offset + 1, WHATIF_USAGE);
  const kind = head.text.toLowerCase();
  const rest = ts.slice(1);
  let candidate: unknown;
  let at = head.column;
  if (kind === "demand" || kind === "capacity") {
    const r = relative(kind, head, rest);
    if (!r.ok) return r;
    candidate = r.value;
  } else if (kind === "delay") {
    const r = delay(head, rest);
    if (!r.ok) return r;
    candidate = r.value;
  } else {
    return fail(
      `'${head.text}' is not a change I know: start with demand, delay or capacity`,
      head.column,
      WHATIF_USAGE,
    );
  }
  const checked = ScenarioChange.safeParse(candidate);
  if (!checked.success) {
    const field = String(checked.error.issues[0]?.path[0] ?? "");
    at = field === "change" ? (percentColumn(rest) ?? at) : at;
    return fail(zodMessage(checked.error, kind), at, WHATIF_USAGE);
  }
  return { ok: true, value: checked.data };
}

function percentColumn(ts: Token[]): number | undefined {
  return ts.find((t) => PERCENT.test(t.text) || /%$/.test(t.text))?.column;
}

/** demand|capacity: a signed percentage, a target and an optional `from YYYY-MM`, in any order. */
function relative(kind: "demand" | "capacity", head: Token, rest: Token[]): Parsed<Record<string, unknown>> {
  let change: number | undefined;
  let from: string | undefined;
  let who: Token | undefined;
  const example = kind === "demand" ? "demand +15% BOTTLES from 2026-03" : "capacity BOTTLES -20%";
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i]!;
    if (/^from$/i.test(t.text)) {
      const m = rest[i + 1];
      if (!m) return fail("'from' needs a month, YYYY-MM (e.g. from 2026-03)", t.column, WHATIF_USAGE);
      if (!MONTH.test(m.text)) {
        return fail(`'${m.text}' is not a month: write YYYY-MM, e.g. 2026-03`, m.column, WHATIF_USAGE);
      }
      if (from !== undefined) return fail("'from' is given twice", t.column, WHATIF_USAGE);
      from = m.text;
      i++;
      continue;
    }
    if (/%$/.test(t.text)) {
      const m = PERCENT.exec(t.text);
      if (!m) {
        return fail(`'${t.text}' is not a percentage: write e.g. +15% or -20%`, t.column, WHATIF_USAGE);
      }
      if (m[1] === "") {
        return fail(
          `say +${m[2]}% or -${m[2]}%: is ${m[2]}% an increase or a decrease?`,
          t.column,
          WHATIF_USAGE,
        );
      }
      if (change !== undefined) return fail("give one percentage per change", t.column, WHATIF_USAGE);
      // Parsed as a decimal ("33.3e-2"): 33.3 / 100 would be 0.33299999999999996.
      change = Number(`${m[1] === "+" ? "" : "-"}${m[2]}e-2`);
      continue;
    }
    if (MONTH.test(t.text)) {
      return fail(`write 'from ${t.text}' for the month the change starts`, t.column, WHATIF_USAGE);
    }
    if (who !== undefined) {
      return fail(
        `unexpected '${t.text}': ${kind} takes one ${kind === "demand" ? "family or SKU" : "family"} (e.g. ${example})`,
        t.column,
        WHATIF_USAGE,
      );
    }
    who = t;
  }
  const end = rest.at(-1) ?? head;
  if (who === undefined) {
    return fail(
      `${kind} needs ${kind === "demand" ? "a family or a SKU" : "a family"} (e.g. ${example})`,
      end.column + end.text.length,
      WHATIF_USAGE,
    );
  }
  if (change === undefined) {
    return fail(
      `${kind} needs a change such as +15% or -20% (e.g. ${example})`,
      end.column + end.text.length,
      WHATIF_USAGE,
    );
  }
  const t = target(who.text);
  if (kind === "capacity") {
    if (t.kind === "sku") {
      return fail("capacity is planned per family, not per SKU", who.column, WHATIF_USAGE);
    }
    return { ok: true, value: { type: "capacity", family: t.code, change, ...(from ? { from } : {}) } };
  }
  return {
    ok: true,
    value: { type: "demand", [t.kind ?? "target"]: t.code, change, ...(from ? { from } : {}) },
  };
}

/** delay REFERENCE [by] N(d|w) — or "N days", "N weeks". */
function delay(head: Token, rest: Token[]): Parsed<Record<string, unknown>> {
  const ref = rest[0];
  if (!ref) {
    return fail(
      "delay needs an open supply reference and a number of days (e.g. delay PO-7781 30d)",
      head.column + head.text.length,
      WHATIF_USAGE,
    );
  }
  let i = 1;
  if (/^by$/i.test(rest[i]?.text ?? "")) i++;
  const amount = rest[i];
  if (!amount) {
    return fail(
      `how long? e.g. delay ${ref.text} 30d (days) or 4w (weeks)`,
      ref.column + ref.text.length,
      WHATIF_USAGE,
    );
  }
  const m = DURATION.exec(amount.text);
  if (!m) {
    return fail(
      `'${amount.text}' is not a number of days: write e.g. 30d, -10d or 4w`,
      amount.column,
      WHATIF_USAGE,
    );
  }
  let unit = m[2];
  i++;
  if (unit === undefined && rest[i] && /^(days?|weeks?)$/i.test(rest[i]!.text)) {
    unit = rest[i]!.text;
    i++;
  }
  const extra = rest[i];
  if (extra) return fail(`unexpected '${extra.text}' after the delay`, extra.column, WHATIF_USAGE);
  const n = Number(m[1]!.replace("−", "-"));
  const days = unit && /^w/i.test(unit) ? n * 7 : n;
  return { ok: true, value: { type: "delay", reference: ref.text, days } };
}

export const OverrideCommand = z
  .object({
    /** A SKU or family code; `targetKind` when the text said which. */
    target: z.string().trim().min(1, "needs a SKU or a family").max(64, "is at most 64 characters"),
    targetKind: z.enum(["sku", "family"]).optional(),
    location: z.string().trim().min(1).max(64).optional(),
    period: z.string().regex(MONTH, "must be a month, YYYY-MM"),
    /** Units for that month (for a family: the family's total, spread over its SKUs). */
    units: z.number().min(0, "must not be negative").max(1e12, "is too large"),
    reason: z
      .string()
      .trim()
      .min(1, "is required: say why the number should change")
      .max(1000, "must be at most 1,000 characters"),
  })
  .strict();
export type OverrideCommand = z.infer<typeof OverrideCommand>;

/** `override SKU|FAMILY YYYY-MM UNITS reason…` (the leading `override` is optional). */
export function parseOverride(text: string): Parsed<OverrideCommand> {
  let ts = tokens(text);
  if (/^override$/i.test(ts[0]?.text ?? "")) ts = ts.slice(1);
  const [who, month, units] = ts;
  const end = (t: Token | undefined) => (t ? t.column + t.text.length : text.length + 1);
  if (!who)
    return fail(
      "override needs a SKU or family, a month, the units and a reason",
      end(undefined),
      OVERRIDE_USAGE,
    );
  if (MONTH.test(who.text) && month && !MONTH.test(month.text)) {
    return fail(
      `put the SKU or family first: override ${month.text} ${who.text} …`,
      who.column,
      OVERRIDE_USAGE,
    );
  }
  if (!month)
    return fail(`which month? e.g. override ${who.text} 2026-03 1200 reason…`, end(who), OVERRIDE_USAGE);
  if (!MONTH.test(month.text)) {
    return fail(`'${month.text}' is not a month: write YYYY-MM, e.g. 2026-03`, month.column, OVERRIDE_USAGE);
  }
  if (!units) {
    return fail(
      `how many units? e.g. override ${who.text} ${month.text} 1200 reason…`,
      end(month),
      OVERRIDE_USAGE,
    );
  }
  if (/^[-−]/.test(units.text)) return fail("units must not be negative", units.column, OVERRIDE_USAGE);
  const u = UNITS.exec(units.text);
  if (!u) {
    return fail(
      `'${units.text}' is not a number of units: write e.g. 1200 or 1,200`,
      units.column,
      OVERRIDE_USAGE,
    );
  }
  const reasonToken = ts[3];
  if (!reasonToken) {
    return fail(
      `say why: a reason is required (e.g. override ${who.text} ${month.text} ${units.text} trade show order)`,
      end(units),
      OVERRIDE_USAGE,
    );
  }
  const reason = text.slice(reasonToken.column - 1).trim();
  const t = target(who.text);
  const at = t.code.indexOf("@");
  const code = at >= 0 ? t.code.slice(0, at) : t.code;
  const location = at >= 0 ? t.code.slice(at + 1) : undefined;
  if (location !== undefined && t.kind === "family") {
    return fail(
      "a family override covers every location; name a SKU for one location",
      who.column,
      OVERRIDE_USAGE,
    );
  }
  if (location === "")
    return fail(`'${who.text}': name the location after @ (e.g. BLT-100@WEST)`, who.column, OVERRIDE_USAGE);
  const candidate = {
    target: code,
    ...(t.kind ? { targetKind: t.kind } : location !== undefined ? { targetKind: "sku" as const } : {}),
    ...(location !== undefined ? { location } : {}),
    period: month.text,
    units: Number(u[1]!.replaceAll(",", "") + (u[2] ?? "")),
    reason,
  };
  const checked = OverrideCommand.safeParse(candidate);
  if (!checked.success) {
    const field = String(checked.error.issues[0]?.path[0] ?? "");
    const column =
      field === "units"
        ? units.column
        : field === "period"
          ? month.column
          : field === "reason"
            ? reasonToken.column
            : who.column;
    return fail(zodMessage(checked.error, "override"), column, OVERRIDE_USAGE);
  }
  return { ok: true, value: checked.data };
}

/**
 * The body of POST /api/overrides for a parsed command: the target as `family`, `sku` or
 * `target` (resolved by the API, a family first) as the text said.
 */
export function overrideRequest<const S extends string>(
  cmd: OverrideCommand,
  by: { person: string; source: S; idempotencyKey?: string; cycle?: string },
): {
  family?: string;
  sku?: string;
  target?: string;
  location?: string;
  period: string;
  units: number;
  reason: string;
  person: string;
  source: S;
  idempotencyKey?: string;
  cycle?: string;
} {
  const who =
    cmd.targetKind === "family"
      ? { family: cmd.target }
      : cmd.targetKind === "sku"
        ? { sku: cmd.target }
        : { target: cmd.target };
  return {
    ...who,
    ...(cmd.location !== undefined ? { location: cmd.location } : {}),
    period: cmd.period,
    units: cmd.units,
    reason: cmd.reason,
    person: by.person,
    source: by.source,
    ...(by.idempotencyKey !== undefined ? { idempotencyKey: by.idempotencyKey } : {}),
    ...(by.cycle !== undefined ? { cycle: by.cycle } : {}),
  };
}

/**
 * What-if changes written in the command grammar (`demand +15% BOTTLES from 2026-03; delay
 * PO-7781 30d`), so a scenario built or saved anywhere can be read, shared and typed again:
 * {@link parseWhatIf} reads it back to the same changes.
 */
export function formatWhatIf(changes: readonly ScenarioChange[]): string {
  // Percentages to at most 4 decimals of a percent: the grammar's numbers, without float noise.
  const pct = (x: number) => `${x > 0 ? "+" : "-"}${Number((Math.abs(x) * 100).toFixed(4))}%`;
  const who = (c: { family?: string | undefined; sku?: string | undefined; target?: string | undefined }) =>
    c.family !== undefined ? `family:${c.family}` : c.sku !== undefined ? `sku:${c.sku}` : (c.target ?? "");
  const one = (c: ScenarioChange): string =>
    c.type === "demand"
      ? `demand ${pct(c.change)} ${who(c)}${c.from ? ` from ${c.from}` : ""}`
      : c.type === "capacity"
        ? `capacity ${c.family} ${pct(c.change)}${c.from ? ` from ${c.from}` : ""}`
        : `delay ${c.reference} ${c.days}d`;
  return changes.map(one).join("; ");
}
