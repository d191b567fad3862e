/**
 * `/sop sku SKU`: one item's card — what it is, its segment, history against the forecast, on
 * hand and the projection per location, and the open supply.
 */
import type { Sku } from "../api.js";
import { day, month, num, pct, price, units } from "./format.js";
import { footer } from "./freshness.js";
import { orderByText } from "./gaps.js";
import { clip, escapeMrkdwn, fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import { RISK_ICONS } from "./risk.js";

/** Months of history shown (a phone's width and height). */
const HISTORY_MONTHS = 6;

/** A fixed-width table as a code block: the first column left-aligned, the others right. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  "),
  );
  return `\`\`\`\n${lines.join("\n")}\n\`\`\``;
}

function locationLine(r: Render, l: Sku["locations"][number]): string {
  const f = r.formats;
  const parts = [`${units(f, l.onHand)} on hand`];
  if (l.daysOfSupply !== null) parts.push(`${num(f, l.daysOfSupply, 0)} days of supply`);
  if (l.firstStockoutPeriod) parts.push(`out in ${month(f, l.firstStockoutPeriod)}`);
  const order = orderByText(r, l.orderBy);
  if (order && l.firstStockoutPeriod) parts.push(order);
  parts.push(`${RISK_ICONS[l.risk]} ${l.risk} risk (${pct(f, l.stockoutProbability)})`);
  return `*${escapeMrkdwn(clip(l.location, 32))}* ${parts.join(" · ")}`;
}

export function skuAnswer(r: Render, s: Sku): Message {
  const f = r.formats;
  const item = s.item;
  const link = { view: "sku" as const, filters: { sku: item.sku } };
  const url = dashboard(r, link);
  const onHand = s.locations.reduce((sum, l) => sum + l.onHand, 0);
  const segment = s.segment
    ? `${s.segment.abc}${s.segment.xyz} · ${pct(f, s.segment.revenueShare)} of revenue`
    : "–";
  const head = [
    header(`${item.sku} · ${item.name}`),
    fields([
      `*Family*\n${escapeMrkdwn(item.family)}`,
      `*Segment*\n${segment}`,
      `*Cost / price*\n${price(f, item.unitCost)} / ${price(f, item.unitPrice)}`,
      `*Lead time*\n${units(f, item.leadTimeDays)} days`,
      `*On hand*\n${units(f, onHand)} in ${s.locations.length} location${s.locations.length === 1 ? "" : "s"}`,
      `*Open supply*\n${units(
        f,
        s.openSupply.reduce((sum, o) => sum + o.units, 0),
      )} units`,
    ]),
  ];
  const body = [];
  const past = s.history.filter((h) => h.actual !== null).slice(-HISTORY_MONTHS);
  if (past.length > 0) {
    const rows = [["", "actual", "forecast"]];
    for (const h of past) {
      const lag1 = h.forecasts["1"];
      rows.push([month(f, h.period), units(f, h.actual ?? 0), lag1 === undefined ? "–" : units(f, lag1)]);
    }
    body.push(section(`*Actual vs forecast* (consensus, lag 1)\n${table(rows)}`));
  }
  const ahead = new Map<string, { demand: number; supply: number; balance: number }>();
  for (const l of s.locations) {
    for (const p of l.projection) {
      const m = ahead.get(p.period) ?? { demand: 0, supply: 0, balance: 0 };
      ahead.set(p.period, {
        demand: m.demand + p.demand,
        supply: m.supply + p.supply,
        balance: m.balance + p.balance,
      });
    }
  }
  if (ahead.size > 0) {
    const rows = [["", "demand", "supply", "balance"]];
    for (const [period, p] of [...ahead.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(0, 12)) {
      rows.push([month(f, period), units(f, p.demand), units(f, p.supply), units(f, p.balance)]);
    }
    body.push(section(`*Plan and projected balance* (all locations)\n${table(rows)}`));
  }
  if (s.locations.length > 0) {
    body.push(section("*By location*"));
    body.push(
      ...listBlocks(s.locations, (l) => locationLine(r, l), {
        maxBlocks: 10,
        moreUrl: url,
        noun: "more locations",
      }),
    );
  }
  if (s.openSupply.length > 0) {
    body.push(section("*Open supply*"));
    body.push(
      ...listBlocks(
        s.openSupply,
        (o) =>
          `${day(f, o.due)} · ${units(f, o.units)} units · ${escapeMrkdwn(o.type)} · ${escapeMrkdwn(clip(o.location, 32))}${o.reference ? ` · ${escapeMrkdwn(clip(o.reference, 64))}` : ""}`,
        { maxLines: 5, maxBlocks: 6, moreUrl: url, noun: "more receipts" },
      ),
    );
  }
  return {
    text: fallbackText(`${item.sku} ${item.name}: ${units(f, onHand)} on hand`),
    blocks: fitBlocks(head, body, [footer(r, s, link)], { moreUrl: url }),
  };
}
