/**
 * What a `/sop` subcommand is: a name, help text with examples, and `run`, which turns the
 * words after the name into an answer using the API. Subcommands know nothing of Slack or the
 * terminal: the Slack listener and the console both show their answers.
 */
import type { ApiClient } from "./api.js";
import type { CommandHelp } from "./blocks/help.js";
import type { Message, Render } from "./blocks/render.js";

export interface CommandContext {
  api: ApiClient;
  /** The Slack user id of the person asking (the console's `--as`). */
  userId: string;
  /** Formats, clock and dashboard address for the answer. */
  render: Render;
  /** The slash command as people type it ("/sop"), for help text and hints. */
  command: string;
  /** Every subcommand's help, for `help` and suggestions. */
  commands: readonly CommandHelp[];
}

export interface Answer extends Message {
  /**
   * Post as a message of its own in the channel (the approval card), rather than answer the
   * person asking.
   */
  post?: boolean;
}

export interface Subcommand extends CommandHelp {
  /**
   * Where it comes in `help` (lower first). Names may have several words ("accuracy fva"):
   * the router picks the longest name the text starts with.
   */
  order: number;
  /** Other words that run it ("signoffs" for "signoff"). */
  aliases?: readonly string[];
  /** `words` are what follows the name, without a trailing `share`. */
  run(words: string[], ctx: CommandContext): Promise<Answer>;
}
