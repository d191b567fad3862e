import { data } from "../api.js";
import { parseArgs, UsageError } from "../args.js";
import { skuAnswer } from "../blocks/sku.js";
import type { Subcommand } from "../command.js";
import { resolveScope } from "../resolve-scope.js";

export const command: Subcommand = {
  name: "sku",
  order: 60,
  usage: "sku SKU",
  summary:
    "One item's card: history against the forecast, on hand, the projection, open supply and its segment.",
  examples: ["BTL-S05-GLC"],
  async run(words, ctx) {
    const args = parseArgs(words, { free: "SKU" }, this.usage);
    if (!args.free) throw new UsageError("Which SKU?", "sku BTL-S05-GLC");
    const { sku } = await resolveScope(ctx.api, args.free, "sku");
    const item = await data(ctx.api.api.skus[":sku"].$get({ param: { sku: sku! }, query: {} }));
    return skuAnswer(ctx.render, item);
  },
};
