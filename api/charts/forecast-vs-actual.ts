/**
 * Forecast vs actual: the closed months' actuals and their lag-k forecasts, then the plan for
 * the months ahead (dashed), with the window's accuracy in the title.
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { formatPercent, periodLabel, periodLongLabel, UNITS_TICK_FORMAT } from "../domain/format.js";
import { type BuildOptions, checkConsecutive, nonNegativeOrNull, period, resolveOptions } from "./inputs.js";
import { axisStyle, baseOptions, ROLE_COLORS, TYPE_SCALE } from "./theme.js";

export const title = "Forecast vs actual";

export const schema = z
  .object({
    /** What the numbers cover, shown under the title: "All items", a family, a SKU. */
    scope: z.string().min(1).max(80).optional(),
    /** Forecast lag in months (1: made the month before). */
    lag: z.number().int().min(0).max(24).default(1),
    /** Accuracy over the history window, a fraction (0.883 = 88.3%); null when undefined (no actuals). */
    accuracy: z.number().finite().min(0).max(1).nullable(),
    /** Closed months, oldest first: actual units and the lag-k forecast units (null = no data). */
    history: z
      .array(z.object({ period, actual: nonNegativeOrNull, forecast: nonNegativeOrNull }))
      .min(1)
      .max(36),
    /** The months after the history, oldest first: planned units. */
    plan: z
      .array(z.object({ period, units: nonNegativeOrNull }))
      .max(24)
      .default([]),
    /** Unit of the quantities, for the axis title. */
    unit: z.string().min(1).max(20).default("units"),
  })
  .superRefine((d, ctx) => {
    checkConsecutive(
      d.history.map((h) => h.period),
      ctx,
      ["history"],
    );
    const last = d.history.at(-1)?.period;
    checkConsecutive(
      d.plan.map((p) => p.period),
      ctx,
      ["plan"],
      last,
    );
  });

export type ForecastVsActualInput = z.input<typeof schema>;

/** Accuracy for the title: "88.3%", or "n/a" when there were no actuals. */
export function accuracyText(accuracy: number | null, locale: string) {
  return accuracy === null ? "n/a" : formatPercent(accuracy, locale);
}

/** Chart.js config (JSON) for forecast vs actual; quantities in units, accuracy a fraction. */
export function build(input: ForecastVsActualInput, options?: BuildOptions): ChartConfiguration<"line"> {
  const data = schema.parse(input);
  const { target, locale } = resolveOptions(options);
  const h = data.history.length;
  const p = data.plan.length;
  const periods = [...data.history.map((r) => r.period), ...data.plan.map((r) => r.period)];
  const pad = (n: number) => Array.from({ length: n }, () => null);
  const line = TYPE_SCALE[target].base >= 14 ? 3 : 2;

  const first = data.history[0]?.period ?? "";
  const lastHistory = data.history.at(-1)?.period ?? "";
  const lastPlan = data.plan.at(-1)?.period;
  const window = `actuals ${periodLongLabel(first, locale)} – ${periodLongLabel(lastHistory, locale)}`;
  const subtitle = [data.scope, window, lastPlan ? `plan to ${periodLongLabel(lastPlan, locale)}` : undefined]
    .filter((s) => s !== undefined)
    .join(" · ");

  const base = baseOptions(target, {
    title: `${title} — accuracy ${accuracyText(data.accuracy, locale)} (lag ${data.lag})`,
    subtitle,
    locale,
  });
  return {
    type: "line",
    data: {
      labels: periods.map((x) => periodLabel(x, locale)),
      datasets: [
        {
          label: "Actual",
          data: [...data.history.map((r) => r.actual), ...pad(p)],
          borderColor: ROLE_COLORS.actual,
          backgroundColor: ROLE_COLORS.actual,
          borderWidth: line,
          pointRadius: 3,
          pointHoverRadius: 5,
          spanGaps: false,
        },
        {
          label: `Forecast (lag ${data.lag})`,
          data: [...data.history.map((r) => r.forecast), ...pad(p)],
          borderColor: ROLE_COLORS.forecast,
          backgroundColor: ROLE_COLORS.forecast,
          borderWidth: Math.max(2, line - 1),
          pointStyle: "rectRot",
          pointRadius: 4,
          pointHoverRadius: 6,
          spanGaps: false,
        },
        {
          label: "Plan",
          data: [...pad(h), ...data.plan.map((r) => r.units)],
          borderColor: ROLE_COLORS.plan,
          backgroundColor: ROLE_COLORS.plan,
          borderWidth: line,
          borderDash: [8, 5],
          pointRadius: 3,
          pointHoverRadius: 5,
          spanGaps: false,
        },
      ],
    },
    options: {
      ...base,
      interaction: { mode: "index", intersect: false },
      plugins: {
        ...base.plugins,
        // Line samples in the legend, so the plan's sample is dashed like the plan.
        legend: {
          ...base.plugins.legend,
          labels: {
            ...base.plugins.legend.labels,
            usePointStyle: true,
            pointStyle: "line",
            pointStyleWidth: 32,
          },
        },
      },
      scales: {
        x: {
          ...axisStyle(target),
          grid: { display: false },
          ticks: { ...axisStyle(target).ticks, maxRotation: 0, autoSkip: true, autoSkipPadding: 8 },
        },
        y: {
          ...axisStyle(target, data.unit),
          // Lines compare levels month to month; starting at zero would flatten the errors.
          beginAtZero: false,
          grace: "5%",
          ticks: { ...axisStyle(target).ticks, format: UNITS_TICK_FORMAT },
        },
      },
    },
  };
}
