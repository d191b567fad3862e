import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  buildChart,
  buildOptionsSchema,
  CHART_SIZES,
  chartNames,
  charts,
  isChartName,
} from "../../../api/charts/index.js";
import { FONT_FAMILY, TYPE_SCALE } from "../../../api/charts/theme.js";
import { nonJsonPaths } from "./helpers.js";

describe("chart registry", () => {
  it("names the five charts", () => {
    expect(chartNames).toEqual([
      "forecast-vs-actual",
      "inventory-trend",
      "value-at-risk",
      "capacity-vs-demand",
      "cycle-timeline",
    ]);
    expect(isChartName("value-at-risk")).toBe(true);
    expect(isChartName("toString")).toBe(false);
  });

  describe.each(chartNames)("%s", (name) => {
    const chart = charts[name];

    it("validates its example and builds it into plain JSON", () => {
      expect(chart.schema.safeParse(chart.example).success).toBe(true);
      for (const target of ["slack", "dashboard"] as const) {
        const config = buildChart(name, chart.example, { target });
        expect(nonJsonPaths(config)).toEqual([]);
        expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
      }
    });

    it("starts its title with the registry's title", () => {
      const config = buildChart(name, chart.example);
      expect(String(config.options?.plugins?.title?.text).startsWith(chart.title)).toBe(true);
    });

    it.each(["slack", "dashboard"] as const)("uses the theme's fonts and aspect ratio for %s", (target) => {
      const config = buildChart(name, chart.example, { target });
      const size = CHART_SIZES[target];
      expect(config.options?.aspectRatio).toBe(size.width / size.height);
      expect(config.options?.plugins?.title?.font).toMatchObject({
        family: FONT_FAMILY,
        size: TYPE_SCALE[target].title,
        weight: "bold",
      });
      for (const scale of Object.values(config.options?.scales ?? {})) {
        expect(scale?.ticks?.font).toMatchObject({ family: FONT_FAMILY, size: TYPE_SCALE[target].base });
      }
    });

    it("refuses input that is not its own", () => {
      expect(chart.schema.safeParse({}).success).toBe(false);
      expect(() => buildChart(name, { nonsense: true })).toThrow(ZodError);
    });
  });

  it.each([
    { options: { target: "slack", locale: "de-DE", currency: "EUR" }, ok: true },
    { options: {}, ok: true },
    { options: { target: "print" }, ok: false },
    { options: { currency: "euro" }, ok: false },
    { options: { locale: "not a locale!" }, ok: false },
  ])("validates build options $options", ({ options, ok }) => {
    expect(buildOptionsSchema.safeParse(options).success).toBe(ok);
  });
});
