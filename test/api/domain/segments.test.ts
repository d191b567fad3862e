import { describe, expect, it } from "vitest";
import { abcClasses, coefficientOfVariation, segment, xyzClass } from "../../../api/domain/segments.js";

describe("abcClasses", () => {
  it("classes by the cumulative share before each SKU", () => {
    // total 1000; shares before: P1 0 → A · P2 0.5 → A · P3 0.8 → B (not < 0.80) ·
    // P4 0.9 → B · P5 0.96 → C · P6 zero revenue → C
    const ranked = abcClasses([
      { sku: "P4", revenue: 60 },
      { sku: "P6", revenue: 0 },
      { sku: "P1", revenue: 500 },
      { sku: "P3", revenue: 100 },
      { sku: "P5", revenue: 40 },
      { sku: "P2", revenue: 300 },
    ]);
    expect(ranked.map((r) => [r.item.sku, r.abc, r.share])).toEqual([
      ["P1", "A", 0.5],
      ["P2", "A", 0.3],
      ["P3", "B", 0.1],
      ["P4", "B", 0.06],
      ["P5", "C", 0.04],
      ["P6", "C", 0],
    ]);
  });

  it("breaks revenue ties by SKU", () => {
    const ranked = abcClasses([
      { sku: "Y", revenue: 100 },
      { sku: "X", revenue: 100 },
      { sku: "Z", revenue: 100 },
    ]);
    // before: X 0 → A · Y 1/3 → A · Z 2/3 → A
    expect(ranked.map((r) => `${r.item.sku}${r.abc}`)).toEqual(["XA", "YA", "ZA"]);
  });

  it("makes the top seller A even when it alone is over 80 %", () => {
    // before: BIG 0 → A · SMALL 0.9 → B
    const ranked = abcClasses([
      { sku: "SMALL", revenue: 10 },
      { sku: "BIG", revenue: 90 },
    ]);
    expect(ranked.map((r) => `${r.item.sku}:${r.abc}`)).toEqual(["BIG:A", "SMALL:B"]);
  });

  it("makes everything C when nothing sold, and handles no SKUs", () => {
    expect(abcClasses([{ sku: "A1", revenue: 0 }]).map((r) => r.abc)).toEqual(["C"]);
    expect(abcClasses([])).toEqual([]);
  });
});

describe("coefficientOfVariation and xyzClass", () => {
  it.each([
    { units: [10, 10, 10], window: 3, cv: 0, xyz: "X" },
    // mean 15, σ 5 → 1/3
    { units: [10, 20], window: 2, cv: 1 / 3, xyz: "X" },
    // mean 10, σ 5 → exactly 0.5 is X
    { units: [5, 15], window: 2, cv: 0.5, xyz: "X" },
    // mean 10, σ 10 → exactly 1.0 is Y
    { units: [0, 20], window: 2, cv: 1, xyz: "Y" },
    // one sale of 12 in 12 months: mean 1, σ = √((11² + 11·1²)/12) = √11
    { units: [12], window: 12, cv: Math.sqrt(11), xyz: "Z" },
    { units: [0, 0, 0], window: 3, cv: null, xyz: "Z" },
    { units: [], window: 12, cv: null, xyz: "Z" },
  ])("$units over $window months: CV $cv, $xyz", ({ units, window, cv, xyz }) => {
    const c = coefficientOfVariation(units, window);
    if (cv === null) expect(c).toBeNull();
    else expect(c).toBeCloseTo(cv, 12);
    expect(xyzClass(c)).toBe(xyz);
  });

  it.each([
    [0.5, "X"],
    [0.5000001, "Y"],
    [1, "Y"],
    [1.0000001, "Z"],
    [null, "Z"],
  ] as const)("CV %s is %s", (cv, expected) => {
    expect(xyzClass(cv)).toBe(expected);
  });
});

describe("segment", () => {
  it("ranks SKUs by revenue with both classes", () => {
    const segments = segment(
      [
        { sku: "LOW", revenue: 0, monthlyUnits: [] },
        { sku: "TOP", revenue: 900, monthlyUnits: [10, 10] },
        { sku: "MID", revenue: 100, monthlyUnits: [0, 20] },
      ],
      2,
    );
    expect(segments).toEqual([
      { sku: "TOP", revenue: 900, revenueShare: 0.9, abc: "A", cv: 0, xyz: "X" },
      { sku: "MID", revenue: 100, revenueShare: 0.1, abc: "B", cv: 1, xyz: "Y" },
      { sku: "LOW", revenue: 0, revenueShare: 0, abc: "C", cv: null, xyz: "Z" },
    ]);
  });
});
