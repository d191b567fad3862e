import { describe, expect, it } from "vitest";
import {
  build,
  buildEach,
  type CapacityVsDemandInput,
  gapUnits,
  MAX_FAMILIES,
  schema,
} from "../../../api/charts/capacity-vs-demand.js";
import { capacityVsDemandExample as example } from "../../../api/charts/examples.js";
import { ROLE_COLORS } from "../../../api/charts/theme.js";
import { nonJsonPaths } from "./helpers.js";

const family = (name: string, rows: [number, number | null][], from = 1) => ({
  family: name,
  months: rows.map(([demand, capacity], i) => ({
    period: `2026-${String(from + i).padStart(2, "0")}`,
    demand,
    capacity,
  })),
});

describe("capacity-vs-demand", () => {
  it.each([
    { demand: 210, capacity: 250, within: 210, gap: 0 },
    { demand: 250, capacity: 250, within: 250, gap: 0 },
    { demand: 270, capacity: 250, within: 250, gap: 20 },
    { demand: 330, capacity: 250, within: 250, gap: 80 },
    { demand: 100, capacity: null, within: 100, gap: 0 },
    { demand: 5, capacity: 0, within: 0, gap: 5 },
  ])(
    "splits demand $demand at capacity $capacity into $within within and $gap gap",
    ({ demand, capacity, within, gap }) => {
      expect(gapUnits(demand, capacity)).toBe(gap);
      const config = build({ families: [family("F", [[demand, capacity]])] });
      const [cap, inside, over] = config.data.datasets;
      expect(inside?.data).toEqual([within]);
      expect(over?.data).toEqual([gap]);
      expect(cap?.data).toEqual([capacity]);
    },
  );

  it("highlights the gap stacked on the covered demand, capacity as a dash per month", () => {
    const config = build(example);
    const [capacity, within, gap] = config.data.datasets;
    expect(config.data.labels).toEqual(["Jan 26", "Feb 26", "Mar 26", "Apr 26", "May 26", "Jun 26"]);
    expect(within).toMatchObject({ type: "bar", stack: "demand", data: [210, 220, 240, 250, 250, 250] });
    expect(gap).toMatchObject({ type: "bar", stack: "demand", data: [0, 0, 0, 20, 50, 80] });
    expect(gap?.backgroundColor).toBe(ROLE_COLORS.risk);
    expect(within?.backgroundColor).not.toBe(ROLE_COLORS.risk);
    expect(capacity).toMatchObject({ type: "line", label: "Capacity", showLine: false, pointStyle: "line" });
    expect(capacity?.data).toEqual([250, 250, 250, 250, 250, 250]);
    expect(config.options?.scales?.x).toMatchObject({ stacked: true });
    expect(config.options?.scales?.y).toMatchObject({ stacked: true, beginAtZero: true });
    expect(config.options?.plugins?.title?.text).toBe("Capacity vs demand — short by 150 units in 3 months");
    expect(config.options?.plugins?.subtitle?.text).toBe(
      "BOTTLES · January 2026 – June 2026 · demand = demand plan",
    );
  });

  it.each([
    {
      input: { families: [family("A", [[1, 2]])] },
      title: "Capacity vs demand — demand within capacity",
    },
    {
      input: { families: [family("A", [[30, 20]])], unit: "cases" },
      title: "Capacity vs demand — short by 10 cases in 1 month",
    },
    {
      input: {
        families: [
          family("A", [
            [30, 20],
            [1, 2],
          ]),
          family("B", [
            [1, 2],
            [1, 2],
          ]),
        ],
      },
      title: "Capacity vs demand — 1 of 2 families short, 10 units in all",
    },
    {
      input: { families: [family("A", [[1500, 1000]]), family("B", [[700, 500]])] },
      title: "Capacity vs demand — 2 of 2 families short, 700 units in all",
    },
  ])("titles “$title”", ({ input, title }) => {
    expect(build(input).options?.plugins?.title?.text).toBe(title);
  });

  it("lays several families out as panels on one axis, an empty month between them", () => {
    const config = build({
      families: [
        family("BOTTLES", [
          [210, 250],
          [270, 250],
          [300, 250],
        ]),
        family("CAPS", [
          [40, null],
          [45, 50],
          [60, 50],
        ]),
      ],
    });
    expect(config.data.labels).toEqual(["Jan", "Feb", "Mar", "", "Jan", "Feb", "Mar"]);
    const [capacity, within, gap] = config.data.datasets;
    expect(config.data.datasets).toHaveLength(3);
    expect(capacity?.data).toEqual([250, 250, 250, null, null, 50, 50]);
    expect(within?.data).toEqual([210, 250, 250, null, 40, 45, 50]);
    expect(gap?.data).toEqual([0, 20, 50, null, 0, 0, 10]);
    // Family names centred under their panel on a second category axis.
    expect(config.options?.scales?.families).toMatchObject({
      type: "category",
      labels: ["", "BOTTLES", "", "", "", "CAPS", ""],
    });
  });

  it("builds one config per family with a shared value axis for a grid of small charts", () => {
    const input: CapacityVsDemandInput = {
      families: [family("BIG", [[900, 1000]]), family("SMALL", [[30, 20]])],
    };
    const configs = buildEach(input);
    expect(configs.map((c) => c.data.labels)).toEqual([["Jan 26"], ["Jan 26"]]);
    expect(configs.map((c) => c.options?.scales?.y)).toMatchObject([
      { suggestedMax: 1000 },
      { suggestedMax: 1000 },
    ]);
    expect(configs.map((c) => c.options?.scales?.families)).toEqual([undefined, undefined]);
  });

  it("is plain JSON, single and multi-family", () => {
    for (const config of [
      build(example),
      build({ families: [family("A", [[1, 2]]), family("B", [[3, null]])] }),
    ]) {
      expect(nonJsonPaths(config)).toEqual([]);
      expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
    }
  });

  it.each([
    { why: "no families", input: { families: [] }, path: ["families"] },
    {
      why: "too many families",
      input: { families: Array.from({ length: MAX_FAMILIES + 1 }, (_, i) => family(`F${i}`, [[1, 1]])) },
      path: ["families"],
    },
    {
      why: "a family twice",
      input: { families: [family("A", [[1, 1]]), family("A", [[1, 1]])] },
      path: ["families", 1, "family"],
    },
    {
      why: "a skipped month",
      input: {
        families: [
          {
            family: "A",
            months: [
              { period: "2026-01", demand: 1, capacity: 1 },
              { period: "2026-03", demand: 1, capacity: 1 },
            ],
          },
        ],
      },
      path: ["families", 0, "months", 1, "period"],
    },
    {
      why: "demand unknown",
      input: { families: [{ family: "A", months: [{ period: "2026-01", demand: null, capacity: 1 }] }] },
      path: ["families", 0, "months", 0, "demand"],
    },
  ])("rejects $why", ({ input, path }) => {
    expect(schema.safeParse(input).error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
