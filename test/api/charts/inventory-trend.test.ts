import { describe, expect, it } from "vitest";
import { inventoryTrendExample as example } from "../../../api/charts/examples.js";
import { build, type InventoryTrendInput, schema } from "../../../api/charts/inventory-trend.js";
import { nonJsonPaths } from "./helpers.js";

const small: InventoryTrendInput = {
  months: [
    { period: "2025-11", value: 1660, turns: 6.36 },
    { period: "2025-12", value: 1920, turns: 6.5553 },
    { period: "2026-01", value: null, turns: null },
  ],
};

describe("inventory-trend", () => {
  it("draws value as bars on the left axis and turns as a line on the right, gaps kept", () => {
    const config = build(small);
    expect(config.type).toBe("bar");
    expect(config.data.labels).toEqual(["Nov 25", "Dec 25", "Jan 26"]);
    const [value, turns] = config.data.datasets;
    expect(value).toMatchObject({
      type: "bar",
      label: "Inventory value",
      yAxisID: "y",
      data: [1660, 1920, null],
    });
    expect(turns).toMatchObject({ type: "line", yAxisID: "y1", data: [6.36, 6.5553, null], spanGaps: false });
    // The line is drawn over the bars.
    expect(turns?.order).toBeLessThan(value?.order ?? 0);
    expect(config.options?.scales?.y).toMatchObject({ position: "left", beginAtZero: true });
    expect(config.options?.scales?.y1).toMatchObject({ position: "right", grid: { drawOnChartArea: false } });
  });

  it.each([
    { currency: undefined, expected: "USD" },
    { currency: "EUR", expected: "EUR" },
  ])("formats money ticks in $expected", ({ currency, expected }) => {
    const config = build(small, currency ? { currency } : {});
    expect(config.options?.scales?.y?.ticks).toMatchObject({
      format: { style: "currency", currency: expected, notation: "compact" },
    });
    expect(config.options?.scales?.y?.title).toMatchObject({ text: `inventory value (${expected})` });
  });

  it.each([
    {
      months: small.months,
      subtitle: "latest $1,920 in December 2025, 6.6 turns (56 days)",
    },
    {
      months: [{ period: "2025-12", value: 2548.33, turns: null }],
      subtitle: "latest $2,548 in December 2025",
    },
    { months: [{ period: "2025-12", value: null, turns: null }], subtitle: "" },
  ])("sums up the latest month: “$subtitle”", ({ months, subtitle }) => {
    const config = build({ months });
    expect(config.options?.plugins?.subtitle).toMatchObject({ text: subtitle, display: subtitle !== "" });
  });

  it("puts the scope first in the subtitle", () => {
    expect(build(example).options?.plugins?.subtitle?.text).toBe(
      "All items · latest $1,920 in December 2025, 6.6 turns (56 days)",
    );
    expect(build(example).options?.plugins?.title?.text).toBe("Inventory value and turns");
  });

  it("is plain JSON", () => {
    const config = build(example);
    expect(nonJsonPaths(config)).toEqual([]);
    expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
  });

  it.each([
    { why: "no months", input: { months: [] }, path: ["months"] },
    {
      why: "a negative value",
      input: { months: [{ period: "2025-12", value: -1, turns: 1 }] },
      path: ["months", 0, "value"],
    },
    {
      why: "a skipped month",
      input: {
        months: [
          { period: "2025-10", value: 1, turns: 1 },
          { period: "2025-12", value: 1, turns: 1 },
        ],
      },
      path: ["months", 1, "period"],
    },
    {
      why: "turns as text",
      input: { months: [{ period: "2025-12", value: 1, turns: "6" }] },
      path: ["months", 0, "turns"],
    },
  ])("rejects $why", ({ input, path }) => {
    const result = schema.safeParse(input);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
