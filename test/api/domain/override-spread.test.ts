import { describe, expect, it } from "vitest";
import { consensusOf, spreadUnits } from "../../../api/domain/override-spread.js";

const cell = (statistical: number, actuals = 0) => ({ statistical, actuals });

describe("spreadUnits", () => {
  it("spreads a family's units in proportion to the statistical forecast, in whole units", () => {
    // statistical 200, 100, 100 (Σ 400): 1000 × ½, ¼, ¼ = 500, 250, 250
    const s = spreadUnits(1000, [cell(200), cell(100), cell(100)]);
    expect(s.basis).toBe("statistical");
    expect(s.cells).toEqual([
      { units: 500, share: 0.5 },
      { units: 250, share: 0.25 },
      { units: 250, share: 0.25 },
    ]);
  });

  it("rounds by the largest remainder so the cells add up exactly", () => {
    // 100 over three equal cells: 33.33… each; floors 33, 33, 33 leave 1 → the first cell (tie).
    expect(spreadUnits(100, [cell(5), cell(5), cell(5)]).cells.map((c) => c.units)).toEqual([34, 33, 33]);
    // 10 over 1 : 2 : 3 (Σ 6): exact 1.667, 3.333, 5 → floors 1, 3, 5; the one left goes to the
    // largest remainder (0.667, the first cell).
    expect(spreadUnits(10, [cell(1), cell(2), cell(3)]).cells.map((c) => c.units)).toEqual([2, 3, 5]);
  });

  it("spreads fractional units in hundredths", () => {
    // 10.5 over three equal cells: 1050 hundredths → 350 each.
    expect(spreadUnits(10.5, [cell(1), cell(1), cell(1)]).cells.map((c) => c.units)).toEqual([3.5, 3.5, 3.5]);
    // 1.01 over two equal cells: 101 hundredths → 51, 50.
    expect(spreadUnits(1.01, [cell(1), cell(1)]).cells.map((c) => c.units)).toEqual([0.51, 0.5]);
  });

  it("gives a cell with no statistical forecast nothing while others have one", () => {
    const s = spreadUnits(90, [cell(0, 500), cell(30), cell(60)]);
    expect(s.basis).toBe("statistical");
    expect(s.cells.map((c) => c.units)).toEqual([0, 30, 60]);
  });

  it("falls back to the last 12 months' actuals when the statistical forecast is all zero", () => {
    // actuals 300 and 100: 80 × ¾, ¼ = 60, 20
    const s = spreadUnits(80, [cell(0, 300), cell(0, 100)]);
    expect(s.basis).toBe("actuals");
    expect(s.cells).toEqual([
      { units: 60, share: 0.75 },
      { units: 20, share: 0.25 },
    ]);
  });

  it("splits evenly when there is neither a forecast nor a sale", () => {
    const s = spreadUnits(7, [cell(0), cell(0), cell(0)]);
    expect(s.basis).toBe("even");
    expect(s.cells.map((c) => c.units)).toEqual([3, 2, 2]);
  });

  it("puts everything in a single cell and spreads 0 as 0", () => {
    expect(spreadUnits(42.5, [cell(0)])).toEqual({ basis: "single", cells: [{ units: 42.5, share: 1 }] });
    expect(spreadUnits(0, [cell(3), cell(1)]).cells.map((c) => c.units)).toEqual([0, 0]);
  });

  it("refuses negative units and an empty set of cells", () => {
    expect(() => spreadUnits(-1, [cell(1)])).toThrow(RangeError);
    expect(() => spreadUnits(5, [])).toThrow(/no cell/);
  });
});

describe("consensusOf", () => {
  it("takes the latest override, else the base", () => {
    expect(consensusOf(100, [])).toEqual({ units: 100, overrideId: null });
    expect(
      consensusOf(100, [
        { overrideId: 7, units: 120 },
        { overrideId: 9, units: 90 },
        { overrideId: 8, units: 150 },
      ]),
    ).toEqual({ units: 90, overrideId: 9 });
    expect(consensusOf(null, [])).toEqual({ units: null, overrideId: null });
  });
});
