import { describe, expect, it } from "vitest";
import { hwInit, hwPass } from "../../../../api/domain/forecast/holt-winters.js";
import { holtWintersAdditive, holtWintersMultiplicative } from "../../../../api/domain/forecast/index.js";

describe("Holt–Winters recursions (season length 2, α = β = γ = 0.5)", () => {
  it("additive matches the hand calculation", () => {
    // init ℓ0 = 10, b0 = 0, s = [−1, 1]; y = [10, 12]
    // t0: ŷ = 10 + 0 − 1 = 9, e = 1;  ℓ = .5·(10 + 1) + .5·10 = 10.5
    //     s0 = .5·(10 − 10.5) + .5·(−1) = −0.75;  b = .5·(10.5 − 10) + .5·0 = 0.25
    // t1: ŷ = 10.75 + 1 = 11.75, e = .25;  ℓ = .5·(12 − 1) + .5·10.75 = 10.875
    //     s1 = .5·(12 − 10.875) + .5·1 = 1.0625;  b = .5·(10.875 − 10.5) + .5·.25 = 0.3125
    // SSE = 1 + .0625 = 1.0625
    const season = new Float64Array(2);
    const res = new Float64Array(3);
    const init = Float64Array.from([10, 0, -1, 1]);
    const sse = hwPass(Float64Array.from([10, 12]), 2, 2, false, 0.5, 0.5, 0.5, init, season, res);
    expect(sse).toBeCloseTo(1.0625, 12);
    expect(res[1]).toBeCloseTo(10.875, 12);
    expect(res[2]).toBeCloseTo(0.3125, 12);
    expect(Array.from(season)).toEqual([-0.75, 1.0625]);
    // forecasts: h=1 (position 0) 10.875 + .3125 − .75 = 10.4375; h=2: 10.875 + .625 + 1.0625 = 12.5625
  });

  it("multiplicative matches the hand calculation", () => {
    // init ℓ0 = 10, b0 = 0, s = [0.9, 1.1]; y = [9, 13]
    // t0: ŷ = 10·0.9 = 9, e = 0;  ℓ = .5·(9/.9) + .5·10 = 10;  s0 = .5·(9/10) + .5·.9 = .9;  b = 0
    // t1: ŷ = 10·1.1 = 11, e = 2;  ℓ = .5·(13/1.1) + .5·10 = 120/11 = 10.90909…
    //     s1 = .5·(13·11/120) + .5·1.1 = 1.1458333…;  b = .5·(120/11 − 10) = 5/11
    // SSE = 4; forecasts: (120/11 + 5/11)·.9 = 10.2272…, (120/11 + 10/11)·1.1458333 = 13.5416…
    const season = new Float64Array(2);
    const res = new Float64Array(3);
    const init = Float64Array.from([10, 0, 0.9, 1.1]);
    const sse = hwPass(Float64Array.from([9, 13]), 2, 2, true, 0.5, 0.5, 0.5, init, season, res);
    expect(sse).toBeCloseTo(4, 12);
    expect(res[1]).toBeCloseTo(120 / 11, 12);
    expect(res[2]).toBeCloseTo(5 / 11, 12);
    expect(season[1]).toBeCloseTo(1.1458333333333333, 12);
  });
});

describe("holtWintersAdditive / holtWintersMultiplicative", () => {
  it("initialises from the decomposition and continues an exact additive pattern", () => {
    // y = [10, 20, 12, 22, 14, 24] (m = 2): indices [−4.5, 4.5], adjusted 14.5, 15.5, …, 19.5,
    // so ℓ0 = 13.5, b0 = 1 and every one-step error is 0. After t = 5: ℓ = 19.5, b = 1;
    // forecasts 20.5 − 4.5 = 16 and 21.5 + 4.5 = 26.
    const init = new Float64Array(4);
    expect(hwInit(Float64Array.from([10, 20, 12, 22, 14, 24]), 6, 2, "additive", init)).toBe(true);
    expect(Array.from(init).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([13.5, 1, -4.5, 4.5]);
    const fit = holtWintersAdditive([10, 20, 12, 22, 14, 24], 2, 2, { alpha: 0.5, beta: 0.5, gamma: 0.5 })!;
    expect(fit.sse).toBeCloseTo(0, 9);
    expect(fit.forecast[0]).toBeCloseTo(16, 9);
    expect(fit.forecast[1]).toBeCloseTo(26, 9);
  });

  it("fits a multiplicative monthly pattern with a trend", () => {
    const pattern = [0.7, 0.8, 1, 1.1, 1.2, 1.3, 1.3, 1.2, 1, 0.9, 0.8, 0.7];
    const y = Array.from({ length: 48 }, (_, t) => (100 + 2 * t) * pattern[t % 12]!);
    const fit = holtWintersMultiplicative(y, 12)!;
    for (let k = 0; k < 12; k++) {
      expect(fit.forecast[k]).toBeCloseTo((100 + 2 * (48 + k)) * pattern[k]!, 0);
    }
    for (const p of [fit.params.alpha, fit.params.beta, fit.params.gamma]) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it("returns null without two full seasons, or non-positive data for the multiplicative form", () => {
    expect(holtWintersAdditive(new Array(23).fill(5))).toBeNull();
    expect(holtWintersMultiplicative([0, ...new Array(35).fill(5)])).toBeNull();
  });
});
