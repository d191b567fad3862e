/**
 * `/sop turns`: inventory turns, days of inventory and inventory value over the trailing 12
 * months, each with its change against the month before; by family, slowest first.
 */
import type { Turns } from "../api.js";
import { change, money, month, num } from "./format.js";
import { footer } from "./freshness.js";
import { clip, escapeMrkdwn, fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import { type Scope, scopeFilters, scopeSuffix } from "./scope.js";

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function familyLine(r: Render, t: Turns["byFamily"][number]): string {
  const f = r.formats;
  const days = t.daysOfInventory === null ? "" : ` · ${num(f, t.daysOfInventory, 0)} days`;
  const value = t.inventoryValue === null ? "" : ` · ${money(f, t.inventoryValue)}`;
  return `*${escapeMrkdwn(clip(t.family, 64))}* ${num(f, t.turns)} turns${days}${value}`;
}

export function turnsAnswer(r: Render, t: Turns, scope: Scope): Message {
  const f = r.formats;
  const link = { view: "inventory" as const, filters: { ...scopeFilters(scope), to: t.to } };
  const url = dashboard(r, link);
  const vs = `vs ${month(f, t.previous.to)}`;
  const with_ = (text: string, d: string) => (d ? `${text} · ${d} ${vs}` : text);
  const head = [
    header(`Inventory turns${scopeSuffix(scope)}`),
    section(`Trailing 12 months, ${month(f, t.from)} – ${month(f, t.to)}`),
    fields([
      `*Turns*\n${with_(num(f, t.turns), change(f, delta(t.turns, t.previous.turns)))}`,
      `*Days of inventory*\n${with_(
        num(f, t.daysOfInventory, 0),
        change(f, delta(t.daysOfInventory, t.previous.daysOfInventory), (v) => num(f, v, 0)),
      )}`,
      `*Inventory value*\n${with_(
        t.inventoryValue === null ? "–" : money(f, t.inventoryValue),
        change(f, delta(t.inventoryValue, t.previous.inventoryValue), (v) => money(f, v)),
      )}`,
      `*Cost of goods sold*\n${money(f, t.cogs)}`,
    ]),
  ];
  // Slowest first: the families tying up stock are the ones to talk about.
  const families = [...t.byFamily].sort(
    (a, b) => (a.turns ?? Number.POSITIVE_INFINITY) - (b.turns ?? Number.POSITIVE_INFINITY),
  );
  const list =
    !scope.family && !scope.sku && families.length > 0
      ? [
          section("*By family, slowest first*"),
          ...listBlocks(families, (x) => familyLine(r, x), {
            maxBlocks: 20,
            moreUrl: url,
            noun: "more families",
          }),
        ]
      : [];
  return {
    text: fallbackText(
      `Inventory turns${scopeSuffix(scope)}: ${num(f, t.turns)} (${num(f, t.daysOfInventory, 0)} days of inventory)`,
    ),
    blocks: fitBlocks(head, list, [footer(r, t, link)], { moreUrl: url }),
  };
}
