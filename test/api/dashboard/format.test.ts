/** How the dashboard writes numbers and changes, and which way a change is good. */
import { describe, expect, it } from "vitest";
import { fmt, fmtChange, judge } from "../../../api/dashboard/format.js";

describe("numbers", () => {
  it.each([
    [0.8827, "percent", "88.3%"],
    [8900, "money", "$8,900"],
    [11.44, "price", "$11.44"],
    [1250.4, "units", "1,250"],
    [6.5553, "number", "6.6"],
    [null, "money", "—"],
    [Number.NaN, "units", "—"],
  ] as const)("%s as %s → %s", (value, kind, text) => {
    expect(fmt(value, kind)).toBe(text);
  });
});

describe("changes", () => {
  it.each([
    [0.0123, "percent", "+1.2 pts"],
    [-0.0019, "percent", "−0.2 pts"],
    [0.0004, "percent", "no change"],
    [-162930.24, "money", "−$162,930"],
    [0.4, "money", "no change"],
    [120, "units", "+120"],
    [0.18, "number", "+0.2"],
    [-0.04, "number", "no change"],
    [null, "units", "—"],
  ] as const)("%s as %s → %s", (change, kind, text) => {
    expect(fmtChange(change, kind)).toBe(text);
  });
});

describe("good or bad", () => {
  it.each([
    [0.8, 0.7, "up", "good"],
    [0.6, 0.7, "up", "bad"],
    [10, 12, "down", "good"],
    [-0.02, 0.05, "zero", "good"],
    [0.06, -0.05, "zero", "bad"],
    [5, 4, "none", "neutral"],
    [5, null, "up", "neutral"],
    [5, 5, "up", "neutral"],
  ] as const)("%s after %s, better %s → %s", (value, previous, better, verdict) => {
    expect(judge(value, previous, better)).toBe(verdict);
  });
});
