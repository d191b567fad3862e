import { describe, expect, it } from "vitest";
import { capacityGaps } from "../../../api/domain/capacity-gaps.js";

const periods = ["2026-01", "2026-02", "2026-03"];

describe("capacityGaps", () => {
  it("sums the family's demand and reports months over capacity", () => {
    const gaps = capacityGaps(
      periods,
      [
        { family: "F", period: "2026-01", units: 100 },
        { family: "F", period: "2026-02-01", units: 100 },
        { family: "F", period: "2026-03", units: 100 },
        { family: "F", period: "2026-04", units: 1 }, // outside the months
        { family: "H", period: "2026-02", units: 50 },
      ],
      [
        // F: 60 + 50 = 110 → 10 over · 40 + 50 = 90 · 120 → 20 over
        { family: "F", period: "2026-01", units: 60 },
        { family: "F", period: "2026-01", units: 50 },
        { family: "F", period: "2026-02", units: 40 },
        { family: "F", period: "2026-02", units: 50 },
        { family: "F", period: "2026-03", units: 120 },
        { family: "F", period: "2025-12", units: 999 }, // outside the months
        // G has no capacity rows: not capacity-planned
        { family: "G", period: "2026-01", units: 500 },
        // H states capacity for February only
        { family: "H", period: "2026-01", units: 80 },
        { family: "H", period: "2026-02", units: 80 },
      ],
    );
    expect(gaps).toEqual([
      { family: "F", period: "2026-01", demand: 110, capacity: 100, gap: 10 },
      { family: "F", period: "2026-03", demand: 120, capacity: 100, gap: 20 },
      { family: "H", period: "2026-02", demand: 80, capacity: 50, gap: 30 },
    ]);
  });

  it("has no gap when demand meets capacity exactly or there is no demand", () => {
    expect(
      capacityGaps(
        periods,
        [
          { family: "F", period: "2026-01", units: 100 },
          { family: "E", period: "2026-01", units: 100 },
        ],
        [{ family: "F", period: "2026-01", units: 100 }],
      ),
    ).toEqual([]);
  });

  it("treats zero capacity as a stated zero", () => {
    expect(
      capacityGaps(
        periods,
        [{ family: "F", period: "2026-02", units: 0 }],
        [{ family: "F", period: "2026-02", units: 5 }],
      ),
    ).toEqual([{ family: "F", period: "2026-02", demand: 5, capacity: 0, gap: 5 }]);
  });

  it("is empty without months", () => {
    expect(capacityGaps([], [{ family: "F", period: "2026-01", units: 1 }], [])).toEqual([]);
  });
});
