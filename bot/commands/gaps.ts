import { data } from "../api.js";
import { parseArgs } from "../args.js";
import { gapsAnswer } from "../blocks/gaps.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

/** Shortages shown; the answer counts the rest and links to the full list. */
const SHOWN = 10;

export const command: Subcommand = {
  name: "gaps",
  order: 10,
  usage: "gaps [FAMILY|SKU] [horizon N]",
  summary:
    "Top shortages by value at risk, with the first stock-out month and the order-by date; capacity gaps by family; totals.",
  examples: ["", "BOTTLES", "BTL-S05-GLC horizon 3"],
  async run(words, ctx) {
    const args = parseArgs(
      words,
      { numbers: { horizon: { min: 1, max: 12 } }, free: "family or SKU" },
      this.usage,
    );
    const scope = args.free ? await resolveScope(ctx.api, args.free, "both") : {};
    const gaps = await data(
      ctx.api.api.kpi.gaps.$get({
        query: { ...scope, horizon: String(args.numbers.horizon ?? 6), limit: String(SHOWN) },
      }),
    );
    return gapsAnswer(ctx.render, gaps, scope);
  },
};
