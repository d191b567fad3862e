import { fSurvival } from "./stats.js";

/**
 * Seasonality test and classical decomposition, as used by the Theta method in M3/M4:
 * a series is seasonal when its autocorrelation at the season lag is significant at 90%
 * (one-sided z = 1.645, Bartlett's standard error), and is then adjusted by seasonal indices
 * from a classical (centred moving average) decomposition.
 */

/** z for the one-sided 90% seasonality test of the M4 Theta benchmark. */
export const SEASONALITY_Z = 1.645;

/**
 * True when y[0..n) has significant autocorrelation at lag m:
 * |r_m| > z·√((1 + 2·Σ_{k<m} r_k²) / n). Needs n ≥ 2m and a non-constant series.
 */
export function seasonalityTest(y: ArrayLike<number>, n: number, m: number, z = SEASONALITY_Z): boolean {
  if (m < 2 || n < 2 * m) return false;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t]!;
  mean /= n;
  let denom = 0;
  for (let t = 0; t < n; t++) {
    const d = y[t]! - mean;
    denom += d * d;
  }
  if (!(denom > 1e-12 * (mean * mean * n + 1))) return false;
  let sumSq = 0;
  for (let k = 1; k < m; k++) {
    const r = acfAt(y, n, mean, denom, k);
    sumSq += r * r;
  }
  const rm = acfAt(y, n, mean, denom, m);
  return Math.abs(rm) > z * Math.sqrt((1 + 2 * sumSq) / n);
}

function acfAt(y: ArrayLike<number>, n: number, mean: number, denom: number, k: number): number {
  let s = 0;
  for (let t = 0; t + k < n; t++) s += (y[t]! - mean) * (y[t + k]! - mean);
  return s / denom;
}

export type SeasonalKind = "multiplicative" | "additive";

/** "acf": the autocorrelation test; "anova": the F-test of month effects; "either": one of them. */
export type SeasonalityTestName = "acf" | "anova" | "either";

/**
 * Centred moving average of order m of y[0..n) (for even m the 2×m average, half weights on
 * the two end values); NaN where the window does not fit.
 */
export function centredMovingAverage(y: ArrayLike<number>, n: number, m: number): Float64Array {
  const out = new Float64Array(n).fill(Number.NaN);
  const half = Math.floor(m / 2);
  let window = 0; // y[t − half] + … + y[t + half] (m + 1 values for even m, m for odd)
  const span = m % 2 === 0 ? m + 1 : m;
  if (n < span) return out;
  for (let i = 0; i < span; i++) window += y[i]!;
  for (let t = half; t + half < n; t++) {
    if (t > half) window += y[t + half]! - y[t - half - 1]!;
    out[t] = m % 2 === 0 ? (window - 0.5 * (y[t - half]! + y[t + half]!)) / m : window / m;
  }
  return out;
}

/**
 * One-way analysis of variance of the detrended series by season position: y_t divided by
 * (or, when not strictly positive, minus) its centred moving average of order m, grouped by
 * t mod m. True when the month effects are significant: P(F > f) < `pValue` (default 0.05).
 * Unlike the autocorrelation test it keeps its power on short series with smooth seasonal
 * shapes: a sine over three years fails the autocorrelation test, whose Bartlett bound grows
 * with the low-lag autocorrelations the seasonality itself causes. The moving-average
 * detrending makes the F-test liberal (on white noise of 36–72 points it fires about 8% of
 * the time at 0.05, 14% at 0.1), hence the stricter default. Needs n ≥ 2m + 2 to have any
 * within-month variation to compare against.
 */
export function seasonalFTest(y: ArrayLike<number>, n: number, m: number, pValue = 0.05): boolean {
  if (m < 2 || n < 2 * m) return false;
  let positive = true;
  for (let t = 0; t < n; t++) if (!(y[t]! > 0)) positive = false;
  const ma = centredMovingAverage(y, n, m);
  const sums = new Float64Array(m);
  const sq = new Float64Array(m);
  const counts = new Int32Array(m);
  let total = 0;
  let count = 0;
  for (let t = 0; t < n; t++) {
    const avg = ma[t]!;
    if (Number.isNaN(avg)) continue;
    const d = positive ? (avg > 0 ? y[t]! / avg : 1) : y[t]! - avg;
    const j = t % m;
    sums[j] = sums[j]! + d;
    sq[j] = sq[j]! + d * d;
    counts[j] = counts[j]! + 1;
    total += d;
    count++;
  }
  if (count <= m) return false;
  const grand = total / count;
  let between = 0;
  let within = 0;
  for (let j = 0; j < m; j++) {
    const c = counts[j]!;
    if (c === 0) return false;
    const mean = sums[j]! / c;
    between += c * (mean - grand) * (mean - grand);
    within += sq[j]! - c * mean * mean;
  }
  if (!(between > 1e-12 * (within + grand * grand * count))) return false;
  if (!(within > 0)) return true;
  const f = between / (m - 1) / (within / (count - m));
  return fSurvival(f, m - 1, count - m) < pValue;
}

/**
 * Classical decomposition's seasonal indices of y[0..n) (n ≥ 2m): the ratio (multiplicative)
 * or difference (additive) of each value to the centred moving average of order m (2×m for
 * even m), averaged per position t mod m and normalised to mean 1 (or 0). Index j applies to
 * every t with t mod m = j. Writes into `out` (length ≥ m) and returns false when the indices
 * cannot be formed (too short, or a non-positive average/index for the multiplicative kind).
 */
export function seasonalIndices(
  y: ArrayLike<number>,
  n: number,
  m: number,
  kind: SeasonalKind,
  out: Float64Array,
): boolean {
  if (n < 2 * m) return false;
  const sums = new Float64Array(m);
  const counts = new Int32Array(m);
  const ma = centredMovingAverage(y, n, m);
  for (let t = 0; t < n; t++) {
    const avg = ma[t]!;
    if (Number.isNaN(avg)) continue;
    const j = t % m;
    if (kind === "multiplicative") {
      if (!(avg > 0)) return false;
      sums[j] = sums[j]! + y[t]! / avg;
    } else {
      sums[j] = sums[j]! + (y[t]! - avg);
    }
    counts[j] = counts[j]! + 1;
  }
  let total = 0;
  for (let j = 0; j < m; j++) {
    if (counts[j] === 0) return false;
    const v = sums[j]! / counts[j]!;
    out[j] = v;
    total += v;
  }
  const avg = total / m;
  for (let j = 0; j < m; j++) {
    if (kind === "multiplicative") {
      const v = out[j]! / avg;
      if (!(v > 1e-6)) return false;
      out[j] = v;
    } else {
      out[j] = out[j]! - avg;
    }
  }
  return true;
}

/** Writes the seasonally adjusted y[0..n) into `out`. */
export function deseasonalize(
  y: ArrayLike<number>,
  n: number,
  m: number,
  kind: SeasonalKind,
  indices: Float64Array,
  out: Float64Array,
): void {
  for (let t = 0; t < n; t++) {
    const s = indices[t % m]!;
    out[t] = kind === "multiplicative" ? y[t]! / s : y[t]! - s;
  }
}

/** Re-applies seasonal indices to forecasts f[0..h) of periods n, n+1, … (in place). */
export function reseasonalize(
  f: Float64Array,
  h: number,
  n: number,
  m: number,
  kind: SeasonalKind,
  indices: Float64Array,
): void {
  for (let k = 0; k < h; k++) {
    const s = indices[(n + k) % m]!;
    f[k] = kind === "multiplicative" ? f[k]! * s : f[k]! + s;
  }
}

/**
 * The seasonal adjustment the M3/M4 Theta setup applies to y[0..n): null when the series is
 * not seasonal by `seasonalityTest`; multiplicative for strictly positive series (the
 * classical choice); additive otherwise, since ratios to zero are meaningless.
 */
export function seasonalKindFor(
  y: ArrayLike<number>,
  n: number,
  m: number,
  test: SeasonalityTestName = "acf",
): SeasonalKind | null {
  const seasonal =
    test === "acf"
      ? seasonalityTest(y, n, m)
      : test === "anova"
        ? seasonalFTest(y, n, m)
        : seasonalityTest(y, n, m) || seasonalFTest(y, n, m);
  if (!seasonal) return null;
  for (let t = 0; t < n; t++) if (!(y[t]! > 0)) return "additive";
  return "multiplicative";
}
