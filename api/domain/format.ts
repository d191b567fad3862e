/**
 * How numbers and months read to people, shared by the Slack answers, the dashboard and the
 * charts (which precompute labels so a config never needs a formatter callback). Pure: the
 * locale and currency are parameters.
 */

/**
 * Intl formatters are costly to build (tens of microseconds) and immutable: a page of a few
 * thousand numbers would spend most of its time constructing them, so each is built once.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, f);
  }
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}

function monthDate(period: string): Date {
  const [y, m] = period.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1));
}

/** Axis label for a month: "Jan 25" in en-US. */
export function periodLabel(period: string, locale: string): string {
  return dateFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" }).format(monthDate(period));
}

/** Month alone: "Jan" in en-US. */
export function monthLabel(period: string, locale: string): string {
  return dateFormat(locale, { month: "short", timeZone: "UTC" }).format(monthDate(period));
}

/** Month and full year: "January 2026" in en-US. */
export function periodLongLabel(period: string, locale: string): string {
  return dateFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(monthDate(period));
}

/** A `YYYY-MM-DD` date as "Nov 6" in en-US. */
export function dayLabel(date: string, locale: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return dateFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

/** Compact money for axis ticks and tooltips ("$8.9K"); Chart.js formats with it via `ticks.format`. */
export function moneyTickFormat(currency: string): Intl.NumberFormatOptions {
  return { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 };
}

/** Compact counts for axis ticks ("12K"). */
export const UNITS_TICK_FORMAT: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };

/** Money in whole currency units ("$8,900"), for titles and precomputed labels. */
export function formatMoney(value: number, locale: string, currency: string): string {
  return numberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(value);
}

/** Units ("1,250"). */
export function formatUnits(value: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A fraction as a percentage with one decimal: 0.8827 → "88.3%". */
export function formatPercent(fraction: number, locale: string): string {
  return numberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(fraction);
}

/** A plain number with at most `digits` decimals: 6.5553 → "6.6". */
export function formatNumber(value: number, locale: string, digits = 1): string {
  return numberFormat(locale, { maximumFractionDigits: digits }).format(value);
}
