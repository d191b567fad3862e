/**
 * The approval card of a step: what is being signed, by when, the figures it rests on, who
 * must sign (and who has), and the Approve / Request changes buttons while it is open. Each
 * button carries the card's revision (the step's latest decision when it was drawn), so two
 * clicks on the same drawing are one decision.
 */
import { z } from "zod";
import type { Cycle, Step, Summary } from "../api.js";
import { dueText, latestRequest, missingText, stepIcon } from "./cycle-status.js";
import { day, monthLong, when } from "./format.js";
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
  section,
} from "./kit.js";
import { figuresForStep, headlineFields } from "./kpi-headline.js";
import type { Message, Render } from "./render.js";

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
