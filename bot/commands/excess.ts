import { data } from "../api.js";
import { parseArgs } from "../args.js";
import { excessAnswer } from "../blocks/excess.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

const SHOWN = 10;

export const command: Subcommand = {
  name: "excess",
  order: 50,
  usage: "excess [FAMILY]",
  summary: "Excess stock (beyond six months of demand) and slow movers, by value.",
  examples: ["", "ACCESSORIES"],
  async run(words, ctx) {
    const args = parseArgs(words, { free: "family" }, this.usage);
    const scope = args.free ? await resolveScope(ctx.api, args.free, "both") : {};
    const excess = await data(ctx.api.api.kpi.excess.$get({ query: { ...scope, limit: String(SHOWN) } }));
    return excessAnswer(ctx.render, excess, scope);
  },
};
