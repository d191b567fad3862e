import { data } from "../api.js";
import { parseArgs, UsageError } from "../args.js";
import { approvalCard } from "../blocks/approval-card.js";
import { monthLong } from "../blocks/format.js";
import { problemAnswer } from "../blocks/problem.js";
import type { Subcommand } from "../command.js";
import { currentCycle, stepScenarios } from "../cycle.js";
import { suggest } from "../suggest.js";

export const command: Subcommand = {
  name: "signoff",
  order: 80,
  aliases: ["sign-off", "approve"],
  usage: "signoff [STEP]",
  summary:
    "Posts the approval card of a step in this channel (the next step to sign unless you name one): Approve or Request changes on the card.",
  examples: ["", "demand", "exec"],
  async run(words, ctx) {
    const args = parseArgs(words, { free: "step" }, this.usage);
    const [cycle, summary] = await Promise.all([
      currentCycle(ctx.api),
      data(ctx.api.api.kpi.summary.$get()).catch(() => null),
    ]);
    const render = { ...ctx.render, formats: { ...ctx.render.formats, timezone: cycle.timezone } };
    const word = args.free?.toLowerCase();
    const step = word
      ? cycle.steps.find((s) => s.key.toLowerCase() === word || s.name.toLowerCase() === word)
      : cycle.steps.find((s) => s.roles.length > 0 && s.status !== "signed");
    if (word && !step) {
      const keys = cycle.steps.map((s) => s.key);
      const near = suggest(word, keys, 2);
      throw new UsageError(
        `The ${monthLong(render.formats, cycle.month)} cycle has no step \`${args.free}\`${near.length ? `: did you mean ${near.map((k) => `\`${k}\``).join(" or ")}?` : "."} Its steps are ${keys.map((k) => `\`${k}\``).join(", ")}.`,
        `signoff ${near[0] ?? keys[0] ?? "demand"}`,
      );
    }
    if (!step) {
      return problemAnswer({
        title: `Every step of the ${monthLong(render.formats, cycle.month)} cycle is signed ✅`,
        next: `Name a step to post its card anyway, e.g. \`${ctx.command} signoff ${cycle.steps[0]?.key ?? "demand"}\``,
      });
    }
    if (step.roles.length === 0) {
      throw new UsageError(
        `${step.name} needs no sign-off.`,
        `signoff ${cycle.steps.find((s) => s.roles.length > 0)?.key ?? ""}`,
      );
    }
    const scenarios = await stepScenarios(ctx.api, cycle.month, step.key);
    return { ...approvalCard(render, { cycle, step, summary, scenarios }), post: true };
  },
};
