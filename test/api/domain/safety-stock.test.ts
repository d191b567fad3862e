import { describe, expect, it } from "vitest";
import {
  DAYS_PER_MONTH,
  demandSigma,
  leadTimeMonths,
  MIN_ERRORS_FOR_SIGMA,
  safetyStock,
} from "../../../api/domain/safety-stock.js";

describe("leadTimeMonths", () => {
  it.each([
    [30.4375, 1],
    [0, 0],
    [121.75, 4],
    [60, 60 / 30.4375],
  ])("%d days = %d months", (days, months) => {
    expect(leadTimeMonths(days)).toBeCloseTo(months, 12);
  });

  it("uses 365.25 / 12 days a month", () => {
    expect(DAYS_PER_MONTH).toBe(365.25 / 12);
  });
});

describe("demandSigma", () => {
  it("uses the errors when there are at least 6", () => {
    // mean 0, Σe² = 600, sample σ = √(600/5)
    const s = demandSigma([10, -10, 10, -10, 10, -10], [500, 0, 500]);
    expect(MIN_ERRORS_FOR_SIGMA).toBe(6);
    expect(s.basis).toBe("errors");
    expect(s.sigma).toBeCloseTo(Math.sqrt(120), 12);
  });

  it("falls back to the actuals, missing months as 0, with fewer errors", () => {
    // 12, 12, 12 + 9 zeros: mean 3, Σ(x − 3)² = 3·81 + 9·9 = 324, σ = √(324/11)
    const s = demandSigma([10, -10, 10, -10, 10], [12, 12, 12]);
    expect(s.basis).toBe("actuals");
    expect(s.sigma).toBeCloseTo(Math.sqrt(324 / 11), 12);
  });

  it("gives the same σ whether missing months are zeros or absent", () => {
    const padded = [12, 12, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(demandSigma([], padded).sigma).toBeCloseTo(demandSigma([], [12, 12, 12]).sigma, 12);
  });

  it("is 0 for a SKU that never sold or a window too short for σ", () => {
    expect(demandSigma([], [])).toEqual({ sigma: 0, basis: "actuals" });
    expect(demandSigma([], [0, 0, 0])).toEqual({ sigma: 0, basis: "actuals" });
    expect(demandSigma([], [5], 1)).toEqual({ sigma: 0, basis: "actuals" });
  });
});

describe("safetyStock", () => {
  it.each([
    // z(0.95) = 1.6448536 · σ 10 · √1
    { serviceLevel: 0.95, sigma: 10, leadTimeDays: 30.4375, expected: 16.448536269514722 },
    // z(0.90) = 1.2815516 · σ 20 · √4 = 51.2621
    { serviceLevel: 0.9, sigma: 20, leadTimeDays: 121.75, expected: 51.26206262178403 },
    // z(0.5) = 0: no buffer at a coin-flip service level
    { serviceLevel: 0.5, sigma: 20, leadTimeDays: 60, expected: 0 },
    { serviceLevel: 0.95, sigma: 0, leadTimeDays: 60, expected: 0 },
    { serviceLevel: 0.95, sigma: 10, leadTimeDays: 0, expected: 0 },
  ])(
    "z($serviceLevel) × $sigma × √LT($leadTimeDays days)",
    ({ serviceLevel, sigma, leadTimeDays, expected }) => {
      expect(safetyStock(serviceLevel, sigma, leadTimeDays)).toBeCloseTo(expected, 9);
    },
  );
});
