/**
 * The words after a subcommand, read against what it accepts: numbers after keywords
 * ("horizon 3", "lag=2"), single-word flags ("high"), and at most one free word (a family,
 * SKU or step). Anything else is a UsageError that says what was not understood.
 */
import { suggest } from "./suggest.js";

export interface ArgSpec {
  /** keyword → allowed range, e.g. horizon: { min: 1, max: 12 }. */
  numbers?: Record<string, { min: number; max: number }>;
  /** Words that switch something on ("high", "medium"). */
  flags?: readonly string[];
  /** What the free word is, for messages ("a family or SKU"); none when absent. */
  free?: string;
}

export interface ParsedArgs {
  numbers: Record<string, number>;
  flags: Set<string>;
  /** The free word as typed, if any. */
  free: string | undefined;
}

/** Words a subcommand cannot use: the message says which and what it takes instead. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** An example that works, without the slash command. */
    readonly example?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseArgs(words: string[], spec: ArgSpec, usage: string): ParsedArgs {
  const numbers: Record<string, number> = {};
  const flags = new Set<string>();
  let free: string | undefined;
  const keywords = Object.keys(spec.numbers ?? {});
  const known = [...keywords, ...(spec.flags ?? [])];
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!;
    const word = raw.toLowerCase();
    const [key, inline] = word.includes("=") ? (word.split("=", 2) as [string, string]) : [word, undefined];
    const range = spec.numbers?.[key];
    if (range) {
      const value = inline ?? words[++i];
      const n = value === undefined ? Number.NaN : Number(value);
      if (!Number.isInteger(n) || n < range.min || n > range.max) {
        throw new UsageError(
          `\`${key}\` needs a whole number from ${range.min} to ${range.max}${value === undefined ? "" : `, not \`${value}\``}.`,
          `${usage.split(" ")[0]} ${key} ${Math.min(range.max, Math.max(range.min, 3))}`,
        );
      }
      numbers[key] = n;
      continue;
    }
    if (spec.flags?.includes(word)) {
      flags.add(word);
      continue;
    }
    if (spec.free && free === undefined && !/^\d+$/.test(raw)) {
      // A near-miss of a keyword is more likely a typo than a family called "horizn".
      const near = suggest(word, known, 1)[0];
      if (near && word.length >= 4 && !/[0-9-]/.test(word) && near !== word && keywords.includes(near)) {
        throw new UsageError(`I don't understand \`${raw}\`: did you mean \`${near}\`?`, usage);
      }
      free = raw;
      continue;
    }
    const near = suggest(word, known, 1);
    throw new UsageError(
      `I don't understand \`${raw}\`${near.length ? `: did you mean \`${near[0]}\`?` : "."}`,
      usage,
    );
  }
  return { numbers, flags, free };
}
