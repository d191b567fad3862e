/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000), winner of the M3 competition, in its
 * standard form: the (seasonally adjusted) series is split into two theta lines, the linear
 * regression line (θ = 0) and the line with doubled local curvature (θ = 2),
 *
 *   Z_t = 2·x_t − (a + b·t),
 *
 * which is extrapolated by simple exponential smoothing; the forecast is their equal-weight
 * mean: ŷ_{n+k} = ½·(a + b·(n − 1 + k)) + ½·ℓ_n(Z). As in the M3/M4 setup, the series is first
 * divided by classical multiplicative seasonal indices when the 90% autocorrelation test finds
 * seasonality (see seasonality.ts), and the forecast multiplied back.
 */
import { fitSes } from "./exponential-smoothing.js";
import {
  deseasonalize,
  reseasonalize,
  type SeasonalityTestName,
  seasonalIndices,
  seasonalKindFor,
} from "./seasonality.js";
import { horizonOf, toFloat64, toForecast } from "./series.js";
import { DEFAULT_HORIZON, MONTHS_PER_YEAR, type ModelFit, type Series } from "./types.js";

export interface ThetaParams {
  /** SES smoothing of the θ = 2 line. */
  alpha: number;
  /** Regression line a + b·t (t = 0 for the first period), in adjusted units. */
  intercept: number;
  slope: number;
  /** Whether the series was seasonally adjusted. */
  seasonal: boolean;
}

/**
 * Writes the non-seasonal Theta forecast of x[0..n) (n ≥ 1) for h periods into out and
 * returns its parameters, the final level of the θ = 2 line and its SES one-step SSE.
 */
export function thetaInto(
  x: Float64Array,
  n: number,
  h: number,
  out: Float64Array,
): { alpha: number; intercept: number; slope: number; level: number; sse: number } {
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t]!;
  mean /= n;
  const tMean = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    const dt = t - tMean;
    sxy += dt * (x[t]! - mean);
    sxx += dt * dt;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = mean - slope * tMean;
  const z = new Float64Array(n);
  for (let t = 0; t < n; t++) z[t] = 2 * x[t]! - (intercept + slope * t);
  const s = fitSes(z, n);
  for (let k = 0; k < h; k++) out[k] = 0.5 * (intercept + slope * (n + k)) + 0.5 * s.level;
  return { alpha: s.alpha, intercept, slope, level: s.level, sse: s.sse };
}

/**
 * Theta forecast of a series (season length `seasonLength`, default 12), seasonally adjusted
 * when `seasonalityTest` says so (default: the autocorrelation test of the M3/M4 setup;
 * `forecastSeries` uses the F-test, which suits three-year histories better). An empty series
 * forecasts 0.
 */
export function theta(
  values: Series,
  horizon = DEFAULT_HORIZON,
  seasonLength = MONTHS_PER_YEAR,
  seasonalityTest: SeasonalityTestName = "acf",
): ModelFit<ThetaParams> {
  const y = toFloat64(values);
  const n = y.length;
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  if (n === 0) {
    const params = { alpha: 0.5, intercept: 0, slope: 0, seasonal: false };
    return { model: "theta", forecast: new Array<number>(h).fill(0), params, sse: 0 };
  }
  const m = seasonLength;
  const kind = seasonalKindFor(y, n, m, seasonalityTest);
  const indices = new Float64Array(m);
  const seasonal = kind !== null && seasonalIndices(y, n, m, kind, indices);
  let x = y;
  if (seasonal) {
    x = new Float64Array(n);
    deseasonalize(y, n, m, kind, indices, x);
  }
  const buf = new Float64Array(h);
  const fit = thetaInto(x, n, h, buf);
  if (seasonal) reseasonalize(buf, h, n, m, kind, indices);
  const params = { alpha: fit.alpha, intercept: fit.intercept, slope: fit.slope, seasonal };
  return { model: "theta", forecast: toForecast(buf, h), params, sse: fit.sse };
}
