import { describe, expect, it } from "vitest";
import { inventoryTurns, inventoryValueByMonth } from "../../../api/domain/turns.js";

describe("inventoryTurns", () => {
  it.each([
    {
      name: "months without a snapshot are left out of the average",
      // (100 + 300) / 2 = 200 · 1200 / 200 = 6 turns · 365 / 6 days
      cogs: 1200,
      values: [100, null, 300],
      expected: { cogs: 1200, avgInventoryValue: 200, turns: 6, daysOfInventory: 365 / 6, months: 2 },
    },
    {
      name: "the tiny example's totals",
      // 30,580 / 12 = 2,548.33 · 16,705 / 2,548.33 = 6.5553 · 365 / 6.5553 = 55.6804
      cogs: 16705,
      values: [4100, 3980, 3450, 3180, 2860, 2500, 2080, 1800, 1620, 1590, 1660, 1760],
      expected: {
        cogs: 16705,
        avgInventoryValue: 30580 / 12,
        turns: 16705 / (30580 / 12),
        daysOfInventory: 365 / (16705 / (30580 / 12)),
        months: 12,
      },
    },
    {
      name: "no snapshot at all",
      cogs: 500,
      values: [null, null],
      expected: { cogs: 500, avgInventoryValue: null, turns: null, daysOfInventory: null, months: 0 },
    },
    {
      name: "empty shelves: no turns",
      cogs: 500,
      values: [0, 0],
      expected: { cogs: 500, avgInventoryValue: 0, turns: null, daysOfInventory: null, months: 2 },
    },
    {
      name: "nothing sold: zero turns, no days of inventory",
      cogs: 0,
      values: [100],
      expected: { cogs: 0, avgInventoryValue: 100, turns: 0, daysOfInventory: null, months: 1 },
    },
  ])("$name", ({ cogs, values, expected }) => {
    const t = inventoryTurns(cogs, values);
    expect(Object.keys(t).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) {
      if (v === null) expect(t[k as keyof typeof t], k).toBeNull();
      else expect(t[k as keyof typeof t], k).toBeCloseTo(v, 9);
    }
  });
});

describe("inventoryValueByMonth", () => {
  it("values each SKU-location at its latest snapshot of the month", () => {
    // January: A's latest is 20 × 2 = 40, B 5 × 10 = 50 → 90. February: A only, 7 × 2 = 14.
    const snapshots = [
      { key: "A\tMAIN", asOf: "2025-01-10", onHand: 10, unitCost: 2 },
      { key: "A\tMAIN", asOf: "2025-01-31", onHand: 20, unitCost: 2 },
      { key: "B\tMAIN", asOf: "2025-01-15", onHand: 5, unitCost: 10 },
      { key: "A\tMAIN", asOf: "2025-02-28", onHand: 7, unitCost: 2 },
    ];
    const expected = new Map([
      ["2025-01", 90],
      ["2025-02", 14],
    ]);
    expect(inventoryValueByMonth(snapshots)).toEqual(expected);
    expect(inventoryValueByMonth([...snapshots].reverse())).toEqual(expected);
  });

  it("keeps locations apart and is empty without snapshots", () => {
    expect(
      inventoryValueByMonth([
        { key: "A\tMAIN", asOf: "2025-03-31", onHand: 1, unitCost: 4 },
        { key: "A\tEAST", asOf: "2025-03-01", onHand: 2, unitCost: 4 },
      ]),
    ).toEqual(new Map([["2025-03", 12]]));
    expect(inventoryValueByMonth([]).size).toBe(0);
  });
});
