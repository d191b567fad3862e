import { data } from "../api.js";
import { parseArgs } from "../args.js";
import { turnsAnswer } from "../blocks/turns.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

export const command: Subcommand = {
  name: "turns",
  order: 30,
  usage: "turns [FAMILY]",
  summary: "Inventory turns, days of inventory and inventory value, with the change against last month.",
  examples: ["", "FILTERS"],
  async run(words, ctx) {
    const args = parseArgs(words, { free: "family" }, this.usage);
    const scope = args.free ? await resolveScope(ctx.api, args.free, "both") : {};
    const turns = await data(ctx.api.api.kpi.turns.$get({ query: scope }));
    return turnsAnswer(ctx.render, turns, scope);
  },
};
