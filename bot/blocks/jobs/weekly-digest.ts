/**
 * The weekly check-in (weekly-digest): sales against plan this month, inventory risk, the top
 * gaps and where the cycle stands, with chart snapshots uploaded right after it.
 */
import { periodLongLabel } from "../../../api/domain/format.js";
import {
  context,
  divider,
  escapeMrkdwn,
  fallbackText,
  fields,
  header,
  type KnownBlock,
  linesToSections,
  SLACK_LIMITS,
} from "../kit.js";
import { dashboardLinks, dateLabel, money, type Numbers, plural, signedPercent, units } from "./format.js";
import {
  type CapacityShortfall,
  type CycleStanding,
  capacityLines,
  cycleLines,
  type SalesVsPlan,
  type Shortage,
  salesLines,
  shortageLines,
} from "./sections.js";

export interface WeeklyDigestInput {
  company: string;
  /** The Monday of the week, 'YYYY-MM-DD'. */
  weekOf: string;
  /** The company's local date. */
  today: string;
  sales: SalesVsPlan;
  risk: {
    high: number;
    valueAtRisk: number;
    shortageCount: number;
    daysOfInventory: number | null;
    excessValue: number;
  };
  shortages: Shortage[];
  capacity: CapacityShortfall[];
  cycle: CycleStanding | null;
  /** P: the latest month with sales. */
  dataThrough: string | null;
  /** When sales were last imported, 'YYYY-MM-DD' local. */
  salesImportedOn: string | null;
  /** Titles of the charts uploaded after the message. */
  charts: string[];
  /** Why there are no charts, when there are none. */
  chartsNote: string | null;
  links: { overview: string; risk: string; cycle: string };
  numbers: Numbers;
}

export function weeklyDigest(input: WeeklyDigestInput): { text: string; blocks: KnownBlock[] } {
  const n = input.numbers;
  const r = input.risk;
  const blocks: KnownBlock[] = [
    header(`Weekly S&OP check-in · week of ${dateLabel(input.weekOf, n.locale).slice(4)}`),
    ...linesToSections(salesLines(input.sales, n)),
    divider(),
    ...linesToSections([`*Inventory risk*`]),
    fields([
      `*High risk*\n${plural(r.high, "SKU-location")}`,
      `*Value at risk*\n${money(r.valueAtRisk, n)}`,
      `*Days of inventory*\n${r.daysOfInventory === null ? "–" : units(r.daysOfInventory, n.locale)}`,
      `*Excess stock*\n${money(r.excessValue, n)}`,
    ]),
  ];
  const gapLines: string[] = [];
  if (input.shortages.length > 0) {
    gapLines.push(
      `*Top gaps* — ${plural(r.shortageCount, "SKU-location")} short, ${money(r.valueAtRisk, n)} at risk`,
    );
    gapLines.push(...shortageLines(input.shortages, input.today, n));
  } else {
    gapLines.push("*Top gaps* — no shortages projected.");
  }
  const cap = capacityLines(input.capacity, n);
  if (cap.length)
    gapLines.push(
      ...cap.slice(0, 3),
      ...(cap.length > 3 ? [`+${cap.length - 3} more families short of capacity`] : []),
    );
  blocks.push(...linesToSections(gapLines), divider(), ...linesToSections(cycleLines(input.cycle, n)));
  const notes = [
    input.dataThrough
      ? `Data through ${periodLongLabel(input.dataThrough, n.locale)}`
      : "No sales history yet",
    input.salesImportedOn ? `sales imported ${dateLabel(input.salesImportedOn, n.locale)}` : "",
    input.charts.length ? `charts below: ${input.charts.join(", ")}` : (input.chartsNote ?? ""),
  ].filter(Boolean);
  blocks.push(
    context(escapeMrkdwn(notes.join(" · "))),
    dashboardLinks([
      ["Overview", input.links.overview],
      ["Risk & gaps", input.links.risk],
      ["Cycle", input.links.cycle],
    ]),
  );
  const s = input.sales;
  const salesText = s.hasActuals
    ? `sales ${s.deviation === null ? "without a plan" : `${signedPercent(s.deviation, n.locale)} vs plan`}`
    : "no sales this month yet";
  const text = fallbackText(
    `Weekly S&OP check-in: ${salesText}; ${plural(r.high, "high-risk SKU-location")}, ${money(
      r.valueAtRisk,
      n,
    )} at risk${input.cycle ? `; cycle ${input.cycle.signed}/${input.cycle.total} signed` : ""}.`,
  );
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

/** The comment above the uploaded charts. */
export function digestChartsComment(weekOf: string, titles: string[], locale = "en-US"): string {
  return `Charts for the week of ${dateLabel(weekOf, locale).slice(4)}: ${titles.join(" · ")}`;
}
