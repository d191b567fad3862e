/**
 * A variance alert (variance-alerts): one family's month off plan by more than the threshold,
 * or its A-items off plan, with the figures and a link to the family's accuracy.
 */
import { periodLongLabel } from "../../../api/domain/format.js";
import {
  context,
  escapeMrkdwn,
  fallbackText,
  fitBlocks,
  type KnownBlock,
  linesToSections,
  section,
} from "../kit.js";
import { dashboardLinks, type Numbers, signedPercent, units } from "./format.js";

export interface VarianceFigures {
  actualUnits: number;
  planUnits: number;
  deviation: number | null;
  flagged: boolean;
}

export interface VarianceAlertInput {
  family: string;
  /** 'YYYY-MM' */
  period: string;
  threshold: number;
  total: VarianceFigures;
  /** A-items of the family beyond the threshold, largest first. */
  items: (VarianceFigures & { sku: string; name: string })[];
  unplannedUnits: number;
  links: { accuracy: string; family: string };
  numbers: Numbers;
}

function direction(d: number | null): string {
  if (d === null) return "sold against no plan";
  return d < 0 ? "below plan" : "above plan";
}

function figures(v: VarianceFigures, locale: string): string {
  return `${units(v.actualUnits, locale)} units vs ${units(v.planUnits, locale)} planned`;
}

export function varianceAlert(input: VarianceAlertInput): { text: string; blocks: KnownBlock[] } {
  const n = input.numbers;
  const month = periodLongLabel(input.period, n.locale);
  const t = input.total;
  const emoji =
    t.deviation !== null && t.deviation < 0 ? ":chart_with_downwards_trend:" : ":chart_with_upwards_trend:";
  const family = escapeMrkdwn(input.family);
  const headline = t.flagged
    ? `${emoji} *${family}* sold *${t.deviation === null ? "against a plan of 0" : `${signedPercent(t.deviation, n.locale)}`}* ${
        t.deviation === null ? "" : direction(t.deviation)
      } in ${month}: ${figures(t, n.locale)}.`
    : `:mag: *${family}* is within ±${Math.round(input.threshold * 100)}% of plan in ${month} (${
        t.deviation === null ? "no plan" : signedPercent(t.deviation, n.locale)
      }), but ${input.items.length === 1 ? "an A-item is" : `${input.items.length} A-items are`} off plan.`;
  const head: KnownBlock[] = [section(headline)];
  const itemLines = input.items.map(
    (i) =>
      `• *${escapeMrkdwn(i.sku)}* ${escapeMrkdwn(i.name)}: ${figures(i, n.locale)} (${
        i.deviation === null ? "no plan" : signedPercent(i.deviation, n.locale)
      })`,
  );
  const items = itemLines.length ? linesToSections(["*A-items off plan*", ...itemLines]) : [];
  const notes = [
    `Threshold ±${Math.round(input.threshold * 100)}% · plan = the consensus forecast the month started with`,
    input.unplannedUnits > 0
      ? `${units(input.unplannedUnits, n.locale)} units sold on lines without a plan`
      : "",
  ].filter(Boolean);
  const tail: KnownBlock[] = [
    context(notes.join(" · ")),
    dashboardLinks([
      [`${input.family} accuracy`, input.links.accuracy],
      ["Family overview", input.links.family],
    ]),
  ];
  const text = fallbackText(
    t.flagged
      ? `${input.family} ${t.deviation === null ? "sold against a plan of 0" : `${signedPercent(t.deviation, n.locale)} ${direction(t.deviation)}`} in ${month}: ${figures(t, n.locale)}.`
      : `${input.family}: ${input.items.length} A-item${input.items.length === 1 ? "" : "s"} off plan in ${month}.`,
  );
  return {
    text,
    blocks: fitBlocks(head, items, tail, { moreUrl: input.links.accuracy, noun: "more A-items" }),
  };
}
