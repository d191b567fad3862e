/**
 * `/sop risk`: items at risk of a stock-out within their lead time, with the probability, days
 * of supply and order-by date.
 */
import type { Risk, RiskItem } from "../api.js";
import { money, num, pct, plural, units } from "./format.js";
import { footer } from "./freshness.js";
import { itemTitle, orderByText } from "./gaps.js";
import { fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import { type Scope, scopeFilters, scopeSuffix } from "./scope.js";

export const RISK_ICONS = { high: "🔴", medium: "🟠", low: "🟢" } as const;

function riskLine(r: Render, i: RiskItem): string {
  const f = r.formats;
  const supply =
    i.daysOfSupply === null ? "no demand planned" : `${num(f, i.daysOfSupply, 0)} days of supply`;
  const order = orderByText(r, i.orderBy);
  const value = i.valueAtRisk > 0 ? ` · ${money(f, i.valueAtRisk)} at risk` : "";
  return `${RISK_ICONS[i.risk]} ${itemTitle(i)}\n${pct(f, i.stockoutProbability)} chance of a stock-out · ${supply}${order ? ` · ${order}` : ""}${value}`;
}

export function riskAnswer(r: Render, risk: Risk, scope: Scope, minimum: "high" | "medium"): Message {
  const f = r.formats;
  const link = {
    view: "risk" as const,
    filters: { ...scopeFilters(scope), horizon: risk.horizon, risk: minimum },
  };
  const url = dashboard(r, link);
  const level = minimum === "high" ? "high" : "medium or high";
  const head = [
    header(`Stock-out risk${scopeSuffix(scope)}`),
    fields([
      `*${RISK_ICONS.high} High*\n${units(f, risk.counts.high)}`,
      `*${RISK_ICONS.medium} Medium*\n${units(f, risk.counts.medium)}`,
      `*${RISK_ICONS.low} Low*\n${units(f, risk.counts.low)}`,
      `*Horizon*\n${plural(risk.horizon, "month")}`,
    ]),
  ];
  const items =
    risk.items.length > 0
      ? [
          section(`*Items at ${level} risk*, most likely first`),
          ...listBlocks(risk.items, (i) => riskLine(r, i), {
            total: risk.total,
            maxBlocks: 30,
            moreUrl: url,
            noun: "more items",
          }),
        ]
      : [section(`Nothing at ${level} risk of a stock-out within its lead time ✅`)];
  return {
    text: fallbackText(`Stock-out risk${scopeSuffix(scope)}: ${plural(risk.total, "item")} at ${level} risk`),
    blocks: fitBlocks(head, items, [footer(r, risk, link)], { moreUrl: url }),
  };
}
