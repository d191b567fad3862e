/** What an answer is about: everything, one family or one SKU (as typed after the subcommand). */
export interface Scope {
  family?: string | undefined;
  sku?: string | undefined;
}

/** " · BOTTLES", " · BTL-S05-GLC" or "" for a header. */
export function scopeSuffix(scope: Scope): string {
  if (scope.sku) return ` · ${scope.sku}`;
  if (scope.family) return ` · ${scope.family}`;
  return "";
}

/** The scope as dashboard filters. */
export function scopeFilters(scope: Scope): { family?: string; sku?: string } {
  return {
    ...(scope.family ? { family: scope.family } : {}),
    ...(scope.sku ? { sku: scope.sku } : {}),
  };
}
