/**
 * zod schemas for the fields of the canonical CSV formats: each takes the raw (trimmed) text of
 * a cell and yields the typed value, or an issue whose message is the reason shown to the user.
 */
import { z } from "zod";

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Years outside this range are typos in practice; the bound also keeps keys compact. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;
const YEAR_RANGE = `must be in the years ${MIN_YEAR}–${MAX_YEAR}`;

function number(text: string, ctx: z.RefinementCtx): number {
  if (!DECIMAL.test(text)) {
    ctx.addIssue({ code: "custom", message: "is not a number (use digits and a decimal point, e.g. 12.5)" });
    return z.NEVER;
  }
  const n = Number(text);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: "is too large" });
    return z.NEVER;
  }
  return n;
}

const required = (what: string) =>
  z.string({ error: `is required (${what})` }).min(1, `is required (${what})`);

/** A quantity: a decimal number ≥ 0. */
export const quantity = required("a number ≥ 0").transform((text, ctx) => {
  const n = number(text, ctx);
  if (n < 0) ctx.addIssue({ code: "custom", message: "must not be negative" });
  return n;
});

/** A quantity that must be > 0 (open supply). */
export const positiveQuantity = required("a number > 0").transform((text, ctx) => {
  const n = number(text, ctx);
  if (n <= 0) ctx.addIssue({ code: "custom", message: "must be greater than 0" });
  return n;
});

/** Money: a decimal number ≥ 0. */
export const money = quantity;

/** Optional money: empty means "not given". */
export const optionalMoney = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === "") return null;
    const n = number(text, ctx);
    if (n < 0) ctx.addIssue({ code: "custom", message: "must not be negative" });
    return n;
  });

/** A whole number of days, 0…3650. */
export const days = required("whole days").transform((text, ctx) => {
  if (!INTEGER.test(text)) {
    ctx.addIssue({ code: "custom", message: "must be a whole number of days" });
    return z.NEVER;
  }
  const n = Number(text);
  if (n < 0) ctx.addIssue({ code: "custom", message: "must not be negative" });
  else if (n > 3650) ctx.addIssue({ code: "custom", message: "must be at most 3650 days" });
  return n;
});

/** A service level: 0.5 ≤ x < 1, default 0.95 when empty or absent. */
export const serviceLevel = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === "") return 0.95;
    const n = number(text, ctx);
    if (n < 0.5 || n >= 1)
      ctx.addIssue({ code: "custom", message: "must be at least 0.5 and below 1 (e.g. 0.95)" });
    return n;
  });

/** A month, `YYYY-MM`, stored as the first day of the month. */
export const period = required("a month YYYY-MM").transform((text, ctx) => {
  const m = PERIOD.exec(text);
  if (!m) {
    ctx.addIssue({ code: "custom", message: "is not a month in the form YYYY-MM" });
    return z.NEVER;
  }
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) ctx.addIssue({ code: "custom", message: YEAR_RANGE });
  return `${text}-01`;
});

/** A calendar date, `YYYY-MM-DD`. */
export const date = required("a date YYYY-MM-DD").transform((text, ctx) => {
  const m = DATE.exec(text);
  if (!m) {
    ctx.addIssue({ code: "custom", message: "is not a date in the form YYYY-MM-DD" });
    return z.NEVER;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    ctx.addIssue({ code: "custom", message: "is not a valid calendar date" });
  } else if (y < MIN_YEAR || y > MAX_YEAR) {
    ctx.addIssue({ code: "custom", message: YEAR_RANGE });
  }
  return text;
});

/** An identifier (SKU, family, location code): 1–64 characters. */
export const code = (what: string) => required(what).max(64, "is longer than 64 characters");

/** A location code; empty or absent means MAIN. */
export const location = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === "") return "MAIN";
    if (text.length > 64) ctx.addIssue({ code: "custom", message: "is longer than 64 characters" });
    return text;
  });

/** Free text up to `max` characters. */
export const text = (what: string, max: number) =>
  required(what).max(max, `is longer than ${max} characters`);

export const optionalText = (max: number) =>
  z
    .string()
    .max(max, `is longer than ${max} characters`)
    .optional()
    .transform((t) => t ?? "");

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` });
