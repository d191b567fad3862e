/**
 * The executive pre-read (monthly-pack), two business days before the executive S&OP: the
 * decisions needed first (shortages, capacity), then how the plan performed (accuracy, bias and
 * forecast value added by family), inventory (turns, excess) and the cycle's standing.
 */
import { periodLabel, periodLongLabel } from "../../../api/domain/format.js";
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
  section,
} from "../kit.js";
import {
  businessDaysWhen,
  dashboardLinks,
  dateLabel,
  decimal,
  money,
  type Numbers,
  percent,
  plural,
  signed,
  signedPercent,
  signedPoints,
  units,
} from "./format.js";
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

export interface FamilyAccuracy {
  family: string;
  accuracy: number | null;
  bias: number | null;
  /** WAPE(statistical) − WAPE(consensus): positive = the consensus step helped. */
  consensusFva: number | null;
}

export interface MonthlyPackInput {
  company: string;
  /** 'YYYY-MM' */
  cycle: string;
  today: string;
  meeting: { name: string; dueDate: string; businessDaysLeft: number } | null;
  shortages: Shortage[];
  shortageCount: number;
  valueAtRisk: number;
  capacity: CapacityShortfall[];
  accuracy: {
    from: string;
    to: string;
    accuracy: number | null;
    bias: number | null;
    naiveToStatistical: number | null;
    statisticalToConsensus: number | null;
    families: FamilyAccuracy[];
  };
  inventory: {
    turns: number | null;
    turnsChange: number | null;
    daysOfInventory: number | null;
    inventoryValue: number | null;
    excessValue: number;
    slowMovingCount: number;
    slowMovingValue: number;
  };
  sales: SalesVsPlan | null;
  cycleStanding: CycleStanding | null;
  charts: string[];
  chartsNote: string | null;
  links: { overview: string; accuracy: string; risk: string; inventory: string; cycle: string };
  numbers: Numbers;
}

/** |bias| beyond this, or a consensus step that cost more than a point of WAPE, earns a flag. */
const BIAS_FLAG = 0.1;
const FVA_FLAG = -0.01;

function familyLine(f: FamilyAccuracy, n: Numbers): string {
  const flag =
    (f.bias !== null && Math.abs(f.bias) > BIAS_FLAG) ||
    (f.consensusFva !== null && f.consensusFva < FVA_FLAG)
      ? " :warning:"
      : "";
  const parts = [
    `${percent(f.accuracy, n.locale)} accurate`,
    f.bias === null ? null : `bias ${signedPercent(f.bias, n.locale)}`,
    f.consensusFva === null ? null : `consensus FVA ${signedPoints(f.consensusFva, n.locale)}`,
  ].filter(Boolean);
  return `• *${escapeMrkdwn(f.family)}* ${parts.join(" · ")}${flag}`;
}

export function monthlyPack(input: MonthlyPackInput): { text: string; blocks: KnownBlock[] } {
  const n = input.numbers;
  const month = periodLongLabel(input.cycle, n.locale);
  const m = input.meeting;
  const blocks: KnownBlock[] = [
    header(`Executive S&OP pre-read · ${month}`),
    section(
      m
        ? `*${escapeMrkdwn(m.name)}* is due *${dateLabel(m.dueDate, n.locale)}* (${businessDaysWhen(m.businessDaysLeft)}). What needs a decision first, then how the plan performed.`
        : "What needs a decision first, then how the plan performed.",
    ),
    divider(),
  ];

  const decisions: string[] = ["*Decisions needed*"];
  if (input.shortageCount > 0) {
    decisions.push(
      `:package: *Shortages* — ${plural(input.shortageCount, "SKU-location")}, ${money(input.valueAtRisk, n)} at risk`,
      ...shortageLines(input.shortages, input.today, n),
    );
  }
  const cap = capacityLines(input.capacity, n);
  if (cap.length) decisions.push(":factory: *Capacity shortfalls*", ...cap.map((l) => `• ${l}`));
  if (decisions.length === 1)
    decisions.push("No shortages or capacity gaps projected: nothing to trade off.");
  blocks.push(...linesToSections(decisions), divider());

  const a = input.accuracy;
  const window = `${periodLabel(a.from, n.locale)} – ${periodLabel(a.to, n.locale)}`;
  const worst = [...a.families].sort(
    (x, y) => (x.accuracy ?? 2) - (y.accuracy ?? 2) || x.family.localeCompare(y.family),
  );
  const shown = worst.slice(0, 8);
  const accuracyLines = [
    `*Forecast accuracy* (consensus, lag 1, ${window})`,
    [
      `${percent(a.accuracy, n.locale)} accurate`,
      a.bias === null ? null : `bias ${signedPercent(a.bias, n.locale)}`,
      a.naiveToStatistical === null
        ? null
        : `statistical FVA ${signedPoints(a.naiveToStatistical, n.locale)}`,
      a.statisticalToConsensus === null
        ? null
        : `consensus FVA ${signedPoints(a.statisticalToConsensus, n.locale)}`,
    ]
      .filter(Boolean)
      .join(" · "),
    ...shown.map((f) => familyLine(f, n)),
    ...(worst.length > shown.length
      ? [`+${worst.length - shown.length} more families in the dashboard`]
      : []),
  ];
  blocks.push(...linesToSections(accuracyLines));

  const inv = input.inventory;
  blocks.push(
    section("*Inventory*"),
    fields([
      `*Turns*\n${inv.turns === null ? "–" : decimal(inv.turns, n.locale)}${
        inv.turnsChange === null || inv.turns === null
          ? ""
          : ` (${signed(inv.turnsChange, n.locale)} vs last month)`
      }`,
      `*Days of inventory*\n${inv.daysOfInventory === null ? "–" : units(inv.daysOfInventory, n.locale)}`,
      `*Inventory value*\n${inv.inventoryValue === null ? "–" : money(inv.inventoryValue, n)}`,
      `*Excess stock*\n${money(inv.excessValue, n)}`,
      `*Slow movers*\n${plural(inv.slowMovingCount, "SKU-location")} · ${money(inv.slowMovingValue, n)}`,
    ]),
  );
  if (input.sales) blocks.push(...linesToSections(salesLines(input.sales, n)));
  blocks.push(divider(), ...linesToSections(cycleLines(input.cycleStanding, n)));
  blocks.push(
    context(
      escapeMrkdwn(
        input.charts.length ? `Charts below: ${input.charts.join(", ")}` : (input.chartsNote ?? "No charts"),
      ),
    ),
    dashboardLinks([
      ["Accuracy", input.links.accuracy],
      ["Risk & gaps", input.links.risk],
      ["Inventory", input.links.inventory],
      ["Cycle", input.links.cycle],
    ]),
  );
  const text = fallbackText(
    `Executive S&OP pre-read, ${month}${m ? ` (meeting due ${dateLabel(m.dueDate, n.locale)})` : ""}: ${plural(
      input.shortageCount,
      "shortage",
    )} (${money(input.valueAtRisk, n)} at risk), ${plural(new Set(input.capacity.map((c) => c.family)).size, "family", "families")} short of capacity, forecast accuracy ${percent(a.accuracy, n.locale)}.`,
  );
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

/** The comment above the uploaded charts. */
export function packChartsComment(cycle: string, titles: string[], locale = "en-US"): string {
  return `Charts for the ${periodLongLabel(cycle, locale)} executive S&OP: ${titles.join(" · ")}`;
}
