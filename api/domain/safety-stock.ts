/**
 * Safety stock and the demand uncertainty σ behind it (DOMAIN.md, "Safety stock").
 * σ is also what the stock-out probability uses, so both are computed from the same rule.
 */

import { inverseNormalCdf, sampleStdDev } from "./stats.js";

/** Average days per month (365.25 / 12): converts lead times to months. */
export const DAYS_PER_MONTH = 30.4375;

/** Consensus lag-1 errors needed before they, rather than the actuals, give σ. */
export const MIN_ERRORS_FOR_SIGMA = 6;

/** Lead time in months (fractional) from days. */
export function leadTimeMonths(leadTimeDays: number): number {
  return leadTimeDays / DAYS_PER_MONTH;
}

export interface DemandSigma {
  /** Monthly demand uncertainty, units per month (sample σ). */
  sigma: number;
  basis: "errors" | "actuals";
}

/**
 * σ of monthly demand for one SKU-location, units.
 *
 * The forecast errors measure what the plan cannot foresee, so they are preferred; with fewer
 * than 6 of them σ would be noise, and the variability of the actuals over P−11…P stands in.
 * `errors`: consensus lag-1 e = F − A over P−11…P (units). `actuals`: monthly units over the
 * window; months without a recorded sale may be omitted and count as 0 up to `windowMonths`.
 * A σ that cannot be computed (fewer than 2 values) is 0.
 */
export function demandSigma(
  errors: ArrayLike<number>,
  actuals: ArrayLike<number>,
  windowMonths = 12,
): DemandSigma {
  if (errors.length >= MIN_ERRORS_FOR_SIGMA) {
    return { sigma: sampleStdDev(errors) ?? 0, basis: "errors" };
  }
  const zeros = Math.max(0, windowMonths - actuals.length);
  return { sigma: sampleStdDev(actuals, zeros) ?? 0, basis: "actuals" };
}

/**
 * Safety stock in units: z × σ × √LT with z = Φ⁻¹(service level) and LT in months, because σ
 * is per month and independent monthly errors add up in variance.
 * `serviceLevel` is a fraction in [0.5, 1), `sigma` units per month, `leadTimeDays` days.
 */
export function safetyStock(serviceLevel: number, sigma: number, leadTimeDays: number): number {
  return inverseNormalCdf(serviceLevel) * sigma * Math.sqrt(leadTimeMonths(leadTimeDays));
}
