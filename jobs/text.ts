/**
 * Block Kit as plain text for a terminal (`sop jobs run --dry-run`) and the API's dry runs:
 * headers underlined, mrkdwn links as "label (url)", mentions by name, fields in two columns,
 * buttons as "[label] url". Pure.
 */

type Json = Record<string, unknown>;

const EMOJI: Record<string, string> = {
  warning: "⚠️",
  red_circle: "🔴",
  calendar: "📅",
  wave: "👋",
  lock: "🔒",
  package: "📦",
  factory: "🏭",
  mag: "🔍",
  chart_with_downwards_trend: "📉",
  chart_with_upwards_trend: "📈",
  white_check_mark: "✅",
};

/** mrkdwn → text: links, mentions, entities and emoji codes; *bold* and _italic_ marks dropped. */
export function mrkdwnToText(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return text
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/gm, "$1$2")
    .replace(/(^|[\s(])_([^_\n]+)_(?=[\s).,:;!?]|$)/gm, "$1$2")
    .replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => `@${names.get(id) ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(\|([^>]*))?>/g, (_, id: string, _l, label?: string) => `#${label ?? id}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, (_, url: string, label: string) => `${label} (${url})`)
    .replace(/<([^>]+)>/g, (_, url: string) => url)
    .replace(/:([a-z_]+):/g, (all, code: string) => EMOJI[code] ?? all)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function textOf(el: unknown, names: ReadonlyMap<string, string>): string {
  const e = el as Json | undefined;
  if (!e || typeof e.text !== "string") return "";
  return e.type === "mrkdwn" ? mrkdwnToText(e.text, names) : e.text;
}

function columns(cells: string[], width = 38): string[] {
  const out: string[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    const left = (cells[i] ?? "").split("\n");
    const right = (cells[i + 1] ?? "").split("\n");
    for (let j = 0; j < Math.max(left.length, right.length); j++) {
      out.push(`${(left[j] ?? "").padEnd(width)}${right[j] ?? ""}`.trimEnd());
    }
  }
  return out;
}

/** The blocks of a message as lines of text. `names` turns mentions into names. */
export function blocksToText(
  blocks: readonly unknown[],
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const out: string[] = [];
  for (const raw of blocks) {
    const b = raw as Json;
    switch (b.type) {
      case "header": {
        const t = textOf(b.text, names);
        out.push(t, "═".repeat(Math.min(60, t.length)));
        break;
      }
      case "section": {
        if (b.text) out.push(textOf(b.text, names));
        if (Array.isArray(b.fields)) out.push(...columns(b.fields.map((f) => textOf(f, names))));
        const acc = b.accessory as Json | undefined;
        if (acc?.type === "button") out.push(`[${textOf(acc.text, names)}]${acc.url ? ` ${acc.url}` : ""}`);
        break;
      }
      case "context":
        out.push(
          ...(Array.isArray(b.elements) ? b.elements : [])
            .map((e) => textOf(e, names))
            .filter(Boolean)
            .map((t) => `  ${t}`),
        );
        break;
      case "divider":
        out.push("─".repeat(40));
        break;
      case "actions":
        out.push(
          ...(Array.isArray(b.elements) ? b.elements : []).map((e) => {
            const el = e as Json;
            return `[${textOf(el.text, names)}]${el.url ? ` ${el.url}` : ""}`;
          }),
        );
        break;
      case "image":
        out.push(`[image: ${String(b.alt_text ?? "")}]`);
        break;
      default:
        out.push(`[${String(b.type)} block]`);
    }
  }
  return out.join("\n");
}
