/**
 * "Comb": the equal-weight mean of SES, damped trend and Theta forecasts, each on the
 * seasonally adjusted series when the seasonality test says so. Combining a few robust
 * extrapolations is the M-competitions' most reliable finding (Makridakis & Hibon 2000; the
 * SES/Holt/damped "Comb S-H-D" benchmark), since the members' errors partly cancel.
 */
import { esForecastInto, fitSes, fitTrend } from "./exponential-smoothing.js";
import {
  deseasonalize,
  reseasonalize,
  type SeasonalityTestName,
  seasonalIndices,
  seasonalKindFor,
} from "./seasonality.js";
import { horizonOf, toFloat64, toForecast } from "./series.js";
import { thetaInto } from "./theta.js";
import { DEFAULT_HORIZON, MONTHS_PER_YEAR, type ModelFit, type Series } from "./types.js";

/**
 * Comb forecast (season length `seasonLength`, default 12; seasonality detected by
 * `seasonalityTest`, default the autocorrelation test as in M3). It fits no parameters of its
 * own, so `sse` is null. An empty series forecasts 0.
 */
export function comb(
  values: Series,
  horizon = DEFAULT_HORIZON,
  seasonLength = MONTHS_PER_YEAR,
  seasonalityTest: SeasonalityTestName = "acf",
): ModelFit<{ seasonal: boolean }, null> {
  const y = toFloat64(values);
  const n = y.length;
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  if (n === 0)
    return { model: "comb", forecast: new Array<number>(h).fill(0), params: { seasonal: false }, sse: null };
  const m = seasonLength;
  const kind = seasonalKindFor(y, n, m, seasonalityTest);
  const indices = new Float64Array(m);
  const seasonal = kind !== null && seasonalIndices(y, n, m, kind, indices);
  let x = y;
  if (seasonal) {
    x = new Float64Array(n);
    deseasonalize(y, n, m, kind, indices, x);
  }
  const a = new Float64Array(h);
  const b = new Float64Array(h);
  const c = new Float64Array(h);
  const s = fitSes(x, n);
  esForecastInto(s, h, a);
  const d = fitTrend(x, n, true);
  esForecastInto(d, h, b);
  thetaInto(x, n, h, c);
  for (let k = 0; k < h; k++) a[k] = (a[k]! + b[k]! + c[k]!) / 3;
  if (seasonal) reseasonalize(a, h, n, m, kind, indices);
  return { model: "comb", forecast: toForecast(a, h), params: { seasonal }, sse: null };
}
