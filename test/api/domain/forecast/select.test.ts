import { describe, expect, it } from "vitest";
import { forecastSeries, type ModelName } from "../../../../api/domain/forecast/index.js";

/** Deterministic pseudo-noise in [−1, 1). */
function noise(seed: number, n: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

const SEASONAL_MODELS: ModelName[] = [
  "seasonal_naive",
  "holt_winters_additive",
  "holt_winters_multiplicative",
];
const e = noise(3, 60);
const pattern = [0.6, 0.65, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.1, 1.0, 1.2, 1.75];

function expectSane(forecast: number[], h: number) {
  expect(forecast).toHaveLength(h);
  for (const f of forecast) {
    expect(Number.isFinite(f)).toBe(true);
    expect(f).toBeGreaterThanOrEqual(0);
  }
}

describe("forecastSeries: selection", () => {
  it("forecasts a seasonal series with the seasonal pattern", () => {
    // Three years, a December peak, 0.5% growth a month, ±3% noise.
    const y = Array.from(
      { length: 36 },
      (_, t) => 200 * (1 + 0.005 * t) * pattern[t % 12]! * (1 + 0.03 * e[t]!),
    );
    const r = forecastSeries(y, { candidates: true });
    expect(r.seasonal).toBe(true);
    expect(r.intermittent).toBe(false);
    expectSane(r.forecast, 12);
    // The candidates are the seasonal ones: no plain naive.
    expect(r.candidates!.map((c) => c.model)).not.toContain("naive");
    expect(r.candidates!.map((c) => c.model)).toEqual(expect.arrayContaining(SEASONAL_MODELS));
    // Within 10% of the true continuation in every month, peak in December.
    for (let k = 0; k < 12; k++) {
      const truth = 200 * (1 + 0.005 * (36 + k)) * pattern[k]!;
      expect(Math.abs(r.forecast[k]! - truth) / truth).toBeLessThan(0.1);
    }
    expect(r.forecast.indexOf(Math.max(...r.forecast))).toBe(11);
    expect(r.backtestError).toBeGreaterThan(0);
    expect(r.backtestError).toBeLessThan(0.05);
  });

  it("picks a seasonal model alone when it is clearly best", () => {
    // An exactly repeating year: seasonal naive is perfect and, being listed first among the
    // perfect candidates, wins the tie.
    const y = Array.from({ length: 36 }, (_, t) => 100 * pattern[t % 12]!);
    const r = forecastSeries(y);
    expect(r.model).toBe("seasonal_naive");
    expect(r.members).toEqual(["seasonal_naive"]);
    expect(r.backtestError).toBe(0);
    r.forecast.forEach((f, k) => {
      expect(f).toBeCloseTo(100 * pattern[k]!, 9);
    });
  });

  it("picks a trend model for a trending series", () => {
    const y = Array.from({ length: 36 }, (_, t) => 100 + 5 * t + 3 * e[t]!);
    const r = forecastSeries(y, { candidates: true });
    expect(r.seasonal).toBe(false);
    expect(["damped", "theta", "comb"]).toContain(r.members[0]);
    expect(r.model).toBe("damped");
    expectSane(r.forecast, 12);
    // Keeps climbing from about the next value on the line (280).
    expect(r.forecast[0]).toBeGreaterThan(270);
    expect(r.forecast[11]! - r.forecast[0]!).toBeGreaterThan(0.5 * 5 * 11);
  });

  it("picks Croston or SBA for an intermittent series", () => {
    const y = [
      4, 4, 3, 0, 7, 0, 6, 7, 2, 0, 0, 0, 0, 6, 0, 0, 0, 0, 5, 0, 7, 0, 0, 7, 0, 0, 4, 5, 0, 0, 0, 3, 0, 0, 2,
      2,
    ];
    const r = forecastSeries(y, { candidates: true });
    expect(r.intermittent).toBe(true);
    expect(["croston", "sba"]).toContain(r.model);
    expect(
      r
        .candidates!.map((c) => c.model)
        .slice()
        .sort(),
    ).toEqual(["croston", "naive", "sba", "ses"]);
    // About the demand rate: 84 units over 36 months.
    expect(r.forecast[0]).toBeGreaterThan(1);
    expect(r.forecast[0]).toBeLessThan(4);
    expect(new Set(r.forecast).size).toBe(1);
  });

  it("pools the three best when none clearly wins", () => {
    const y = Array.from({ length: 48 }, (_, t) => 100 + 15 * e[t]! + 10 * e[t + 1]!);
    const r = forecastSeries(y, { candidates: true });
    expect(r.model).toBe("ensemble");
    expect(r.members).toHaveLength(3);
    expect(r.members).toEqual(r.candidates!.slice(0, 3).map((c) => c.model));
  });

  it("restricts the candidates to `models`", () => {
    const y = Array.from({ length: 36 }, (_, t) => 100 + 5 * t + 3 * e[t]!);
    expect(forecastSeries(y, { models: ["ses"] }).model).toBe("ses");
    const hw = forecastSeries(y, { models: ["holt_winters_additive", "holt"], candidates: true });
    // Not seasonal: Holt–Winters does not apply, Holt does.
    expect(hw.model).toBe("holt");
    expect(hw.candidates!.map((c) => c.model)).toEqual(["holt"]);
  });
});

describe("forecastSeries: short, empty and degenerate series", () => {
  const base = Array.from({ length: 23 }, (_, t) => 50 + 20 * pattern[t % 12]! + 5 * e[t]!);
  it.each([0, 1, 2, 13, 23])("length %i: no seasonal model, sane numbers", (n) => {
    const r = forecastSeries(base.slice(0, n), { candidates: true });
    expectSane(r.forecast, 12);
    expect(r.seasonal).toBe(false);
    for (const m of r.members) expect(SEASONAL_MODELS).not.toContain(m);
    if (r.backtestError !== null) expect(Number.isFinite(r.backtestError)).toBe(true);
  });

  it("empty → zeros; one or two points → the last value", () => {
    expect(forecastSeries([], { horizon: 3 })).toMatchObject({
      model: "naive",
      forecast: [0, 0, 0],
      backtestError: null,
    });
    expect(forecastSeries([7], { horizon: 2 }).forecast).toEqual([7, 7]);
    expect(forecastSeries([7, 9], { horizon: 2 }).forecast).toEqual([9, 9]);
  });

  it("all zeros forecast zeros, a constant forecasts the constant", () => {
    expect(forecastSeries(new Array(36).fill(0)).forecast).toEqual(new Array(12).fill(0));
    const c = forecastSeries(new Array(30).fill(42));
    c.forecast.forEach((f) => {
      expect(f).toBeCloseTo(42, 9);
    });
    expect(c.backtestError).toBeCloseTo(0, 9);
  });

  it("drops leading zeros before a launch", () => {
    const y = [...new Array(20).fill(0), ...Array.from({ length: 16 }, (_, t) => 30 + 2 * t)];
    const r = forecastSeries(y);
    expect(r.intermittent).toBe(false);
    expect(r.forecast[0]).toBeGreaterThan(55);
  });

  it("never forecasts below zero, even for a collapsing series", () => {
    const y = Array.from({ length: 36 }, (_, t) => Math.max(0, 500 - 16 * t));
    expectSane(forecastSeries(y).forecast, 12);
    const models: ModelName[] = ["holt", "damped", "theta", "ses", "naive", "comb"];
    for (const m of models) expectSane(forecastSeries(y, { models: [m] }).forecast, 12);
  });

  it("treats NaN, infinite and negative values as 0 and respects the horizon", () => {
    const r = forecastSeries([5, Number.NaN, 7, -3, Number.POSITIVE_INFINITY, 6, 8, 7, 9], { horizon: 5 });
    expectSane(r.forecast, 5);
    expect(forecastSeries([1, 2, 3, 4], { horizon: 0 }).forecast).toEqual([]);
    expectSane(forecastSeries([1, 2, 3, 4], { horizon: 24 }).forecast, 24);
  });

  it("survives random series of every shape", () => {
    const u = noise(11, 20_000).map((v) => (v + 1) / 2);
    let i = 0;
    const next = () => u[i++ % u.length]!;
    for (let s = 0; s < 150; s++) {
      const n = Math.floor(next() * 60);
      const scale = 10 ** Math.floor(next() * 7);
      const zeros = next();
      const y = Array.from({ length: n }, () => (next() < zeros ? 0 : Math.round(scale * next())));
      const r = forecastSeries(y, { candidates: true });
      expectSane(r.forecast, 12);
      if (r.backtestError !== null) expect(r.backtestError).toBeGreaterThanOrEqual(0);
    }
  });
});
