/**
 * Rolling-origin backtest without re-estimation (Tashman 2000): each model is fitted once on
 * the data before the holdout, then its recursion is run through the holdout with those
 * parameters, forecasting from every origin to the end of the series. This yields H origins
 * for the price of one fit, and no parameter ever sees a held-out value.
 *
 * Forecasts go into an H×H matrix `out`: row r holds the forecasts made at origin o₀ + r
 * (data y[0..o₀+r) known) for periods o₀ + r, o₀ + r + 1, …, n − 1; entry (r, k) is at
 * out[r·H + k].
 */
import { crostonPass, fitCroston } from "./croston.js";
import { fitSes, fitTrend } from "./exponential-smoothing.js";
import { fitHoltWinters } from "./holt-winters.js";
import type { SeasonalKind } from "./seasonality.js";
import { thetaInto } from "./theta.js";

/** Level/trend smoothers (SES: damped false and trend ≡ 0). */
export function rollEs(
  x: Float64Array,
  o0: number,
  n: number,
  model: "ses" | "holt" | "damped",
  out: Float64Array,
): void {
  const H = n - o0;
  const s = model === "ses" ? fitSes(x, o0) : fitTrend(x, o0, model === "damped");
  const alpha = s.alpha;
  const betaEc = s.alpha * s.beta;
  const phi = model === "ses" ? 0 : s.phi;
  let l = s.level;
  let b = model === "ses" ? 0 : s.trend;
  for (let t = o0; t < n; t++) {
    const row = (t - o0) * H;
    let damp = 0;
    let pw = 1;
    for (let k = 0; t + k < n; k++) {
      pw *= phi;
      damp += pw;
      out[row + k] = l + damp * b;
    }
    const f = l + phi * b;
    const e = x[t]! - f;
    l = f + alpha * e;
    b = phi * b + betaEc * e;
  }
}

/** Theta: regression line and SES smoothing of the θ = 2 line fixed at the first origin. */
export function rollTheta(x: Float64Array, o0: number, n: number, out: Float64Array): void {
  const H = n - o0;
  const fit = thetaInto(x, o0, 0, out);
  const { alpha, intercept, slope } = fit;
  let l = fit.level;
  for (let t = o0; t < n; t++) {
    const row = (t - o0) * H;
    for (let k = 0; t + k < n; k++) out[row + k] = 0.5 * (intercept + slope * (t + k)) + 0.5 * l;
    const z = 2 * x[t]! - (intercept + slope * t);
    l += alpha * (z - l);
  }
}

/** Holt–Winters; false when it cannot be fitted on y[0..o0). */
export function rollHoltWinters(
  y: Float64Array,
  o0: number,
  n: number,
  m: number,
  kind: SeasonalKind,
  out: Float64Array,
): boolean {
  const H = n - o0;
  const s = fitHoltWinters(y, o0, m, kind);
  if (s === null) return false;
  const mult = kind === "multiplicative";
  const { alpha, beta, gamma, season } = s;
  let l = s.level;
  let b = s.trend;
  for (let t = o0; t < n; t++) {
    const row = (t - o0) * H;
    for (let k = 0; t + k < n; k++) {
      const base = l + (k + 1) * b;
      const idx = season[(t + k) % m]!;
      out[row + k] = mult ? base * idx : base + idx;
    }
    const j = t % m;
    const sj = season[j]!;
    const yt = y[t]!;
    let ln: number;
    if (mult) {
      ln = alpha * (yt / sj) + (1 - alpha) * (l + b);
      if (!(ln > 0)) ln = 1e-9; // keep the recursion defined; such forecasts score badly anyway
      season[j] = gamma * (yt / ln) + (1 - gamma) * sj;
    } else {
      ln = alpha * (yt - sj) + (1 - alpha) * (l + b);
      season[j] = gamma * (yt - ln) + (1 - gamma) * sj;
    }
    b = beta * (ln - l) + (1 - beta) * b;
    l = ln;
  }
  return true;
}

/** Croston or SBA with α fixed at the first origin. */
export function rollCroston(y: Float64Array, o0: number, n: number, sba: boolean, out: Float64Array): void {
  const H = n - o0;
  const { alpha } = fitCroston(y, o0, sba);
  const res = new Float64Array(2);
  // The per-period rate after each origin; the pass is O(n), and H is small.
  for (let t = o0; t < n; t++) {
    crostonPass(y, t, alpha, sba, res);
    const row = (t - o0) * H;
    for (let k = 0; t + k < n; k++) out[row + k] = res[1]!;
  }
}

/** Naive: the last value known at each origin. */
export function rollNaive(y: Float64Array, o0: number, n: number, out: Float64Array): void {
  const H = n - o0;
  for (let t = o0; t < n; t++) {
    const row = (t - o0) * H;
    const last = t > 0 ? y[t - 1]! : 0;
    for (let k = 0; t + k < n; k++) out[row + k] = last;
  }
}

/** Seasonal naive (needs o0 ≥ m). */
export function rollSeasonalNaive(
  y: Float64Array,
  o0: number,
  n: number,
  m: number,
  out: Float64Array,
): void {
  const H = n - o0;
  for (let t = o0; t < n; t++) {
    const row = (t - o0) * H;
    for (let k = 0; t + k < n; k++) out[row + k] = y[t - m + (k % m)]!;
  }
}
