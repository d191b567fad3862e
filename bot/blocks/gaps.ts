/**
 * `/sop gaps`: the shortages by value at risk (first stock-out month, order-by date) and the
 * capacity gaps by family, with the totals first so the answer reads on a phone.
 */
import { localDate } from "../../api/domain/calendar.js";
import type { Gaps, RiskItem } from "../api.js";
import { day, money, month, plural, units } from "./format.js";
import { footer } from "./freshness.js";
import { clip, escapeMrkdwn, fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import { type Scope, scopeFilters, scopeSuffix } from "./scope.js";

/** Today in the company's zone, `YYYY-MM-DD`. */
export function today(r: Render): string {
  return localDate(r.now, r.formats.timezone);
}

/** "order by Nov 27", "order by Nov 2 — late" when the date has passed. */
export function orderByText(r: Render, orderBy: string | null): string {
  if (!orderBy) return "";
  return orderBy < today(r)
    ? `order by ${day(r.formats, orderBy)} — *late*`
    : `order by ${day(r.formats, orderBy)}`;
}

/** "*BTL-S05-GLC* Summit Bottle 500 ml (Glacier) · MAIN". */
export function itemTitle(i: { sku: string; name: string; location: string }): string {
  return `*${escapeMrkdwn(clip(i.sku, 64))}* ${escapeMrkdwn(clip(i.name, 80))} · ${escapeMrkdwn(clip(i.location, 32))}`;
}

function shortageLine(r: Render, i: RiskItem): string {
  const f = r.formats;
  const when = i.firstStockoutPeriod ? ` · out in ${month(f, i.firstStockoutPeriod)}` : "";
  const order = orderByText(r, i.orderBy);
  return `${itemTitle(i)}\n${money(f, i.valueAtRisk)} at risk · ${units(f, i.shortageUnits)} short${when}${order ? ` · ${order}` : ""}`;
}

/** Capacity gaps grouped by family, in the API's order. */
function byFamily(gaps: Gaps["capacity"]): [string, Gaps["capacity"]][] {
  const groups = new Map<string, Gaps["capacity"]>();
  for (const g of gaps) {
    const list = groups.get(g.family);
    if (list) list.push(g);
    else groups.set(g.family, [g]);
  }
  return [...groups.entries()];
}

/** "*BOTTLES* Dec 2026: 987 · Apr 2027: 173 units over capacity". */
function capacityLine(r: Render, family: string, list: Gaps["capacity"]): string {
  const months = list
    .slice(0, 12)
    .map((g) => `${month(r.formats, g.period)}: ${units(r.formats, g.gap)}`)
    .join(" · ");
  return clip(`*${escapeMrkdwn(clip(family, 64))}* ${months} units over capacity`, 2000);
}

export function gapsAnswer(r: Render, gaps: Gaps, scope: Scope): Message {
  const f = r.formats;
  const link = {
    view: "risk" as const,
    filters: { ...scopeFilters(scope), horizon: gaps.horizon },
    section: "gaps",
  };
  const head = [
    header(`Gaps${scopeSuffix(scope)} · next ${plural(gaps.horizon, "month")}`),
    fields([
      `*Value at risk*\n${money(f, gaps.totals.valueAtRisk)}`,
      `*Short*\n${units(f, gaps.totals.shortageUnits)} units`,
      `*Items short*\n${units(f, gaps.shortageCount)}`,
      `*Capacity gap*\n${units(f, gaps.totals.capacityGapUnits)} units`,
    ]),
  ];
  const url = dashboard(r, link);
  const shortages =
    gaps.shortages.length > 0
      ? [
          section("*Top shortages by value at risk*"),
          ...listBlocks(gaps.shortages, (i) => shortageLine(r, i), {
            total: gaps.shortageCount,
            maxBlocks: 24,
            moreUrl: url,
            noun: "more shortages",
          }),
        ]
      : [section(`No shortages in the next ${plural(gaps.horizon, "month")} ✅`)];
  const capacity =
    gaps.capacity.length > 0
      ? [
          section("*Capacity gaps*"),
          ...listBlocks(byFamily(gaps.capacity), ([family, list]) => capacityLine(r, family, list), {
            maxBlocks: 12,
            moreUrl: url,
            noun: "more families",
          }),
        ]
      : [];
  const blocks = fitBlocks(head, [...shortages, ...capacity], [footer(r, gaps, link)], { moreUrl: url });
  return {
    text: fallbackText(
      `Gaps${scopeSuffix(scope)}: ${money(f, gaps.totals.valueAtRisk)} at risk in ${plural(gaps.shortageCount, "item")}, ${units(f, gaps.totals.capacityGapUnits)} units over capacity`,
    ),
    blocks,
  };
}
