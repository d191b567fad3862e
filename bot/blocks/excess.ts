/** `/sop excess`: stock beyond six months of demand, and slow movers, by value. */
import type { Excess } from "../api.js";
import { money, plural, units } from "./format.js";
import { footer } from "./freshness.js";
import { itemTitle } from "./gaps.js";
import { fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import { type Scope, scopeFilters, scopeSuffix } from "./scope.js";

function excessLine(r: Render, i: Excess["items"][number]): string {
  const f = r.formats;
  const parts: string[] = [];
  if (i.excessUnits > 0) parts.push(`${money(f, i.excessValue)} excess (${units(f, i.excessUnits)} units)`);
  parts.push(`${units(f, i.onHand)} on hand`);
  if (i.slowMoving) parts.push("🐢 no sales in 6 months");
  return `${itemTitle(i)}\n${parts.join(" · ")}`;
}

export function excessAnswer(r: Render, e: Excess, scope: Scope): Message {
  const f = r.formats;
  const link = { view: "inventory" as const, filters: scopeFilters(scope), section: "excess" };
  const url = dashboard(r, link);
  const head = [
    header(`Excess and slow movers${scopeSuffix(scope)}`),
    fields([
      `*Excess value*\n${money(f, e.totals.excessValue)}`,
      `*Excess units*\n${units(f, e.totals.excessUnits)}`,
      `*Slow movers*\n${units(f, e.totals.slowMovingCount)}`,
      `*Slow movers' value*\n${money(f, e.totals.slowMovingValue)}`,
    ]),
  ];
  const items =
    e.items.length > 0
      ? [
          section("*Biggest by value* (beyond 6 months of demand)"),
          ...listBlocks(e.items, (i) => excessLine(r, i), {
            total: e.total,
            maxBlocks: 30,
            moreUrl: url,
            noun: "more items",
          }),
        ]
      : [section("No excess stock and no slow movers ✅")];
  return {
    text: fallbackText(
      `Excess${scopeSuffix(scope)}: ${money(f, e.totals.excessValue)} in ${plural(e.total, "item")}, ${plural(e.totals.slowMovingCount, "slow mover")}`,
    ),
    blocks: fitBlocks(head, items, [footer(r, e, link)], { moreUrl: url }),
  };
}
