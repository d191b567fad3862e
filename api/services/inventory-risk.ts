/**
 * Stock-out risk, gaps and excess: one query for the plan lines in scope, one for their open
 * supply, then the projection per SKU-location in api/domain.
 */
import type { Db } from "../../db/client.js";
import { capacityRows } from "../../db/repositories/kpi.js";
import { openSupply, type PlanLine, planLines, type Scope } from "../../db/repositories/plan.js";
import { type CapacityGap, capacityGaps } from "../domain/capacity-gaps.js";
import { addMonths, nextPeriods, type Period, periodIndex, toPeriod } from "../domain/periods.js";
import { byRisk, type ItemRisk, itemRisk, supplyByLine } from "./item-risk.js";

export async function computeItems(
  db: Db,
  scope: Scope,
  horizon: number,
  lastPeriod: Period,
): Promise<ItemRisk[]> {
  const [lines, supply] = await Promise.all([planLines(db, scope), openSupply(db, scope)]);
  const bySupply = supplyByLine(supply);
  return lines.map((l) => itemRisk(l, bySupply.get(`${l.sku}\t${l.location}`) ?? [], horizon, lastPeriod));
}

const RISK_ORDER = { low: 0, medium: 1, high: 2 } as const;

/** Items at or above `minimum` risk, highest probability first, then value at risk. */
export function rankRisk(items: ItemRisk[], minimum: "low" | "medium" | "high" = "low"): ItemRisk[] {
  return items.filter((i) => RISK_ORDER[i.risk] >= RISK_ORDER[minimum]).sort(byRisk);
}

/** Shortages by value at risk, largest first. */
export function rankShortages(items: ItemRisk[]): ItemRisk[] {
  return items
    .filter((i) => i.shortageUnits > 0)
    .sort(
      (a, b) =>
        b.valueAtRisk - a.valueAtRisk ||
        b.shortageUnits - a.shortageUnits ||
        a.sku.localeCompare(b.sku) ||
        a.location.localeCompare(b.location),
    );
}

/** Excess and slow movers by excess value, largest first. */
export function rankExcess(items: ItemRisk[]): ItemRisk[] {
  return items
    .filter((i) => i.excessUnits > 0 || i.slowMoving)
    .sort(
      (a, b) =>
        b.excessValue - a.excessValue ||
        b.onHand * b.unitCost - a.onHand * a.unitCost ||
        a.sku.localeCompare(b.sku) ||
        a.location.localeCompare(b.location),
    );
}

/** Demand plan units of a line in calendar month `period` (full month, not pro-rated). */
function demandIn(line: PlanLine, period: Period): number {
  const i = periodIndex(period) - periodIndex(toPeriod(line.startPeriod));
  return i >= 0 && i < line.demand.length ? (line.demand[i] ?? 0) : 0;
}

/**
 * Capacity gaps for P+1…P+H of the families that have capacity rows. A family's demand is its
 * SKUs' plan over all locations, so a location or SKU scope narrows the families, not the demand.
 * @param family the one family to look at (the scope's family, or the SKU's); all when undefined
 * @param allLines plan lines of every location already loaded for that family scope, if any
 */
export async function computeCapacityGaps(
  db: Db,
  family: string | undefined,
  horizon: number,
  lastPeriod: Period,
  allLines?: PlanLine[],
): Promise<CapacityGap[]> {
  const periods = nextPeriods(addMonths(lastPeriod, 1), horizon);
  const [lines, caps] = await Promise.all([
    allLines ?? planLines(db, family ? { family } : {}),
    capacityRows(db, { from: `${periods[0]}-01`, to: `${periods.at(-1)}-01`, family }),
  ]);
  const demand = [];
  for (const line of lines) {
    for (const p of periods) demand.push({ family: line.family, period: p, units: demandIn(line, p) });
  }
  return capacityGaps(
    periods,
    caps.map((c) => ({ ...c, period: toPeriod(c.period) })),
    demand,
  );
}
