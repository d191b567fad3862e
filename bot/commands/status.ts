import { parseArgs } from "../args.js";
import { statusAnswer } from "../blocks/status.js";
import type { Subcommand } from "../command.js";
import { currentCycle } from "../cycle.js";

export const command: Subcommand = {
  name: "status",
  order: 70,
  usage: "status",
  summary:
    "The current cycle: steps, due dates, who has signed and who is missing, what is overdue, and what waits for you.",
  examples: [""],
  async run(words, ctx) {
    parseArgs(words, {}, this.usage);
    const cycle = await currentCycle(ctx.api);
    return statusAnswer(
      { ...ctx.render, formats: { ...ctx.render.formats, timezone: cycle.timezone } },
      cycle,
      ctx.userId,
      ctx.command,
    );
  },
};
