/**
 * The few statistics the KPIs need. Inputs are `ArrayLike<number>` so callers can pass plain
 * arrays or typed arrays without copying.
 */

/** Sum of the values (0 for none). */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s;
}

/** Arithmetic mean; null for no values. */
export function mean(values: ArrayLike<number>): number | null {
  return values.length === 0 ? null : sum(values) / values.length;
}

/**
 * Σ(x − mean)² over the values, padded with `zeros` extra zero values. Two passes rather than
 * Σx² − n·mean², which cancels catastrophically for large, nearly equal values.
 */
function sumSquaredDeviations(values: ArrayLike<number>, zeros: number): { n: number; ss: number } {
  const n = values.length + zeros;
  if (n === 0) return { n, ss: 0 };
  const m = sum(values) / n;
  let ss = zeros * m * m;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] as number) - m;
    ss += d * d;
  }
  return { n, ss };
}

/**
 * Sample standard deviation (divides by n − 1); null for fewer than 2 values.
 * `zeros` appends that many zero values without allocating them: "missing months count as 0".
 */
export function sampleStdDev(values: ArrayLike<number>, zeros = 0): number | null {
  const { n, ss } = sumSquaredDeviations(values, zeros);
  return n < 2 ? null : Math.sqrt(ss / (n - 1));
}

/**
 * Population standard deviation (divides by n); null for no values.
 * `zeros` appends that many zero values without allocating them.
 */
export function populationStdDev(values: ArrayLike<number>, zeros = 0): number | null {
  const { n, ss } = sumSquaredDeviations(values, zeros);
  return n === 0 ? null : Math.sqrt(ss / n);
}

const SQRT_2PI = 2.5066282746310002;

/**
 * Standard normal cumulative distribution Φ(x), a probability in [0, 1].
 *
 * Hart's double-precision algorithm 5666 as published by G. West ("Better approximations to
 * cumulative normal functions", 2005): absolute error below 1e-15 over the real line. It
 * computes the lower tail directly, so Φ(−8) keeps a relative error near 1e-8, where 1 − Φ(8)
 * would be mostly rounding noise.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = Math.abs(x);
  let tail: number;
  if (z > 37) {
    tail = 0;
  } else {
    const e = Math.exp((-z * z) / 2);
    if (z < 7.07106781186547) {
      let num = 3.52624965998911e-2 * z + 0.700383064443688;
      num = num * z + 6.37396220353165;
      num = num * z + 33.912866078383;
      num = num * z + 112.079291497871;
      num = num * z + 221.213596169931;
      num = num * z + 220.206867912376;
      let den = 8.83883476483184e-2 * z + 1.75566716318264;
      den = den * z + 16.064177579207;
      den = den * z + 86.7807322029461;
      den = den * z + 296.564248779674;
      den = den * z + 637.333633378831;
      den = den * z + 793.826512519948;
      den = den * z + 440.413735824752;
      tail = (e * num) / den;
    } else {
      let b = z + 0.65;
      b = z + 4 / b;
      b = z + 3 / b;
      b = z + 2 / b;
      b = z + 1 / b;
      tail = e / b / SQRT_2PI;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/**
 * Inverse standard normal Φ⁻¹(p) for a probability p in (0, 1): the z of a service level.
 * Returns −∞ / +∞ at 0 / 1 and NaN outside [0, 1].
 *
 * P. J. Acklam's rational approximation (relative error 1.15e-9) followed by one Halley step
 * against {@link normalCdf}: about 1e-15 for service levels, 1e-10 at p = 1e-9. The step is
 * taken on the lower tail (p ≤ 0.5) and mirrored, so Φ(x) − p never subtracts two numbers
 * close to 1.
 */
export function inverseNormalCdf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -inverseNormalCdf(1 - p);
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
