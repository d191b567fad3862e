/**
 * Month and date arithmetic on the strings the fact base uses: periods `'YYYY-MM'` and dates
 * `'YYYY-MM-DD'` (the database returns months as `'YYYY-MM-01'`).
 *
 * Everything here is civil-calendar arithmetic (proleptic Gregorian, no time of day, no time
 * zone), done on integers: a period is `year × 12 + month − 1`, a date is a day count since
 * 1970-01-01. That keeps it free of DST surprises and of `Date` allocations in hot loops.
 */

/** A month, `'YYYY-MM'`. */
export type Period = string;
/** A calendar date, `'YYYY-MM-DD'`. */
export type IsoDate = string;

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) throw new RangeError(`not a period or date: ${JSON.stringify(s)}`);
    n = n * 10 + c;
  }
  return n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return n < 1000 ? String(n).padStart(4, "0") : String(n);
}

/** True for a well-formed `'YYYY-MM'`. */
export function isPeriod(value: string): boolean {
  return PERIOD_RE.test(value);
}

/** True for a well-formed `'YYYY-MM-DD'` that exists in the calendar (no 2025-02-29). */
export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  return Number(m[3]) <= daysInMonthOf(Number(m[1]), Number(m[2]));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonthOf(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The month number of a period (`year × 12 + month − 1`), for indexing arrays by month.
 * Accepts `'YYYY-MM'` and anything that starts with it (`'YYYY-MM-DD'`, the database's
 * `'YYYY-MM-01'`), so a date maps to its month.
 */
export function periodIndex(value: string): number {
  if (value.length < 7 || value.charCodeAt(4) !== 45) {
    throw new RangeError(`not a period or date: ${JSON.stringify(value)}`);
  }
  const month = digits(value, 5, 7);
  if (month < 1 || month > 12) throw new RangeError(`not a period or date: ${JSON.stringify(value)}`);
  return digits(value, 0, 4) * 12 + month - 1;
}

/** The period of a month number from {@link periodIndex}. */
export function periodFromIndex(index: number): Period {
  const year = Math.floor(index / 12);
  return `${pad4(year)}-${pad2(index - year * 12 + 1)}`;
}

/**
 * The period of a date or of a month value: `'2025-12-31'` → `'2025-12'`, the database's
 * `'2025-12-01'` → `'2025-12'`, `'2025-12'` → `'2025-12'`.
 */
export function toPeriod(value: string): Period {
  periodIndex(value);
  return value.slice(0, 7);
}

/** `period` shifted by `months` (negative goes back). */
export function addMonths(period: Period, months: number): Period {
  return periodFromIndex(periodIndex(period) + months);
}

/** Whole months from `from` to `to` (`to − from`; negative when `to` is earlier). */
export function monthsBetween(from: Period, to: Period): number {
  return periodIndex(to) - periodIndex(from);
}

/** Every period from `from` to `to`, both included; empty when `to` is before `from`. */
export function periodRange(from: Period, to: Period): Period[] {
  const a = periodIndex(from);
  const b = periodIndex(to);
  const out: Period[] = [];
  for (let i = a; i <= b; i++) out.push(periodFromIndex(i));
  return out;
}

/** The `count` periods ending with `last`, oldest first: P−11…P for the default 12. */
export function trailingPeriods(last: Period, count = 12): Period[] {
  const end = periodIndex(last);
  return periodRange(periodFromIndex(end - count + 1), last);
}

/** The `count` periods starting with `first`: P+1…P+H is `nextPeriods(addMonths(P, 1), H)`. */
export function nextPeriods(first: Period, count: number): Period[] {
  const start = periodIndex(first);
  return periodRange(first, periodFromIndex(start + count - 1));
}

/** Number of days of the month of a period (or of a date's month). Leap years included. */
export function daysInMonth(period: Period): number {
  const i = periodIndex(period);
  const year = Math.floor(i / 12);
  return daysInMonthOf(year, i - year * 12 + 1);
}

/** `'YYYY-MM-01'` of a period: the database's spelling of a month. */
export function firstDayOfPeriod(period: Period): IsoDate {
  return `${toPeriod(period)}-01`;
}

/** The last calendar day of a period. */
export function lastDayOfPeriod(period: Period): IsoDate {
  return `${toPeriod(period)}-${pad2(daysInMonth(period))}`;
}

/** Day of the month (1–31) of a date. */
export function dayOfMonth(date: IsoDate): number {
  return digits(date, 8, 10);
}

/**
 * Days since 1970-01-01 of a date (negative before). Howard Hinnant's `days_from_civil`:
 * integer-only, so no `Date` is created and no time zone can leak in.
 */
export function epochDay(date: IsoDate): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  }
  let y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonthOf(y, m)) {
    throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  }
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day count from {@link epochDay} (Hinnant's `civil_from_days`). */
export function dateFromEpochDay(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/** `date` shifted by `days` calendar days (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return dateFromEpochDay(epochDay(date) + days);
}

/** Calendar days from `from` to `to` (`to − from`). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return epochDay(to) - epochDay(from);
}

/** Day of the week of a date: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(date: IsoDate): number {
  return (((epochDay(date) + 4) % 7) + 7) % 7;
}
