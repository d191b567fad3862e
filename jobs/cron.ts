/**
 * The instants a cron schedule fires in a time zone, without waiting for node-cron to fire them:
 * the previous ones (catch-up after downtime) and the next one (`sop jobs list`). The fields
 * come from node-cron's own parser; local wall-clock times become instants through the same
 * DST-aware calendar as the cycle's due dates, and each candidate is checked with node-cron's
 * matcher, so a time that DST skips is skipped here too, as node-cron skips it.
 */
import cron from "node-cron";
import { localDate, zonedInstant } from "../api/domain/calendar.js";
import { addDays, type IsoDate, weekday } from "../api/domain/periods.js";

export interface Schedule {
  /** All instants in [from, to), oldest first. */
  between(from: Date, to: Date): Date[];
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
  const seconds = f.second.length ? f.second : [0];

  /** The instants on one local date, in order. */
  const onDate = (date: IsoDate): Date[] => {
    const [, m, d] = date.split("-").map(Number) as [number, number, number];
    // weekday() and cron both count 0 = Sunday (cron also accepts 7).
    if (!months.has(m) || !monthDays.has(d) || !days.has(weekday(date) % 7)) return [];
    const out: Date[] = [];
    for (const h of f.hour)
      for (const mi of f.minute)
        for (const s of seconds) {
          const t = new Date(zonedInstant(date, timeZone, h, mi).getTime() + s * 1000);
          if (task.match(t)) out.push(t);
        }
    return out.sort((a, b) => a.getTime() - b.getTime());
  };

  const between = (from: Date, to: Date): Date[] => {
    const out: Date[] = [];
    // A local date either side covers instants whose local date differs from UTC's.
    for (
      let d = addDays(localDate(from, timeZone), -1);
      d <= addDays(localDate(to, timeZone), 1);
      d = addDays(d, 1)
    ) {
      for (const t of onDate(d)) if (t >= from && t < to) out.push(t);
    }
    return out;
  };

  return {
    between,
    previous(before, lookbackDays) {
      const from = new Date(before.getTime() - lookbackDays * 86_400_000);
      return between(from, before).at(-1) ?? null;
    },
    next(from, aheadDays = 400) {
      let d = localDate(from, timeZone);
      for (let i = 0; i <= aheadDays; i++, d = addDays(d, 1)) {
        const t = onDate(d).find((x) => x >= from);
        if (t) return t;
      }
      return null;
    },
  };
}

/** "Business days at 09:00", "Mondays at 09:00": for people reading `sop jobs list`. */
export function describeSchedule(expression: string): string {
  const f = cron.parse(expression);
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
  return `${days} at ${times}`;
}
