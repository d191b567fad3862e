/**
 * Inventory trend: inventory value per month (bars, money, left axis) and inventory turns
 * (line, right axis).
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import {
  formatMoney,
  formatNumber,
  moneyTickFormat,
  periodLabel,
  periodLongLabel,
} from "../domain/format.js";
import { type BuildOptions, checkConsecutive, nonNegativeOrNull, period, resolveOptions } from "./inputs.js";
import { axisStyle, baseOptions, ROLE_COLORS, withAlpha } from "./theme.js";

export const title = "Inventory value and turns";

export const schema = z
  .object({
    /** What the numbers cover, shown under the title: "All items", a family, a location. */
    scope: z.string().min(1).max(80).optional(),
    /**
     * Months oldest first: inventory value (money, at unit cost) and turns (COGS of the trailing
     * 12 months / their average inventory value); null = no data.
     */
    months: z
      .array(z.object({ period, value: nonNegativeOrNull, turns: nonNegativeOrNull }))
      .min(1)
      .max(36),
  })
  .superRefine((d, ctx) =>
    checkConsecutive(
      d.months.map((m) => m.period),
      ctx,
      ["months"],
    ),
  );

export type InventoryTrendInput = z.input<typeof schema>;

/** Chart.js config (JSON) for inventory value (money) and turns (a ratio, per year). */
export function build(
  input: InventoryTrendInput,
  options?: BuildOptions,
): ChartConfiguration<"bar" | "line"> {
  const data = schema.parse(input);
  const { target, locale, currency } = resolveOptions(options);

  const lastValue = data.months.findLast((m) => m.value !== null);
  const lastTurns = data.months.findLast((m) => m.turns !== null);
  const latest = [
    lastValue?.value != null
      ? `${formatMoney(lastValue.value, locale, currency)} in ${periodLongLabel(lastValue.period, locale)}`
      : undefined,
    lastTurns?.turns != null
      ? `${formatNumber(lastTurns.turns, locale)} turns (${formatNumber(365 / lastTurns.turns, locale, 0)} days)`
      : undefined,
  ].filter((s) => s !== undefined);
  const subtitle = [data.scope, latest.length > 0 ? `latest ${latest.join(", ")}` : undefined]
    .filter((s) => s !== undefined)
    .join(" · ");
  const base = baseOptions(target, { title, subtitle: subtitle || undefined, locale });

  return {
    type: "bar",
    data: {
      labels: data.months.map((m) => periodLabel(m.period, locale)),
      datasets: [
        {
          type: "bar",
          label: "Inventory value",
          data: data.months.map((m) => m.value),
          yAxisID: "y",
          backgroundColor: withAlpha(ROLE_COLORS.inventory, 0.75),
          borderColor: ROLE_COLORS.inventory,
          borderWidth: 1,
          order: 1,
        },
        {
          type: "line",
          label: "Turns (right axis)",
          data: data.months.map((m) => m.turns),
          yAxisID: "y1",
          borderColor: ROLE_COLORS.turns,
          backgroundColor: ROLE_COLORS.turns,
          borderWidth: 3,
          pointRadius: 3,
          pointHoverRadius: 5,
          spanGaps: false,
          // Lower order draws later: the line stays on top of the bars.
          order: 0,
        },
      ],
    },
    options: {
      ...base,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: {
          ...axisStyle(target),
          grid: { display: false },
          ticks: { ...axisStyle(target).ticks, maxRotation: 0, autoSkip: true, autoSkipPadding: 8 },
        },
        y: {
          ...axisStyle(target, `inventory value (${currency})`),
          position: "left",
          beginAtZero: true,
          ticks: { ...axisStyle(target).ticks, format: moneyTickFormat(currency) },
        },
        y1: {
          ...axisStyle(target, "turns per year"),
          position: "right",
          beginAtZero: true,
          // One set of grid lines is enough; the right axis only labels the line.
          grid: { drawOnChartArea: false },
          ticks: { ...axisStyle(target).ticks, format: { maximumFractionDigits: 1 } },
        },
      },
    },
  };
}
