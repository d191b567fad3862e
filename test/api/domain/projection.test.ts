import { describe, expect, it } from "vitest";
import {
  DEFAULT_HORIZON,
  daysOfSupply,
  orderByDate,
  projectBalance,
  projectionStart,
  valueAtRisk,
} from "../../../api/domain/projection.js";

const balances = (p: ReturnType<typeof projectBalance>) => p.rows.map((r) => r.balance);

describe("projectionStart", () => {
  it.each([
    ["2025-12-31", "2026-01"],
    ["2025-12-15", "2025-12"],
    ["2025-12-01", "2025-12"],
    ["2024-02-28", "2024-02"],
    ["2024-02-29", "2024-03"],
    ["2025-02-28", "2025-03"],
  ])("a snapshot of %s projects from %s", (asOf, expected) => {
    expect(projectionStart(asOf)).toBe(expected);
  });
});

describe("projectBalance", () => {
  it("starts the month after a month-end snapshot with its full demand", () => {
    const p = projectBalance({
      onHand: 100,
      asOf: "2025-12-31",
      demand: [30, 30, 30],
      supply: [],
      horizon: 3,
    });
    expect(p.firstPeriod).toBe("2026-01");
    expect(p.firstMonthFraction).toBe(1);
    expect(p.rows).toEqual([
      { period: "2026-01", demand: 30, supply: 0, balance: 70 },
      { period: "2026-02", demand: 30, supply: 0, balance: 40 },
      { period: "2026-03", demand: 30, supply: 0, balance: 10 },
    ]);
    expect(p.firstStockoutPeriod).toBeNull();
    expect(p.shortageUnits).toBe(0);
  });

  it.each([
    // 31 − 15 = 16 days of January left: 31 × 16/31 = 16
    { asOf: "2026-01-15", demand: 31, fraction: 16 / 31, firstDemand: 16 },
    // the 1st has 30 of 31 days after it
    { asOf: "2026-03-01", demand: 62, fraction: 30 / 31, firstDemand: 60 },
    // leap February: 29 − 10 = 19 days left
    { asOf: "2024-02-10", demand: 29, fraction: 19 / 29, firstDemand: 19 },
    // non-leap February: 28 − 10 = 18
    { asOf: "2025-02-10", demand: 28, fraction: 18 / 28, firstDemand: 18 },
    // the day before the leap day leaves one day
    { asOf: "2024-02-28", demand: 29, fraction: 1 / 29, firstDemand: 1 },
  ])(
    "pro-rates the first month after a mid-month snapshot of $asOf",
    ({ asOf, demand, fraction, firstDemand }) => {
      const p = projectBalance({ onHand: 100, asOf, demand: [demand, 10], supply: [], horizon: 2 });
      expect(p.firstPeriod).toBe(asOf.slice(0, 7));
      expect(p.firstMonthFraction).toBeCloseTo(fraction, 12);
      expect(p.rows[0]!.demand).toBeCloseTo(firstDemand, 12);
      expect(p.rows[0]!.balance).toBeCloseTo(100 - firstDemand, 12);
      // the second month is never pro-rated
      expect(p.rows[1]!.demand).toBe(10);
      expect(p.rows[1]!.balance).toBeCloseTo(90 - firstDemand, 12);
    },
  );

  it("buckets supply: late or on d0 into the first month, after the horizon nowhere", () => {
    const p = projectBalance({
      onHand: 0,
      asOf: "2025-12-31",
      demand: [0, 0, 0],
      supply: [
        { due: "2025-11-20", units: 1 }, // long overdue
        { due: "2025-12-20", units: 2 }, // overdue
        { due: "2025-12-31", units: 4 }, // due on d0
        { due: "2026-01-01", units: 8 },
        { due: "2026-02-28", units: 16 },
        { due: "2026-03-31", units: 32 }, // last day of the horizon
        { due: "2026-04-01", units: 64 }, // after it
      ],
      horizon: 3,
    });
    expect(p.rows.map((r) => r.supply)).toEqual([15, 16, 32]);
    expect(balances(p)).toEqual([15, 31, 63]);
  });

  it("puts supply due after a mid-month d0 in that same first month", () => {
    // 16 days of January left: demand 31 → 16; supply due 01-20 arrives in January
    const p = projectBalance({
      onHand: 10,
      asOf: "2026-01-15",
      demand: [31, 31],
      supply: [
        { due: "2026-01-15", units: 5 },
        { due: "2026-01-20", units: 7 },
      ],
      horizon: 2,
    });
    expect(p.rows[0]).toEqual({ period: "2026-01", demand: 16, supply: 12, balance: 6 });
    expect(p.rows[1]).toEqual({ period: "2026-02", demand: 31, supply: 0, balance: -25 });
  });

  it("back-orders shortages and reports the first stock-out and the worst shortage", () => {
    // 10 − 30 = −20 · −20 + 40 − 30 = −10 · −10 − 30 = −40
    const p = projectBalance({
      onHand: 10,
      asOf: "2025-12-31",
      demand: [30, 30, 30],
      supply: [{ due: "2026-02-10", units: 40 }],
      horizon: 3,
    });
    expect(balances(p)).toEqual([-20, -10, -40]);
    expect(p.firstStockoutPeriod).toBe("2026-01");
    expect(p.shortageUnits).toBe(40);
  });

  it("takes the worst balance, not the last one", () => {
    // 10 − 30 = −20 · −20 + 100 − 30 = 50
    const p = projectBalance({
      onHand: 10,
      asOf: "2025-12-31",
      demand: [30, 30],
      supply: [{ due: "2026-02-01", units: 100 }],
      horizon: 2,
    });
    expect(balances(p)).toEqual([-20, 50]);
    expect(p.firstStockoutPeriod).toBe("2026-01");
    expect(p.shortageUnits).toBe(20);
  });

  it("does not call a zero balance a stock-out", () => {
    const p = projectBalance({ onHand: 30, asOf: "2025-12-31", demand: [30], supply: [], horizon: 1 });
    expect(balances(p)).toEqual([0]);
    expect(p.firstStockoutPeriod).toBeNull();
    expect(p.shortageUnits).toBe(0);
  });

  it("defaults to 6 months and counts missing demand as 0", () => {
    const p = projectBalance({ onHand: 5, asOf: "2025-12-31", demand: [1], supply: [] });
    expect(DEFAULT_HORIZON).toBe(6);
    expect(p.rows.map((r) => r.period)).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
    ]);
    expect(balances(p)).toEqual([4, 4, 4, 4, 4, 4]);
  });

  it("crosses the year end from a mid-December snapshot", () => {
    // 31 − 20 = 11 days of December left: 62 × 11/31 = 22
    const p = projectBalance({ onHand: 50, asOf: "2025-12-20", demand: [62, 20], supply: [], horizon: 2 });
    expect(p.rows.map((r) => r.period)).toEqual(["2025-12", "2026-01"]);
    expect(balances(p)[0]).toBeCloseTo(28, 12);
    expect(balances(p)[1]).toBeCloseTo(8, 12);
  });
});

describe("orderByDate", () => {
  it.each([
    ["2026-04", 45, "2026-02-15"],
    ["2026-05", 20, "2026-04-11"],
    ["2026-01", 60, "2025-11-02"],
    ["2024-03", 1, "2024-02-29"],
    ["2026-04", 0, "2026-04-01"],
  ])("stock-out in %s with %i days of lead time → order by %s", (period, lead, expected) => {
    expect(orderByDate(period, lead)).toBe(expected);
  });
});

describe("valueAtRisk", () => {
  it("is shortage units × unit price", () => {
    expect(valueAtRisk(890, 10)).toBe(8900);
    expect(valueAtRisk(0, 10)).toBe(0);
  });
});

describe("daysOfSupply", () => {
  it.each([
    // BLT-100: 380 / ((210 + 220 + 240) / (31 + 28 + 31)) = 380 / 7.4444 = 51.0448
    { onHand: 380, demand: [210, 220, 240, 270], first: "2026-01", expected: 51.04477611940298 },
    // leap February: 90 units over 29 + 31 + 30 = 90 days is 1 a day
    { onHand: 100, demand: [29, 31, 30], first: "2024-02", expected: 100 },
    // only the first 3 months count; missing ones are 0
    { onHand: 60, demand: [92], first: "2026-03", expected: 60 },
    { onHand: 60, demand: [0, 0, 0, 500], first: "2026-01", expected: null },
    { onHand: 0, demand: [10, 10, 10], first: "2026-01", expected: 0 },
  ])("$onHand on hand against $demand from $first", ({ onHand, demand, first, expected }) => {
    const d = daysOfSupply(onHand, demand, first);
    if (expected === null) expect(d).toBeNull();
    else expect(d).toBeCloseTo(expected, 9);
  });
});
