/**
 * Sections the weekly digest and the monthly pack share: sales against plan, the top gaps and
 * the cycle's standing. Each returns mrkdwn lines, short enough for a phone.
 */
import { periodLongLabel } from "../../../api/domain/format.js";
import { escapeMrkdwn } from "../kit.js";
import { dateLabel, money, type Numbers, plural, signedPercent, units } from "./format.js";

export interface SalesVsPlan {
  /** 'YYYY-MM' */
  period: string;
  closed: boolean;
  /** Fraction of the month gone by. */
  elapsed: number;
  daysInMonth: number;
  hasActuals: boolean;
  actualUnits: number;
  planToDate: number;
  deviation: number | null;
  threshold: number;
  /** Families beyond the threshold, largest first. */
  offPlan: { family: string; deviation: number | null }[];
  /** The last closed month, shown when the current one has no sales yet. */
  lastClosed: { period: string; actualUnits: number; planUnits: number; deviation: number | null } | null;
}

function deviationText(d: number | null, locale: string): string {
  return d === null ? "no plan" : `*${signedPercent(d, locale)}*`;
}

export function salesLines(s: SalesVsPlan, n: Numbers): string[] {
  const month = periodLongLabel(s.period, n.locale).split(" ")[0] ?? s.period;
  const out: string[] = [];
  if (s.hasActuals) {
    const days = Math.round(s.elapsed * s.daysInMonth);
    out.push(
      s.closed
        ? `*Sales vs plan, ${periodLongLabel(s.period, n.locale)}*`
        : `*Sales vs plan, ${month} to date* (${days} of ${s.daysInMonth} days)`,
      `${units(s.actualUnits, n.locale)} units vs ${units(s.planToDate, n.locale)} planned${s.closed ? "" : " to date"} · ${deviationText(s.deviation, n.locale)}`,
    );
  } else {
    out.push(`*Sales vs plan* — no ${month} sales imported yet.`);
    if (s.lastClosed) {
      out.push(
        `${periodLongLabel(s.lastClosed.period, n.locale)} closed at ${units(s.lastClosed.actualUnits, n.locale)} units vs ${units(
          s.lastClosed.planUnits,
          n.locale,
        )} planned · ${deviationText(s.lastClosed.deviation, n.locale)}`,
      );
    }
  }
  const pct = Math.round(s.threshold * 100);
  if (s.offPlan.length > 0) {
    const shown = s.offPlan
      .slice(0, 4)
      .map((f) => `${escapeMrkdwn(f.family)} ${deviationText(f.deviation, n.locale)}`);
    const more = s.offPlan.length > shown.length ? ` · +${s.offPlan.length - shown.length} more` : "";
    out.push(`Off plan by more than ${pct}%: ${shown.join(" · ")}${more}`);
  } else if (s.hasActuals || s.lastClosed) {
    out.push(`Every family within ±${pct}% of plan.`);
  }
  return out;
}

export interface Shortage {
  sku: string;
  name: string;
  location: string;
  firstStockoutPeriod: string | null;
  orderBy: string | null;
  shortageUnits: number;
  valueAtRisk: number;
}

export interface CapacityShortfall {
  family: string;
  period: string;
  gap: number;
}

/** One line per shortage: what, where, from when, by when to order, what is at stake. */
export function shortageLines(items: Shortage[], today: string, n: Numbers): string[] {
  return items.map((s, i) => {
    const from = s.firstStockoutPeriod ? ` from ${periodLongLabel(s.firstStockoutPeriod, n.locale)}` : "";
    const order = s.orderBy
      ? s.orderBy < today
        ? ` · should have been ordered by ${dateLabel(s.orderBy, n.locale)}`
        : ` · order by *${dateLabel(s.orderBy, n.locale)}*`
      : "";
    return `${i + 1}. *${escapeMrkdwn(s.sku)}* ${escapeMrkdwn(s.name)} @ ${escapeMrkdwn(s.location)} — ${units(
      s.shortageUnits,
      n.locale,
    )} short${from}${order} · ${money(s.valueAtRisk, n)} at risk`;
  });
}

/** Capacity shortfalls grouped by family: "BOTTLES short 1,200 units over Jan–Mar 2027 (peak Feb)". */
export function capacityLines(gaps: CapacityShortfall[], n: Numbers): string[] {
  const byFamily = new Map<string, CapacityShortfall[]>();
  for (const g of gaps) byFamily.set(g.family, [...(byFamily.get(g.family) ?? []), g]);
  return [...byFamily.entries()]
    .map(([family, list]) => ({ family, list, total: list.reduce((s, g) => s + g.gap, 0) }))
    .sort((a, b) => b.total - a.total || a.family.localeCompare(b.family))
    .map(({ family, list, total }) => {
      const periods = list.map((g) => g.period).sort();
      const span =
        periods.length === 1
          ? `in ${periodLongLabel(periods[0]!, n.locale)}`
          : `over ${plural(periods.length, "month")} from ${periodLongLabel(periods[0]!, n.locale)}`;
      const peak = list.reduce((a, b) => (b.gap > a.gap ? b : a));
      return `*${escapeMrkdwn(family)}* short ${units(total, n.locale)} units ${span}${
        periods.length > 1
          ? ` (peak ${units(peak.gap, n.locale)} in ${periodLongLabel(peak.period, n.locale)})`
          : ""
      }`;
    });
}

export interface CycleStanding {
  month: string;
  signed: number;
  total: number;
  planLocked: boolean;
  overdue: { name: string; dueDate: string; daysOverdue: number }[];
  next: { name: string; dueDate: string; changesRequested: boolean } | null;
}

export function cycleLines(c: CycleStanding | null, n: Numbers): string[] {
  if (!c) return ["*Cycle* — no cycle is open."];
  const out = [
    `*${periodLongLabel(c.month, n.locale)} cycle* — ${c.signed} of ${plural(c.total, "step")} signed`,
  ];
  for (const o of c.overdue) {
    out.push(
      `:red_circle: ${escapeMrkdwn(o.name)} overdue (due ${dateLabel(o.dueDate, n.locale)}${
        o.daysOverdue > 0 ? `, ${plural(o.daysOverdue, "business day")} late` : ""
      })`,
    );
  }
  if (c.planLocked) out.push(":lock: The plan is locked: the executive S&OP signed it.");
  if (c.next && !c.overdue.some((o) => o.name === c.next?.name)) {
    out.push(
      `Next: ${escapeMrkdwn(c.next.name)}, due ${dateLabel(c.next.dueDate, n.locale)}${
        c.next.changesRequested ? " — changes requested" : ""
      }`,
    );
  }
  return out;
}
