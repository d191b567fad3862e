/**
 * The demand plan of a SKU-location for a month (DOMAIN.md, "Demand plan"): the consensus
 * forecast of the latest cycle that made one, else the statistical forecast of the latest
 * cycle that made one, else the mean of the actuals of P−2…P. Units.
 */

import { type Period, periodIndex } from "./periods.js";

/** A forecast for the SKU-location and month in question. Other sources are ignored. */
export interface PlanCandidate {
  source: string;
  /** The month the forecast was made, `'YYYY-MM'` or `'YYYY-MM-01'`. */
  cycle: Period;
  /** Units. */
  units: number;
}

export type PlanBasis = "consensus" | "statistical" | "actuals";

export interface PlanValue {
  /** Units for the month. */
  units: number;
  /** Which rule produced it. */
  basis: PlanBasis;
}

/**
 * The actuals fallback: mean of P−2…P in units. Months without a recorded sale count as 0 and
 * the divisor stays 3, so a SKU that sold once in three months is planned at a third of it,
 * consistent with how accuracy treats unrecorded sales.
 */
export function actualsFallback(lastThreeMonths: ArrayLike<number>, months = 3): number {
  let s = 0;
  for (let i = 0; i < lastThreeMonths.length && i < months; i++) s += lastThreeMonths[i] as number;
  return s / months;
}

/**
 * The demand plan for one SKU-location-month from the forecasts made for that month.
 * `fallback` is {@link actualsFallback} of the SKU-location, in units.
 */
export function demandPlan(candidates: Iterable<PlanCandidate>, fallback: number): PlanValue {
  let consensusCycle = -1;
  let consensus = 0;
  let statisticalCycle = -1;
  let statistical = 0;
  for (const c of candidates) {
    if (c.source === "consensus") {
      const cycle = periodIndex(c.cycle);
      if (cycle > consensusCycle) {
        consensusCycle = cycle;
        consensus = c.units;
      }
    } else if (c.source === "statistical") {
      const cycle = periodIndex(c.cycle);
      if (cycle > statisticalCycle) {
        statisticalCycle = cycle;
        statistical = c.units;
      }
    }
  }
  if (consensusCycle >= 0) return { units: consensus, basis: "consensus" };
  if (statisticalCycle >= 0) return { units: statistical, basis: "statistical" };
  return { units: fallback, basis: "actuals" };
}

/** A forecast of a SKU-location for some month, as a set-based query returns them. */
export interface SeriesCandidate extends PlanCandidate {
  /** Target month, `'YYYY-MM'` or `'YYYY-MM-01'`. */
  period: Period;
}

/**
 * The demand plan of one SKU-location for `months` consecutive months starting at `first`,
 * in units: element i is month first + i. One pass over the SKU-location's forecasts (any
 * order; those outside the months are skipped), so a service can feed it the rows of one
 * query without grouping them by month first.
 */
export function demandPlanSeries(
  first: Period,
  months: number,
  candidates: Iterable<SeriesCandidate>,
  fallback: number,
): number[] {
  const start = periodIndex(first);
  const consensusCycle = new Array<number>(months).fill(-1);
  const statisticalCycle = new Array<number>(months).fill(-1);
  const plan = new Array<number>(months).fill(fallback);
  for (const c of candidates) {
    const isConsensus = c.source === "consensus";
    if (!isConsensus && c.source !== "statistical") continue;
    const i = periodIndex(c.period) - start;
    if (i < 0 || i >= months) continue;
    const cycle = periodIndex(c.cycle);
    if (isConsensus) {
      if (cycle > (consensusCycle[i] as number)) {
        consensusCycle[i] = cycle;
        plan[i] = c.units;
      }
    } else if ((consensusCycle[i] as number) < 0 && cycle > (statisticalCycle[i] as number)) {
      statisticalCycle[i] = cycle;
      plan[i] = c.units;
    }
  }
  return plan;
}
