/**
 * Holt–Winters seasonal exponential smoothing (Winters 1960), additive and multiplicative
 * seasonality, linear trend, in the textbook component form with season length m:
 *
 *   additive        ŷ_t = ℓ + b + s_{t−m}
 *                   ℓ_t = α(y_t − s_{t−m}) + (1−α)(ℓ_{t−1} + b_{t−1})
 *                   s_t = γ(y_t − ℓ_t) + (1−γ)s_{t−m}
 *   multiplicative  ŷ_t = (ℓ + b)·s_{t−m}
 *                   ℓ_t = α(y_t / s_{t−m}) + (1−α)(ℓ_{t−1} + b_{t−1})
 *                   s_t = γ(y_t / ℓ_t) + (1−γ)s_{t−m}
 *   both            b_t = β(ℓ_t − ℓ_{t−1}) + (1−β)b_{t−1};  ŷ_{n+k} = (ℓ_n + k·b_n) ⊕ s
 *
 * Initial states follow Hyndman et al. (2008, §2.6.1): seasonal indices from a classical
 * decomposition of the first (up to three) full seasons, level and trend from a straight line
 * through the first seasons' adjusted values. α, β, γ minimise the in-sample one-step SSE
 * (grid start, then Nelder–Mead). Needs two full seasons; the multiplicative form needs a
 * strictly positive series.
 */
import { nelderMead } from "./optimize.js";
import { type SeasonalKind, seasonalIndices } from "./seasonality.js";
import { horizonOf, toFloat64, toForecast } from "./series.js";
import { DEFAULT_HORIZON, MONTHS_PER_YEAR, type ModelFit, type Series } from "./types.js";

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface HwState extends HoltWintersParams {
  kind: SeasonalKind;
  m: number;
  level: number;
  trend: number;
  /** Seasonal state after the last observation, by position t mod m. */
  season: Float64Array;
  sse: number;
}

/**
 * Heuristic initial states of y[0..n) into init = [ℓ₀, b₀, s_0 … s_{m−1}]. Returns false when
 * they cannot be formed (fewer than 2m points, or non-positive data for multiplicative).
 */
export function hwInit(
  y: Float64Array,
  n: number,
  m: number,
  kind: SeasonalKind,
  init: Float64Array,
): boolean {
  const seasons = Math.min(Math.floor(n / m), 3);
  if (seasons < 2) return false;
  const len = seasons * m;
  const s = init.subarray(2, 2 + m);
  if (!seasonalIndices(y, len, m, kind, s)) return false;
  // Least-squares line through the adjusted values of the first seasons.
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  for (let t = 0; t < len; t++) {
    const a = kind === "multiplicative" ? y[t]! / s[t % m]! : y[t]! - s[t % m]!;
    st += t;
    sy += a;
    stt += t * t;
    sty += t * a;
  }
  const slope = (len * sty - st * sy) / (len * stt - st * st);
  const intercept = (sy - slope * st) / len;
  // ℓ₀ + b₀ is the level of period 0.
  init[0] = intercept - slope;
  init[1] = slope;
  return true;
}

/**
 * One Holt–Winters pass over y[0..n); `season` (length m) receives the final seasonal state.
 * Writes [sse, ℓ_n, b_n] into res and returns the SSE (Infinity if the level collapses).
 */
export function hwPass(
  y: Float64Array,
  n: number,
  m: number,
  multiplicative: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  init: Float64Array,
  season: Float64Array,
  res: Float64Array,
): number {
  let l = init[0]!;
  let b = init[1]!;
  for (let j = 0; j < m; j++) season[j] = init[2 + j]!;
  let sse = 0;
  let j = 0;
  for (let t = 0; t < n; t++) {
    const s = season[j]!;
    const base = l + b;
    const yt = y[t]!;
    let ln: number;
    if (multiplicative) {
      const e = yt - base * s;
      sse += e * e;
      ln = alpha * (yt / s) + (1 - alpha) * base;
      if (!(ln > 0)) {
        res[0] = Number.POSITIVE_INFINITY;
        return Number.POSITIVE_INFINITY;
      }
      season[j] = gamma * (yt / ln) + (1 - gamma) * s;
    } else {
      const e = yt - base - s;
      sse += e * e;
      ln = alpha * (yt - s) + (1 - alpha) * base;
      season[j] = gamma * (yt - ln) + (1 - gamma) * s;
    }
    b = beta * (ln - l) + (1 - beta) * b;
    l = ln;
    j = j + 1 === m ? 0 : j + 1;
  }
  res[0] = sse;
  res[1] = l;
  res[2] = b;
  return sse;
}

const LOWER = [1e-4, 1e-4, 1e-4];
const UPPER = [0.9999, 0.9999, 0.9999];
const GRID_A = [0.1, 0.5];
const GRID_B = [0.01, 0.1];
const GRID_G = [0.05, 0.3];

/** Fits Holt–Winters to y[0..n); null when the initial states cannot be formed. */
export function fitHoltWinters(
  y: Float64Array,
  n: number,
  m: number,
  kind: SeasonalKind,
  fixed: Partial<HoltWintersParams> = {},
): HwState | null {
  const init = new Float64Array(2 + m);
  if (!hwInit(y, n, m, kind, init)) return null;
  const mult = kind === "multiplicative";
  const season = new Float64Array(m);
  const res = new Float64Array(3);
  const p = [fixed.alpha ?? Number.NaN, fixed.beta ?? Number.NaN, fixed.gamma ?? Number.NaN];
  const free: number[] = [];
  for (let i = 0; i < 3; i++) if (Number.isNaN(p[i]!)) free.push(i);
  if (free.length > 0) {
    const objective = (x: ArrayLike<number>) => {
      for (let i = 0; i < free.length; i++) p[free[i]!] = x[i]!;
      return hwPass(y, n, m, mult, p[0]!, p[1]!, p[2]!, init, season, res);
    };
    const grids = [GRID_A, GRID_B, GRID_G];
    const start = new Float64Array(free.length);
    const trial = new Float64Array(free.length);
    let bestF = Number.POSITIVE_INFINITY;
    const combos = free.reduce((acc, i) => acc * grids[i]!.length, 1);
    for (let c = 0; c < combos; c++) {
      let r = c;
      for (let k = 0; k < free.length; k++) {
        const g = grids[free[k]!]!;
        trial[k] = g[r % g.length]!;
        r = Math.floor(r / g.length);
      }
      const fx = objective(trial);
      if (fx < bestF) {
        bestF = fx;
        start.set(trial);
      }
    }
    const best = nelderMead(
      objective,
      start,
      free.map((i) => LOWER[i]!),
      free.map((i) => UPPER[i]!),
      { step: free.map(() => 0.1), maxEvals: 20 * free.length, relTol: 1e-4 },
    );
    for (let i = 0; i < free.length; i++) p[free[i]!] = best.x[i]!;
  }
  const [alpha, beta, gamma] = p as [number, number, number];
  const sse = hwPass(y, n, m, mult, alpha, beta, gamma, init, season, res);
  if (!Number.isFinite(sse)) return null;
  return { kind, m, alpha, beta, gamma, level: res[1]!, trend: res[2]!, season, sse };
}

/** Writes h forecasts of a fitted Holt–Winters model of a series of length n into out. */
export function hwForecastInto(s: HwState, n: number, h: number, out: Float64Array): void {
  for (let k = 0; k < h; k++) {
    const base = s.level + (k + 1) * s.trend;
    const idx = s.season[(n + k) % s.m]!;
    out[k] = s.kind === "multiplicative" ? base * idx : base + idx;
  }
}

function holtWinters(
  kind: SeasonalKind,
  values: Series,
  horizon: number,
  seasonLength: number,
  fixed: Partial<HoltWintersParams>,
): ModelFit<HoltWintersParams> | null {
  const y = toFloat64(values);
  const h = horizonOf(horizon, DEFAULT_HORIZON);
  const s = fitHoltWinters(y, y.length, seasonLength, kind, fixed);
  if (s === null) return null;
  const buf = new Float64Array(h);
  hwForecastInto(s, y.length, h, buf);
  const model = kind === "multiplicative" ? "holt_winters_multiplicative" : "holt_winters_additive";
  return {
    model,
    forecast: toForecast(buf, h),
    params: { alpha: s.alpha, beta: s.beta, gamma: s.gamma },
    sse: s.sse,
  };
}

/**
 * Additive Holt–Winters. Returns null when the series has fewer than two full seasons.
 * `fixed` pins any of α, β, γ (the others are fitted).
 */
export function holtWintersAdditive(
  values: Series,
  horizon = DEFAULT_HORIZON,
  seasonLength = MONTHS_PER_YEAR,
  fixed: Partial<HoltWintersParams> = {},
): ModelFit<HoltWintersParams> | null {
  return holtWinters("additive", values, horizon, seasonLength, fixed);
}

/**
 * Multiplicative Holt–Winters. Returns null when the series has fewer than two full seasons or
 * is not strictly positive.
 */
export function holtWintersMultiplicative(
  values: Series,
  horizon = DEFAULT_HORIZON,
  seasonLength = MONTHS_PER_YEAR,
  fixed: Partial<HoltWintersParams> = {},
): ModelFit<HoltWintersParams> | null {
  for (let i = 0; i < values.length; i++) if (!(values[i]! > 0)) return null;
  return holtWinters("multiplicative", values, horizon, seasonLength, fixed);
}
