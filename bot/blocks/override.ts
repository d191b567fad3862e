/**
 * `/sop override`: the answer once the consensus changed (the line's statistical forecast, the
 * consensus before and after, who and why, and each SKU-location a spread touched), the modal
 * that asks for the same four things, and the refusal when the executive sign-off has locked
 * the plan. Pure.
 */
import type { ModalView } from "@slack/types";
import { z } from "zod";
import type { OverrideResult } from "../api.js";
import { change, month, monthLong, units, when } from "./format.js";
import { dashboardLink, liveText } from "./freshness.js";
import {
  clip,
  context,
  escapeMrkdwn,
  fallbackText,
  fields,
  fitBlocks,
  header,
  type KnownBlock,
  plain,
  SLACK_LIMITS,
  section,
} from "./kit.js";
import { listBlocks } from "./list.js";
import type { Problem } from "./problem.js";
import { dashboard, type Message, type Render } from "./render.js";

export const OVERRIDE_CALLBACK = "sop.override.submit";
/** Block ids of the modal's inputs (each input's action id is the same word). */
export const OVERRIDE_FIELDS = {
  target: "target",
  period: "period",
  units: "units",
  reason: "reason",
} as const;
export type OverrideField = keyof typeof OVERRIDE_FIELDS;

/** Where a modal opened by a slash command answers: its channel and response_url. */
export const ModalReply = z.object({
  c: z.string().min(1).max(64),
  u: z.string().url().max(2000).optional(),
});
export type ModalReply = z.infer<typeof ModalReply>;

export function parseModalReply(metadata: string | undefined): ModalReply | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = ModalReply.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The statistical forecast of each SKU-location the override touched, for the month (units). */
export type StatisticalByCell = ReadonlyMap<string, number | null>;
export const cellKey = (sku: string, location: string) => `${sku}\t${location}`;

const BASIS: Record<string, string> = {
  statistical: "in proportion to the statistical forecast",
  actuals: "in proportion to the last 12 months' sales (the statistical forecast is zero)",
  even: "evenly (no statistical forecast or sales to go by)",
};

const sum = (xs: readonly (number | null | undefined)[]) =>
  xs.some((x) => x !== null && x !== undefined) ? xs.reduce<number>((t, x) => t + (x ?? 0), 0) : null;

const unitsOr = (r: Render, v: number | null) => (v === null ? "none" : units(r.formats, v));

/** What the override is of: "BTL-S05-GLC", "BTL-S05-GLC at WEST", "family BOTTLES". */
export function overrideTarget(o: OverrideResult["override"]): string {
  if (o.scope === "family") return `family ${o.family ?? ""}`;
  return o.location ? `${o.sku ?? ""} at ${o.location}` : (o.sku ?? "");
}

function cellLine(r: Render, c: OverrideResult["cells"][number], stat: number | null | undefined): string {
  const s = stat === undefined ? "" : `stat ${unitsOr(r, stat)} · `;
  return `*${escapeMrkdwn(clip(c.sku, 64))}* · ${escapeMrkdwn(clip(c.location, 32))}\n${s}was ${unitsOr(r, c.before)} → *${unitsOr(r, c.after)}*`;
}

/** The answer to an accepted override: the consensus before and after, who and why. */
export function overrideAnswer(
  r: Render,
  input: { result: OverrideResult; statistical: StatisticalByCell; replayed?: boolean },
): Message {
  const f = r.formats;
  const { override: o, cells } = input.result;
  const target = overrideTarget(o);
  const link = {
    view: "plan" as const,
    filters: o.scope === "family" ? { family: o.family ?? undefined } : { sku: o.sku ?? undefined },
  };
  const url = dashboard(r, link);
  const stats = cells.map((c) => input.statistical.get(cellKey(c.sku, c.location)));
  const statistical = sum(stats);
  const before = sum(cells.map((c) => c.before));
  const after = sum(cells.map((c) => c.after));
  const delta = before === null || after === null ? null : after - before;
  const head: KnownBlock[] = [
    header(
      `${input.replayed ? "Already recorded" : "Override recorded"} · ${clip(target, 80)} · ${month(f, o.period)}`,
    ),
    section(
      `*${escapeMrkdwn(clip(o.person.name, 100))}* (${o.role}): “${escapeMrkdwn(clip(o.reason, 1000))}”\n${units(f, o.units)} units for ${monthLong(f, o.period)} in the ${monthLong(f, o.cycle)} plan`,
    ),
    fields([
      `*Statistical*\n${stats.some((s) => s === undefined) ? "–" : unitsOr(r, statistical)}`,
      `*Consensus before*\n${unitsOr(r, before)}`,
      `*Consensus now*\n${unitsOr(r, after)}${delta !== null ? ` · ${change(f, delta, (v) => units(f, v))}` : ""}`,
      `*Override*\n#${o.id} · ${when(f, o.createdAt)}`,
    ]),
  ];
  const spread = cells.length > 1 || (cells[0] && cells[0].basis !== "single");
  const items: KnownBlock[] = spread
    ? [
        section(
          `*Spread over ${units(f, cells.length)} SKU-location${cells.length === 1 ? "" : "s"}* ${BASIS[cells[0]?.basis ?? ""] ?? ""}`.trim(),
        ),
        ...listBlocks(
          cells.map((c, i) => ({ c, stat: stats[i] })),
          ({ c, stat }) => cellLine(r, c, stat),
          { maxBlocks: 12, moreUrl: url, noun: "more SKU-locations" },
        ),
      ]
    : [];
  const tail = [context(`${liveText(r)} · ${dashboardLink(r, link, "Open the plan in the dashboard")}`)];
  return {
    text: fallbackText(
      `Override of ${target} for ${month(f, o.period)}: consensus ${unitsOr(r, before)} → ${unitsOr(r, after)} (${o.person.name}: ${o.reason})`,
    ),
    blocks: fitBlocks(head, items, tail, { moreUrl: url }),
  };
}

/** The refusal once the executive sign-off has locked the cycle's plan. */
export function planLockedProblem(
  r: Render,
  lock: { cycle: string; byName: string | null; at: string | null },
  command: string,
): Problem {
  const who = lock.byName ? ` by ${lock.byName}` : "";
  const at = lock.at ? `, ${when(r.formats, lock.at)}` : "";
  return {
    title: `The ${monthLong(r.formats, lock.cycle)} plan is locked`,
    detail: `The executive sign-off${who}${at} locked the consensus plan: nothing was changed.`,
    next: `To change it, an executive reopens the plan with Request changes on the executive step (\`${command} signoff exec\`); then override again.`,
  };
}

/** The override form. `values` fills it again (e.g. the console's answer shows the same). */
export function overrideModal(
  r: Render,
  input: { cycle: string | null; reply: ModalReply | undefined },
): ModalView {
  let metadata = input.reply ? JSON.stringify(input.reply) : "";
  if (metadata.length > SLACK_LIMITS.url && input.reply) metadata = JSON.stringify({ c: input.reply.c });
  const cycleLine = input.cycle
    ? `The consensus plan of the ${monthLong(r.formats, input.cycle)} cycle: a month from ${month(r.formats, input.cycle)} on.`
    : "The consensus plan of the current cycle.";
  const text = (
    id: OverrideField,
    label: string,
    options: { hint?: string; placeholder?: string; multiline?: boolean; max?: number; initial?: string },
  ): KnownBlock =>
    ({
      type: "input",
      block_id: OVERRIDE_FIELDS[id],
      label: plain(label, 2000),
      ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
      element: {
        type: "plain_text_input",
        action_id: OVERRIDE_FIELDS[id],
        ...(options.multiline ? { multiline: true } : {}),
        ...(options.max ? { max_length: options.max } : {}),
        ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
        ...(options.initial ? { initial_value: options.initial } : {}),
      },
    }) as KnownBlock;
  return {
    type: "modal",
    callback_id: OVERRIDE_CALLBACK,
    ...(metadata ? { private_metadata: metadata } : {}),
    title: plain("Override the plan", SLACK_LIMITS.modalTitle),
    submit: plain("Override", SLACK_LIMITS.modalTitle),
    close: plain("Cancel", SLACK_LIMITS.modalTitle),
    blocks: [
      section(`${cycleLine} The statistical forecast and who changed what stay visible.`),
      text("target", "SKU or family", {
        placeholder: "BTL-S05-GLC, family:BOTTLES or BTL-S05-GLC@WEST",
        hint: "A family's units are spread over its SKUs in proportion to the statistical forecast.",
        max: 80,
      }),
      text("period", "Month", {
        placeholder: "YYYY-MM",
        max: 7,
        ...(input.cycle ? { initial: input.cycle } : {}),
      }),
      text("units", "Units for that month", { placeholder: "e.g. 1,200", max: 20 }),
      text("reason", "Why", {
        placeholder: "e.g. Trade show order from REI",
        hint: "Required: everyone sees it beside the number.",
        multiline: true,
        max: 1000,
      }),
    ],
  };
}
