/**
 * Short and intermittent histories in the automatic selection, against the models they fall
 * back to (whose own hand-worked values are pinned in their test files).
 */
import { describe, expect, it } from "vitest";
import { forecastSeries, naive, sba, ses } from "../../../../api/domain/forecast/index.js";

describe("forecastSeries on short histories", () => {
  it("five months: too short to hold anything out, so SES without a backtest", () => {
    // n = 5: H = min(12, ⌈5/3⌉ = 2, 5 − 6) < 2 → no backtest.
    const y = [120, 130, 125, 140, 135];
    const r = forecastSeries(y, { horizon: 4, candidates: true });
    expect(r).toMatchObject({
      model: "ses",
      members: ["ses"],
      backtestError: null,
      seasonal: false,
      candidates: [],
    });
    expect(r.forecast).toEqual(ses(y, 4).forecast);
  });

  it("two months of a new item repeat the last month", () => {
    expect(forecastSeries([0, 0, 0, 40, 55], { horizon: 3 })).toMatchObject({
      model: "naive",
      forecast: naive([40, 55], 3).forecast,
    });
  });

  it("under two years is never treated as seasonal, however seasonal it looks", () => {
    const y = Array.from({ length: 23 }, (_, t) => 100 + 50 * Math.sin((2 * Math.PI * t) / 12));
    expect(forecastSeries(y).seasonal).toBe(false);
  });

  it("nine months of an intermittent item: SBA without a backtest", () => {
    // From the first demand: 9 months, 4 with demand → 2.25 periods per demand ≥ 1.32.
    // H = min(12, 3, 9 − 6) = 3 ≥ 2, so Croston-type candidates are backtested and ranked by squared error.
    const y = [3, 0, 0, 4, 0, 2, 0, 0, 5];
    const r = forecastSeries(y, { horizon: 2, candidates: true });
    expect(r.intermittent).toBe(true);
    expect(r.candidates!.map((c) => c.model).sort()).toEqual(["croston", "naive", "sba", "ses"]);
    expect(r.members).toHaveLength(1);
    // Seven months: H = min(12, 3, 1) < 2 → the intermittent default, SBA.
    const short = [3, 0, 0, 4, 0, 2, 0];
    expect(forecastSeries(short, { horizon: 2 })).toMatchObject({
      model: "sba",
      backtestError: null,
      forecast: sba(short, 2).forecast,
    });
  });
});
