import type { Series } from "./types.js";

/** Copies a series into a Float64Array, turning non-finite and negative values into 0. */
export function toFloat64(values: Series): Float64Array {
  const n = values.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    y[i] = Number.isFinite(v) && v > 0 ? v : 0;
  }
  return y;
}

/** Copies the first `h` values of a forecast buffer into a plain array, clamped at 0. */
export function toForecast(buf: Float64Array, h: number): number[] {
  const out = new Array<number>(h);
  for (let i = 0; i < h; i++) {
    const v = buf[i]!;
    out[i] = v > 0 && Number.isFinite(v) ? v : 0;
  }
  return out;
}

/** A valid horizon: a non-negative integer (defaults and bad input become `fallback`). */
export function horizonOf(h: number | undefined, fallback: number): number {
  if (h === undefined || !Number.isFinite(h) || h < 0) return fallback;
  return Math.floor(h);
}
