/**
 * Benchmarks every forecast must beat: the naive forecast (the last value, repeated) and the
 * seasonal naive forecast (the value one season earlier).
 */
import { horizonOf, toFloat64, toForecast } from "./series.js";
import { DEFAULT_HORIZON, MONTHS_PER_YEAR, type ModelFit, type Series } from "./types.js";

/** Writes the naive forecast of y[0..n) for h periods: ŷ_{n+k} = y_n. Returns the one-step SSE. */
export function naiveInto(y: Float64Array, n: number, h: number, out: Float64Array): number {
  const last = n > 0 ? y[n - 1]! : 0;
  for (let k = 0; k < h; k++) out[k] = last;
  let sse = 0;
  for (let t = 1; t < n; t++) {
    const e = y[t]! - y[t - 1]!;
    sse += e * e;
  }
  return sse;
}

/**
 * Writes the seasonal naive forecast of y[0..n): ŷ_{n+k} = y_{n+k−m·⌈k/m⌉}, the same month of
 * the last observed season. With less than one season it is the naive forecast.
 * Returns the one-step SSE (errors y_t − y_{t−m}).
 */
export function seasonalNaiveInto(
  y: Float64Array,
  n: number,
  m: number,
  h: number,
  out: Float64Array,
): number {
  if (n < m) return naiveInto(y, n, h, out);
  for (let k = 0; k < h; k++) out[k] = y[n - m + (k % m)]!;
  let sse = 0;
  for (let t = m; t < n; t++) {
    const e = y[t]! - y[t - m]!;
    sse += e * e;
  }
  return sse;
}

/** Naive forecast: every future period equals the last observation (0 for an empty series). */
export function naive(values: Series, horizon = DEFAULT_HORIZON): ModelFit<Record<string, never>> {
  const y = toFloat64(values);
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  const buf = new Float64Array(h);
  const sse = naiveInto(y, y.length, h, buf);
  return { model: "naive", forecast: toForecast(buf, h), params: {}, sse };
}

/**
 * Seasonal naive forecast: each future period repeats the same period of the last season
 * (season length `seasonLength`, default 12). Falls back to naive with less than one season.
 */
export function seasonalNaive(
  values: Series,
  horizon = DEFAULT_HORIZON,
  seasonLength = MONTHS_PER_YEAR,
): ModelFit<{ seasonLength: number }> {
  const y = toFloat64(values);
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  const buf = new Float64Array(h);
  const sse = seasonalNaiveInto(y, y.length, seasonLength, h, buf);
  return { model: "seasonal_naive", forecast: toForecast(buf, h), params: { seasonLength }, sse };
}
