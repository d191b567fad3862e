/**
 * Block Kit primitives shared by every message the bot and the jobs send. Pure. Each builder
 * clips its text to Slack's limit, so a message built from them is valid whatever the data;
 * `fitBlocks` keeps a list within the block budget and ends it with "+N more" and a link.
 *
 * Limits (docs.slack.dev/reference/block-kit): 50 blocks per message, 100 in Home tabs and
 * modals; section text 3000 characters, 10 fields of 2000; header 150 (plain text); context
 * 10 elements; button text 75; action and block ids 255; message text 40,000.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  ImageBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from "@slack/types";

export type { KnownBlock } from "@slack/types";

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  id: 255,
  buttonValue: 2000,
  url: 3000,
  modalTitle: 24,
} as const;

/** Clips `text` to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mrkdwn link `<url|label>`; the label is escaped and must not contain "|". */
export function link(url: string, label: string): string {
  return `<${url}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`;
}

export function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): MrkdwnElement {
  return { type: "mrkdwn", text: clip(text || " ", max) };
}

export function plain(text: string, max: number = SLACK_LIMITS.sectionText): PlainTextElement {
  return { type: "plain_text", text: clip(text || " ", max), emoji: true };
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: plain(text, SLACK_LIMITS.headerText) };
}

export function section(
  text: string,
  options: { fields?: string[]; accessory?: SectionBlock["accessory"]; blockId?: string } = {},
): SectionBlock {
  const block: SectionBlock = { type: "section", text: mrkdwn(text) };
  if (options.fields?.length) {
    block.fields = options.fields
      .slice(0, SLACK_LIMITS.sectionFields)
      .map((f) => mrkdwn(f, SLACK_LIMITS.fieldText));
  }
  if (options.accessory) block.accessory = options.accessory;
  if (options.blockId) block.block_id = clip(options.blockId, SLACK_LIMITS.id);
  return block;
}

/** A section of up to 10 two-column fields and no text. */
export function fields(items: string[]): SectionBlock {
  return {
    type: "section",
    fields: items.slice(0, SLACK_LIMITS.sectionFields).map((f) => mrkdwn(f, SLACK_LIMITS.fieldText)),
  };
}

export function context(...texts: string[]): ContextBlock {
  return {
    type: "context",
    elements: texts
      .filter((t) => t.length > 0)
      .slice(0, SLACK_LIMITS.contextElements)
      .map((t) => mrkdwn(t)),
  };
}

export function divider(): DividerBlock {
  return { type: "divider" };
}

export function image(url: string, altText: string, title?: string): ImageBlock {
  const block: ImageBlock = { type: "image", image_url: url, alt_text: clip(altText, 2000) };
  if (title) block.title = plain(title, 2000);
  return block;
}

export function button(options: {
  text: string;
  actionId: string;
  value?: string;
  url?: string;
  style?: "primary" | "danger";
  accessibilityLabel?: string;
}): Button {
  const b: Button = {
    type: "button",
    text: plain(options.text, SLACK_LIMITS.buttonText),
    action_id: clip(options.actionId, SLACK_LIMITS.id),
  };
  if (options.value !== undefined) b.value = clip(options.value, SLACK_LIMITS.buttonValue);
  if (options.url) b.url = options.url.slice(0, SLACK_LIMITS.url);
  if (options.style) b.style = options.style;
  if (options.accessibilityLabel) b.accessibility_label = clip(options.accessibilityLabel, 75);
  return b;
}

export function actions(elements: Button[], blockId?: string): ActionsBlock {
  const block: ActionsBlock = { type: "actions", elements: elements.slice(0, 25) };
  if (blockId) block.block_id = clip(blockId, SLACK_LIMITS.id);
  return block;
}

/**
 * Joins lines into as few sections as the 3000-character limit allows (a line never split
 * across two sections), for long mrkdwn lists.
 */
export function linesToSections(lines: string[]): SectionBlock[] {
  const out: SectionBlock[] = [];
  let current = "";
  for (const raw of lines) {
    const line = clip(raw, SLACK_LIMITS.sectionText);
    if (current && current.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      out.push(section(current));
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) out.push(section(current));
  return out;
}

/** "+37 more in the dashboard" as a context line, linking to the full list. */
export function moreLine(hidden: number, url: string | undefined, noun = "more"): ContextBlock {
  const text = `+${hidden.toLocaleString("en-US")} ${noun}`;
  return context(url ? `${text} · ${link(url, "Open in dashboard")}` : text);
}

/**
 * Keeps `head`, as many `items` as fit and `tail` within `max` blocks; when items are dropped,
 * a "+N more" line linking to `moreUrl` takes the place of the last ones.
 */
export function fitBlocks(
  head: KnownBlock[],
  items: KnownBlock[],
  tail: KnownBlock[],
  options: { max?: number; moreUrl?: string; totalItems?: number; noun?: string } = {},
): KnownBlock[] {
  const max = options.max ?? SLACK_LIMITS.blocksPerMessage;
  const total = options.totalItems ?? items.length;
  const room = max - head.length - tail.length;
  if (items.length <= room && total === items.length) return [...head, ...items, ...tail];
  const shown = items.slice(0, Math.max(0, room - 1));
  return [...head, ...shown, moreLine(total - shown.length, options.moreUrl, options.noun), ...tail].slice(
    0,
    max,
  );
}

/** The plain-text fallback of a message (notifications, screen readers), within 40,000 chars. */
export function fallbackText(text: string): string {
  return clip(text, SLACK_LIMITS.messageText);
}
