/**
 * `/sop whatif`: the base plan and the scenario side by side, one figure per field ("$12,000 →
 * *$18,500* ▲ $6,500") so it reads on a phone, then the SKU-locations and family-months that
 * change most, and the Save / Share in channel / Attach to pre-S&OP buttons. The buttons carry
 * the scenario as typed (validated again on the click) and a nonce that makes every click on
 * this answer one idempotent action. Pure.
 */
import { z } from "zod";
import type { SavedScenario, ScenarioComparison } from "../api.js";
import { change, type Formats, money, month, monthLong, plural, units } from "./format.js";
import { footer } from "./freshness.js";
import {
  actions,
  button,
  clip,
  context,
  escapeMrkdwn,
  fallbackText,
  fields,
  fitBlocks,
  header,
  type KnownBlock,
  SLACK_LIMITS,
  section,
} from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";

export const WHATIF_SAVE_ACTION = "sop.whatif.save";
export const WHATIF_SHARE_ACTION = "sop.whatif.share";
export const WHATIF_ATTACH_ACTION = "sop.whatif.attach";
export const WHATIF_ACTIONS = [WHATIF_SAVE_ACTION, WHATIF_SHARE_ACTION, WHATIF_ATTACH_ACTION] as const;

/** The longest scenario text the buttons can carry (a button value holds 2,000 characters). */
export const WHATIF_TEXT_MAX = 1500;

/** What the buttons of an answer carry: the scenario as typed and the answer's state. */
export const WhatIfRef = z
  .object({
    /** The changes as typed (`demand +15% BOTTLES; delay PO-7781 30d`), parsed again on click. */
    t: z.string().min(1).max(WHATIF_TEXT_MAX),
    /** Horizon, months. */
    h: z.number().int().min(1).max(12),
    /** This answer's nonce: the idempotency key of its save. */
    n: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    /** The saved scenario's id, once saved. */
    s: z.number().int().min(1).optional(),
    /** Shared in the channel. */
    sh: z.literal(1).optional(),
    /** Attached to this cycle's pre-S&OP step. */
    a: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
  })
  .strict();
export type WhatIfRef = z.infer<typeof WhatIfRef>;

/** A button value → the answer it belongs to; undefined when it is not one of ours. */
export function parseWhatIfRef(value: string | undefined): WhatIfRef | undefined {
  if (!value || value.length > SLACK_LIMITS.buttonValue) return undefined;
  try {
    const parsed = WhatIfRef.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface WhatIfState {
  /** The buttons' ref; no buttons without one (a text too long to carry). */
  ref?: WhatIfRef | undefined;
  saved?: Pick<SavedScenario, "id" | "name"> | undefined;
  /** Who shared it, when this is the copy posted in the channel. */
  sharedBy?: string | undefined;
}

type Figures = ScenarioComparison["base"];

/** "$12,000 → *$18,500*\n▲ $6,500" (or "no change"). */
function sideBySide(f: Formats, base: number, scenario: number, as: (v: number) => string): string {
  const delta = scenario - base;
  const moved = Math.abs(delta) >= 0.5;
  return `${as(base)} → ${moved ? `*${as(scenario)}*` : as(scenario)}\n${moved ? change(f, delta, as) : "no change"}`;
}

/** The figures side by side, one per field: label, base → scenario, the change. */
export function comparisonFields(r: Render, base: Figures, scenario: Figures): string[] {
  const f = r.formats;
  const m = (v: number) => money(f, v);
  const u = (v: number) => units(f, v);
  return [
    `*Value at risk*\n${sideBySide(f, base.valueAtRisk, scenario.valueAtRisk, m)}`,
    `*Units short*\n${sideBySide(f, base.shortageUnits, scenario.shortageUnits, u)}`,
    `*Items short*\n${sideBySide(f, base.shortageCount, scenario.shortageCount, u)}`,
    `*High risk*\n${sideBySide(f, base.risk.high, scenario.risk.high, u)}`,
    `*Capacity gap (units)*\n${sideBySide(f, base.capacityGapUnits, scenario.capacityGapUnits, u)}`,
    `*Inventory at the end*\n${sideBySide(f, base.inventoryEndValue, scenario.inventoryEndValue, m)}`,
    `*Average inventory*\n${sideBySide(f, base.inventoryAverageValue, scenario.inventoryAverageValue, m)}`,
    `*Excess*\n${sideBySide(f, base.excessValue, scenario.excessValue, m)}`,
  ];
}

/** "48 SKU-locations, +5,300 units" — what one change touched. */
function effectText(r: Render, effect: Record<string, unknown>): string {
  const f = r.formats;
  const n = (k: string) => (typeof effect[k] === "number" ? (effect[k] as number) : 0);
  const signed = (v: number) => `${v >= 0 ? "+" : "−"}${units(f, Math.abs(v))} units`;
  switch (effect.type) {
    case "demand":
      return `${plural(n("lines"), "SKU-location")}, ${signed(n("units"))} within the horizon`;
    case "delay":
      return `${plural(n("lines"), "supply line")}, ${units(f, n("units"))} units moved`;
    case "capacity":
      return `${plural(n("months"), "month")}, ${signed(n("units"))}`;
    default:
      return "";
  }
}

const RISK_ICON: Record<string, string> = { high: "🔴", medium: "🟡", low: "🟢" };

function lineText(r: Render, l: ScenarioComparison["lines"][number]): string {
  const f = r.formats;
  const b = l.base;
  const s = l.scenario;
  const parts = [
    `${money(f, b.valueAtRisk)} → *${money(f, s.valueAtRisk)}* at risk`,
    s.firstStockoutPeriod !== b.firstStockoutPeriod
      ? `out ${s.firstStockoutPeriod ? `in ${month(f, s.firstStockoutPeriod)}` : "never"} (was ${b.firstStockoutPeriod ? month(f, b.firstStockoutPeriod) : "never"})`
      : "",
    s.risk !== b.risk ? `${RISK_ICON[b.risk] ?? ""} → ${RISK_ICON[s.risk] ?? ""} ${s.risk} risk` : "",
  ].filter(Boolean);
  return `*${escapeMrkdwn(clip(l.sku, 64))}* ${escapeMrkdwn(clip(l.name, 60))} · ${escapeMrkdwn(clip(l.location, 32))}\n${parts.join(" · ")}`;
}

function capacityText(r: Render, c: ScenarioComparison["capacity"][number]): string {
  const f = r.formats;
  return `*${escapeMrkdwn(clip(c.family, 64))}* ${month(f, c.period)}: ${units(f, c.base.gap)} → *${units(f, c.scenario.gap)}* units over capacity`;
}

/** The side-by-side answer; with `state.ref`, the buttons that act on it. */
export function whatifAnswer(r: Render, c: ScenarioComparison, state: WhatIfState = {}): Message {
  const f = r.formats;
  // A saved scenario opens on its own page; an unsaved one on the scenarios page.
  const link = { view: "scenarios" as const, filters: { scenario: state.saved?.id } };
  const url = dashboard(r, link);
  const changes = c.changes.map(
    (x) => `• ${escapeMrkdwn(clip(x.description, 300))} — ${effectText(r, x.effect)}`,
  );
  const head: KnownBlock[] = [
    header(`What if… · next ${plural(c.horizon, "month")}`),
    section(
      clip(`*Changes* (the plan itself is untouched)\n${changes.join("\n")}`, SLACK_LIMITS.sectionText),
    ),
    section(`*Base plan → scenario* · from ${monthLong(f, c.lastPeriod)} on`),
    fields(comparisonFields(r, c.base, c.scenario)),
  ];
  const items: KnownBlock[] = [];
  if (c.lines.length > 0) {
    items.push(section(`*Most affected* · ${plural(c.linesChanged, "SKU-location")} change`));
    items.push(
      ...listBlocks(c.lines, (l) => lineText(r, l), {
        total: c.linesChanged,
        maxLines: 8,
        maxBlocks: 12,
        moreUrl: url,
        noun: "more SKU-locations",
      }),
    );
  } else {
    items.push(section("No SKU-location's shortage or risk changes."));
  }
  const capacity = c.capacity.filter((x) => x.base.gap !== x.scenario.gap);
  if (capacity.length > 0) {
    items.push(section("*Capacity*"));
    items.push(
      ...listBlocks(capacity, (x) => capacityText(r, x), {
        maxLines: 6,
        maxBlocks: 6,
        moreUrl: url,
        noun: "more family-months",
      }),
    );
  }
  const tail: KnownBlock[] = [];
  const notes: string[] = [];
  if (state.saved)
    notes.push(`💾 Saved as #${state.saved.id} “${escapeMrkdwn(clip(state.saved.name, 200))}”`);
  if (state.ref?.a) notes.push(`📎 Attached to the pre-S&OP step of ${monthLong(f, state.ref.a)}`);
  if (state.ref?.sh) notes.push("📣 Shared in the channel");
  if (state.sharedBy) notes.push(`Shared by <@${state.sharedBy}>`);
  if (notes.length > 0) tail.push(context(notes.join(" · ")));
  const ref = state.ref;
  if (ref) {
    const value = JSON.stringify(ref);
    const buttons = [];
    if (!ref.s) buttons.push(button({ text: "Save", actionId: WHATIF_SAVE_ACTION, value, style: "primary" }));
    if (!ref.sh) buttons.push(button({ text: "Share in channel", actionId: WHATIF_SHARE_ACTION, value }));
    if (!ref.a) buttons.push(button({ text: "Attach to pre-S&OP", actionId: WHATIF_ATTACH_ACTION, value }));
    if (buttons.length > 0 && value.length <= SLACK_LIMITS.buttonValue) {
      tail.push(actions(buttons, `whatif:${ref.n}`));
    }
  } else if (!state.sharedBy) {
    tail.push(context("This scenario is too long to save from Slack: save it with POST /api/scenarios."));
  }
  tail.push(footer(r, { lastPeriod: c.lastPeriod, lastImportedAt: null }, link));
  const d = c.delta;
  return {
    text: fallbackText(
      `What if ${c.changes.map((x) => x.description).join("; ")}: value at risk ${money(f, c.base.valueAtRisk)} → ${money(f, c.scenario.valueAtRisk)}, capacity gap ${units(f, c.base.capacityGapUnits)} → ${units(f, c.scenario.capacityGapUnits)} units, high risk ${d.highRisk >= 0 ? "+" : ""}${d.highRisk}`,
    ),
    blocks: fitBlocks(head, items, tail, { moreUrl: url }),
  };
}
