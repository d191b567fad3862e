/**
 * Month and day arithmetic for the demo generator, on integers: a month is `year × 12 + month − 1`,
 * a day is a count since 1970-01-01 (UTC civil calendar, no time of day).
 */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The month number of `'YYYY-MM'`; throws on anything else. */
export function parseMonth(period: string): number {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`not a month in the form YYYY-MM: ${JSON.stringify(period)}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/** `'YYYY-MM'` of a month number. */
export function formatMonth(month: number): string {
  const year = Math.floor(month / 12);
  return `${year}-${pad2(month - year * 12 + 1)}`;
}

/** The calendar month, 0 = January. */
export function monthOfYear(month: number): number {
  return ((month % 12) + 12) % 12;
}

export function daysInMonth(month: number): number {
  const year = Math.floor(month / 12);
  const m = monthOfYear(month) + 1;
  if (m === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a day of a month (1-based). */
export function dayNumber(month: number, day: number): number {
  const year = Math.floor(month / 12);
  return Date.UTC(year, monthOfYear(month), day) / 86_400_000;
}

/** `'YYYY-MM-DD'` of a day number. */
export function formatDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** `'YYYY-MM-DD'` of a day of a month. */
export function formatDate(month: number, day: number): string {
  return `${formatMonth(month)}-${pad2(day)}`;
}

/** `'YYYY-MM-DD'` of the last day of a month (the month-end inventory snapshot). */
export function monthEnd(month: number): string {
  return formatDate(month, daysInMonth(month));
}
