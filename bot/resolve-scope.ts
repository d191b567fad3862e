/**
 * A word after a subcommand names a family or a SKU: which one, through the API (families
 * first: there are few), case-insensitively. An unknown word gets the closest names.
 */
import { type ApiClient, data } from "./api.js";
import type { Scope } from "./blocks/scope.js";
import { suggest } from "./suggest.js";

export class UnknownNameError extends Error {
  constructor(
    /** The word as typed. */
    readonly word: string,
    /** "family or SKU", "family", "SKU". */
    readonly kind: string,
    /** Closest known names, best first. */
    readonly suggestions: string[],
    /** Every family, when there are few enough to list. */
    readonly families: string[] = [],
  ) {
    super(`there is no ${kind} called ${word}`);
    this.name = "UnknownNameError";
  }
}

/** Resolves `word` to a family or a SKU (as `allow` permits); throws UnknownNameError. */
export async function resolveScope(
  api: ApiClient,
  word: string,
  allow: "family" | "sku" | "both",
): Promise<Scope> {
  const upper = word.toUpperCase();
  const [families, items] = await Promise.all([
    allow === "sku" ? null : data(api.api.families.$get()),
    allow === "family" ? null : data(api.api.items.$get({ query: { q: word, limit: "20" } })),
  ]);
  const family = families?.families.find((f) => f.code.toUpperCase() === upper);
  if (family) return { family: family.code };
  const item = items?.items.find((i) => i.sku.toUpperCase() === upper);
  if (item) return { sku: item.sku };
  const kind = allow === "both" ? "family or SKU" : allow === "family" ? "family" : "SKU";
  const names = [
    ...suggest(word, families?.families.map((f) => f.code) ?? [], 3),
    ...suggest(word, items?.items.map((i) => i.sku) ?? [], 3),
    // Partial matches of a SKU or name ("S05" → the Summit 500 ml SKUs).
    ...(items?.items.map((i) => i.sku) ?? []),
  ];
  const all = families?.families.map((f) => f.code) ?? [];
  throw new UnknownNameError(word, kind, [...new Set(names)].slice(0, 5), all.length <= 12 ? all : []);
}
