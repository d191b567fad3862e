/**
 * The approval card of a step: what is being signed, by when, the figures it rests on, who
 * must sign (and who has), and the Approve / Request changes buttons while it is open. Each
 * button carries the card's revision (the step's latest decision when it was drawn), so two
 * clicks on the same drawing are one decision.
 */
import { z } from "zod";
import type { Cycle, SavedScenario, Step, Summary } from "../api.js";
import { dueText, latestRequest, missingText, stepIcon } from "./cycle-status.js";
import { change, day, money, monthLong, units, when } from "./format.js";
import { footer } from "./freshness.js";
import {
  actions,
  button,
  clip,
  context,
  escapeMrkdwn,
  fallbackText,
  fields,
  header,
  type KnownBlock,
  link,
  section,
} from "./kit.js";
import { figuresForStep, headlineFields } from "./kpi-headline.js";
import { dashboard, type Message, type Render } from "./render.js";

export const APPROVE_ACTION = "sop.signoff.approve";
export const REQUEST_CHANGES_ACTION = "sop.signoff.request_changes";

/** What a card's buttons point at: the cycle month, the step and the card's revision. */
export const CardRef = z.object({
  m: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  s: z.string().min(1).max(32),
  r: z.number().int().min(0),
});
export type CardRef = z.infer<typeof CardRef>;

/** The revision of a step's card: the id of its latest decision (0 before any). */
export function revisionOf(step: Step): number {
  return step.signoffs.reduce((max, s) => Math.max(max, s.id), 0);
}

/** A button value → the card it belongs to; undefined when it is not one of ours. */
export function parseCardRef(value: string | undefined): CardRef | undefined {
  if (!value) return undefined;
  try {
    const parsed = CardRef.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface ApprovalCardInput {
  cycle: Cycle;
  step: Step;
  /** The headline figures; null when they could not be read (the card still works). */
  summary: Summary | null;
  /** What-if scenarios attached to the step (`/sop whatif` → Attach to pre-S&OP). */
  scenarios?: readonly SavedScenario[] | undefined;
}

/** "value at risk ▲ $6,500 · 2 more high-risk · capacity gap ▲ 1,200 units": a scenario's headline. */
export function scenarioHeadline(r: Render, delta: SavedScenario["delta"]): string {
  const f = r.formats;
  const parts = [
    `value at risk ${change(f, delta.valueAtRisk, (v) => money(f, v))}`,
    delta.highRisk !== 0
      ? `${Math.abs(delta.highRisk)} ${delta.highRisk > 0 ? "more" : "fewer"} high-risk`
      : "",
    Math.abs(delta.capacityGapUnits) >= 0.5
      ? `capacity gap ${change(f, delta.capacityGapUnits, (v) => `${units(f, v)} units`)}`
      : "",
    Math.abs(delta.inventoryEndValue) >= 0.5
      ? `inventory ${change(f, delta.inventoryEndValue, (v) => money(f, v))}`
      : "",
  ];
  return parts.filter(Boolean).join(" · ");
}

function scenariosSection(r: Render, scenarios: readonly SavedScenario[]): KnownBlock {
  const shown = scenarios.slice(0, 5).map((s) => {
    const stale = s.stale ? " _(the plan has changed since)_" : "";
    const name = link(dashboard(r, { view: "scenarios", filters: { scenario: s.id } }), clip(s.name, 150));
    return `• *${name}*: ${scenarioHeadline(r, s.delta)}${stale}`;
  });
  const hidden = scenarios.length - shown.length;
  const more = hidden > 0 ? `\n+${hidden.toLocaleString("en-US")} more` : "";
  const url = dashboard(r, { view: "scenarios" });
  return section(
    clip(`*What-if scenarios attached* (${link(url, "open")})\n${shown.join("\n")}${more}`, 3000),
  );
}

/** Whether a card still takes decisions: an open cycle and a step that needs and lacks sign-off. */
export function takesDecisions(cycle: Cycle, step: Step): boolean {
  return cycle.status === "open" && step.roles.length > 0 && step.status !== "signed";
}

function whoSigns(r: Render, step: Step): string {
  const lines = step.approvals.map(
    (a) => `✓ ${a.role} · ${escapeMrkdwn(a.person.name)}, ${when(r.formats, a.at)}`,
  );
  for (const m of step.missing) {
    lines.push(`⏳ ${missingText({ ...step, missing: [m] })}`);
  }
  return clip(`*Who signs*\n${lines.join("\n")}`, 3000);
}

/** The card for `step` of `cycle`, as it stands now. */
export function approvalCard(r: Render, input: ApprovalCardInput): Message {
  const { cycle, step, summary } = input;
  const title = `Sign-off · ${step.name}`;
  const blocks: KnownBlock[] = [header(title)];
  const stateLine =
    step.status === "signed"
      ? `${stepIcon(step)} Signed${step.signedAt ? ` ${day(r.formats, step.signedAt.slice(0, 10))}` : ""}`
      : step.roles.length === 0
        ? "No sign-off needed"
        : `${stepIcon(step)} ${dueText(r, step)}`;
  const description = step.description ? `\n${escapeMrkdwn(clip(step.description, 1000))}` : "";
  blocks.push(section(`*${monthLong(r.formats, cycle.month)} cycle* · ${stateLine}${description}`));
  if (summary) {
    const keys = figuresForStep(step.key);
    blocks.push(fields(headlineFields(r, summary.figures, keys)));
  }
  if (input.scenarios && input.scenarios.length > 0) blocks.push(scenariosSection(r, input.scenarios));
  if (step.roles.length > 0) blocks.push(section(whoSigns(r, step)));
  const request = latestRequest(step);
  if (request) {
    const comment = request.comment ? `: “${escapeMrkdwn(clip(request.comment, 500))}”` : "";
    blocks.push(
      context(
        `↩️ Changes requested by ${escapeMrkdwn(request.person.name)}, ${when(r.formats, request.at)}${comment}`,
      ),
    );
  }
  if (cycle.planLocked) {
    const by = cycle.planLocked.byName ? ` by ${escapeMrkdwn(cycle.planLocked.byName)}` : "";
    blocks.push(context(`🔒 The consensus plan is locked${by}, ${when(r.formats, cycle.planLocked.at)}.`));
  }
  if (cycle.status === "closed")
    blocks.push(context("The cycle is closed: its decisions can no longer change."));
  if (takesDecisions(cycle, step)) {
    const value = JSON.stringify({ m: cycle.month, s: step.key, r: revisionOf(step) } satisfies CardRef);
    blocks.push(
      actions(
        [
          button({ text: "Approve", actionId: APPROVE_ACTION, value, style: "primary" }),
          button({ text: "Request changes", actionId: REQUEST_CHANGES_ACTION, value }),
        ],
        `signoff:${cycle.month}:${step.key}`,
      ),
    );
  }
  blocks.push(footer(r, summary ?? "live", { view: "cycle", filters: { month: cycle.month } }));
  const state = step.status === "signed" ? "signed" : `waiting for ${missingText(step)}`;
  return {
    text: fallbackText(`Sign-off: ${step.name} (${monthLong(r.formats, cycle.month)}) — ${state}`),
    blocks,
  };
}
