import { describe, expect, it } from "vitest";
import { comb, damped, ses, theta } from "../../../../api/domain/forecast/index.js";

describe("theta", () => {
  it("is half the regression line plus half the SES of the θ = 2 line", () => {
    // x = [1, 3, 2, 4], t = 0…3: t̄ = 1.5, x̄ = 2.5,
    // slope = Σ(t − t̄)(x − x̄) / Σ(t − t̄)² = (2.25 − .25 − .25 + 2.25) / 5 = 0.8
    // intercept = 2.5 − 0.8·1.5 = 1.3 → line [1.3, 2.1, 2.9, 3.7]
    // θ = 2 line Z = 2x − line = [0.7, 3.9, 1.1, 4.3]
    // forecast_k = ½·(1.3 + 0.8·(3 + k)) + ½·SES(Z)
    const fit = theta([1, 3, 2, 4], 3);
    expect(fit.params.slope).toBeCloseTo(0.8, 12);
    expect(fit.params.intercept).toBeCloseTo(1.3, 12);
    expect(fit.params.seasonal).toBe(false);
    const level = ses([0.7, 3.9, 1.1, 4.3], 1).forecast[0]!;
    for (let k = 1; k <= 3; k++) {
      expect(fit.forecast[k - 1]).toBeCloseTo(0.5 * (1.3 + 0.8 * (3 + k)) + 0.5 * level, 6);
    }
  });

  it("on a straight line continues with half the slope (SES with drift b/2)", () => {
    // x = 1 + t: Z = x, SES(Z) ≈ the last value 5, forecast ≈ ½(5 + k) + ½·5 = 5 + k/2
    const fit = theta([1, 2, 3, 4, 5], 2);
    expect(fit.forecast[0]).toBeCloseTo(5.5, 2);
    expect(fit.forecast[1]).toBeCloseTo(6, 2);
  });

  it("deseasonalises a seasonal series multiplicatively and reapplies the pattern", () => {
    const pattern = [0.6, 0.7, 0.9, 1.1, 1.3, 1.4, 1.4, 1.3, 1.1, 0.9, 0.7, 0.6];
    const y = Array.from({ length: 48 }, (_, t) => 200 * pattern[t % 12]!);
    const fit = theta(y, 12);
    expect(fit.params.seasonal).toBe(true);
    for (let k = 0; k < 12; k++) expect(fit.forecast[k]).toBeCloseTo(200 * pattern[k]!, 4);
  });

  it("handles an empty series", () => {
    expect(theta([], 2).forecast).toEqual([0, 0]);
  });
});

describe("comb", () => {
  it("is the mean of SES, damped trend and Theta", () => {
    const y = [12, 15, 14, 18, 17, 21, 19, 23, 22, 26];
    const parts = [ses(y, 4).forecast, damped(y, 4).forecast, theta(y, 4).forecast];
    const fit = comb(y, 4);
    for (let k = 0; k < 4; k++) {
      expect(fit.forecast[k]).toBeCloseTo((parts[0]![k]! + parts[1]![k]! + parts[2]![k]!) / 3, 9);
    }
    expect(fit.sse).toBeNull();
  });
});
