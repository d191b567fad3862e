import { parseOverride } from "../../api/domain/plan-commands.js";
import { ApiError } from "../api.js";
import { overrideModal } from "../blocks/override.js";
import { parseErrorProblem } from "../blocks/parse-error.js";
import { problemAnswer } from "../blocks/problem.js";
import type { Subcommand } from "../command.js";
import { currentCycle, NoCycleError } from "../cycle.js";
import { submitOverride } from "../overrides.js";

export const command: Subcommand = {
  name: "override",
  order: 60,
  usage: "override SKU|FAMILY YYYY-MM UNITS reason…",
  summary:
    "Changes the consensus plan for a month (sales and marketing): a SKU, a SKU at one location (SKU@LOCATION) or a family (family:NAME, spread over its SKUs); the answer shows the consensus before and after. Without arguments: a form.",
  examples: [
    "BTL-S05-GLC 2026-12 1200 trade show order from REI",
    "family:BOTTLES 2027-01 5,000 summer campaign",
    "BTL-S05-GLC@WEST 2026-12 300 new store opening",
  ],
  async run(words, ctx) {
    if (words.length === 0) {
      const cycle = await currentCycle(ctx.api).then(
        (c) => c.month,
        (error: unknown) => {
          if (error instanceof NoCycleError || (error instanceof ApiError && error.status === 404))
            return null;
          throw error;
        },
      );
      return {
        ...problemAnswer({
          title: "Override the consensus plan",
          detail: `Write it in one line: ${ctx.command} ${this.usage}`,
          next: `e.g. \`${ctx.command} override ${this.examples[0]}\``,
        }),
        modal: overrideModal(ctx.render, { cycle, reply: undefined }),
      };
    }
    const parsed = parseOverride(ctx.text);
    if (!parsed.ok) {
      return { ...problemAnswer(parseErrorProblem(parsed.error, ctx.text, ctx.command)), problem: true };
    }
    const outcome = await submitOverride(
      ctx.api,
      parsed.value,
      { person: ctx.userId, source: ctx.source, idempotencyKey: `${ctx.source}:override:${ctx.requestId}` },
      ctx.render,
      ctx.command,
    );
    return outcome.ok ? outcome.message : { ...problemAnswer(outcome.problem), problem: true };
  },
};
