import { describe, expect, it } from "vitest";
import { damped, holt, ses } from "../../../../api/domain/forecast/index.js";

describe("ses", () => {
  it("matches the hand calculation with α = 0.5 and ℓ₀ = 10 on [10, 12, 11]", () => {
    // ŷ1 = ℓ0 = 10,   e = 0,  ℓ1 = 10 + 0.5·0 = 10
    // ŷ2 = 10,        e = 2,  ℓ2 = 10 + 0.5·2 = 11
    // ŷ3 = 11,        e = 0,  ℓ3 = 11
    // forecast: flat 11; SSE = 0² + 2² + 0² = 4
    const fit = ses([10, 12, 11], 3, { alpha: 0.5, l0: 10 });
    expect(fit.forecast).toEqual([11, 11, 11]);
    expect(fit.sse).toBeCloseTo(4, 12);
    expect(fit.params).toEqual({ alpha: 0.5, l0: 10 });
  });

  it("chooses the SSE-optimal initial level in closed form", () => {
    // With α = 0.5 the one-step errors are e_t = u_t − 0.5^t·ℓ0, where u is the error path
    // started from ℓ = 0: ŷ = 0, 5, 8.5 → u = [10, 7, 2.5].
    // ℓ0* = Σ u_t·0.5^t / Σ 0.5^(2t) = (10 + 3.5 + 0.625) / (1 + 0.25 + 0.0625) = 14.125 / 1.3125
    const l0 = 14.125 / 1.3125; // 10.76190…
    // With that start: e = [−0.7619, 1.6190, −0.1905], ℓ3 = 11.0952, SSE = 155.25 − 14.125·ℓ0*
    const fit = ses([10, 12, 11], 1, { alpha: 0.5 });
    expect(fit.params.l0).toBeCloseTo(l0, 10);
    expect(fit.sse).toBeCloseTo(155.25 - 14.125 * l0, 10);
    expect(fit.forecast[0]).toBeCloseTo(9.75 + 0.125 * l0, 10);
  });

  it("fits α: near 1 for a level shift, small for noise around a flat level", () => {
    const step = [10, 10, 10, 10, 10, 10, 30, 30, 30, 30, 30, 30];
    expect(ses(step).params.alpha).toBeGreaterThan(0.9);
    const noisy = [10, 12, 9, 11, 10, 12, 8, 11, 10, 9, 12, 10, 11, 9, 10, 12];
    expect(ses(noisy).params.alpha).toBeLessThan(0.2);
  });

  it("finds an SSE no worse than a fine grid over α", () => {
    const y = [42, 45, 39, 50, 48, 53, 47, 55, 58, 52, 60, 57];
    const fitted = ses(y).sse;
    let best = Number.POSITIVE_INFINITY;
    for (let a = 0.001; a < 1; a += 0.001) best = Math.min(best, ses(y, 1, { alpha: a }).sse);
    expect(fitted).toBeLessThanOrEqual(best * (1 + 1e-6));
  });

  it("handles the empty series and a single point", () => {
    expect(ses([], 2).forecast).toEqual([0, 0]);
    expect(ses([7], 2).forecast).toEqual([7, 7]);
  });
});

describe("holt", () => {
  it("matches the hand calculation with α = β = 0.5, ℓ₀ = 10, b₀ = 1 on [12, 13, 15]", () => {
    // t1: ŷ = 10 + 1 = 11,          e = 1,      ℓ = .5·12 + .5·11 = 11.5,
    //     b = .5·(11.5 − 10) + .5·1 = 1.25
    // t2: ŷ = 11.5 + 1.25 = 12.75,  e = .25,    ℓ = .5·13 + .5·12.75 = 12.875,
    //     b = .5·(12.875 − 11.5) + .5·1.25 = 1.3125
    // t3: ŷ = 14.1875,              e = .8125,  ℓ = .5·15 + .5·14.1875 = 14.59375,
    //     b = .5·(14.59375 − 12.875) + .5·1.3125 = 1.515625
    // forecasts: 14.59375 + 1.515625 = 16.109375, + 2·1.515625 = 17.625
    // SSE = 1 + .0625 + .66015625 = 1.72265625
    const fit = holt([12, 13, 15], 2, { alpha: 0.5, beta: 0.5, l0: 10, b0: 1 });
    expect(fit.forecast[0]).toBeCloseTo(16.109375, 12);
    expect(fit.forecast[1]).toBeCloseTo(17.625, 12);
    expect(fit.sse).toBeCloseTo(1.72265625, 12);
    expect(fit.params.phi).toBe(1);
  });

  it("continues an exact straight line", () => {
    const y = Array.from({ length: 12 }, (_, t) => 5 + 3 * t); // 5, 8, …, 38
    const fit = holt(y, 3);
    expect(fit.sse).toBeLessThan(1e-9);
    expect(fit.forecast[0]).toBeCloseTo(41, 6);
    expect(fit.forecast[2]).toBeCloseTo(47, 6);
  });
});

describe("damped", () => {
  it("matches the hand calculation with α = β = 0.5, φ = 0.9, ℓ₀ = 10, b₀ = 1 on [12, 13]", () => {
    // t1: ŷ = 10 + .9·1 = 10.9,  e = 1.1,  ℓ = .5·12 + .5·10.9 = 11.45,
    //     b = .5·(11.45 − 10) + .5·.9·1 = 1.175
    // t2: ŷ = 11.45 + .9·1.175 = 12.5075,  e = .4925,  ℓ = .5·13 + .5·12.5075 = 12.75375,
    //     b = .5·(12.75375 − 11.45) + .5·.9·1.175 = 1.180625
    // forecasts: 12.75375 + .9·1.180625 = 13.8163125;  + (.9 + .81)·1.180625 = 14.77261875
    // SSE = 1.1² + .4925² = 1.45255625
    const fit = damped([12, 13], 2, { alpha: 0.5, beta: 0.5, phi: 0.9, l0: 10, b0: 1 });
    expect(fit.forecast[0]).toBeCloseTo(13.8163125, 12);
    expect(fit.forecast[1]).toBeCloseTo(14.77261875, 12);
    expect(fit.sse).toBeCloseTo(1.45255625, 12);
  });

  it("fits φ within [0.8, 0.98] and levels off", () => {
    const y = [20, 24, 27, 31, 33, 36, 37, 39, 40, 41, 41.5, 42, 42.3, 42.5];
    const fit = damped(y, 24);
    expect(fit.params.phi).toBeGreaterThanOrEqual(0.8);
    expect(fit.params.phi).toBeLessThanOrEqual(0.98);
    const steps = fit.forecast.slice(1).map((f, i) => f - fit.forecast[i]!);
    expect(Math.abs(steps[22]!)).toBeLessThan(Math.abs(steps[0]!) + 1e-9);
  });

  it("never forecasts below zero on a collapsing series", () => {
    const falling = [100, 80, 61, 45, 30, 18, 9, 4, 2, 1];
    const fit = damped(falling, 12);
    expect(fit.forecast.every((f) => f >= 0 && Number.isFinite(f))).toBe(true);
    expect(holt(falling, 12).forecast.every((f) => f >= 0)).toBe(true);
  });
});
