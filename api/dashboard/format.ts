/**
 * How the dashboard writes numbers: api/domain/format.ts bound to the dashboard's locale and
 * currency (the same as the charts' defaults), plus signed changes and "what is good".
 */
import {
  dayLabel,
  formatMoney,
  formatNumber,
  formatPercent,
  formatUnits,
  periodLabel,
  periodLongLabel,
} from "../domain/format.js";

export const LOCALE = "en-US";
export const CURRENCY = "USD";

const PRICE = new Intl.NumberFormat(LOCALE, { style: "currency", currency: CURRENCY });
const moments = new Map<string, Intl.DateTimeFormat>();
const DATE = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" });

/** What a number is, which decides how it is written ("price": money with cents). */
export type Kind = "percent" | "money" | "price" | "units" | "number" | "count";

/** A value of `kind` for people; "—" for null. Fractions for percent. */
export function fmt(value: number | null | undefined, kind: Kind, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  switch (kind) {
    case "percent":
      return formatPercent(value, LOCALE);
    case "money":
      return formatMoney(value, LOCALE, CURRENCY);
    case "price":
      return PRICE.format(value);
    case "units":
    case "count":
      return formatUnits(value, LOCALE);
    case "number":
      return formatNumber(value, LOCALE, digits);
  }
}

const MINUS = "\u2212";

/**
 * A change for people: "+1.2 pts" for fractions (percentage points), "+$1,234", "−120".
 * "no change" for 0 at the precision shown, "—" when unknown.
 */
export function fmtChange(change: number | null | undefined, kind: Kind): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return "—";
  const size = Math.abs(change);
  // Zero at the precision shown (tenths of a point, tenths, whole units) reads as no change.
  const shown =
    kind === "percent"
      ? Math.round(size * 1000)
      : kind === "number"
        ? Math.round(size * 10)
        : Math.round(size);
  if (shown === 0) return "no change";
  const text =
    kind === "percent"
      ? `${formatNumber(size * 100, LOCALE, 1)} pts`
      : kind === "number"
        ? formatNumber(size, LOCALE, 1)
        : fmt(size, kind);
  return `${change > 0 ? "+" : MINUS}${text}`;
}

/** Which way is better for a figure: up, down, towards zero (bias), or neither. */
export type Better = "up" | "down" | "zero" | "none";

/** "good", "bad" or "neutral" for a move from `previous` to `value`. */
export function judge(
  value: number | null,
  previous: number | null,
  better: Better,
): "good" | "bad" | "neutral" {
  if (value === null || previous === null || value === previous || better === "none") return "neutral";
  const improved =
    better === "up"
      ? value > previous
      : better === "down"
        ? value < previous
        : Math.abs(value) < Math.abs(previous);
  return improved ? "good" : "bad";
}

/** "Oct 26" */
export const month = (period: string) => periodLabel(period, LOCALE);
/** "October 2026" */
export const monthLong = (period: string) => periodLongLabel(period, LOCALE);
/** "Nov 6" from YYYY-MM-DD */
export const day = (date: string) => dayLabel(date, LOCALE);

/** A moment for people in the company's time zone: "Nov 6, 2026, 9:12 AM". */
export function when(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  let f = moments.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone });
    moments.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

/** A YYYY-MM-DD date with its year: "Nov 6, 2026". */
export function date(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.split("-").map(Number);
  return DATE.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** An API message as a sentence for people: "the plan is locked" → "The plan is locked." */
export function sentence(s: string): string {
  const t = s.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? "" : "."}`;
}
