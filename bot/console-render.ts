/**
 * Block Kit as readable terminal text, for `sop console` and `sop ask`: headers underlined,
 * mrkdwn turned into plain (or ANSI-styled) text, links as "label (url)", fields one per line,
 * and buttons as numbered choices the console can act on. Pure.
 */
import type { KnownBlock } from "./blocks/kit.js";

export interface Choice {
  /** 1-based number shown in brackets. */
  n: number;
  text: string;
  actionId: string;
  value: string | undefined;
}

export interface RenderedText {
  text: string;
  choices: Choice[];
}

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  code(s: string): string;
}

const ANSI: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  code: (s) => `\x1b[36m${s}\x1b[39m`,
};
const PLAIN: Style = { bold: (s) => s, dim: (s) => s, code: (s) => s };

const unescapeMrkdwn = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Slack mrkdwn → terminal text. */
export function mrkdwnToText(text: string, color = false): string {
  const st = color ? ANSI : PLAIN;
  // Code blocks first: nothing inside them is formatting.
  const parts = text.split(/```\n?([\s\S]*?)\n?```/);
  let out = "";
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const code = part
        .split("\n")
        .map((l) => `    ${st.code(unescapeMrkdwn(l))}`)
        .join("\n");
      // A code block stands on lines of its own.
      out += `${out && !out.endsWith("\n") ? "\n" : ""}${code}\n`;
      return;
    }
    out += unescapeMrkdwn(
      part
        .replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_, url: string, label: string) => `${label} (${url})`)
        .replace(/<(https?:[^>]+)>/g, "$1")
        .replace(/<@([A-Z0-9]+)>/g, "@$1")
        .replace(/<#[A-Z0-9]+\|([^>]+)>/g, "#$1")
        .replace(/<!(here|channel|everyone)>/g, "@$1"),
    )
      .replace(/`([^`\n]+)`/g, (_, c: string) => st.code(c))
      .replace(
        /(^|[\s(“"])\*([^*\n]+)\*(?=$|[\s).,:;!?”"])/gm,
        (_, pre: string, b: string) => `${pre}${st.bold(b)}`,
      )
      .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/gm, "$1$2")
      .replace(/(^|\s)~([^~\n]+)~(?=$|\s)/gm, "$1$2");
  });
  return out.replace(/\n{3,}/g, "\n\n").replace(/\n+$/, "");
}

type Json = Record<string, unknown>;
const textOf = (t: unknown): string =>
  typeof (t as Json)?.text === "string" ? ((t as Json).text as string) : "";

/** Renders blocks as terminal text; buttons become numbered choices starting at `firstChoice`. */
export function blocksToText(
  blocks: readonly KnownBlock[],
  options: { color?: boolean; firstChoice?: number } = {},
): RenderedText {
  const color = options.color ?? false;
  const st = color ? ANSI : PLAIN;
  const out: string[] = [];
  const choices: Choice[] = [];
  const md = (t: unknown) => mrkdwnToText(textOf(t), color);
  for (const block of blocks as unknown as Json[]) {
    switch (block.type) {
      case "header": {
        const t = textOf(block.text);
        out.push("", st.bold(t), "━".repeat(Math.min(60, Math.max(8, t.length))));
        break;
      }
      case "section": {
        if (block.text) out.push(md(block.text));
        if (Array.isArray(block.fields)) {
          for (const field of block.fields) {
            const [label, ...rest] = md(field).split("\n");
            out.push(rest.length ? `  ${label}: ${rest.join(" ")}` : `  ${label}`);
          }
        }
        const accessory = block.accessory as Json | undefined;
        if (accessory?.type === "button") {
          const n = (options.firstChoice ?? 1) + choices.length;
          choices.push({
            n,
            text: textOf(accessory.text),
            actionId: String(accessory.action_id ?? ""),
            value: accessory.value as string | undefined,
          });
          out.push(`  [${n}] ${textOf(accessory.text)}`);
        }
        break;
      }
      case "context": {
        const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
        const text = elements
          .map((e) => (e.type === "image" ? "" : md(e)))
          .filter(Boolean)
          .join("  ");
        out.push(st.dim(text));
        break;
      }
      case "divider":
        out.push(st.dim("─".repeat(40)));
        break;
      case "image":
        out.push(`[image: ${String(block.alt_text ?? "")}]`);
        break;
      case "actions": {
        const buttons: string[] = [];
        for (const element of (block.elements as Json[]) ?? []) {
          if (element.type !== "button") continue;
          if (typeof element.url === "string") {
            buttons.push(`${textOf(element.text)} (${element.url})`);
            continue;
          }
          const n = (options.firstChoice ?? 1) + choices.length;
          choices.push({
            n,
            text: textOf(element.text),
            actionId: String(element.action_id ?? ""),
            value: element.value as string | undefined,
          });
          buttons.push(st.bold(`[${n}] ${textOf(element.text)}`));
        }
        if (buttons.length) out.push(buttons.join("   "));
        break;
      }
      case "markdown":
        out.push(mrkdwnToText(String(block.text ?? ""), color));
        break;
      default:
        break;
    }
  }
  return { text: out.join("\n").replace(/^\n+/, ""), choices };
}
