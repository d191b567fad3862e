import { describe, expect, it } from "vitest";
import { croston, sba } from "../../../../api/domain/forecast/index.js";

describe("croston and sba", () => {
  // y = [0, 4, 0, 0, 8], α = 0.5. First demand at index 1: z = 4, p = 1 + 1 = 2.
  // Croston: per-period forecast z/p = 2 for t = 2, 3, 4 → errors −2, −2, 6.
  // At t = 4 (demand 8, q = 3 periods since the last): z = 4 + .5·(8 − 4) = 6,
  // p = 2 + .5·(3 − 2) = 2.5 → forecast 6 / 2.5 = 2.4; SSE = 4 + 4 + 36 = 44.
  const y = [0, 4, 0, 0, 8];
  it("Croston matches the hand calculation", () => {
    const fit = croston(y, 2, { alpha: 0.5 });
    expect(fit.forecast[0]).toBeCloseTo(2.4, 12);
    expect(fit.forecast[1]).toBeCloseTo(2.4, 12);
    expect(fit.sse).toBeCloseTo(44, 12);
  });
  it("SBA scales by 1 − α/2", () => {
    // (1 − .25)·2 = 1.5 before the last demand: errors −1.5, −1.5, 6.5 → SSE 46.75;
    // afterwards .75·2.4 = 1.8.
    const fit = sba(y, 1, { alpha: 0.5 });
    expect(fit.forecast[0]).toBeCloseTo(1.8, 12);
    expect(fit.sse).toBeCloseTo(46.75, 12);
  });
  it("fits α within [0.01, 0.5] and forecasts about the demand rate", () => {
    const demand = [0, 0, 6, 0, 0, 5, 0, 0, 7, 0, 0, 6, 0, 0, 5, 0, 0, 7, 0, 0, 6, 0, 0, 6];
    const fit = croston(demand);
    expect(fit.params.alpha).toBeGreaterThanOrEqual(0.01);
    expect(fit.params.alpha).toBeLessThanOrEqual(0.5);
    expect(fit.forecast[0]).toBeGreaterThan(1.5);
    expect(fit.forecast[0]).toBeLessThan(2.5);
  });
  it("forecasts 0 without any demand", () => {
    expect(croston([0, 0, 0], 2).forecast).toEqual([0, 0]);
    expect(sba([], 2).forecast).toEqual([0, 0]);
  });
});
