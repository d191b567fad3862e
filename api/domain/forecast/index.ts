/**
 * Statistical forecasting for monthly demand series: pure functions, no I/O.
 * `forecastSeries` picks a model per series by rolling-origin backtest; the model functions
 * can also be called directly.
 */

export { type BatchResult, forecastBatch, METHODS, membersOf, type SeriesBatch } from "./batch.js";
export { comb } from "./comb.js";
export { type CrostonParams, croston, sba } from "./croston.js";
export { damped, holt, type SesParams, ses, type TrendParams } from "./exponential-smoothing.js";
export { type HoltWintersParams, holtWintersAdditive, holtWintersMultiplicative } from "./holt-winters.js";
export { naive, seasonalNaive } from "./naive.js";
export {
  type SeasonalityTestName,
  type SeasonalKind,
  seasonalFTest,
  seasonalIndices,
  seasonalityTest,
} from "./seasonality.js";
export {
  type CandidateScore,
  DEFAULT_SELECTION,
  type ForecastMethod,
  type ForecastOptions,
  type ForecastResult,
  forecastSeries,
  type SelectionConfig,
} from "./select.js";
export { type ThetaParams, theta } from "./theta.js";
export {
  DEFAULT_HORIZON,
  MODEL_NAMES,
  MONTHS_PER_YEAR,
  type ModelFit,
  type ModelName,
  type Series,
} from "./types.js";
