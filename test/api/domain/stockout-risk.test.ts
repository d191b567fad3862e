import { describe, expect, it } from "vitest";
import { riskClass, riskMonths, stockoutProbability } from "../../../api/domain/stockout-risk.js";

describe("riskMonths", () => {
  it.each([
    [0, 6, 1],
    [20, 6, 1],
    // exactly one average month is still one
    [30.4375, 6, 1],
    [31, 6, 2],
    [45, 6, 2],
    [60, 6, 2],
    [400, 6, 6],
    [400, 3, 3],
  ])("lead time %d days, horizon %i → L = %i", (days, horizon, expected) => {
    expect(riskMonths(days, horizon)).toBe(expected);
  });
});

describe("stockoutProbability", () => {
  it.each([
    {
      name: "the worst month within the lead time",
      // L = 2: Φ(−10/10) = 0.158655 · Φ(−5/(10√2)) = Φ(−0.353553) = 0.361837; B_3 is beyond L
      balances: [10, 5, -100],
      sigma: 10,
      leadTimeDays: 45,
      expected: 0.36183680491588155,
    },
    {
      name: "GLV-300-like: already short",
      // max(Φ(30/10), Φ(90/(10√2))) = Φ(6.364) = 0.9999999999
      balances: [-30, -90],
      sigma: 10,
      leadTimeDays: 60,
      expected: 0.999999999901692,
    },
    {
      name: "a zero balance is a coin flip",
      balances: [0],
      sigma: 10,
      leadTimeDays: 10,
      expected: 0.5,
    },
    {
      name: "σ = 0 and a negative balance within L",
      balances: [5, -1],
      sigma: 0,
      leadTimeDays: 60,
      expected: 1,
    },
    {
      name: "σ = 0 and a zero balance",
      balances: [5, 0],
      sigma: 0,
      leadTimeDays: 60,
      expected: 0,
    },
    {
      name: "σ = 0 and the negative balance beyond L",
      balances: [5, -1],
      sigma: 0,
      leadTimeDays: 20,
      expected: 0,
    },
    {
      name: "a lead time longer than the projection uses what there is",
      balances: [100, -1],
      sigma: 0,
      leadTimeDays: 400,
      expected: 1,
    },
    {
      name: "no projection",
      balances: [],
      sigma: 10,
      leadTimeDays: 60,
      expected: 0,
    },
  ])("$name", ({ balances, sigma, leadTimeDays, expected }) => {
    expect(stockoutProbability(balances, sigma, leadTimeDays)).toBeCloseTo(expected, 12);
  });

  it("stops at the horizon even when the projection is longer", () => {
    // L = min(⌈400/30.4375⌉, 1) = 1: the −1 in month 2 is not looked at
    expect(stockoutProbability([5, -1], 0, 400, 1)).toBe(0);
  });
});

describe("riskClass", () => {
  it.each([
    [1, "high"],
    [0.5, "high"],
    [0.4999, "medium"],
    [0.2, "medium"],
    [0.1999, "low"],
    [0, "low"],
  ] as const)("P = %d is %s", (p, expected) => {
    expect(riskClass(p)).toBe(expected);
  });
});
