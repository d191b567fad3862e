/** Names of the forecasting models, as stored and shown to users. */
export type ModelName =
  | "naive"
  | "seasonal_naive"
  | "ses"
  | "holt"
  | "damped"
  | "holt_winters_additive"
  | "holt_winters_multiplicative"
  | "theta"
  | "croston"
  | "sba"
  | "comb";

export const MODEL_NAMES: readonly ModelName[] = [
  "naive",
  "seasonal_naive",
  "ses",
  "holt",
  "damped",
  "holt_winters_additive",
  "holt_winters_multiplicative",
  "theta",
  "croston",
  "sba",
  "comb",
];

/** Months per year: the season length of monthly series. */
export const MONTHS_PER_YEAR = 12;

/** Default forecast horizon, in periods. */
export const DEFAULT_HORIZON = 12;

/**
 * The result of fitting one model to one series.
 * `forecast` holds `horizon` values in the series' units, clamped at 0 (demand is never
 * negative). `sse` is the in-sample sum of squared one-step errors the parameters minimise,
 * in squared units (0 when there is no one-step forecast, e.g. a single observation; null for
 * "comb", which fits nothing of its own).
 */
export interface ModelFit<P = Readonly<Record<string, number>>, S extends number | null = number> {
  model: ModelName;
  forecast: number[];
  params: P;
  sse: S;
}

/** Input series: non-negative numbers, oldest first (non-finite or negative values count as 0). */
export type Series = ArrayLike<number>;
