/**
 * Long lists in a message: at most `maxLines` items, each rendered to a line only if shown,
 * packed into sections within a block budget, ending with "+N more" and a dashboard link when
 * anything is left out (or when the API said there are more than it sent).
 */
import { type KnownBlock, linesToSections, moreLine } from "./kit.js";

export interface ListOptions {
  /** How many items exist in all (the API's count); defaults to the number given. */
  total?: number;
  /** Lines shown at most (a phone screen's worth by default). */
  maxLines?: number;
  /** Blocks the list may take, the "+N more" line included. */
  maxBlocks: number;
  /** The dashboard view with the whole list. */
  moreUrl: string;
  /** "more shortages". */
  noun?: string;
}

export const DEFAULT_MAX_LINES = 10;

export function listBlocks<T>(
  items: readonly T[],
  line: (item: T) => string,
  options: ListOptions,
): KnownBlock[] {
  const total = Math.max(options.total ?? items.length, items.length);
  const budget = Math.max(1, options.maxBlocks);
  // Only the items that can be shown are rendered: a 10,000-row answer costs ten lines.
  let shown = items.slice(0, options.maxLines ?? DEFAULT_MAX_LINES).map(line);
  let sections = linesToSections(shown);
  // Leave room for the "+N more" line whenever something is hidden.
  const room = () => (total > shown.length ? budget - 1 : budget);
  while (shown.length > 0 && sections.length > room()) {
    shown = shown.slice(0, -1);
    sections = linesToSections(shown);
  }
  const hidden = total - shown.length;
  return hidden > 0 ? [...sections, moreLine(hidden, options.moreUrl, options.noun)] : sections;
}
