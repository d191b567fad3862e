import { describe, expect, it } from "vitest";
import {
  inverseNormalCdf,
  mean,
  normalCdf,
  populationStdDev,
  sampleStdDev,
  sum,
} from "../../../api/domain/stats.js";

describe("moments", () => {
  it("sums and averages", () => {
    expect(sum([])).toBe(0);
    expect(sum(new Float64Array([1.5, 2.5]))).toBe(4);
    expect(mean([])).toBeNull();
    expect(mean([1, 2, 3, 4])).toBe(2.5);
  });

  it.each([
    // Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32 → sample √(32/7), population √(32/8) = 2
    { values: [2, 4, 4, 4, 5, 5, 7, 9], zeros: 0, sample: Math.sqrt(32 / 7), population: 2 },
    // 1, 3, 0, 0: mean 1, Σ(x − 1)² = 0+4+1+1 = 6 → sample √2, population √1.5
    { values: [1, 3], zeros: 2, sample: Math.SQRT2, population: Math.sqrt(1.5) },
    // 3, 0: mean 1.5 → population 1.5, sample 1.5·√2
    { values: [3], zeros: 1, sample: 1.5 * Math.SQRT2, population: 1.5 },
    // zeros only
    { values: [], zeros: 3, sample: 0, population: 0 },
    // no cancellation at large magnitudes
    { values: [1e9 + 1, 1e9 + 2, 1e9 + 3], zeros: 0, sample: 1, population: Math.sqrt(2 / 3) },
  ])("σ of $values with $zeros zeros", ({ values, zeros, sample, population }) => {
    expect(sampleStdDev(values, zeros)).toBeCloseTo(sample, 12);
    expect(populationStdDev(values, zeros)).toBeCloseTo(population, 12);
  });

  it("has no σ without enough values", () => {
    expect(sampleStdDev([])).toBeNull();
    expect(sampleStdDev([5])).toBeNull();
    expect(populationStdDev([])).toBeNull();
    expect(populationStdDev([5])).toBe(0);
  });
});

describe("Φ, the standard normal CDF", () => {
  // Reference values: 0.5·erfc(−x/√2) in double precision (Python's math.erfc).
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [-3, 0.0013498980316300957],
    [0.5, 0.6914624612740131],
    [-0.25, 0.4012936743170763],
    [2.5, 0.9937903346742238],
    [5, 0.9999997133484281],
    [7.5, 0.9999999999999681],
  ])("Φ(%d) = %d", (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-15);
  });

  it.each([
    [-6, 9.865876450377012e-10],
    [-7.1, 6.23784446333164e-13],
    [-8.5, 9.479534822203355e-18],
  ])("keeps relative precision in the lower tail: Φ(%d)", (x, expected) => {
    expect(Math.abs(normalCdf(x) / expected - 1)).toBeLessThan(1e-7);
  });

  it("is symmetric, monotone and saturates", () => {
    for (let x = -8; x <= 8; x += 0.137) {
      expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 14);
      expect(normalCdf(x + 0.01)).toBeGreaterThanOrEqual(normalCdf(x));
    }
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe("Φ⁻¹, the inverse", () => {
  // Reference values: Python's statistics.NormalDist().inv_cdf (Wichura AS241).
  it.each([
    [0.5, 0],
    [0.8, 0.8416212335729144],
    [0.9, 1.2815515655446008],
    [0.95, 1.6448536269514715],
    [0.975, 1.9599639845400536],
    [0.99, 2.3263478740408408],
    [0.999, 3.090232306167813],
    [0.02, -2.0537489106318225],
    [0.03, -1.8807936081512509],
    [0.5001, 0.0002506628300880075],
    [1e-5, -4.2648907939228256],
    [1e-9, -5.9978070150076865],
    [0.999999, 4.753424308817089],
  ])("Φ⁻¹(%d) = %d", (p, expected) => {
    expect(Math.abs(inverseNormalCdf(p) - expected)).toBeLessThan(1e-9);
  });

  it("inverts Φ across (0, 1)", () => {
    for (let p = 0.001; p < 1; p += 0.00731) {
      expect(normalCdf(inverseNormalCdf(p))).toBeCloseTo(p, 13);
    }
  });

  it("handles the ends and nonsense", () => {
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseNormalCdf(-0.1)).toBeNaN();
    expect(inverseNormalCdf(1.1)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });
});
