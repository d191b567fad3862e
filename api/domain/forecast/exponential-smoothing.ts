/**
 * Exponential smoothing without seasonality: simple (SES), Holt's linear trend and the damped
 * trend, all additive-error one-step smoothers in the textbook component form:
 *
 *   forecast   ŷ_t = ℓ_{t−1} + φ·b_{t−1}
 *   level      ℓ_t = α·y_t + (1 − α)·(ℓ_{t−1} + φ·b_{t−1})
 *   trend      b_t = β·(ℓ_t − ℓ_{t−1}) + (1 − β)·φ·b_{t−1}
 *   h ahead    ŷ_{n+h} = ℓ_n + (φ + φ² + … + φ^h)·b_n
 *
 * SES has no trend (b ≡ 0); Holt has φ = 1; the damped trend fits φ in [0.8, 0.98].
 *
 * Fitting minimises the in-sample sum of squared one-step errors (SSE). The initial states
 * (ℓ₀, b₀) are not guessed: for fixed (α, β, φ) the recursions are linear in the data and the
 * initial states, so each one-step error is e_t = u_t + ℓ₀·p_t + b₀·q_t, where u, p and q come
 * from running the recursion once for the data with zero start, once for a unit level and once
 * for a unit trend. One pass accumulates the 2×2 normal equations, which give the SSE-optimal
 * (ℓ₀, b₀), the minimal SSE and (by the same linearity) the final states. The smoothing
 * parameters are then searched with a grid + golden section (SES) or Nelder–Mead.
 */
import { minimize1d, nelderMead } from "./optimize.js";
import { horizonOf, toFloat64, toForecast } from "./series.js";
import { DEFAULT_HORIZON, type ModelFit, type Series } from "./types.js";

/** Search box for the smoothing parameters. */
export const ALPHA_MIN = 1e-4;
export const ALPHA_MAX = 0.9999;
export const BETA_MIN = 1e-4;
export const BETA_MAX = 0.9999;
export const PHI_MIN = 0.8;
export const PHI_MAX = 0.98;

/** Fitted state of a level/trend smoother; `sse` is the in-sample one-step SSE. */
export interface EsState {
  alpha: number;
  beta: number;
  phi: number;
  l0: number;
  b0: number;
  /** Level and trend after the last observation. */
  level: number;
  trend: number;
  sse: number;
}

/**
 * One SES pass over y[0..n) with smoothing α. Writes [sse, ℓ₀, ℓ_n] into `res`. `fixedL0`
 * NaN means "use the SSE-optimal initial level".
 */
export function sesPass(
  y: Float64Array,
  n: number,
  alpha: number,
  fixedL0: number,
  res: Float64Array,
): number {
  // u: the recursion driven by the data from ℓ = 0; p: driven by a unit initial level, no data.
  let lu = 0;
  let lp = 1;
  let suu = 0;
  let sup = 0;
  let spp = 0;
  for (let t = 0; t < n; t++) {
    const eu = y[t]! - lu;
    const ep = -lp;
    suu += eu * eu;
    sup += eu * ep;
    spp += ep * ep;
    lu += alpha * eu;
    lp += alpha * ep;
  }
  let l0: number;
  let sse: number;
  if (Number.isNaN(fixedL0)) {
    l0 = spp > 0 ? -sup / spp : 0;
    sse = suu + l0 * sup;
  } else {
    l0 = fixedL0;
    sse = suu + 2 * l0 * sup + l0 * l0 * spp;
  }
  if (!(sse > 0)) sse = 0;
  res[0] = sse;
  res[1] = l0;
  res[2] = lu + l0 * lp;
  return sse;
}

/**
 * One level/trend pass (error-correction form, `betaEc` = α·β). Writes
 * [sse, ℓ₀, b₀, ℓ_n, b_n] into `res`; NaN fixed values mean "SSE-optimal".
 */
export function trendPass(
  y: Float64Array,
  n: number,
  alpha: number,
  betaEc: number,
  phi: number,
  fixedL0: number,
  fixedB0: number,
  res: Float64Array,
): number {
  let lu = 0;
  let bu = 0;
  let lp = 1;
  let bp = 0;
  let lq = 0;
  let bq = 1;
  let suu = 0;
  let sup = 0;
  let suq = 0;
  let spp = 0;
  let spq = 0;
  let sqq = 0;
  for (let t = 0; t < n; t++) {
    const fu = lu + phi * bu;
    const fp = lp + phi * bp;
    const fq = lq + phi * bq;
    const eu = y[t]! - fu;
    const ep = -fp;
    const eq = -fq;
    suu += eu * eu;
    sup += eu * ep;
    suq += eu * eq;
    spp += ep * ep;
    spq += ep * eq;
    sqq += eq * eq;
    lu = fu + alpha * eu;
    bu = phi * bu + betaEc * eu;
    lp = fp + alpha * ep;
    bp = phi * bp + betaEc * ep;
    lq = fq + alpha * eq;
    bq = phi * bq + betaEc * eq;
  }
  let l0 = fixedL0;
  let b0 = fixedB0;
  const freeL = Number.isNaN(l0);
  const freeB = Number.isNaN(b0);
  if (freeL && freeB) {
    const det = spp * sqq - spq * spq;
    if (det > 1e-10 * spp * sqq) {
      l0 = (-sup * sqq + suq * spq) / det;
      b0 = (-suq * spp + sup * spq) / det;
    } else {
      // Too few points to tell level from trend: start flat.
      b0 = 0;
      l0 = spp > 0 ? -sup / spp : 0;
    }
  } else if (freeL) {
    l0 = spp > 0 ? -(sup + b0 * spq) / spp : 0;
  } else if (freeB) {
    b0 = sqq > 0 ? -(suq + l0 * spq) / sqq : 0;
  }
  let sse = suu + 2 * (l0 * sup + b0 * suq) + l0 * l0 * spp + 2 * l0 * b0 * spq + b0 * b0 * sqq;
  if (!(sse > 0)) sse = 0;
  res[0] = sse;
  res[1] = l0;
  res[2] = b0;
  res[3] = lu + l0 * lp + b0 * lq;
  res[4] = bu + l0 * bp + b0 * bq;
  return sse;
}

/** Fits SES to y[0..n) (n ≥ 1). `alpha`/`l0` fix those parameters when given. */
export function fitSes(y: Float64Array, n: number, alpha = Number.NaN, l0 = Number.NaN): EsState {
  const res = new Float64Array(3);
  let a = alpha;
  if (Number.isNaN(a)) {
    a = n < 2 ? 0.5 : minimize1d((x) => sesPass(y, n, x, l0, res), ALPHA_MIN, ALPHA_MAX, 8, 1e-3).x;
  }
  sesPass(y, n, a, l0, res);
  return { alpha: a, beta: 0, phi: 0, l0: res[1]!, b0: 0, level: res[2]!, trend: 0, sse: res[0]! };
}

interface TrendFixed {
  alpha?: number;
  beta?: number;
  phi?: number;
  l0?: number;
  b0?: number;
}

/**
 * Fits a Holt (`damped` false, φ = 1) or damped-trend smoother to y[0..n) (n ≥ 1). Free
 * parameters start from the best point of a coarse grid and are refined by Nelder–Mead.
 */
export function fitTrend(y: Float64Array, n: number, damped: boolean, fixed: TrendFixed = {}): EsState {
  const res = new Float64Array(5);
  const l0 = fixed.l0 ?? Number.NaN;
  const b0 = fixed.b0 ?? Number.NaN;
  let alpha = fixed.alpha ?? Number.NaN;
  let beta = fixed.beta ?? Number.NaN;
  let phi = damped ? (fixed.phi ?? Number.NaN) : 1;
  if (n < 3) {
    // Two points fit exactly with any parameters; keep the defaults modest.
    if (Number.isNaN(alpha)) alpha = 0.5;
    if (Number.isNaN(beta)) beta = 0.1;
    if (Number.isNaN(phi)) phi = PHI_MAX;
  }
  // Free parameters in order alpha, beta, phi.
  const free: number[] = [];
  if (Number.isNaN(alpha)) free.push(0);
  if (Number.isNaN(beta)) free.push(1);
  if (Number.isNaN(phi)) free.push(2);
  if (free.length > 0) {
    const lower = [ALPHA_MIN, BETA_MIN, PHI_MIN];
    const upper = [ALPHA_MAX, BETA_MAX, PHI_MAX];
    const p = [alpha, beta, phi];
    const objective = (x: ArrayLike<number>) => {
      for (let i = 0; i < free.length; i++) p[free[i]!] = x[i]!;
      return trendPass(y, n, p[0]!, p[0]! * p[1]!, p[2]!, l0, b0, res);
    };
    // Coarse grid over the free coordinates for a starting point.
    const grid = [
      [0.1, 0.4, 0.8],
      [0.02, 0.2],
      [0.85, 0.95],
    ];
    const start = free.map((i) => grid[i]![0]!);
    let bestF = Number.POSITIVE_INFINITY;
    const idx = free.map(() => 0);
    const trial = new Float64Array(free.length);
    for (;;) {
      for (let k = 0; k < free.length; k++) trial[k] = grid[free[k]!]![idx[k]!]!;
      const fx = objective(trial);
      if (fx < bestF) {
        bestF = fx;
        for (let k = 0; k < free.length; k++) start[k] = trial[k]!;
      }
      let k = 0;
      while (k < free.length) {
        idx[k] = idx[k]! + 1;
        if (idx[k]! < grid[free[k]!]!.length) break;
        idx[k] = 0;
        k++;
      }
      if (k === free.length) break;
    }
    const best = nelderMead(
      objective,
      start,
      free.map((i) => lower[i]!),
      free.map((i) => upper[i]!),
      { step: free.map((i) => (i === 2 ? 0.05 : 0.1)), maxEvals: 20 * free.length, relTol: 1e-4 },
    );
    for (let i = 0; i < free.length; i++) p[free[i]!] = best.x[i]!;
    alpha = p[0]!;
    beta = p[1]!;
    phi = p[2]!;
  }
  trendPass(y, n, alpha, alpha * beta, phi, l0, b0, res);
  return { alpha, beta, phi, l0: res[1]!, b0: res[2]!, level: res[3]!, trend: res[4]!, sse: res[0]! };
}

/** Writes h forecasts of a fitted smoother into out[0..h). */
export function esForecastInto(s: EsState, h: number, out: Float64Array): void {
  let damp = 0;
  let pw = 1;
  for (let k = 0; k < h; k++) {
    pw *= s.phi;
    damp += pw;
    out[k] = s.level + damp * s.trend;
  }
}

export interface SesParams {
  alpha: number;
  l0: number;
}
export interface TrendParams {
  alpha: number;
  beta: number;
  phi: number;
  l0: number;
  b0: number;
}

function finish<P>(model: ModelFit["model"], s: EsState, h: number, params: P): ModelFit<P> {
  const buf = new Float64Array(h);
  esForecastInto(s, h, buf);
  return { model, forecast: toForecast(buf, h), params, sse: s.sse };
}

/**
 * Simple exponential smoothing: a flat forecast at the smoothed level. α and the initial
 * level ℓ₀ minimise the in-sample one-step SSE unless given. Empty input forecasts 0.
 */
export function ses(
  values: Series,
  horizon = DEFAULT_HORIZON,
  fixed: Partial<SesParams> = {},
): ModelFit<SesParams> {
  const y = toFloat64(values);
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  if (y.length === 0)
    return { model: "ses", forecast: new Array<number>(h).fill(0), params: { alpha: 0.5, l0: 0 }, sse: 0 };
  const s = fitSes(y, y.length, fixed.alpha ?? Number.NaN, fixed.l0 ?? Number.NaN);
  return finish("ses", s, h, { alpha: s.alpha, l0: s.l0 });
}

function trendModel(
  model: "holt" | "damped",
  values: Series,
  horizon: number,
  fixed: Partial<TrendParams>,
): ModelFit<TrendParams> {
  const y = toFloat64(values);
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  if (y.length === 0) {
    const params = { alpha: 0.5, beta: 0.1, phi: model === "holt" ? 1 : PHI_MAX, l0: 0, b0: 0 };
    return { model, forecast: new Array<number>(h).fill(0), params, sse: 0 };
  }
  const s = fitTrend(y, y.length, model === "damped", fixed);
  return finish(model, s, h, { alpha: s.alpha, beta: s.beta, phi: s.phi, l0: s.l0, b0: s.b0 });
}

/**
 * Holt's linear trend method (φ = 1): the forecast continues the smoothed trend. α, β and the
 * initial level and trend minimise the in-sample one-step SSE unless given.
 */
export function holt(
  values: Series,
  horizon = DEFAULT_HORIZON,
  fixed: Partial<Omit<TrendParams, "phi">> = {},
): ModelFit<TrendParams> {
  return trendModel("holt", values, horizon, fixed);
}

/**
 * Damped-trend exponential smoothing (Gardner & McKenzie): the trend fades geometrically with
 * φ in [0.8, 0.98], so long-horizon forecasts level off. α, β, φ, ℓ₀ and b₀ minimise the
 * in-sample one-step SSE unless given.
 */
export function damped(
  values: Series,
  horizon = DEFAULT_HORIZON,
  fixed: Partial<TrendParams> = {},
): ModelFit<TrendParams> {
  return trendModel("damped", values, horizon, fixed);
}
