/**
 * Sales against plan: how far a month's actual units are from the plan for that month, what
 * the variance alerts and the weekly check-in report. Units in, fractions out.
 *
 * The plan for a month is, per SKU-location, the consensus forecast for it from the latest
 * cycle before the month (the plan the month started with: lag ≥ 1), else the statistical one
 * (DOMAIN.md's demand plan, as it stood when the month began). Lines without any plan are
 * compared with nothing: their units are reported apart as unplanned.
 *
 * deviation = A / plan − 1: positive means more was sold than planned. (The accuracy measures
 * use e = F − A; a deviation of −0.2 is a bias of +0.25 on that line: different questions.)
 */
import { dayOfMonth, daysInMonth, type IsoDate, type Period } from "./periods.js";

/** The default alert threshold: a deviation beyond ±20%. */
export const DEFAULT_VARIANCE_THRESHOLD = 0.2;

export interface VarianceSums {
  /** Actual units of the lines that have a plan. */
  actualUnits: number;
  /** Planned units for the whole month. */
  planUnits: number;
}

export interface Variance extends VarianceSums {
  /** The plan for the part of the month gone by: planUnits × elapsed. Units. */
  planToDate: number;
  /** actualUnits / planToDate − 1, a fraction; null when planToDate is 0. */
  deviation: number | null;
  /** |deviation| > threshold, or units sold against no plan at all. */
  flagged: boolean;
}

/**
 * The deviation of `sums` from plan when `elapsed` (a fraction, 1 for a closed month) of the
 * month has gone by.
 * @param threshold a fraction (0.2 = 20%)
 */
export function variance(sums: VarianceSums, threshold: number, elapsed = 1): Variance {
  const planToDate = sums.planUnits * elapsed;
  const deviation = planToDate > 0 ? sums.actualUnits / planToDate - 1 : null;
  const flagged = deviation === null ? sums.actualUnits > 0 && elapsed > 0 : Math.abs(deviation) > threshold;
  return { ...sums, planToDate, deviation, flagged };
}

/**
 * The fraction of `period` gone by on the local date `today`: the days before today over the
 * days of the month (sales are imported up to yesterday at best). 1 for a month that has
 * ended, 0 for one that has not begun.
 */
export function monthElapsed(period: Period, today: IsoDate): number {
  const current = today.slice(0, 7);
  if (period < current) return 1;
  if (period > current) return 0;
  return (dayOfMonth(today) - 1) / daysInMonth(period);
}

export interface VarianceLine extends VarianceSums {
  key: string;
}

/** Adds lines up per key (a family, a SKU). */
export function sumBy<L extends VarianceSums>(
  lines: readonly L[],
  key: (l: L) => string,
): Map<string, VarianceSums> {
  const out = new Map<string, VarianceSums>();
  for (const l of lines) {
    const k = key(l);
    const s = out.get(k) ?? { actualUnits: 0, planUnits: 0 };
    s.actualUnits += l.actualUnits;
    s.planUnits += l.planUnits;
    out.set(k, s);
  }
  return out;
}

/** Largest deviation first (either way), unplanned sales before anything, then by key. */
export function byDeviation<V extends Variance & { key: string }>(a: V, b: V): number {
  const size = (v: V) => (v.deviation === null ? Number.POSITIVE_INFINITY : Math.abs(v.deviation));
  return size(b) - size(a) || a.key.localeCompare(b.key);
}
