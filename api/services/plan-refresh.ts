/**
 * Keeps the materialised plan in step with the fact base: when the data version moved on, the
 * plan lines (SQL), the ABC/XYZ segments (api/domain) and the month's headline snapshot are
 * recomputed in one transaction, by one process at a time.
 */
import type { Db, Sql } from "../../db/client.js";
import { saveKpiSnapshot, segmentLines } from "../../db/repositories/kpi.js";
import { type LineRisk, rebuildKpiCells, saveLineRisk } from "../../db/repositories/kpi-cells.js";
import {
  dataState,
  lockPlan,
  markPlanFresh,
  planLastPeriod,
  rebuildPlanLines,
  replaceSegments,
} from "../../db/repositories/plan.js";
import { addMonths, type Period, toPeriod } from "../domain/periods.js";
import { DEFAULT_HORIZON } from "../domain/projection.js";
import { segment } from "../domain/segments.js";
import { headlineFigures } from "./headline.js";
import { computeItems } from "./inventory-risk.js";

export interface RefreshResult {
  refreshed: boolean;
  seconds: number;
}

export async function ensurePlan(sql: Sql, options: { force?: boolean } = {}): Promise<RefreshResult> {
  const started = performance.now();
  const refreshed = await sql.begin(async (tx) => {
    await lockPlan(tx);
    const state = await dataState(tx);
    if (!options.force && state.planVersion >= state.version) return false;
    const last = await planLastPeriod(tx);
    await rebuildPlanLines(tx, last);
    await rebuildKpiCells(tx, last);
    if (last !== null) await saveLineRisk(tx, await lineRisks(tx, toPeriod(last)));
    if (last === null) {
      await replaceSegments(tx, []);
    } else {
      const p = toPeriod(last);
      const lines = await segmentLines(tx, { from: `${addMonths(p, -11)}-01`, to: last, scope: {} });
      await replaceSegments(tx, segment(lines));
    }
    await markPlanFresh(tx, {
      version: state.version,
      seconds: (performance.now() - started) / 1000,
      lastPeriod: last,
    });
    if (last !== null) {
      const figures = await headlineFigures(tx, toPeriod(last));
      await saveKpiSnapshot(tx, last, state.version, figures);
    }
    return true;
  });
  return { refreshed, seconds: (performance.now() - started) / 1000 };
}

/** Every plan line's figures at the default horizon, for ranking and totals in SQL. */
async function lineRisks(db: Db, p: Period): Promise<LineRisk[]> {
  const items = await computeItems(db, {}, DEFAULT_HORIZON, p);
  return items.map((i) => ({
    sku: i.sku,
    location: i.location,
    stockoutProbability: i.stockoutProbability,
    risk: i.risk,
    firstStockout: i.firstStockoutPeriod ? `${i.firstStockoutPeriod}-01` : null,
    orderBy: i.orderBy,
    shortageUnits: i.shortageUnits,
    valueAtRisk: i.valueAtRisk,
    daysOfSupply: i.daysOfSupply,
    safetyStock: i.safetyStock,
    forwardDemand: i.forwardDemand,
    excessUnits: i.excessUnits,
    excessValue: i.excessValue,
    slowMoving: i.slowMoving,
    trackingSignal: i.trackingSignal,
  }));
}
