/**
 * The cycle kickoff (cycle-open): the month's calendar, step by step with who signs, and what
 * the previous cycle left unsigned.
 */
import { periodLongLabel } from "../../../api/domain/format.js";
import {
  context,
  divider,
  escapeMrkdwn,
  fallbackText,
  fitBlocks,
  header,
  type KnownBlock,
  linesToSections,
  section,
} from "../kit.js";
import { dashboardLinks, dateLabel, holdersLine, plural, type RoleHolders } from "./format.js";

export interface KickoffStep {
  name: string;
  dueDate: string;
  /** The roles that sign it and who holds them; empty for a step nobody signs. */
  signers: RoleHolders[];
}

export interface UnsignedStep {
  name: string;
  dueDate: string;
  missing: RoleHolders[];
}

export interface KickoffInput {
  company: string;
  /** 'YYYY-MM' */
  month: string;
  timezone: string;
  /** True when this run opened the cycle; false when someone had opened it already. */
  openedNow: boolean;
  steps: KickoffStep[];
  /** Holidays within the month. */
  holidays: { date: string; name: string }[];
  previous: { month: string; steps: UnsignedStep[] } | null;
  cycleUrl: string;
  locale?: string;
}

export function kickoffMessage(input: KickoffInput): { text: string; blocks: KnownBlock[] } {
  const locale = input.locale ?? "en-US";
  const month = periodLongLabel(input.month, locale);
  const exec = [...input.steps].reverse().find((s) => s.signers.some((h) => h.role === "executive"));
  const signable = input.steps.filter((s) => s.signers.length > 0).length;
  const intro = [
    `${input.openedNow ? "A new cycle starts today" : "The cycle is open"} for *${escapeMrkdwn(input.company)}*: ${plural(signable, "step")} to sign`,
    exec ? `, the executive S&OP due *${dateLabel(exec.dueDate, locale)}*.` : ".",
  ].join("");
  const calendar = input.steps.map((s, i) => {
    const who = s.signers.length ? `\n${s.signers.map((h) => holdersLine(h)).join(" · ")}` : "";
    const due = s.signers.length
      ? `due ${dateLabel(s.dueDate, locale)}`
      : `through ${dateLabel(s.dueDate, locale)}`;
    return `*${i + 1}. ${escapeMrkdwn(s.name)}* — ${due}${who}`;
  });
  const head: KnownBlock[] = [header(`${month} S&OP cycle is open`), section(intro), divider()];
  const tail: KnownBlock[] = [];
  if (input.previous && input.previous.steps.length > 0) {
    const prev = periodLongLabel(input.previous.month, locale);
    const lines = input.previous.steps.map(
      (s) =>
        `• *${escapeMrkdwn(s.name)}* (due ${dateLabel(s.dueDate, locale)}) — waiting for ${s.missing
          .map((h) => holdersLine(h))
          .join("; ")}`,
    );
    tail.push(divider(), ...linesToSections([`:warning: *Still unsigned from ${prev}:*`, ...lines]));
  }
  const notes = [
    `Due dates are business days in ${input.timezone}`,
    input.holidays.length
      ? `holidays: ${input.holidays.map((h) => `${dateLabel(h.date, locale)}${h.name ? ` (${escapeMrkdwn(h.name)})` : ""}`).join(", ")}`
      : "",
  ].filter(Boolean);
  tail.push(context(notes.join(" · ")), dashboardLinks([["Open the cycle", input.cycleUrl]]));
  const blocks = fitBlocks(head, linesToSections(calendar), tail, {
    moreUrl: input.cycleUrl,
    noun: "more steps",
  });
  const text = fallbackText(
    `${month} S&OP cycle is open: ${plural(signable, "step")} to sign${exec ? `, executive S&OP due ${dateLabel(exec.dueDate, locale)}` : ""}.${
      input.previous?.steps.length
        ? ` ${plural(input.previous.steps.length, "step")} of ${periodLongLabel(input.previous.month, locale)} still unsigned.`
        : ""
    }`,
  );
  return { text, blocks };
}
