import { describe, expect, it } from "vitest";
import { byDeviation, monthElapsed, sumBy, variance } from "../../../api/domain/variance.js";

describe("variance", () => {
  it.each([
    // 345 sold against 380 planned: 345 / 380 − 1 = −0.0921, within ±20%.
    {
      sums: { actualUnits: 345, planUnits: 380 },
      threshold: 0.2,
      elapsed: 1,
      deviation: -0.092105,
      flagged: false,
    },
    // 65 / 110 − 1 = −0.4091
    {
      sums: { actualUnits: 65, planUnits: 110 },
      threshold: 0.2,
      elapsed: 1,
      deviation: -0.409091,
      flagged: true,
    },
    // exactly at the threshold is not beyond it: 120 / 100 − 1 = 0.2
    {
      sums: { actualUnits: 120, planUnits: 100 },
      threshold: 0.2,
      elapsed: 1,
      deviation: 0.2,
      flagged: false,
    },
    // half the month gone: 61 sold against 100 × 0.5 = 50 planned to date → 61 / 50 − 1 = +22%
    {
      sums: { actualUnits: 61, planUnits: 100 },
      threshold: 0.2,
      elapsed: 0.5,
      deviation: 0.22,
      flagged: true,
    },
    // sold against a plan of 0: flagged, no ratio
    { sums: { actualUnits: 5, planUnits: 0 }, threshold: 0.2, elapsed: 1, deviation: null, flagged: true },
    // nothing planned, nothing sold
    { sums: { actualUnits: 0, planUnits: 0 }, threshold: 0.2, elapsed: 1, deviation: null, flagged: false },
  ])(
    "$sums.actualUnits vs $sums.planUnits at $elapsed of the month",
    ({ sums, threshold, elapsed, deviation, flagged }) => {
      const v = variance(sums, threshold, elapsed);
      if (deviation === null) expect(v.deviation).toBeNull();
      else expect(v.deviation).toBeCloseTo(deviation, 6);
      expect(v.flagged).toBe(flagged);
      expect(v.planToDate).toBe(sums.planUnits * elapsed);
    },
  );

  it("monthElapsed: the days before today over the month's days", () => {
    expect(monthElapsed("2026-01", "2026-01-16")).toBeCloseTo(15 / 31, 12);
    expect(monthElapsed("2026-01", "2026-01-01")).toBe(0);
    expect(monthElapsed("2024-02", "2024-02-29")).toBeCloseTo(28 / 29, 12);
    expect(monthElapsed("2025-12", "2026-01-16")).toBe(1);
    expect(monthElapsed("2026-02", "2026-01-16")).toBe(0);
  });

  it("sums by key and orders by the size of the deviation, either way", () => {
    const sums = sumBy(
      [
        { f: "A", actualUnits: 10, planUnits: 10 },
        { f: "B", actualUnits: 5, planUnits: 10 },
        { f: "A", actualUnits: 30, planUnits: 10 },
      ],
      (l) => l.f,
    );
    expect(Object.fromEntries(sums)).toEqual({
      A: { actualUnits: 40, planUnits: 20 },
      B: { actualUnits: 5, planUnits: 10 },
    });
    const list = [
      { key: "small", ...variance({ actualUnits: 9, planUnits: 10 }, 0.2) },
      { key: "down", ...variance({ actualUnits: 4, planUnits: 10 }, 0.2) },
      { key: "up", ...variance({ actualUnits: 17, planUnits: 10 }, 0.2) },
      { key: "unplanned", ...variance({ actualUnits: 3, planUnits: 0 }, 0.2) },
    ].sort(byDeviation);
    expect(list.map((v) => v.key)).toEqual(["unplanned", "up", "down", "small"]);
  });
});
