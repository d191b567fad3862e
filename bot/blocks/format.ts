/**
 * How figures read in Slack and in the console: the number formats of api/domain/format.ts
 * bound to a locale, currency and time zone, plus the words that go with them ("over-forecast
 * by 4.0%", "▲ 1.2 pts", "3 h ago"). Pure: the clock is a parameter.
 */
import {
  dayLabel,
  formatMoney,
  formatNumber,
  formatPercent,
  formatUnits,
  periodLabel,
  periodLongLabel,
} from "../../api/domain/format.js";

export interface Formats {
  /** BCP 47 locale, e.g. "en-US". */
  locale: string;
  /** ISO 4217 code, e.g. "USD". */
  currency: string;
  /** IANA zone the times are shown in (the company's). */
  timezone: string;
}

export const DEFAULT_FORMATS: Formats = { locale: "en-US", currency: "USD", timezone: "UTC" };

/** Money in whole units: "$26,390". */
export const money = (f: Formats, value: number): string => formatMoney(value, f.locale, f.currency);

/** A unit cost or price, with cents: "$11.44". */
export const price = (f: Formats, value: number): string =>
  new Intl.NumberFormat(f.locale, { style: "currency", currency: f.currency }).format(value);

/** Units: "1,250". */
export const units = (f: Formats, value: number): string => formatUnits(value, f.locale);

/** A fraction as a percentage: 0.8827 → "88.3%"; "–" when unknown. */
export const pct = (f: Formats, fraction: number | null | undefined): string =>
  fraction === null || fraction === undefined ? "–" : formatPercent(fraction, f.locale);

/** A plain number with one decimal: "6.6"; "–" when unknown. */
export const num = (f: Formats, value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined ? "–" : formatNumber(value, f.locale, digits);

/** A month: "Oct 2026" (never "Oct 26", which reads as a day). */
export function month(f: Formats, period: string): string {
  const [y, m] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(f.locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1)),
  );
}

/** A month on an axis or in a table column: "Oct 26". */
export const monthTick = (f: Formats, period: string): string => periodLabel(period, f.locale);

/** A month in full: "October 2026". */
export const monthLong = (f: Formats, period: string): string => periodLongLabel(period, f.locale);

/** A date `YYYY-MM-DD`: "Nov 6". */
export const day = (f: Formats, date: string): string => dayLabel(date, f.locale);

/** An instant in the company's zone: "Nov 6, 10:42 AM". */
export function when(f: Formats, iso: string): string {
  return new Intl.DateTimeFormat(f.locale, {
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone: f.timezone,
  }).format(new Date(iso));
}

/** How long ago `iso` was at `now`: "just now", "12 min ago", "3 h ago", "5 days ago". */
export function ago(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** A number with exactly one decimal: 6 → "6.0". */
export function oneDecimal(f: Formats, value: number): string {
  return new Intl.NumberFormat(f.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    value,
  );
}

/** A change in percentage points between two fractions: 0.012 → "▲ 1.2 pts". */
export function pointsChange(f: Formats, change: number | null | undefined): string {
  if (change === null || change === undefined) return "";
  const points = change * 100;
  if (Math.abs(points) < 0.05) return "no change";
  return `${points > 0 ? "▲" : "▼"} ${oneDecimal(f, Math.abs(points))} pts`;
}

/** A change of a plain figure: "▲ 0.4", "▼ $1,200" with `as`. */
export function change(
  f: Formats,
  delta: number | null | undefined,
  as: (value: number) => string = (v) => num(f, v),
): string {
  if (delta === null || delta === undefined) return "";
  if (Math.abs(delta) < 1e-9) return "no change";
  return `${delta > 0 ? "▲" : "▼"} ${as(Math.abs(delta))}`;
}

/**
 * Bias in words (positive = over-forecast, DOMAIN.md): "over-forecast by 4.0%",
 * "under-forecast by 2.3%", "unbiased (+0.3%)" within half a point.
 */
export function biasWords(f: Formats, bias: number | null | undefined): string {
  if (bias === null || bias === undefined) return "no actuals to compare";
  if (Math.abs(bias) < 0.005) return `unbiased (${bias >= 0 ? "+" : "−"}${pct(f, Math.abs(bias))})`;
  return `${bias > 0 ? "over" : "under"}-forecast by ${pct(f, Math.abs(bias))}`;
}

/**
 * Forecast value added in words: a positive FVA means the step lowered the error.
 * "cut the error by 3.1 pts", "added 2.0 pts of error", "made no difference".
 */
export function fvaWords(f: Formats, fva: number | null | undefined): string {
  if (fva === null || fva === undefined) return "not enough data";
  const points = fva * 100;
  if (Math.abs(points) < 0.05) return "made no difference";
  return points > 0
    ? `cut the error by ${oneDecimal(f, points)} pts`
    : `added ${oneDecimal(f, -points)} pts of error`;
}

/** "1 step", "3 steps". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

/** "A", "A and B", "A, B and C". */
export function listWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
