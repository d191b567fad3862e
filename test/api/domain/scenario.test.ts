import { describe, expect, it } from "vitest";
import { applyScenario, describeChange, ScenarioChange } from "../../../api/domain/scenario.js";

const inputs = {
  lines: [
    { sku: "A", family: "F", location: "MAIN", startPeriod: "2026-01", demand: [100, 100, 100, 100] },
    { sku: "B", family: "F", location: "MAIN", startPeriod: "2026-02", demand: [10, 20, 30, 40] },
    { sku: "C", family: "G", location: "MAIN", startPeriod: "2026-01", demand: [5, 5, 5, 5] },
  ],
  supply: [
    { sku: "A", location: "MAIN", due: "2026-01-20", units: 50, reference: "PO-1" },
    { sku: "B", location: "MAIN", due: "2026-02-27", units: 70, reference: "PO-1" },
    { sku: "C", location: "MAIN", due: "2026-03-01", units: 9, reference: "PO-2" },
  ],
  capacity: [
    { family: "F", period: "2026-01", units: 200 },
    { family: "F", period: "2026-02", units: 200 },
    { family: "F", period: "2026-03", units: 250 },
  ],
};

describe("applyScenario", () => {
  it("changes a family's demand from a month, by each line's own calendar", () => {
    const r = applyScenario(
      inputs,
      [{ type: "demand", scope: "family", code: "F", change: 0.1, from: "2026-03" }],
      3,
    );
    // A starts in January: March is index 2 → [100, 100, 110, 110]; B starts in February: index 1.
    const round = (xs: readonly number[]) => xs.map((x) => Math.round(x * 1e9) / 1e9);
    expect(round(r.inputs.lines[0]!.demand)).toEqual([100, 100, 110, 110]);
    expect(round(r.inputs.lines[1]!.demand)).toEqual([10, 22, 33, 44]);
    expect(r.inputs.lines[2]).toBe(inputs.lines[2]);
    // Within the first 3 months of each line: A +10, B +2 +3 → 15 units.
    expect(r.effects[0]).toMatchObject({ type: "demand", lines: 2 });
    expect((r.effects[0] as { units: number }).units).toBeCloseTo(15, 10);
    expect(inputs.lines[0]!.demand).toEqual([100, 100, 100, 100]);
  });

  it("moves every supply line of a reference, and changes a family's capacity from a month", () => {
    const r = applyScenario(
      inputs,
      [
        { type: "delay", reference: "PO-1", days: 30 },
        { type: "capacity", family: "F", change: -0.2, from: "2026-02" },
      ],
      3,
    );
    expect(r.inputs.supply.map((s) => s.due)).toEqual(["2026-02-19", "2026-03-29", "2026-03-01"]);
    expect(r.effects[0]).toEqual({
      type: "delay",
      lines: 2,
      units: 120,
      moved: [
        { sku: "A", location: "MAIN", units: 50, from: "2026-01-20", to: "2026-02-19" },
        { sku: "B", location: "MAIN", units: 70, from: "2026-02-27", to: "2026-03-29" },
      ],
    });
    expect(r.inputs.capacity.map((c) => c.units)).toEqual([200, 160, 200]);
    expect(r.effects[1]).toEqual({ type: "capacity", months: 2, units: -90 });
    expect(r.inputs.supply[2]).toBe(inputs.supply[2]);
  });

  it("describes changes the way people say them", () => {
    expect(describeChange({ type: "demand", scope: "sku", code: "A", change: -0.125, from: null })).toBe(
      "demand −12.5% for A",
    );
    expect(describeChange({ type: "delay", reference: "PO-1", days: -1 })).toBe(
      "PO-1 brought forward by 1 day",
    );
  });

  it("validates changes at the edge", () => {
    expect(ScenarioChange.safeParse({ type: "demand", sku: "A", change: 0.1 }).success).toBe(true);
    expect(ScenarioChange.safeParse({ type: "demand", sku: "A", family: "F", change: 0.1 }).success).toBe(
      false,
    );
    expect(ScenarioChange.safeParse({ type: "delay", reference: "PO-1", days: 1.5 }).success).toBe(false);
    expect(ScenarioChange.safeParse({ type: "capacity", family: "F", change: -1.5 }).success).toBe(false);
    expect(ScenarioChange.safeParse({ type: "capacity", family: "F", change: 0.1, extra: 1 }).success).toBe(
      false,
    );
  });
});
