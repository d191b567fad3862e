import { randomUUID } from "node:crypto";
import { parseWhatIf } from "../../api/domain/plan-commands.js";
import { data } from "../api.js";
import { parseErrorProblem } from "../blocks/parse-error.js";
import { problemAnswer } from "../blocks/problem.js";
import { WHATIF_TEXT_MAX, whatifAnswer } from "../blocks/whatif.js";
import type { Subcommand } from "../command.js";
import { WHATIF_LINES } from "../whatif.js";

/** Months the comparison looks ahead, as /sop gaps does by default. */
const HORIZON = 6;

export const command: Subcommand = {
  name: "whatif",
  order: 65,
  aliases: ["what-if"],
  usage: "whatif CHANGE[; CHANGE…]",
  summary:
    "What if demand, a supply order or capacity changed? Gaps, risk and inventory value beside the base plan, the plan untouched; separate several changes with ;. Save it, share it or attach it to the pre-S&OP card.",
  examples: [
    "demand +15% BOTTLES from 2026-12",
    "delay PO-7781 30d",
    "capacity BOTTLES -20%; demand -10% COOLERS",
  ],
  async run(_words, ctx) {
    const parsed = parseWhatIf(ctx.text);
    if (!parsed.ok) {
      return { ...problemAnswer(parseErrorProblem(parsed.error, ctx.text, ctx.command)), problem: true };
    }
    const { comparison } = await data(
      ctx.api.api.scenarios.$post({ json: { changes: parsed.value, horizon: HORIZON, lines: WHATIF_LINES } }),
    );
    const text = ctx.text.replace(/^\s*what-?if\b\s*/i, "");
    const ref =
      text.length <= WHATIF_TEXT_MAX
        ? { t: text, h: HORIZON, n: randomUUID().replace(/-/g, "").slice(0, 20) }
        : undefined;
    return whatifAnswer(ctx.render, comparison, { ref });
  },
};
