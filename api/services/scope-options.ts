/**
 * What a scope can be narrowed to: the families and the locations that hold a plan, for the
 * dashboard's filter choices.
 */
import type { Db } from "../../db/client.js";
import { listActiveLocations, listFamilies } from "../../db/repositories/items.js";

export interface ScopeOptions {
  /** Family codes with at least one item, A→Z. */
  families: string[];
  /** Location codes that hold a plan, A→Z. */
  locations: string[];
}

export async function scopeOptions(db: Db): Promise<ScopeOptions> {
  const [families, locations] = await Promise.all([listFamilies(db), listActiveLocations(db)]);
  return {
    families: families.filter((f) => f.items > 0).map((f) => f.code),
    locations: locations.map((l) => l.code),
  };
}
