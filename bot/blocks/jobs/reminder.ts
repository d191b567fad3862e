/**
 * Reminders (the reminders job): a direct message to each person whose sign-off is missing on
 * a step due within two business days, and a channel post on the due day.
 */
import { periodLongLabel } from "../../../api/domain/format.js";
import {
  context,
  escapeMrkdwn,
  fallbackText,
  fitBlocks,
  type KnownBlock,
  linesToSections,
  section,
} from "../kit.js";
import {
  businessDaysWhen,
  dashboardLinks,
  dateLabel,
  holdersLine,
  type Person,
  plural,
  type RoleHolders,
  roleName,
} from "./format.js";

export interface ReminderItem {
  /** 'YYYY-MM' */
  cycle: string;
  step: string;
  dueDate: string;
  /** 0 on the due date. */
  businessDaysLeft: number;
  /** The roles of the step this person would sign for. */
  roles: string[];
  /** Someone asked for changes: the step needs another look, not just a signature. */
  changesRequested: boolean;
}

export interface ReminderDmInput {
  person: Person;
  items: ReminderItem[];
  cycleUrl: string;
  locale?: string;
}

function whenLine(item: ReminderItem, locale: string): string {
  const when = item.businessDaysLeft === 0 ? "*today*" : businessDaysWhen(item.businessDaysLeft);
  return `due ${when} (${dateLabel(item.dueDate, locale)})`;
}

/** The DM: one line per step the person signs, the nearest due first. */
export function reminderDm(input: ReminderDmInput): { text: string; blocks: KnownBlock[] } {
  const locale = input.locale ?? "en-US";
  const items = [...input.items].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.step.localeCompare(b.step),
  );
  const first = input.person.name.split(" ")[0] ?? input.person.name;
  const lines = items.map(
    (i) =>
      `• *${escapeMrkdwn(i.step)}* as ${i.roles.map(roleName).join(" & ")} — ${whenLine(i, locale)}${
        i.changesRequested ? "\n   _changes were requested: have a look before signing_" : ""
      }`,
  );
  const cycles = [...new Set(items.map((i) => periodLongLabel(i.cycle, locale)))];
  const head = [section(`:wave: Hi ${escapeMrkdwn(first)}, your sign-off is needed:`)];
  const tail: KnownBlock[] = [
    context(`${cycles.join(", ")} S&OP cycle`),
    dashboardLinks([["Review and sign", input.cycleUrl]]),
  ];
  const soonest = items[0];
  const text = fallbackText(
    soonest
      ? `Your sign-off is needed: ${soonest.step} is due ${soonest.businessDaysLeft === 0 ? "today" : dateLabel(soonest.dueDate, locale)}${
          items.length > 1 ? ` (and ${plural(items.length - 1, "more step")})` : ""
        }.`
      : "Your sign-off is needed.",
  );
  return { text, blocks: fitBlocks(head, linesToSections(lines), tail, { moreUrl: input.cycleUrl }) };
}

export interface DueTodayStep {
  name: string;
  dueDate: string;
  missing: RoleHolders[];
  signed: { role: string; person: Person }[];
}

export interface DueTodayInput {
  cycle: string;
  steps: DueTodayStep[];
  cycleUrl: string;
  locale?: string;
}

/** The channel post on a due date: which steps are due today and who has not signed yet. */
export function dueTodayPost(input: DueTodayInput): { text: string; blocks: KnownBlock[] } {
  const locale = input.locale ?? "en-US";
  const lines = input.steps.map((s) => {
    const done = s.signed.map((a) => `${roleName(a.role)} ✓ ${escapeMrkdwn(a.person.name)}`);
    return [
      `:calendar: *${escapeMrkdwn(s.name)}* is due *today*, ${dateLabel(s.dueDate, locale)}`,
      `Waiting for ${s.missing.map((h) => holdersLine(h)).join("; ")}`,
      ...(done.length ? [`Signed: ${done.join(", ")}`] : []),
    ].join("\n");
  });
  const tail: KnownBlock[] = [
    context(`${periodLongLabel(input.cycle, locale)} S&OP cycle · due by the end of the day`),
    dashboardLinks([["Open the cycle", input.cycleUrl]]),
  ];
  const text = fallbackText(
    `Due today: ${input.steps.map((s) => s.name).join(", ")} — waiting for ${input.steps
      .flatMap((s) => s.missing.flatMap((h) => h.people.map((p) => p.name)))
      .filter((n, i, all) => all.indexOf(n) === i)
      .join(", ")}.`,
  );
  return { text, blocks: fitBlocks([], linesToSections(lines), tail, { moreUrl: input.cycleUrl }) };
}
