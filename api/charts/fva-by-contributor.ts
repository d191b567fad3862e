/**
 * Forecast value added by contributor: for the consensus and for each person or imported input
 * that changed the forecast, the error (WAPE) of the statistical forecast beside the error of
 * their numbers on the same cells, as grouped horizontal bars. A contributor whose bar is longer
 * than the statistical one made the forecast worse (negative FVA).
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { type BuildOptions, resolveOptions } from "./inputs.js";
import { axisStyle, baseOptions, PALETTE, ROLE_COLORS, withAlpha } from "./theme.js";

export const title = "Forecast value added by contributor";

const wape = z.number().finite().nonnegative().nullable();

export const schema = z.object({
  /** What the numbers cover, shown under the title: "All items", a family, a window. */
  scope: z.string().min(1).max(120).optional(),
  /**
   * One row per contributor, in the order to draw: the statistical forecast's WAPE on the cells
   * they changed and theirs (fractions; null when there is no actual to compare with).
   */
  rows: z
    .array(
      z.object({
        label: z.string().min(1).max(80),
        statisticalWape: wape,
        contributorWape: wape,
      }),
    )
    .min(1)
    .max(30),
});

export type FvaByContributorInput = z.input<typeof schema>;

/** Chart.js config (JSON): WAPE of the statistical forecast and of each contributor, fractions. */
export function build(input: FvaByContributorInput, options?: BuildOptions): ChartConfiguration<"bar"> {
  const data = schema.parse(input);
  const { target, locale } = resolveOptions(options);
  const worse = data.rows.filter(
    (r) => r.statisticalWape !== null && r.contributorWape !== null && r.contributorWape > r.statisticalWape,
  ).length;
  const subtitle = [
    data.scope,
    "WAPE on the cells each one changed: shorter is better",
    worse > 0 ? `${worse} made the forecast worse` : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(" · ");
  const base = baseOptions(target, { title, subtitle, locale });
  const bar = (color: string) => ({
    backgroundColor: withAlpha(color, 0.85),
    borderColor: color,
    borderWidth: 1,
    maxBarThickness: 22,
  });
  return {
    type: "bar",
    data: {
      labels: data.rows.map((r) => r.label),
      datasets: [
        {
          label: "Statistical forecast",
          data: data.rows.map((r) => r.statisticalWape),
          ...bar(ROLE_COLORS.forecast),
        },
        {
          label: "Their numbers",
          data: data.rows.map((r) => r.contributorWape),
          ...bar(PALETTE.blue),
        },
      ],
    },
    options: {
      ...base,
      indexAxis: "y",
      plugins: {
        ...base.plugins,
        tooltip: { ...base.plugins.tooltip, mode: "index", intersect: false },
      },
      scales: {
        x: {
          ...axisStyle(target, "WAPE: absolute error over actual units"),
          beginAtZero: true,
          ticks: {
            ...axisStyle(target).ticks, // Both bounds: Chart.js sets a minimum from the tick step, which must not exceed the maximum.
            format: { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 0 },
          },
        },
        y: {
          ...axisStyle(target),
          grid: { display: false },
          ticks: { ...axisStyle(target).ticks, autoSkip: false },
        },
      },
    },
  };
}
