import { describe, expect, it } from "vitest";
import { actualsFallback, demandPlan, demandPlanSeries } from "../../../api/domain/demand-plan.js";

describe("demandPlan", () => {
  it.each([
    {
      name: "the latest consensus wins over older consensus and newer statistical",
      candidates: [
        { source: "consensus", cycle: "2025-11", units: 100 },
        { source: "consensus", cycle: "2025-12", units: 120 },
        { source: "statistical", cycle: "2026-01", units: 90 },
      ],
      expected: { units: 120, basis: "consensus" },
    },
    {
      name: "order does not matter",
      candidates: [
        { source: "statistical", cycle: "2026-01", units: 90 },
        { source: "consensus", cycle: "2025-12", units: 120 },
        { source: "consensus", cycle: "2025-11", units: 100 },
      ],
      expected: { units: 120, basis: "consensus" },
    },
    {
      name: "without consensus, the latest statistical; sales and marketing inputs are not plans",
      candidates: [
        { source: "statistical", cycle: "2025-11", units: 80 },
        { source: "statistical", cycle: "2025-12-01", units: 85 },
        { source: "sales", cycle: "2026-01", units: 200 },
        { source: "marketing", cycle: "2026-01", units: 210 },
      ],
      expected: { units: 85, basis: "statistical" },
    },
    {
      name: "a consensus of 0 is a plan, not a missing one",
      candidates: [
        { source: "consensus", cycle: "2025-12", units: 0 },
        { source: "statistical", cycle: "2025-12", units: 50 },
      ],
      expected: { units: 0, basis: "consensus" },
    },
    {
      name: "no forecast: the actuals fallback",
      candidates: [{ source: "sales", cycle: "2026-01", units: 200 }],
      expected: { units: 33, basis: "actuals" },
    },
  ])("$name", ({ candidates, expected }) => {
    expect(demandPlan(candidates, 33)).toEqual(expected);
  });
});

describe("actualsFallback", () => {
  it.each([
    { actuals: [30, 0, 60], expected: 30 },
    // missing months count as 0: one sale of 60 in three months plans 20 a month
    { actuals: [60], expected: 20 },
    { actuals: [], expected: 0 },
    // only P−2…P are averaged
    { actuals: [3, 6, 9, 1000], expected: 6 },
  ])("mean of $actuals over 3 months = $expected", ({ actuals, expected }) => {
    expect(actualsFallback(actuals)).toBe(expected);
  });
});

describe("demandPlanSeries", () => {
  it("applies the rule per month in one pass", () => {
    const plan = demandPlanSeries(
      "2026-01",
      3,
      [
        { period: "2026-01", source: "statistical", cycle: "2026-01", units: 90 },
        { period: "2026-01", source: "consensus", cycle: "2025-12", units: 100 },
        { period: "2026-01", source: "statistical", cycle: "2026-01", units: 95 },
        { period: "2026-02-01", source: "statistical", cycle: "2025-11", units: 70 },
        { period: "2026-02", source: "statistical", cycle: "2025-12", units: 75 },
        { period: "2026-02", source: "statistical", cycle: "2025-10", units: 60 },
        { period: "2026-04", source: "consensus", cycle: "2026-01", units: 999 },
        { period: "2025-12", source: "consensus", cycle: "2025-11", units: 999 },
      ],
      40,
    );
    // 2026-01: consensus; 2026-02: statistical of cycle 2025-12; 2026-03: fallback
    expect(plan).toEqual([100, 75, 40]);
  });

  it("is the fallback everywhere without forecasts", () => {
    expect(demandPlanSeries("2026-01", 2, [], 12.5)).toEqual([12.5, 12.5]);
    expect(demandPlanSeries("2026-01", 0, [], 12.5)).toEqual([]);
  });
});
