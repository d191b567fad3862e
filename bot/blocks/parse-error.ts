/**
 * A planning command that does not parse (api/domain/plan-commands.ts): what is wrong, the
 * text with a caret under the column, and how the command is written. Pure.
 */
import type { ParseError } from "../../api/domain/plan-commands.js";
import { clip } from "./kit.js";
import type { Problem } from "./problem.js";

/** Characters of the typed text shown around the column (a phone's width in a code block). */
const WINDOW = 44;

/**
 * The typed text with a caret under `column` (1-based), cut to about a phone's width around it:
 * "…PO-7781 thirty\n            ^".
 */
export function caretLines(text: string, column: number): string {
  const flat = text.replace(/[\r\n\t]/g, " ");
  const at = Math.max(0, Math.min(flat.length, column - 1));
  let start = Math.max(0, at - Math.floor(WINDOW / 2));
  const end = Math.min(flat.length, start + WINDOW);
  start = Math.max(0, Math.min(start, end - WINDOW));
  const head = start > 0 ? "…" : "";
  const tail = end < flat.length ? "…" : "";
  const shown = `${head}${flat.slice(start, end)}${tail}`.replace(/`/g, "'");
  return `${shown}\n${" ".repeat(head.length + at - start)}^`;
}

/** The problem for a parse error of `text` (what follows the slash command). */
export function parseErrorProblem(error: ParseError, text: string, command: string): Problem {
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return {
    title: clip(`${message} (column ${error.column})`, 300),
    detail: `\`\`\`${caretLines(text, error.column)}\`\`\``,
    next: clip(`Usage: \`${command} ${error.usage.replace(/ · /g, `\` · \`${command} `)}\``, 1000),
  };
}
