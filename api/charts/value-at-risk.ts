/**
 * Value at risk by family: projected shortage units × unit price, largest first, as horizontal
 * bars with the amounts written beside them.
 */
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { formatMoney, moneyTickFormat } from "../domain/format.js";
import { type BuildOptions, isoDate, nonNegative, resolveOptions } from "./inputs.js";
import { axisStyle, baseOptions, ROLE_COLORS, withAlpha } from "./theme.js";

export const title = "Value at risk by family";

/** Bars shown before the rest are summed into one "Other" bar; more stop reading well at 800×400. */
export const DEFAULT_MAX_BARS = 10;

export const schema = z
  .object({
    /** Per family: value at risk (money) and, optionally, the shortage units behind it. */
    families: z
      .array(
        z.object({
          family: z.string().min(1).max(60),
          valueAtRisk: nonNegative,
          shortageUnits: nonNegative.optional(),
        }),
      )
      .max(500),
    /** Projection horizon in months, for the subtitle. */
    horizonMonths: z.number().int().min(1).max(24).default(6),
    /** Date of the inventory snapshot the projection starts from. */
    asOf: isoDate.optional(),
    /** Bars to show; the smaller families beyond it are summed into "Other (N families)". */
    maxBars: z.number().int().min(1).max(30).default(DEFAULT_MAX_BARS),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.families.forEach((f, i) => {
      if (seen.has(f.family)) {
        ctx.addIssue({ code: "custom", path: ["families", i, "family"], message: "family appears twice" });
      }
      seen.add(f.family);
    });
  });

export type ValueAtRiskInput = z.input<typeof schema>;

interface Bar {
  label: string;
  value: number;
}

/** Largest value first, ties by family name; the tail beyond `maxBars` summed into one bar. */
export function rankFamilies(
  families: readonly { family: string; valueAtRisk: number }[],
  maxBars: number,
): Bar[] {
  const sorted = [...families].sort(
    (a, b) => b.valueAtRisk - a.valueAtRisk || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0),
  );
  if (sorted.length <= maxBars) return sorted.map((f) => ({ label: f.family, value: f.valueAtRisk }));
  // Keep maxBars bars in all: maxBars − 1 families and the "Other" bar.
  const head = sorted.slice(0, maxBars - 1);
  const tail = sorted.slice(maxBars - 1);
  return [
    ...head.map((f) => ({ label: f.family, value: f.valueAtRisk })),
    { label: `Other (${tail.length} families)`, value: tail.reduce((s, f) => s + f.valueAtRisk, 0) },
  ];
}

/** Chart.js config (JSON) for value at risk by family, in money. */
export function build(input: ValueAtRiskInput, options?: BuildOptions): ChartConfiguration<"bar"> {
  const data = schema.parse(input);
  const { target, locale, currency } = resolveOptions(options);
  const bars = rankFamilies(data.families, data.maxBars);
  const total = data.families.reduce((s, f) => s + f.valueAtRisk, 0);
  const atRisk = data.families.filter((f) => f.valueAtRisk > 0).length;

  const headline =
    total > 0
      ? `${title} — ${formatMoney(total, locale, currency)} in ${atRisk} ${atRisk === 1 ? "family" : "families"}`
      : `${title} — none`;
  const subtitle = [
    `projected shortage × unit price, next ${data.horizonMonths} months`,
    data.asOf ? `stock as of ${data.asOf}` : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(" · ");
  const base = baseOptions(target, { title: headline, subtitle, locale });

  return {
    type: "bar",
    data: {
      labels: bars.map((b) => b.label),
      datasets: [
        {
          label: "Value at risk",
          data: bars.map((b) => b.value),
          backgroundColor: withAlpha(ROLE_COLORS.risk, 0.85),
          borderColor: ROLE_COLORS.risk,
          borderWidth: 1,
          maxBarThickness: 36,
        },
      ],
    },
    options: {
      ...base,
      indexAxis: "y",
      plugins: { ...base.plugins, legend: { ...base.plugins.legend, display: false } },
      scales: {
        x: {
          ...axisStyle(target),
          beginAtZero: true,
          ticks: { ...axisStyle(target).ticks, format: moneyTickFormat(currency) },
        },
        y: {
          ...axisStyle(target),
          grid: { display: false },
          ticks: { ...axisStyle(target).ticks, autoSkip: false },
        },
        // The amounts, as a second category axis on the right aligned with the bars: Chart.js
        // has no data labels without a plugin, and this keeps the config plain JSON.
        amounts: {
          ...axisStyle(target),
          type: "category",
          axis: "y",
          position: "right",
          offset: true,
          labels: bars.map((b) => formatMoney(b.value, locale, currency)),
          grid: { display: false },
          border: { display: false },
          ticks: { ...axisStyle(target).ticks, autoSkip: false },
        },
      },
    },
  };
}
