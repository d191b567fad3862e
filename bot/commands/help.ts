import { parseArgs } from "../args.js";
import { helpAnswer } from "../blocks/help.js";
import type { Subcommand } from "../command.js";

export const command: Subcommand = {
  name: "help",
  order: 1000,
  usage: "help [COMMAND]",
  summary: "This list; `help gaps` shows one command.",
  examples: ["", "gaps"],
  async run(words, ctx) {
    const args = parseArgs(words, { free: "command" }, this.usage);
    const wanted = args.free?.toLowerCase();
    const only = wanted
      ? ctx.commands.filter((c) => c.name === wanted || c.name.startsWith(`${wanted} `))
      : [];
    return helpAnswer(ctx.render, only.length > 0 ? only : ctx.commands, ctx.command);
  },
};
