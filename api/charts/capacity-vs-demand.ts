/**
 * Capacity vs demand per product family and month: demand as bars split into the part capacity
 * covers and the gap above it (highlighted), capacity as a stepped line.
 *
 * One family is one chart. Several families become side-by-side panels on one shared axis (one
 * image for Slack, one legend, comparable heights); `buildEach` gives one config per family with a
 * common scale for a grid of small charts on the dashboard.
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import {
  formatUnits,
  monthLabel,
  periodLabel,
  periodLongLabel,
  UNITS_TICK_FORMAT,
} from "../domain/format.js";
import {
  type BuildOptions,
  checkConsecutive,
  nonNegative,
  nonNegativeOrNull,
  period,
  resolveOptions,
} from "./inputs.js";
import { axisStyle, baseOptions, CHART_SIZES, ROLE_COLORS, withAlpha } from "./theme.js";

export const title = "Capacity vs demand";

/** Families per image: beyond this the panels get too narrow to read. */
export const MAX_FAMILIES = 6;

export const schema = z
  .object({
    /** Unit of demand and capacity, for the axis title. */
    unit: z.string().min(1).max(20).default("units"),
    /**
     * Per family, months oldest first: demand (the demand plan over all its SKUs and locations)
     * and capacity (null: no capacity recorded for that month, so no gap either).
     */
    families: z
      .array(
        z.object({
          family: z.string().min(1).max(60),
          months: z
            .array(z.object({ period, demand: nonNegative, capacity: nonNegativeOrNull }))
            .min(1)
            .max(24),
        }),
      )
      .min(1)
      .max(MAX_FAMILIES),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.families.forEach((f, i) => {
      if (seen.has(f.family)) {
        ctx.addIssue({ code: "custom", path: ["families", i, "family"], message: "family appears twice" });
      }
      seen.add(f.family);
      checkConsecutive(
        f.months.map((m) => m.period),
        ctx,
        ["families", i, "months"],
      );
    });
  });

export type CapacityVsDemandInput = z.input<typeof schema>;
type Family = z.output<typeof schema>["families"][number];

/** Units of demand above capacity in a month; 0 when capacity is unknown. */
export function gapUnits(demand: number, capacity: number | null): number {
  return capacity === null ? 0 : Math.max(0, demand - capacity);
}

function summary(families: readonly Family[], unit: string, locale: string): string {
  let total = 0;
  let months = 0;
  let short = 0;
  for (const f of families) {
    const gaps = f.months.map((m) => gapUnits(m.demand, m.capacity)).filter((g) => g > 0);
    total += gaps.reduce((s, g) => s + g, 0);
    months += gaps.length;
    if (gaps.length > 0) short += 1;
  }
  if (total === 0) return `${title} — demand within capacity`;
  const amount = `${formatUnits(total, locale)} ${unit}`;
  if (families.length === 1)
    return `${title} — short by ${amount} in ${months} ${months === 1 ? "month" : "months"}`;
  return `${title} — ${short} of ${families.length} families short, ${amount} in all`;
}

function range(families: readonly Family[], locale: string): string {
  const periods = families.flatMap((f) => f.months.map((m) => m.period)).sort();
  const first = periods[0] ?? "";
  const last = periods.at(-1) ?? "";
  return first === last
    ? periodLongLabel(first, locale)
    : `${periodLongLabel(first, locale)} – ${periodLongLabel(last, locale)}`;
}

function config(
  families: readonly Family[],
  unit: string,
  options: Required<BuildOptions>,
  suggestedMax?: number,
): ChartConfiguration<"bar" | "line"> {
  const { target, locale } = options;
  const multi = families.length > 1;
  // Panels laid out on one category axis, an empty category between two families.
  const labels: string[] = [];
  const panelLabels: string[] = [];
  const within: (number | null)[] = [];
  const gap: (number | null)[] = [];
  const capacity: (number | null)[] = [];
  families.forEach((f, i) => {
    if (i > 0) {
      labels.push("");
      panelLabels.push("");
      within.push(null);
      gap.push(null);
      capacity.push(null);
    }
    const middle = Math.floor((f.months.length - 1) / 2);
    f.months.forEach((m, j) => {
      // Panels are narrow: the month alone, the years are in the subtitle.
      labels.push(multi ? monthLabel(m.period, locale) : periodLabel(m.period, locale));
      panelLabels.push(j === middle ? f.family : "");
      const g = gapUnits(m.demand, m.capacity);
      within.push(m.demand - g);
      gap.push(g);
      capacity.push(m.capacity);
    });
  });

  // Half the width of a category in pixels, a little less: the plot is the chart's width minus
  // the value axis. Fixed pixels, so on a much wider or narrower dashboard card the dashes are
  // somewhat shorter or longer than the bars; they still mark the level.
  const plotWidth = CHART_SIZES[target].width - 90;
  const markerRadius = Math.round(Math.min(48, Math.max(4, (plotWidth / labels.length) * 0.42)));

  const subtitle = [multi ? undefined : families[0]?.family, range(families, locale), "demand = demand plan"]
    .filter((s) => s !== undefined)
    .join(" · ");
  const base = baseOptions(target, { title: summary(families, unit, locale), subtitle, locale });
  const xTicks = { ...axisStyle(target).ticks, maxRotation: 0, autoSkip: true, autoSkipPadding: 4 };

  return {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          type: "line",
          label: "Capacity",
          data: capacity,
          borderColor: ROLE_COLORS.capacity,
          backgroundColor: ROLE_COLORS.capacity,
          // A bold dash across each month's bar, like a bullet chart's target: a line through the
          // bar centres would stop half a bar short at both ends.
          showLine: false,
          pointStyle: "line",
          pointRadius: markerRadius,
          pointHoverRadius: markerRadius,
          pointBorderWidth: 4,
          pointHoverBorderWidth: 5,
          stack: "capacity",
          order: 0,
        },
        {
          type: "bar",
          label: "Demand within capacity",
          data: within,
          backgroundColor: withAlpha(ROLE_COLORS.demand, 0.8),
          stack: "demand",
          order: 1,
        },
        {
          type: "bar",
          label: "Demand over capacity (gap)",
          data: gap,
          backgroundColor: ROLE_COLORS.risk,
          stack: "demand",
          order: 1,
        },
      ],
    },
    options: {
      ...base,
      // Chart.js pads the plot by the largest point radius; the dashes stay within their month.
      layout: { ...base.layout, autoPadding: false },
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ...axisStyle(target), stacked: true, grid: { display: false }, ticks: xTicks },
        ...(multi
          ? {
              // Family names under their panel: a second category axis aligned with the first.
              families: {
                type: "category" as const,
                axis: "x" as const,
                position: "bottom" as const,
                offset: true,
                labels: panelLabels,
                grid: { display: false },
                border: { display: false },
                ticks: {
                  ...axisStyle(target).ticks,
                  font: { ...axisStyle(target).ticks.font, weight: "bold" as const },
                  autoSkip: false,
                  maxRotation: 0,
                },
              },
            }
          : {}),
        y: {
          ...axisStyle(target, unit),
          stacked: true,
          beginAtZero: true,
          ...(suggestedMax === undefined ? {} : { suggestedMax }),
          ticks: { ...axisStyle(target).ticks, format: UNITS_TICK_FORMAT },
        },
      },
    },
  };
}

/** Chart.js config (JSON) for capacity vs demand of one family, or side-by-side panels for several; units. */
export function build(
  input: CapacityVsDemandInput,
  options?: BuildOptions,
): ChartConfiguration<"bar" | "line"> {
  const data = schema.parse(input);
  return config(data.families, data.unit, resolveOptions(options));
}

/**
 * One config per family, all with the same value-axis maximum, for a grid of small charts where
 * bar heights compare across families.
 */
export function buildEach(
  input: CapacityVsDemandInput,
  options?: BuildOptions,
): ChartConfiguration<"bar" | "line">[] {
  const data = schema.parse(input);
  const max = Math.max(...data.families.flatMap((f) => f.months.flatMap((m) => [m.demand, m.capacity ?? 0])));
  return data.families.map((f) => config([f], data.unit, resolveOptions(options), max));
}
