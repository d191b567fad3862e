/**
 * The cycle as people need to see it: one line per step (signed by whom, waiting for whom,
 * overdue by how much), the cycle's progress in one line, and a person's own pending
 * sign-offs. Shared by `/sop status`, the approval card, App Home and the jobs' reminders.
 */
import type { Cycle, Step } from "../api.js";
import { day, listWords, monthLong, plural, when } from "./format.js";
import { clip, escapeMrkdwn } from "./kit.js";
import type { Render } from "./render.js";

export const STEP_ICONS = {
  signed: "✅",
  open: "⏳",
  overdue: "🔴",
  changes_requested: "↩️",
  none: "➖",
} as const;

/** The icon of a step's state (an overdue step shows as overdue whatever else). */
export function stepIcon(step: Step): string {
  if (step.roles.length === 0) return STEP_ICONS.none;
  if (step.status === "signed") return STEP_ICONS.signed;
  if (step.overdue) return STEP_ICONS.overdue;
  if (step.status === "changes_requested") return STEP_ICONS.changes_requested;
  return STEP_ICONS.open;
}

const names = (people: { name: string }[]) => [...new Set(people.map((p) => clip(p.name, 60)))];

/** "finance (Grace Whitfield)", "sales (Rachel Kim or Marcus Bell)", "executive (nobody yet)". */
export function missingText(step: Step): string {
  return step.missing
    .map((m) => {
      const who = names(m.people);
      const holders =
        who.length === 0
          ? "nobody holds this role yet"
          : who.length <= 3
            ? who.join(" or ")
            : `${who.slice(0, 3).join(", ")} or ${who.length - 3} more`;
      return `${m.role} (${escapeMrkdwn(holders)})`;
    })
    .join(", ");
}

/** "Nov 17" or "Nov 17, 2 business days overdue". */
export function dueText(r: Render, step: Step): string {
  const due = `due ${day(r.formats, step.dueDate)}`;
  if (!step.overdue) return due;
  return `${plural(Math.max(1, step.daysOverdue), "business day")} overdue (${due})`;
}

/** The latest request for changes still standing, if the step is reopened. */
export function latestRequest(step: Step): Step["signoffs"][number] | undefined {
  if (step.status !== "changes_requested") return undefined;
  return [...step.signoffs].reverse().find((s) => s.decision === "request_changes");
}

/**
 * One step in two short lines: its state and, when not signed, who it waits for.
 * "✅ *Demand review* · signed Nov 9 by Rachel Kim and Priya Natarajan".
 */
export function stepLines(r: Render, step: Step): string {
  const title = `${stepIcon(step)} *${escapeMrkdwn(clip(step.name, 80))}*`;
  if (step.roles.length === 0) return `${title} · ${dueText(r, step)} · no sign-off`;
  if (step.status === "signed") {
    const by = listWords(names(step.approvals.map((a) => a.person)).map(escapeMrkdwn));
    const at = step.signedAt ? ` ${day(r.formats, step.signedAt.slice(0, 10))}` : "";
    return clip(`${title} · signed${at} by ${by}`, 600);
  }
  const lines = [`${title} · ${dueText(r, step)}`];
  const request = latestRequest(step);
  if (request) {
    const comment = request.comment ? `: “${escapeMrkdwn(clip(request.comment, 140))}”` : "";
    lines.push(`   changes requested by ${escapeMrkdwn(request.person.name)}${comment}`);
  }
  if (step.approvals.length > 0) {
    const done = step.approvals.map((a) => `${a.role} ✓ ${escapeMrkdwn(a.person.name)}`).join(", ");
    lines.push(`   ${done}`);
  }
  lines.push(`   waiting for ${missingText(step)}`);
  return clip(lines.join("\n"), 1500);
}

/** "*November 2026* · 3 of 5 steps signed · 1 overdue · plan locked 🔒" (the month optional). */
export function cycleSummaryText(r: Render, cycle: Cycle, withMonth = true): string {
  const parts = withMonth ? [`*${monthLong(r.formats, cycle.month)}*`] : [];
  if (cycle.status === "closed") parts.push("closed");
  parts.push(`${cycle.progress.signed} of ${plural(cycle.progress.total, "step")} signed`);
  if (cycle.progress.overdue > 0) parts.push(`${cycle.progress.overdue} overdue`);
  if (cycle.planLocked) {
    const by = cycle.planLocked.byName ? ` by ${escapeMrkdwn(cycle.planLocked.byName)}` : "";
    parts.push(`plan locked${by} 🔒`);
  }
  return parts.join(" · ");
}

export interface PendingSignoff {
  step: Step;
  /** The step's missing roles this person holds. */
  roles: string[];
}

/** The steps of an open cycle still waiting for a role `userId` holds, in cycle order. */
export function pendingFor(cycle: Cycle, userId: string): PendingSignoff[] {
  if (cycle.status !== "open") return [];
  const out: PendingSignoff[] = [];
  for (const step of cycle.steps) {
    if (step.status === "signed" || step.roles.length === 0) continue;
    const roles = step.missing
      .filter((m) => m.people.some((p) => p.slackUserId === userId))
      .map((m) => m.role);
    if (roles.length > 0) out.push({ step, roles });
  }
  return out;
}

/** "⏳ *Pre-S&OP* (as planner) · due Nov 17 · `/sop signoff pre`". */
export function pendingLine(r: Render, pending: PendingSignoff, command = "/sop"): string {
  return clip(
    `${stepIcon(pending.step)} *${escapeMrkdwn(clip(pending.step.name, 80))}* (as ${pending.roles.join(", ")}) · ${dueText(r, pending.step)} · \`${command} signoff ${pending.step.key}\``,
    600,
  );
}

/** "Maya Okafor on Nov 16, 10:42 AM". */
export function signedByText(r: Render, approval: Step["approvals"][number]): string {
  return `${escapeMrkdwn(approval.person.name)} on ${when(r.formats, approval.at)}`;
}
