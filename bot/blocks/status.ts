/**
 * `/sop status`: the current cycle — each step with its due date, who signed and who is
 * missing, what is overdue — and the asking person's own pending sign-offs first.
 */
import type { Cycle } from "../api.js";
import { cycleSummaryText, pendingFor, pendingLine, stepLines } from "./cycle-status.js";
import { monthLong } from "./format.js";
import { footer } from "./freshness.js";
import { clip, fallbackText, fitBlocks, header, type KnownBlock, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";

export function statusAnswer(r: Render, cycle: Cycle, userId: string, command = "/sop"): Message {
  const link = { view: "cycle" as const, filters: { month: cycle.month } };
  const url = dashboard(r, link);
  const mine = pendingFor(cycle, userId);
  const head: KnownBlock[] = [
    header(`S&OP cycle · ${monthLong(r.formats, cycle.month)}`),
    section(cycleSummaryText(r, cycle, false)),
  ];
  const body: KnownBlock[] = [];
  if (mine.length > 0) {
    body.push(section("*Waiting for you*"));
    body.push(
      ...listBlocks(mine, (p) => pendingLine(r, p, command), {
        maxBlocks: 6,
        moreUrl: url,
        noun: "more of yours",
      }),
    );
  }
  body.push(section("*Steps*"));
  body.push(
    ...listBlocks(cycle.steps, (s) => stepLines(r, s), {
      maxLines: 12,
      maxBlocks: 30,
      moreUrl: url,
      noun: "more steps",
    }),
  );
  const overdue = cycle.steps
    .filter((s) => s.overdue)
    .slice(0, 5)
    .map((s) => clip(s.name, 80));
  const text = `${monthLong(r.formats, cycle.month)} cycle: ${cycle.progress.signed} of ${cycle.progress.total} steps signed${overdue.length ? `, overdue: ${overdue.join(", ")}` : ""}${mine.length ? `; ${mine.length} waiting for you` : ""}`;
  return {
    text: fallbackText(text),
    blocks: fitBlocks(head, body, [footer(r, "live", link)], { moreUrl: url }),
  };
}
