/**
 * Croston's method (1972) for intermittent demand and the Syntetos–Boylan approximation (SBA,
 * 2005). Demand sizes z and the intervals p between demands are smoothed separately with the
 * same α, updated only in periods with demand:
 *
 *   on a demand y_t > 0, q periods after the previous one:  z ← z + α(y_t − z),  p ← p + α(q − p)
 *   forecast per period: Croston z/p;  SBA (1 − α/2)·z/p  (removes Croston's upward bias)
 *
 * Initialised with the first demand and its position (p₀ = index + 1). α minimises the one-step
 * SSE of the per-period forecast after the first demand (grid + golden section on
 * [0.01, 0.5], the usual range for intermittent demand). No demand at all forecasts 0.
 */
import { minimize1d } from "./optimize.js";
import { horizonOf, toFloat64, toForecast } from "./series.js";
import { DEFAULT_HORIZON, type ModelFit, type Series } from "./types.js";

export const CROSTON_ALPHA_MIN = 0.01;
export const CROSTON_ALPHA_MAX = 0.5;

export interface CrostonParams {
  alpha: number;
}

/**
 * One Croston pass over y[0..n); `sba` applies the (1 − α/2) correction. Writes [sse, per-period
 * forecast after the last observation] into res and returns the SSE.
 */
export function crostonPass(
  y: Float64Array,
  n: number,
  alpha: number,
  sba: boolean,
  res: Float64Array,
): number {
  let first = 0;
  while (first < n && !(y[first]! > 0)) first++;
  if (first === n) {
    res[0] = 0;
    res[1] = 0;
    return 0;
  }
  const k = sba ? 1 - alpha / 2 : 1;
  let z = y[first]!;
  let p = first + 1;
  let q = 1;
  let f = (k * z) / p;
  let sse = 0;
  for (let t = first + 1; t < n; t++) {
    const yt = y[t]!;
    const e = yt - f;
    sse += e * e;
    if (yt > 0) {
      z += alpha * (yt - z);
      p += alpha * (q - p);
      q = 1;
      f = (k * z) / p;
    } else {
      q++;
    }
  }
  res[0] = sse;
  res[1] = f;
  return sse;
}

/** Fits α for Croston (`sba` false) or SBA on y[0..n); returns α, the SSE and the forecast level. */
export function fitCroston(
  y: Float64Array,
  n: number,
  sba: boolean,
  alpha = Number.NaN,
): { alpha: number; sse: number; level: number } {
  const res = new Float64Array(2);
  let a = alpha;
  if (Number.isNaN(a)) {
    a = minimize1d((x) => crostonPass(y, n, x, sba, res), CROSTON_ALPHA_MIN, CROSTON_ALPHA_MAX, 6, 2e-3).x;
  }
  crostonPass(y, n, a, sba, res);
  return { alpha: a, sse: res[0]!, level: res[1]! };
}

function intermittent(
  model: "croston" | "sba",
  values: Series,
  horizon: number,
  fixed: Partial<CrostonParams>,
): ModelFit<CrostonParams> {
  const y = toFloat64(values);
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  const fit = fitCroston(y, y.length, model === "sba", fixed.alpha ?? Number.NaN);
  const buf = new Float64Array(h).fill(fit.level);
  return { model, forecast: toForecast(buf, h), params: { alpha: fit.alpha }, sse: fit.sse };
}

/** Croston's method: a flat per-period demand rate, smoothed size over smoothed interval. */
export function croston(
  values: Series,
  horizon = DEFAULT_HORIZON,
  fixed: Partial<CrostonParams> = {},
): ModelFit<CrostonParams> {
  return intermittent("croston", values, horizon, fixed);
}

/** Syntetos–Boylan approximation: Croston's rate times (1 − α/2). */
export function sba(
  values: Series,
  horizon = DEFAULT_HORIZON,
  fixed: Partial<CrostonParams> = {},
): ModelFit<CrostonParams> {
  return intermittent("sba", values, horizon, fixed);
}
