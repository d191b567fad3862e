import { describe, expect, it } from "vitest";
import {
  centredMovingAverage,
  deseasonalize,
  reseasonalize,
  seasonalFTest,
  seasonalIndices,
  seasonalityTest,
  seasonalKindFor,
} from "../../../../api/domain/forecast/seasonality.js";

/** Deterministic pseudo-noise in [−1, 1). */
function noise(seed: number, n: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

describe("centredMovingAverage", () => {
  it("is the 2×m average for even m and NaN where the window does not fit", () => {
    // m = 4, t = 2: (½·1 + 2 + 3 + 4 + ½·5) / 4 = 3
    const ma = centredMovingAverage([1, 2, 3, 4, 5, 6], 6, 4);
    expect(Array.from(ma)).toEqual([Number.NaN, Number.NaN, 3, 4, Number.NaN, Number.NaN]);
    expect(Array.from(centredMovingAverage([1, 2, 6, 1], 4, 3))).toEqual([Number.NaN, 3, 3, Number.NaN]);
  });
});

describe("seasonalIndices", () => {
  it("additive, m = 2: centred 2×2 moving average, mean differences per position", () => {
    // y = [10, 20, 12, 22, 14, 24]; MA_t = (½y_{t−1} + y_t + ½y_{t+1}) / 2 for t = 1…4:
    // t=1: (5 + 20 + 6)/2 = 15.5 → 20 − 15.5 = 4.5 (position 1)
    // t=2: (10 + 12 + 11)/2 = 16.5 → −4.5 (position 0)
    // t=3: 17.5 → 4.5;  t=4: 18.5 → −4.5.  Indices [−4.5, 4.5] (already mean 0).
    const out = new Float64Array(2);
    expect(seasonalIndices([10, 20, 12, 22, 14, 24], 6, 2, "additive", out)).toBe(true);
    expect(out[0]).toBeCloseTo(-4.5, 12);
    expect(out[1]).toBeCloseTo(4.5, 12);
  });

  it("multiplicative: ratios to the moving average, normalised to mean 1", () => {
    // MA is 10 everywhere → ratios 0.8 and 1.2.
    const out = new Float64Array(2);
    expect(seasonalIndices([8, 12, 8, 12, 8, 12], 6, 2, "multiplicative", out)).toBe(true);
    expect(out[0]).toBeCloseTo(0.8, 12);
    expect(out[1]).toBeCloseTo(1.2, 12);
  });

  it("odd season length uses the plain centred average", () => {
    // m = 3, y = [1, 2, 3, 1, 2, 3]: MA = 2 at t = 1…4 → differences −0 … per position:
    // t=1 (pos 1): 0, t=2 (pos 2): 1, t=3 (pos 0): −1, t=4 (pos 1): 0
    const out = new Float64Array(3);
    expect(seasonalIndices([1, 2, 3, 1, 2, 3], 6, 3, "additive", out)).toBe(true);
    expect(Array.from(out).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-1, 0, 1]);
  });

  it("refuses too short a series and non-positive data for ratios", () => {
    const out = new Float64Array(12);
    expect(seasonalIndices([1, 2, 3], 3, 12, "additive", out)).toBe(false);
    const zeros = new Array(24).fill(0);
    expect(seasonalIndices(zeros, 24, 12, "multiplicative", out)).toBe(false);
  });

  it("deseasonalize and reseasonalize are inverse", () => {
    const idx = Float64Array.from([0.8, 1.2]);
    const adj = new Float64Array(4);
    deseasonalize([8, 12, 16, 24], 4, 2, "multiplicative", idx, adj);
    expect(Array.from(adj)).toEqual([10, 10, 20, 20]);
    const f = Float64Array.from([10, 10]);
    reseasonalize(f, 2, 4, 2, "multiplicative", idx); // periods 4 and 5 → positions 0 and 1
    expect(Array.from(f)).toEqual([8, 12]);
  });
});

describe("seasonality tests", () => {
  const e = noise(7, 60);
  const sine = (n: number) =>
    Array.from({ length: n }, (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 12) + 5 * e[t]!);

  it("the autocorrelation test finds a yearly cycle in five years of data", () => {
    expect(seasonalityTest(sine(60), 60, 12)).toBe(true);
    expect(seasonalKindFor(sine(60), 60, 12)).toBe("multiplicative");
    expect(seasonalKindFor([0, ...sine(60).slice(1)], 60, 12)).toBe("additive");
  });

  it("the autocorrelation test misses a smooth cycle over three years; the F-test finds it", () => {
    // r₁₂ of a sine over 36 points is about (36 − 12)/36 = 0.67, but the Bartlett bound
    // 1.645·√((1 + 2Σr_k²)/36) is inflated by the sine's own low-lag autocorrelations.
    expect(seasonalityTest(sine(36), 36, 12)).toBe(false);
    expect(seasonalFTest(sine(36), 36, 12)).toBe(true);
    expect(seasonalKindFor(sine(36), 36, 12, "anova")).toBe("multiplicative");
    expect(seasonalKindFor(sine(36), 36, 12, "either")).toBe("multiplicative");
  });

  it("neither flags noise, a trend, a constant or a short series", () => {
    const flat = Array.from({ length: 48 }, (_, t) => 100 + 10 * e[t]!);
    const trend = Array.from({ length: 36 }, (_, t) => 50 + 3 * t + 5 * e[t]!);
    for (const [y, n] of [
      [flat, 48],
      [trend, 36],
      [new Array(36).fill(5), 36],
      [sine(23), 23],
    ] as const) {
      expect(seasonalityTest(y, n, 12)).toBe(false);
      expect(seasonalFTest(y, n, 12)).toBe(false);
    }
    expect(seasonalKindFor(flat, 48, 12, "anova")).toBeNull();
  });
});
