import { data } from "../api.js";
import { parseArgs } from "../args.js";
import { accuracyAnswer } from "../blocks/accuracy.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

export const command: Subcommand = {
  name: "accuracy",
  order: 20,
  usage: "accuracy [FAMILY|SKU] [lag N] [months N]",
  summary:
    "Forecast accuracy and WAPE, bias in words, forecast value added, the trend against the previous window, the worst SKUs and tracking-signal flags.",
  examples: ["", "COOLERS", "BOTTLES lag 2 months 6"],
  async run(words, ctx) {
    const args = parseArgs(
      words,
      { numbers: { lag: { min: 0, max: 23 }, months: { min: 1, max: 36 } }, free: "family or SKU" },
      this.usage,
    );
    const scope = args.free ? await resolveScope(ctx.api, args.free, "both") : {};
    const accuracy = await data(
      ctx.api.api.kpi.accuracy.$get({
        query: {
          ...scope,
          lag: String(args.numbers.lag ?? 1),
          months: String(args.numbers.months ?? 12),
          worst: "5",
        },
      }),
    );
    return accuracyAnswer(ctx.render, accuracy, scope);
  },
};
