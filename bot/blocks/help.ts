/**
 * `/sop help` and the answers to words the bot does not know: every subcommand with its usage
 * and examples, and "did you mean" suggestions.
 */
import { dashboardLink, footer } from "./freshness.js";
import {
  clip,
  context,
  escapeMrkdwn,
  fallbackText,
  fitBlocks,
  header,
  type KnownBlock,
  section,
} from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";

export interface CommandHelp {
  name: string;
  /** "gaps [FAMILY|SKU] [horizon N]" (without the slash command). */
  usage: string;
  summary: string;
  /** Argument lists after the subcommand, e.g. "BOTTLES horizon 3". */
  examples: readonly string[];
}

function helpLine(c: CommandHelp, command: string): string {
  const examples = c.examples.map((e) => `\`${command} ${c.name}${e ? ` ${e}` : ""}\``).join("  ");
  return clip(
    `*\`${command} ${escapeMrkdwn(c.usage)}\`*\n${escapeMrkdwn(c.summary)}${examples ? `\n${examples}` : ""}`,
    1200,
  );
}

export function helpAnswer(r: Render, commands: readonly CommandHelp[], command = "/sop"): Message {
  const link = { view: "overview" as const };
  const url = dashboard(r, link);
  const head: KnownBlock[] = [
    header("S&OP bot · what you can ask"),
    section(
      `Type \`${command}\` and a question. Answers are only visible to you; add \`share\` as the last word to post one in the channel.`,
    ),
  ];
  const list = listBlocks(commands, (c) => helpLine(c, command), {
    maxLines: 40,
    maxBlocks: 40,
    moreUrl: url,
    noun: "more commands",
  });
  return {
    text: fallbackText(`${command} commands: ${commands.map((c) => c.name).join(", ")}`),
    blocks: fitBlocks(head, list, [footer(r, "live", link)], { moreUrl: url }),
  };
}

/** An unknown subcommand: what was not understood, the closest commands and the way to help. */
export function unknownCommandAnswer(
  r: Render,
  word: string,
  suggestions: readonly CommandHelp[],
  command = "/sop",
): Message {
  const lines = [`I don't know \`${escapeMrkdwn(clip(word, 60))}\`.`];
  if (suggestions.length > 0) {
    lines.push(`Did you mean ${suggestions.map((s) => `\`${command} ${s.name}\``).join(" or ")}?`);
  }
  const blocks: KnownBlock[] = [section(lines.join(" "))];
  for (const s of suggestions.slice(0, 3)) blocks.push(section(helpLine(s, command)));
  blocks.push(context(`\`${command} help\` lists everything · ${dashboardLink(r, { view: "overview" })}`));
  return { text: fallbackText(lines.join(" ")), blocks };
}
