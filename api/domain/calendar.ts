/**
 * The cadence calendar: business days, step due dates, overdue checks, and the translation
 * between instants and the company's local dates (DOMAIN.md, "The monthly cycle").
 *
 * Business days are Monday–Friday minus the configured holidays. Which weekday a calendar date
 * is does not depend on any time zone, so all date arithmetic here is on civil dates (see
 * periods.ts); the company's IANA time zone matters only where an instant ("now") meets a date,
 * and that goes through `Intl.DateTimeFormat`, which knows every DST rule.
 */

import {
  addDays,
  dateFromEpochDay,
  epochDay,
  firstDayOfPeriod,
  type IsoDate,
  lastDayOfPeriod,
  type Period,
} from "./periods.js";

/** Holiday dates, `'YYYY-MM-DD'`. A set, because every business-day test looks one up. */
export type Holidays = ReadonlySet<IsoDate>;

const NO_HOLIDAYS: Holidays = new Set();

/** 1970-01-05, the first Monday on or after the epoch. */
const MONDAY = 4;
const DAY_MS = 86_400_000;

/** 0 = Monday … 6 = Sunday, for an epoch day. */
function isoWeekdayIndex(day: number): number {
  return (((day - MONDAY) % 7) + 7) % 7;
}

/** Weekdays (Mon–Fri) among the epoch days before or on `day`, counted from 1970-01-05. */
function weekdaysThrough(day: number): number {
  const k = day - MONDAY;
  const weeks = Math.floor(k / 7);
  return weeks * 5 + Math.min(k - weeks * 7 + 1, 5);
}

/** True when `date` is Monday–Friday and not a holiday. */
export function isBusinessDay(date: IsoDate, holidays: Holidays = NO_HOLIDAYS): boolean {
  return isoWeekdayIndex(epochDay(date)) < 5 && !holidays.has(date);
}

/**
 * Business days d with `from` < d ≤ `to` (negative, counted the same way, when `to` is before
 * `from`): from Friday to the next Monday is 1. Constant time in the distance, linear in the
 * number of holidays.
 */
export function businessDaysBetween(from: IsoDate, to: IsoDate, holidays: Holidays = NO_HOLIDAYS): number {
  const a = epochDay(from);
  const b = epochDay(to);
  if (b < a) return 0 - businessDaysBetween(to, from, holidays); // 0 − x, so never −0
  let n = weekdaysThrough(b) - weekdaysThrough(a);
  for (const h of holidays) {
    const d = epochDay(h);
    if (d > a && d <= b && isoWeekdayIndex(d) < 5) n--;
  }
  return n;
}

/**
 * The date `n` business days after `date` (before it for negative `n`); `date` itself when
 * `n` is 0, business day or not.
 */
export function addBusinessDays(date: IsoDate, n: number, holidays: Holidays = NO_HOLIDAYS): IsoDate {
  const step = n < 0 ? -1 : 1;
  let day = epochDay(date);
  let left = Math.abs(n);
  while (left > 0) {
    day += step;
    if (isoWeekdayIndex(day) < 5 && !holidays.has(dateFromEpochDay(day))) left--;
  }
  return dateFromEpochDay(day);
}

/**
 * The `n`-th business day (from 1) of a month. A month with fewer than `n` business days gives
 * its last business day, so a step never falls due in the following cycle's month; a month
 * without any business day gives its last calendar day.
 */
export function nthBusinessDay(period: Period, n: number, holidays: Holidays = NO_HOLIDAYS): IsoDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`business day must be a positive integer: ${n}`);
  const first = epochDay(firstDayOfPeriod(period));
  const last = epochDay(lastDayOfPeriod(period));
  let found: IsoDate | null = null;
  let count = 0;
  for (let day = first; day <= last; day++) {
    if (isoWeekdayIndex(day) >= 5) continue;
    const date = dateFromEpochDay(day);
    if (holidays.has(date)) continue;
    found = date;
    if (++count === n) return date;
  }
  return found ?? dateFromEpochDay(last);
}

/**
 * Due date of a cycle step in month `period`: business day `dueBusinessDay` of that month, or
 * for `null` ("end of month") the last calendar day of the month. The calendar day, not the
 * last business day, because the step that uses it (execution & monitoring) tracks the whole
 * month, and the schema documents NULL as "the last day of the month".
 */
export function stepDueDate(
  period: Period,
  dueBusinessDay: number | null,
  holidays: Holidays = NO_HOLIDAYS,
): IsoDate {
  return dueBusinessDay === null ? lastDayOfPeriod(period) : nthBusinessDay(period, dueBusinessDay, holidays);
}

/**
 * Which business day of its month `date` is (1 for the first); null when `date` is not a
 * business day.
 */
export function businessDayOfMonth(date: IsoDate, holidays: Holidays = NO_HOLIDAYS): number | null {
  if (!isBusinessDay(date, holidays)) return null;
  return businessDaysBetween(addDays(firstDayOfPeriod(date), -1), date, holidays);
}

// ---------------------------------------------------------------- instants and time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than formatting with it. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time of an instant in a zone, as if it were a UTC timestamp (ms). */
function wallClockMs(ms: number, timeZone: string): number {
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatter(timeZone).formatToParts(ms)) {
    switch (p.type) {
      case "year":
        y = Number(p.value);
        break;
      case "month":
        mo = Number(p.value);
        break;
      case "day":
        d = Number(p.value);
        break;
      case "hour":
        h = Number(p.value);
        break;
      case "minute":
        mi = Number(p.value);
        break;
      case "second":
        s = Number(p.value);
        break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function toMs(instant: Date | number): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid instant");
  return ms;
}

/** The zone's UTC offset at an instant, in minutes (e.g. 60 for Europe/Berlin in winter). */
export function utcOffsetMinutes(instant: Date | number, timeZone: string): number {
  const ms = toMs(instant);
  const whole = Math.floor(ms / 1000) * 1000;
  return (wallClockMs(whole, timeZone) - whole) / 60_000;
}

/** The calendar date of an instant in a time zone: what a wall calendar there shows. */
export function localDate(instant: Date | number, timeZone: string): IsoDate {
  const wall = wallClockMs(toMs(instant), timeZone);
  return dateFromEpochDay(Math.floor(wall / DAY_MS));
}

/**
 * The instant at which a zone's clocks show `date` `hour`:`minute`. When DST skips that time,
 * the instant the clocks jump over it (so "09:00" on a spring-forward day in a zone that jumps
 * at 09:00 is read as 10:00); when DST repeats it, the first of the two. This is what people
 * mean by "at 9 o'clock", and Temporal's "compatible" disambiguation.
 */
export function zonedInstant(date: IsoDate, timeZone: string, hour = 0, minute = 0): Date {
  const wall = epochDay(date) * DAY_MS + hour * 3_600_000 + minute * 60_000;
  // Offsets never exceed a day, so a day either side brackets any transition near `wall`.
  const before = utcOffsetMinutes(wall - DAY_MS, timeZone) * 60_000;
  const after = utcOffsetMinutes(wall + DAY_MS, timeZone) * 60_000;
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const t = wall - offset;
    if (wallClockMs(t, timeZone) === wall && (best === null || t < best)) best = t;
  }
  // In a gap no candidate matches; the pre-transition offset lands just after the jump.
  return new Date(best ?? wall - before);
}

/** The instant a local day begins in a zone (midnight, or when DST skips midnight, 01:00). */
export function startOfLocalDay(date: IsoDate, timeZone: string): Date {
  return zonedInstant(date, timeZone);
}

/**
 * The instant a step due on `dueDate` becomes overdue: the start of the next local day, since
 * a step is due by the end of its due date in the company's time zone.
 */
export function overdueFrom(dueDate: IsoDate, timeZone: string): Date {
  return startOfLocalDay(addDays(dueDate, 1), timeZone);
}

/**
 * Whether the due date has passed at `now` in the company's time zone: true from the local
 * midnight after `dueDate`. Whether the step is signed is the caller's half of "overdue".
 */
export function isPastDue(dueDate: IsoDate, now: Date | number, timeZone: string): boolean {
  return localDate(now, timeZone) > dueDate;
}

/** Past due and not signed: the step is overdue. */
export function isOverdue(
  step: { dueDate: IsoDate; signed: boolean },
  now: Date | number,
  timeZone: string,
): boolean {
  return !step.signed && isPastDue(step.dueDate, now, timeZone);
}

/** The month (`'YYYY-MM'`) an instant falls in, in a time zone: "the current cycle". */
export function localPeriod(instant: Date | number, timeZone: string): Period {
  return localDate(instant, timeZone).slice(0, 7);
}
