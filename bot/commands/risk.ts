import { data } from "../api.js";
import { parseArgs } from "../args.js";
import { riskAnswer } from "../blocks/risk.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

const SHOWN = 10;

export const command: Subcommand = {
  name: "risk",
  order: 40,
  usage: "risk [FAMILY|SKU] [high|medium]",
  summary:
    "Items at risk of a stock-out within their lead time: probability, days of supply, order-by date. Medium and high unless you say `high`.",
  examples: ["", "high", "BOTTLES medium"],
  async run(words, ctx) {
    const args = parseArgs(words, { flags: ["high", "medium"], free: "family or SKU" }, this.usage);
    const scope = args.free ? await resolveScope(ctx.api, args.free, "both") : {};
    const minimum = args.flags.has("high") && !args.flags.has("medium") ? "high" : "medium";
    const risk = await data(
      ctx.api.api.kpi.risk.$get({ query: { ...scope, risk: minimum, limit: String(SHOWN) } }),
    );
    return riskAnswer(ctx.render, risk, scope, minimum);
  },
};
