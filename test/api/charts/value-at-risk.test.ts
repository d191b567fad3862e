import { describe, expect, it } from "vitest";
import { valueAtRiskExample as example } from "../../../api/charts/examples.js";
import { ROLE_COLORS, withAlpha } from "../../../api/charts/theme.js";
import { build, rankFamilies, schema } from "../../../api/charts/value-at-risk.js";
import { nonJsonPaths } from "./helpers.js";

const families = (entries: [string, number][]) =>
  entries.map(([family, valueAtRisk]) => ({ family, valueAtRisk }));

describe("value-at-risk", () => {
  it.each([
    {
      why: "largest first",
      input: [
        ["A", 100],
        ["B", 300],
        ["C", 200],
      ] as [string, number][],
      labels: ["B", "C", "A"],
      values: [300, 200, 100],
    },
    {
      why: "ties by family name",
      input: [
        ["ZIPS", 50],
        ["CAPS", 50],
        ["BAGS", 80],
      ] as [string, number][],
      labels: ["BAGS", "CAPS", "ZIPS"],
      values: [80, 50, 50],
    },
    {
      why: "zero last",
      input: [
        ["NONE", 0],
        ["SOME", 1],
      ] as [string, number][],
      labels: ["SOME", "NONE"],
      values: [1, 0],
    },
  ])("sorts bars: $why", ({ input, labels, values }) => {
    const config = build({ families: families(input) });
    expect(config.data.labels).toEqual(labels);
    expect(config.data.datasets[0]?.data).toEqual(values);
  });

  it("writes each amount beside its bar on a right-hand category axis", () => {
    const config = build(example);
    expect(config.options?.indexAxis).toBe("y");
    expect(config.data.labels).toEqual(["BOTTLES", "ACCESSORIES"]);
    expect(config.data.datasets[0]?.data).toEqual([8900, 2595]);
    expect(config.options?.scales?.amounts).toMatchObject({
      type: "category",
      axis: "y",
      position: "right",
      labels: ["$8,900", "$2,595"],
    });
    expect(config.data.datasets[0]?.backgroundColor).toBe(withAlpha(ROLE_COLORS.risk, 0.85));
  });

  it.each([
    { input: example.families, title: "Value at risk by family — $11,495 in 2 families" },
    {
      input: families([
        ["BOTTLES", 8900],
        ["CAPS", 0],
      ]),
      title: "Value at risk by family — $8,900 in 1 family",
    },
    { input: families([["CAPS", 0]]), title: "Value at risk by family — none" },
    { input: [], title: "Value at risk by family — none" },
  ])("titles “$title”", ({ input, title }) => {
    expect(build({ families: input }).options?.plugins?.title?.text).toBe(title);
  });

  it("sums the families beyond maxBars into one last bar", () => {
    const many = families(
      Array.from({ length: 12 }, (_, i) => [`F${String(i).padStart(2, "0")}`, (i + 1) * 100]),
    );
    const config = build({ families: many, maxBars: 10 });
    expect(config.data.labels).toHaveLength(10);
    expect(config.data.labels?.slice(0, 3)).toEqual(["F11", "F10", "F09"]);
    // F02 (300) + F01 (200) + F00 (100) after the nine largest.
    expect(config.data.labels?.[9]).toBe("Other (3 families)");
    expect(config.data.datasets[0]?.data[9]).toBe(600);
    expect(rankFamilies(many, 12)).toHaveLength(12);
  });

  it("writes the horizon and snapshot date in the subtitle", () => {
    expect(build(example).options?.plugins?.subtitle?.text).toBe(
      "projected shortage × unit price, next 6 months · stock as of 2025-12-31",
    );
  });

  it("is plain JSON", () => {
    const config = build(example);
    expect(nonJsonPaths(config)).toEqual([]);
    expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
  });

  it.each([
    {
      why: "a family twice",
      input: {
        families: families([
          ["A", 1],
          ["A", 2],
        ]),
      },
      path: ["families", 1, "family"],
    },
    {
      why: "a negative value",
      input: { families: families([["A", -1]]) },
      path: ["families", 0, "valueAtRisk"],
    },
    {
      why: "an empty family name",
      input: { families: families([["", 1]]) },
      path: ["families", 0, "family"],
    },
    { why: "maxBars 0", input: { families: [], maxBars: 0 }, path: ["maxBars"] },
    { why: "a bad snapshot date", input: { families: [], asOf: "2025-12-32" }, path: ["asOf"] },
  ])("rejects $why", ({ input, path }) => {
    expect(schema.safeParse(input).error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
