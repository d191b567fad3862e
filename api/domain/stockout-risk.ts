/**
 * Probability of a stock-out within the lead time, and its risk class (DOMAIN.md, "Stock-out
 * probability"): the risk that ordering now can no longer fix. A stock-out further out is a
 * gap to act on (see the order-by date), not a risk yet.
 */

import { DEFAULT_HORIZON } from "./projection.js";
import { leadTimeMonths } from "./safety-stock.js";
import { normalCdf } from "./stats.js";

export type RiskClass = "high" | "medium" | "low";

/** P(stock-out) at or above which the risk is high. */
export const HIGH_RISK = 0.5;
/** P(stock-out) at or above which the risk is medium. */
export const MEDIUM_RISK = 0.2;

/** L = max(1, ⌈LT⌉) projection months, at most the horizon. */
export function riskMonths(leadTimeDays: number, horizon = DEFAULT_HORIZON): number {
  return Math.min(horizon, Math.max(1, Math.ceil(leadTimeMonths(leadTimeDays))));
}

/**
 * P(stock-out) within the lead time, a probability in [0, 1]: max over t = 1…L of
 * Φ(−B_t / (σ √t)). The uncertainty of the balance grows with √t because monthly errors add up
 * in variance; the max (rather than a union bound) keeps it a probability.
 *
 * `balances`: B_1…B_H of the projection, units. `sigma`: monthly demand σ, units. With σ = 0
 * the projection is certain: 1 if any of B_1…B_L is negative, else 0 (a zero balance is not a
 * stock-out).
 */
export function stockoutProbability(
  balances: ArrayLike<number>,
  sigma: number,
  leadTimeDays: number,
  horizon = balances.length,
): number {
  const months = Math.min(riskMonths(leadTimeDays, horizon), balances.length);
  let p = 0;
  for (let t = 1; t <= months; t++) {
    const b = balances[t - 1] as number;
    const pt = sigma > 0 ? normalCdf(-b / (sigma * Math.sqrt(t))) : b < 0 ? 1 : 0;
    if (pt > p) p = pt;
  }
  return p;
}

/** `high` at ≥ 0.5, `medium` at ≥ 0.2, else `low`. `probability` is a fraction. */
export function riskClass(probability: number): RiskClass {
  if (probability >= HIGH_RISK) return "high";
  if (probability >= MEDIUM_RISK) return "medium";
  return "low";
}
