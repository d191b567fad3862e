/**
 * Stock-out risk, gaps and excess. At the default horizon the refresh has stored each plan
 * line's figures, so ranking and totals run in SQL and only the page of lines shown is
 * projected again (for its month-by-month rows). Another horizon is computed live: one query
 * for the plan lines in scope, one for their open supply, then api/domain per line.
 */
import type { Db } from "../../db/client.js";
import { capacityRows, familyDemand } from "../../db/repositories/kpi.js";
import {
  type LineOrder,
  lineTotals,
  openSupply,
  openSupplyByKey,
  planLines,
  planLinesByKey,
  rankedLines,
  type Scope,
} from "../../db/repositories/plan.js";
import { type CapacityGap, capacityGaps } from "../domain/capacity-gaps.js";
import { addMonths, nextPeriods, type Period, toPeriod } from "../domain/periods.js";
import { DEFAULT_HORIZON } from "../domain/projection.js";
import type { RiskClass } from "../domain/stockout-risk.js";
import { byRisk, type ItemRisk, itemRisk, supplyByLine } from "./item-risk.js";
import { VersionCache } from "./version-cache.js";

const scopeKey = (scope: Scope, horizon: number, lastPeriod: Period) =>
  JSON.stringify([scope.sku ?? null, scope.family ?? null, scope.location ?? null, horizon, lastPeriod]);

/**
 * Every SKU-location in scope, computed live at `horizon`. Callers that ask together (a page's
 * risk, gaps and chart at one horizon) share one computation through {@link rankedItems}.
 */
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

/** An item's figures without its month-by-month projection, which is most of its memory. */
export type RankedItem = Omit<ItemRisk, "projection">;

/**
 * The live rankings kept per data version: a planner moving between pages at a 12-month horizon
 * has all 30,000 lines projected once per data version instead of on every page and answer
 * (0.5–0.8 s each at that scale). Items are kept without their projections (16 MB for 30,000
 * lines rather than 59 MB); a page re-projects the few lines it shows. Four scopes and horizons
 * are kept side by side.
 */
const ranked = new VersionCache<RankedItem[]>(4);

/** Every SKU-location in scope at `horizon`, without projections, kept for `dataVersion`. */
export function rankedItems(
  db: Db,
  scope: Scope,
  horizon: number,
  lastPeriod: Period,
  dataVersion: number,
): Promise<RankedItem[]> {
  return ranked.get(db, dataVersion, scopeKey(scope, horizon, lastPeriod), async () =>
    (await computeItems(db, scope, horizon, lastPeriod)).map(({ projection: _, ...figures }) => figures),
  );
}

/** The given SKU-locations, computed at `horizon`, in the order given. */
async function computeKeys(
  db: Db,
  keys: readonly { sku: string; location: string }[],
  horizon: number,
  lastPeriod: Period,
): Promise<ItemRisk[]> {
  const [lines, supply] = await Promise.all([planLinesByKey(db, keys), openSupplyByKey(db, keys)]);
  const bySupply = supplyByLine(supply);
  return lines.map((l) => itemRisk(l, bySupply.get(`${l.sku}\t${l.location}`) ?? [], horizon, lastPeriod));
}

const RISK_ORDER: Record<RiskClass, number> = { low: 0, medium: 1, high: 2 };

function rankLive<T extends RankedItem>(items: T[], order: LineOrder, minimum: RiskClass = "low"): T[] {
  const key = (a: T, b: T) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location);
  switch (order) {
    case "risk":
      return items.filter((i) => RISK_ORDER[i.risk] >= RISK_ORDER[minimum]).sort(byRisk);
    case "shortage":
      return items
        .filter((i) => i.shortageUnits > 0)
        .sort((a, b) => b.valueAtRisk - a.valueAtRisk || b.shortageUnits - a.shortageUnits || key(a, b));
    case "excess":
      return items
        .filter((i) => i.excessUnits > 0 || i.slowMoving)
        .sort(
          (a, b) =>
            b.excessValue - a.excessValue || b.onHand * b.unitCost - a.onHand * a.unitCost || key(a, b),
        );
  }
}

export interface RiskPage {
  /** Items matching the filter before the limit. */
  total: number;
  counts: Record<RiskClass, number>;
  items: ItemRisk[];
}

export async function riskPage(
  db: Db,
  q: {
    scope: Scope;
    horizon: number;
    minimum?: RiskClass | undefined;
    limit: number;
    lastPeriod: Period;
    /** The data version kpiContext read: the live ranking is kept for it. */
    dataVersion: number;
  },
): Promise<RiskPage> {
  if (q.horizon === DEFAULT_HORIZON) {
    const [totals, keys] = await Promise.all([
      lineTotals(db, q.scope),
      rankedLines(db, { scope: q.scope, order: "risk", minimumRisk: q.minimum, limit: q.limit }),
    ]);
    const counts = { high: totals.high, medium: totals.medium, low: totals.low };
    const total =
      q.minimum === "high"
        ? counts.high
        : q.minimum === "medium"
          ? counts.high + counts.medium
          : totals.lines;
    return { total, counts, items: await computeKeys(db, keys, q.horizon, q.lastPeriod) };
  }
  const items = await rankedItems(db, q.scope, q.horizon, q.lastPeriod, q.dataVersion);
  const counts = { high: 0, medium: 0, low: 0 };
  for (const i of items) counts[i.risk]++;
  const order = rankLive(items, "risk", q.minimum);
  return {
    total: order.length,
    counts,
    items: await computeKeys(db, order.slice(0, q.limit), q.horizon, q.lastPeriod),
  };
}

export interface ShortagePage {
  count: number;
  /** Units. */
  shortageUnits: number;
  /** Money. */
  valueAtRisk: number;
  items: ItemRisk[];
}

export async function shortagePage(
  db: Db,
  q: { scope: Scope; horizon: number; limit: number; lastPeriod: Period; dataVersion: number },
): Promise<ShortagePage> {
  if (q.horizon === DEFAULT_HORIZON) {
    const [totals, keys] = await Promise.all([
      lineTotals(db, q.scope),
      rankedLines(db, { scope: q.scope, order: "shortage", limit: q.limit }),
    ]);
    return {
      count: totals.shortageCount,
      shortageUnits: totals.shortageUnits,
      valueAtRisk: totals.valueAtRisk,
      items: await computeKeys(db, keys, q.horizon, q.lastPeriod),
    };
  }
  const order = rankLive(await rankedItems(db, q.scope, q.horizon, q.lastPeriod, q.dataVersion), "shortage");
  return {
    count: order.length,
    shortageUnits: order.reduce((s, i) => s + i.shortageUnits, 0),
    valueAtRisk: order.reduce((s, i) => s + i.valueAtRisk, 0),
    items: await computeKeys(db, order.slice(0, q.limit), q.horizon, q.lastPeriod),
  };
}

export interface ExcessPage {
  count: number;
  excessUnits: number;
  /** Money. */
  excessValue: number;
  slowMovingCount: number;
  /** Money. */
  slowMovingValue: number;
  items: ItemRisk[];
}

/** Excess and slow movers do not depend on the horizon (forward demand is 6 months). */
export async function excessPage(
  db: Db,
  q: { scope: Scope; limit: number; lastPeriod: Period },
): Promise<ExcessPage> {
  const [totals, keys] = await Promise.all([
    lineTotals(db, q.scope),
    rankedLines(db, { scope: q.scope, order: "excess", limit: q.limit }),
  ]);
  return {
    count: totals.excessCount,
    excessUnits: totals.excessUnits,
    excessValue: totals.excessValue,
    slowMovingCount: totals.slowMovingCount,
    slowMovingValue: totals.slowMovingValue,
    items: await computeKeys(db, keys, DEFAULT_HORIZON, q.lastPeriod),
  };
}

/**
 * Capacity gaps for P+1…P+H of the families with capacity rows: the family's demand plan over
 * all its SKUs and locations against its capacity.
 * @param family one family, or every family when undefined
 */
export async function computeCapacityGaps(
  db: Db,
  family: string | undefined,
  horizon: number,
  lastPeriod: Period,
): Promise<CapacityGap[]> {
  const periods = nextPeriods(addMonths(lastPeriod, 1), horizon);
  const range = { from: `${periods[0]}-01`, to: `${periods.at(-1)}-01`, family };
  const [demand, caps] = await Promise.all([familyDemand(db, range), capacityRows(db, range)]);
  return capacityGaps(
    periods,
    caps.map((c) => ({ ...c, period: toPeriod(c.period) })),
    demand.map((d) => ({ ...d, period: toPeriod(d.period) })),
  );
}
