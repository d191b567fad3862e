/**
 * What every KPI answer starts from: a fresh materialised plan, the last closed period P, how
 * fresh the data is, and a validated scope (an unknown SKU, family or location is a 404).
 */
import type { Sql } from "../../db/client.js";
import { lastImports } from "../../db/repositories/imports.js";
import { getItem } from "../../db/repositories/items.js";
import { familyExists, locationExists } from "../../db/repositories/kpi.js";
import { dataState, type Scope } from "../../db/repositories/plan.js";
import { type Period, toPeriod } from "../domain/periods.js";
import { NotFoundError } from "../errors.js";
import { ensurePlan } from "./plan-refresh.js";

export interface KpiMeta {
  /** P, 'YYYY-MM': the latest month in the sales history; null without history. */
  lastPeriod: Period | null;
  /** When data was last imported (any kind), ISO 8601; null when never. */
  lastImportedAt: string | null;
  /** When each kind was last imported, ISO 8601. */
  imports: Record<string, string>;
}

export interface KpiContext {
  meta: KpiMeta;
  /** P, or null when there is no history yet. */
  lastPeriod: Period | null;
  dataVersion: number;
}

export async function kpiContext(sql: Sql): Promise<KpiContext> {
  let state = await dataState(sql);
  if (state.planVersion < state.version) {
    await ensurePlan(sql);
    state = await dataState(sql);
  }
  const runs = await lastImports(sql);
  const imports: Record<string, string> = {};
  let latest: Date | null = null;
  for (const r of runs) {
    imports[r.kind] = r.finishedAt.toISOString();
    if (!latest || r.finishedAt > latest) latest = r.finishedAt;
  }
  const lastPeriod = state.lastPeriod ? toPeriod(state.lastPeriod) : null;
  return {
    meta: { lastPeriod, lastImportedAt: latest?.toISOString() ?? null, imports },
    lastPeriod,
    dataVersion: state.version,
  };
}

/** Checks that the scope names things that exist; 404 otherwise. */
export async function checkScope(sql: Sql, scope: Scope): Promise<void> {
  const [sku, family, location] = await Promise.all([
    scope.sku ? getItem(sql, scope.sku) : null,
    scope.family ? familyExists(sql, scope.family) : true,
    scope.location ? locationExists(sql, scope.location) : true,
  ]);
  if (scope.sku && !sku) throw new NotFoundError(`there is no SKU ${scope.sku}`, { sku: scope.sku });
  if (!family) throw new NotFoundError(`there is no family ${scope.family}`, { family: scope.family });
  if (!location)
    throw new NotFoundError(`there is no location ${scope.location}`, { location: scope.location });
}

/** 'YYYY-MM' → the 'YYYY-MM-01' the database speaks. */
export const monthDate = (p: Period): string => `${p}-01`;
