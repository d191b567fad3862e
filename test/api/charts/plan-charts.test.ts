import { describe, expect, it } from "vitest";
import { build as fva, schema as fvaSchema } from "../../../api/charts/fva-by-contributor.js";
import { build as inventory, schema as inventorySchema } from "../../../api/charts/scenario-inventory.js";
import { nonJsonPaths } from "./helpers.js";

describe("fva-by-contributor", () => {
  const rows = [
    { label: "Consensus (all cells)", statisticalWape: 0.23, contributorWape: 0.22 },
    { label: "Rachel Kim", statisticalWape: 0.18, contributorWape: 0.31 },
    { label: "sales input", statisticalWape: null, contributorWape: null },
  ];

  it("draws the statistical forecast's WAPE beside each contributor's, and counts who made it worse", () => {
    const config = fva({ scope: "All items", rows }, { target: "dashboard" });
    expect(config.options?.indexAxis).toBe("y");
    expect(config.data.labels).toEqual(["Consensus (all cells)", "Rachel Kim", "sales input"]);
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ["Statistical forecast", [0.23, 0.18, null]],
      ["Their numbers", [0.22, 0.31, null]],
    ]);
    expect(config.options?.plugins?.subtitle?.text).toBe(
      "All items · WAPE on the cells each one changed: shorter is better · 1 made the forecast worse",
    );
    // Chart.js sets a minimum number of decimals from the tick step: both bounds, or it throws.
    expect(config.options?.scales?.x?.ticks).toMatchObject({
      format: { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 0 },
    });
    expect(nonJsonPaths(config)).toEqual([]);
  });

  it("refuses no rows and a negative WAPE", () => {
    expect(fvaSchema.safeParse({ rows: [] }).success).toBe(false);
    expect(
      fvaSchema.safeParse({ rows: [{ label: "x", statisticalWape: -0.1, contributorWape: 0 }] }).error
        ?.issues[0]?.path,
    ).toEqual(["rows", 0, "statisticalWape"]);
  });
});

describe("scenario-inventory", () => {
  it("puts the base plan and the scenario side by side per month, the end of horizon in the subtitle", () => {
    const config = inventory({
      scenario: "demand +15% BOTTLES",
      months: [
        { period: "2026-11", base: 1000, scenario: 900 },
        { period: "2026-12", base: 1200, scenario: 950.5 },
      ],
    });
    expect(config.data.labels).toEqual(["Nov 26", "Dec 26"]);
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ["Base plan", [1000, 1200]],
      ["Scenario", [900, 950.5]],
    ]);
    expect(config.options?.plugins?.subtitle?.text).toBe(
      "demand +15% BOTTLES · end of horizon $951 against $1,200 (−$250)",
    );
    expect(nonJsonPaths(config)).toEqual([]);
  });

  it("wants consecutive months", () => {
    const bad = inventorySchema.safeParse({
      months: [
        { period: "2026-11", base: 1, scenario: 1 },
        { period: "2027-01", base: 1, scenario: 1 },
      ],
    });
    expect(bad.error?.issues[0]?.path).toEqual(["months", 1, "period"]);
  });
});
