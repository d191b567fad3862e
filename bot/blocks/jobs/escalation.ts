/**
 * Escalations (the escalations job): steps overdue by a business day or more, posted to the
 * channel naming the missing roles and people, and sent to each executive directly.
 */
import { periodLongLabel } from "../../../api/domain/format.js";
import {
  context,
  escapeMrkdwn,
  fallbackText,
  fitBlocks,
  header,
  type KnownBlock,
  linesToSections,
  section,
} from "../kit.js";
import {
  dashboardLinks,
  dateLabel,
  holdersLine,
  listJoin,
  type Person,
  plural,
  type RoleHolders,
  roleName,
} from "./format.js";

export interface OverdueStep {
  name: string;
  dueDate: string;
  /** Business days past the due date (≥ 1). */
  daysOverdue: number;
  missing: RoleHolders[];
  changesRequested: boolean;
}

export interface EscalationInput {
  /** 'YYYY-MM' */
  cycle: string;
  steps: OverdueStep[];
  /** The executive step still ahead, if any: what the delay puts at risk. */
  executiveStep: { name: string; dueDate: string } | null;
  executives: Person[];
  cycleUrl: string;
  locale?: string;
}

function late(days: number): string {
  return `${plural(days, "business day")} late`;
}

function stepLine(s: OverdueStep, locale: string, withMentions: boolean): string {
  return [
    `:red_circle: *${escapeMrkdwn(s.name)}* — due ${dateLabel(s.dueDate, locale)}, *${late(s.daysOverdue)}*`,
    `Waiting for ${s.missing.map((h) => holdersLine(h, withMentions)).join("; ")}`,
    ...(s.changesRequested ? ["_Changes were requested and not yet resolved._"] : []),
  ].join("\n");
}

/** The channel post. */
export function escalationPost(input: EscalationInput): { text: string; blocks: KnownBlock[] } {
  const locale = input.locale ?? "en-US";
  const month = periodLongLabel(input.cycle, locale);
  const head: KnownBlock[] = [header(`Overdue: ${plural(input.steps.length, "step")} in the ${month} cycle`)];
  const notes = [
    input.executives.length
      ? `Escalated to ${listJoin(input.executives.map((p) => escapeMrkdwn(p.name)))}`
      : "No one holds the executive role: add one with the people API",
    input.executiveStep
      ? `${escapeMrkdwn(input.executiveStep.name)} is due ${dateLabel(input.executiveStep.dueDate, locale)}`
      : "",
  ].filter(Boolean);
  const tail: KnownBlock[] = [
    context(notes.join(" · ")),
    dashboardLinks([["Open the cycle", input.cycleUrl]]),
  ];
  const text = fallbackText(
    `Overdue in the ${month} cycle: ${input.steps
      .map(
        (s) =>
          `${s.name} (${late(s.daysOverdue)}, missing ${s.missing.map((m) => roleName(m.role)).join(", ")})`,
      )
      .join("; ")}.`,
  );
  return {
    text,
    blocks: fitBlocks(head, linesToSections(input.steps.map((s) => stepLine(s, locale, true))), tail, {
      moreUrl: input.cycleUrl,
      noun: "more overdue steps",
    }),
  };
}

/** The direct message to one executive: names, not mentions (the people are not in the DM). */
export function escalationDm(input: EscalationInput & { executive: Person }): {
  text: string;
  blocks: KnownBlock[];
} {
  const locale = input.locale ?? "en-US";
  const month = periodLongLabel(input.cycle, locale);
  const first = input.executive.name.split(" ")[0] ?? input.executive.name;
  const head: KnownBlock[] = [
    section(
      `:warning: ${escapeMrkdwn(first)}, the ${month} S&OP cycle is behind: ${plural(input.steps.length, "step")} overdue.`,
    ),
  ];
  const tail: KnownBlock[] = [
    ...(input.executiveStep
      ? [
          context(
            `${escapeMrkdwn(input.executiveStep.name)} is due ${dateLabel(input.executiveStep.dueDate, locale)}: the delay puts it at risk.`,
          ),
        ]
      : []),
    dashboardLinks([["Open the cycle", input.cycleUrl]]),
  ];
  const text = fallbackText(
    `The ${month} S&OP cycle is behind: ${input.steps.map((s) => `${s.name} is ${late(s.daysOverdue)}`).join("; ")}.`,
  );
  return {
    text,
    blocks: fitBlocks(head, linesToSections(input.steps.map((s) => stepLine(s, locale, false))), tail, {
      moreUrl: input.cycleUrl,
      noun: "more overdue steps",
    }),
  };
}
