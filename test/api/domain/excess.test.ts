import { describe, expect, it } from "vitest";
import {
  excessStock,
  FORWARD_DEMAND_MONTHS,
  forwardDemand,
  isSlowMoving,
} from "../../../api/domain/excess.js";

describe("forwardDemand", () => {
  it.each([
    // BLT-100: 210 + 220 + 240 + 270 + 300 + 330; the 7th month is not forward demand
    { demand: [210, 220, 240, 270, 300, 330, 999], months: FORWARD_DEMAND_MONTHS, expected: 1570 },
    { demand: [10, 20], months: 6, expected: 30 },
    { demand: [10, 20, 30, 40], months: 3, expected: 60 },
    { demand: [], months: 6, expected: 0 },
  ])("$demand over $months months = $expected", ({ demand, months, expected }) => {
    expect(forwardDemand(demand, months)).toBe(expected);
  });
});

describe("excessStock", () => {
  it.each([
    // 2000 − 1570 = 430 units × 4.00 = 1,720
    { onHand: 2000, forward: 1570, unitCost: 4, expected: { excessUnits: 430, excessValue: 1720 } },
    { onHand: 380, forward: 1570, unitCost: 4, expected: { excessUnits: 0, excessValue: 0 } },
    { onHand: 1570, forward: 1570, unitCost: 4, expected: { excessUnits: 0, excessValue: 0 } },
    // nothing planned: all stock is excess
    { onHand: 50, forward: 0, unitCost: 2.5, expected: { excessUnits: 50, excessValue: 125 } },
  ])("$onHand on hand vs $forward forward", ({ onHand, forward, unitCost, expected }) => {
    expect(excessStock(onHand, forward, unitCost)).toEqual(expected);
  });
});

describe("isSlowMoving", () => {
  it.each([
    [10, 0, true],
    [0, 0, false],
    [10, 5, false],
    [0.5, 0, true],
  ])("%d on hand, %d sold in P−5…P → %s", (onHand, sold, expected) => {
    expect(isSlowMoving(onHand, sold)).toBe(expected);
  });
});
