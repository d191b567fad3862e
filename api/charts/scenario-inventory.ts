/**
 * A what-if scenario's projected inventory value month by month beside the base plan's: two
 * bars per month (money, at unit cost), so a scenario that builds or drains stock shows at once.
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { formatMoney, moneyTickFormat, periodLabel } from "../domain/format.js";
import { type BuildOptions, checkConsecutive, nonNegative, period, resolveOptions } from "./inputs.js";
import { axisStyle, baseOptions, PALETTE, ROLE_COLORS, withAlpha } from "./theme.js";

export const title = "Projected inventory value: base plan and scenario";

export const schema = z
  .object({
    /** The scenario's name or its changes, shown under the title. */
    scenario: z.string().min(1).max(200).optional(),
    /** Months oldest first: inventory value (money) of the base plan and of the scenario. */
    months: z
      .array(z.object({ period, base: nonNegative, scenario: nonNegative }))
      .min(1)
      .max(24),
  })
  .superRefine((d, ctx) =>
    checkConsecutive(
      d.months.map((m) => m.period),
      ctx,
      ["months"],
    ),
  );

export type ScenarioInventoryInput = z.input<typeof schema>;

/** Chart.js config (JSON) for the inventory value of the base plan and the scenario, money. */
export function build(input: ScenarioInventoryInput, options?: BuildOptions): ChartConfiguration<"bar"> {
  const data = schema.parse(input);
  const { target, locale, currency } = resolveOptions(options);
  const last = data.months.at(-1)!;
  const change = last.scenario - last.base;
  const subtitle = [
    data.scenario,
    `end of horizon ${formatMoney(last.scenario, locale, currency)} against ${formatMoney(last.base, locale, currency)}${
      change === 0 ? "" : ` (${change > 0 ? "+" : "−"}${formatMoney(Math.abs(change), locale, currency)})`
    }`,
  ]
    .filter((s) => s !== undefined)
    .join(" · ");
  const base = baseOptions(target, { title, subtitle, locale });
  return {
    type: "bar",
    data: {
      labels: data.months.map((m) => periodLabel(m.period, locale)),
      datasets: [
        {
          label: "Base plan",
          data: data.months.map((m) => m.base),
          backgroundColor: withAlpha(ROLE_COLORS.inventory, 0.8),
          borderColor: ROLE_COLORS.inventory,
          borderWidth: 1,
        },
        {
          label: "Scenario",
          data: data.months.map((m) => m.scenario),
          backgroundColor: withAlpha(PALETTE.purple, 0.8),
          borderColor: PALETTE.purple,
          borderWidth: 1,
        },
      ],
    },
    options: {
      ...base,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ...axisStyle(target), grid: { display: false } },
        y: {
          ...axisStyle(target, `inventory value (${currency})`),
          beginAtZero: true,
          ticks: { ...axisStyle(target).ticks, format: moneyTickFormat(currency) },
        },
      },
    },
  };
}
