/**
 * What a `/sop` subcommand is: a name, help text with examples, and `run`, which turns the
 * words after the name into an answer using the API. Subcommands know nothing of Slack or the
 * terminal: the Slack listener and the console both show their answers.
 */
import type { ModalView } from "@slack/types";
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
  /**
   * What was typed after the slash command, spacing kept (without a trailing `share`): for
   * commands whose grammar reports columns (`override`, `whatif`).
   */
  text: string;
  /** Where the command comes from, for the audit trail. */
  source: "slack" | "console";
  /**
   * The identity of this delivery (Slack's trigger_id; a fresh id in the console): a write made
   * from it carries it in its idempotency key, so a retry records once.
   */
  requestId: string;
}

export interface Answer extends Message {
  /**
   * Post as a message of its own in the channel (the approval card), rather than answer the
   * person asking.
   */
  post?: boolean;
  /**
   * A form to open instead (Slack: views.open with the command's trigger_id). The message is
   * what to show where a form cannot open (the console) or when opening it fails.
   */
  modal?: ModalView;
  /** The answer is a refusal or a problem, though the command ran (`sop ask` exits 1). */
  problem?: boolean;
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
