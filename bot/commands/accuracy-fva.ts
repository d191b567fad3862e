import { data } from "../api.js";
import { parseArgs } from "../args.js";
import { fvaAnswer } from "../blocks/fva.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

export const command: Subcommand = {
  name: "accuracy fva",
  order: 21,
  aliases: ["fva"],
  usage: "accuracy fva [FAMILY] [lag N] [months N]",
  summary:
    "Forecast value added by contributor: accuracy of the statistical forecast, of each person's overrides and of the consensus, and whether each one made the plan better or worse.",
  examples: ["", "BOTTLES months 6"],
  async run(words, ctx) {
    const args = parseArgs(
      words,
      { numbers: { lag: { min: 0, max: 23 }, months: { min: 1, max: 36 } }, free: "family" },
      this.usage,
    );
    const scope = args.free ? await resolveScope(ctx.api, args.free, "family") : {};
    const report = await data(
      ctx.api.api.kpi.fva.$get({
        query: {
          ...(scope.family ? { family: scope.family } : {}),
          lag: String(args.numbers.lag ?? 1),
          months: String(args.numbers.months ?? 12),
        },
      }),
    );
    return fvaAnswer(ctx.render, report, scope);
  },
};
