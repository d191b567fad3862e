import { describe, expect, it } from "vitest";
import { fSurvival, incompleteBeta, logGamma } from "../../../../api/domain/forecast/stats.js";

describe("special functions", () => {
  it("logGamma", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
  it("incompleteBeta: I_0.5(2, 3) = 11/16, symmetric cases", () => {
    // I_x(2, 3) = Σ_{j=2}^{4} C(4, j) x^j (1 − x)^(4−j) = (6 + 4 + 1)/16 at x = ½
    expect(incompleteBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 12);
    expect(incompleteBeta(0.5, 7, 7)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });
  it("fSurvival matches tabulated critical values", () => {
    // F tables: F(0.95; 1, 10) = 4.965, F(0.95; 11, 24) = 2.216, F(0.99; 5, 20) = 4.103
    expect(fSurvival(4.965, 1, 10)).toBeCloseTo(0.05, 3);
    expect(fSurvival(2.216, 11, 24)).toBeCloseTo(0.05, 3);
    expect(fSurvival(4.103, 5, 20)).toBeCloseTo(0.01, 3);
    expect(fSurvival(0, 3, 4)).toBe(1);
  });
});
