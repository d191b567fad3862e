/**
 * The instants a cron schedule fires in a time zone, without waiting for node-cron to fire them:
 * the previous ones (catch-up after downtime) and the next one (`sop jobs list`). The fields
 * come from node-cron's own parser; local wall-clock times become instants through the same
 * DST-aware calendar as the cycle's due dates, and each candidate is checked with node-cron's
 * matcher, so a time that DST skips is skipped here too, as node-cron skips it.
 */
import cron from "node-cron";
import { localDate, utcOffsetMinutes, zonedInstant } from "../api/domain/calendar.js";
import { addDays, type IsoDate, weekday } from "../api/domain/periods.js";

export interface Schedule {
  /** All instants in [from, to), oldest first. */
  between(from: Date, to: Date): Date[];
  /** Instants before `before`, newest first, back to `lookbackDays` earlier (lazily). */
  before(before: Date, lookbackDays: number): Generator<Date>;
  /** The latest instant before `before` within `lookbackDays`, or null. */
  previous(before: Date, lookbackDays: number): Date | null;
  /** The first instant at or after `from`, within `aheadDays` (default 400), or null. */
  next(from: Date, aheadDays?: number): Date | null;
}

const DAY_NAMES = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];

/** Throws a readable error for an invalid expression. */
export function schedule(expression: string, timeZone: string): Schedule {
  const check = cron.validateDetailed(expression);
  if (!check.valid) {
    throw new Error(
      `invalid cron expression "${expression}": ${check.errors.map((e) => e.message).join("; ")}`,
    );
  }
  const f = cron.parse(expression);
  // node-cron's matcher, for the final word on each candidate (DST gaps, day-of-month/week rules).
  const task = cron.createTask(expression, () => {}, { timezone: timeZone });
  const days = new Set(f.dayOfWeek.map((d) => (typeof d === "number" ? d % 7 : Number(d) % 7)));
  const months = new Set(f.month);
  const monthDays = new Set(f.dayOfMonth.map(Number));
  const seconds = f.second.length ? [...f.second].sort((a, b) => a - b) : [0];
  const hours = [...f.hour].sort((a, b) => a - b);
  const minutes = [...f.minute].sort((a, b) => a - b);

  const dayMatches = (date: IsoDate): boolean => {
    const [, m, d] = date.split("-").map(Number) as [number, number, number];
    // weekday() and cron both count 0 = Sunday (cron also accepts 7).
    return months.has(m) && monthDays.has(d) && days.has(weekday(date) % 7);
  };

  /** An instant's local wall-clock minute of the day. */
  const minuteOfDay = (t: Date): number => {
    const wall = t.getTime() + utcOffsetMinutes(t, timeZone) * 60_000;
    return Math.floor((((wall % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  };

  /**
   * The instants on one local date, in wall-clock order (ascending or descending), lazily;
   * `from`/`upTo` skip the minutes of the day before/after a bound without computing them.
   */
  function* onDate(
    date: IsoDate,
    descending: boolean,
    bound?: { from?: number; upTo?: number },
  ): Generator<Date> {
    if (!dayMatches(date)) return;
    const order = <T>(xs: T[]) => (descending ? [...xs].reverse() : xs);
    for (const h of order(hours))
      for (const mi of order(minutes)) {
        const minute = h * 60 + mi;
        if (bound?.from !== undefined && minute < bound.from) continue;
        if (bound?.upTo !== undefined && minute > bound.upTo) continue;
        const base = zonedInstant(date, timeZone, h, mi).getTime();
        for (const sec of order(seconds)) {
          const t = new Date(base + sec * 1000);
          if (task.match(t)) yield t;
        }
      }
  }

  const between = (from: Date, to: Date): Date[] => {
    const out: Date[] = [];
    // A local date either side covers instants whose local date differs from UTC's.
    for (
      let d = addDays(localDate(from, timeZone), -1);
      d <= addDays(localDate(to, timeZone), 1);
      d = addDays(d, 1)
    ) {
      for (const t of onDate(d, false)) if (t >= from && t < to) out.push(t);
    }
    return out.sort((a, b) => a.getTime() - b.getTime());
  };

  function* before(limit: Date, lookbackDays: number): Generator<Date> {
    const earliest = limit.getTime() - lookbackDays * 86_400_000;
    const first = localDate(limit, timeZone);
    for (let d = first, i = 0; i <= lookbackDays + 1; d = addDays(d, -1), i++) {
      // On the limit's own date, minutes after it cannot come before it (DST aside: +1 h).
      const bound = d === first ? { upTo: minuteOfDay(limit) + 60 } : undefined;
      for (const t of onDate(d, true, bound)) {
        if (t.getTime() < earliest) return;
        if (t < limit) yield t;
      }
    }
  }

  return {
    between,
    before,
    previous(limit, lookbackDays) {
      for (const t of before(limit, lookbackDays)) return t;
      return null;
    },
    next(from, aheadDays = 400) {
      const first = localDate(from, timeZone);
      let d = first;
      for (let i = 0; i <= aheadDays; i++, d = addDays(d, 1)) {
        const bound = d === first ? { from: minuteOfDay(from) - 60 } : undefined;
        for (const t of onDate(d, false, bound)) if (t >= from) return t;
      }
      return null;
    },
  };
}

/** "Business days at 09:00", "Mondays at 09:00": for people reading `sop jobs list`. */
export function describeSchedule(expression: string): string {
  const f = cron.parse(expression);
  const many = f.hour.length * f.minute.length * Math.max(1, f.second.length) > 4;
  const times = f.hour
    .flatMap((h) => f.minute.map((m) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`))
    .join(", ");
  const dow = [...new Set(f.dayOfWeek.map((d) => Number(d) % 7))].sort();
  const days =
    dow.length === 7
      ? "Every day"
      : dow.join() === "1,2,3,4,5"
        ? "Weekdays"
        : dow.map((d) => DAY_NAMES[d]).join(", ");
  return many ? `${days} on the schedule ${expression}` : `${days} at ${times}`;
}
