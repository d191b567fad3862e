/**
 * The per-SKU-location figures behind /risk, /gaps, /excess, the summary and the SKU page: the
 * projected available balance, stock-out risk, safety stock, excess and tracking signal, from
 * one materialised plan line and its open supply.
 */
import type { OpenSupply, PlanLine } from "../../db/repositories/plan.js";
import { TRACKING_SIGNAL_LIMIT } from "../domain/accuracy.js";
import { excessStock, forwardDemand, isSlowMoving } from "../domain/excess.js";
import { lastDayOfPeriod, type Period, toPeriod } from "../domain/periods.js";
import {
  daysOfSupply,
  orderByDate,
  type ProjectionRow,
  projectBalance,
  valueAtRisk,
} from "../domain/projection.js";
import { safetyStock } from "../domain/safety-stock.js";
import { type RiskClass, riskClass, stockoutProbability } from "../domain/stockout-risk.js";

export interface ItemRisk {
  sku: string;
  name: string;
  family: string;
  location: string;
  /** B0, units. */
  onHand: number;
  /** d0, 'YYYY-MM-DD'; null when the SKU-location has no snapshot (B0 = 0 at the end of P). */
  asOf: string | null;
  /** Days; null when the plan has no demand in the next 3 months. */
  daysOfSupply: number | null;
  /** Units. */
  safetyStock: number;
  /** Fraction. */
  stockoutProbability: number;
  risk: RiskClass;
  firstStockoutPeriod: Period | null;
  /** 'YYYY-MM-DD'; in the past means already late. */
  orderBy: string | null;
  /** Units. */
  shortageUnits: number;
  /** Money. */
  valueAtRisk: number;
  /** Σe / MAD, consensus lag 1, last 6 closed periods. */
  trackingSignal: number;
  /** |trackingSignal| > 4. */
  biased: boolean;
  projection: ProjectionRow[];
  /** Units over the first 6 projection months, not pro-rated. */
  forwardDemand: number;
  /** Units. */
  excessUnits: number;
  /** Money, at unit cost. */
  excessValue: number;
  slowMoving: boolean;
  /** Money per unit. */
  unitCost: number;
  /** Money per unit. */
  unitPrice: number;
  leadTimeDays: number;
}

/** Groups open supply by SKU-location. */
export function supplyByLine(supply: readonly OpenSupply[]): Map<string, OpenSupply[]> {
  const map = new Map<string, OpenSupply[]>();
  for (const s of supply) {
    const key = `${s.sku}\t${s.location}`;
    const list = map.get(key);
    if (list) list.push(s);
    else map.set(key, [s]);
  }
  return map;
}

export function itemRisk(
  line: PlanLine,
  supply: readonly OpenSupply[],
  horizon: number,
  lastPeriod: Period,
): ItemRisk {
  const asOf = line.asOf ?? lastDayOfPeriod(lastPeriod);
  const projection = projectBalance({ onHand: line.onHand, asOf, demand: line.demand, supply, horizon });
  const probability = stockoutProbability(
    projection.rows.map((r) => r.balance),
    line.sigma,
    line.leadTimeDays,
  );
  const forward = forwardDemand(line.demand);
  const excess = excessStock(line.onHand, forward, line.unitCost);
  const ts = line.tsMad > 0 ? line.tsSumError / line.tsMad : 0;
  return {
    sku: line.sku,
    name: line.name,
    family: line.family,
    location: line.location,
    onHand: line.onHand,
    asOf: line.asOf,
    daysOfSupply: daysOfSupply(line.onHand, line.demand, toPeriod(line.startPeriod)),
    safetyStock: safetyStock(line.serviceLevel, line.sigma, line.leadTimeDays),
    stockoutProbability: probability,
    risk: riskClass(probability),
    firstStockoutPeriod: projection.firstStockoutPeriod,
    orderBy:
      projection.firstStockoutPeriod === null
        ? null
        : orderByDate(projection.firstStockoutPeriod, line.leadTimeDays),
    shortageUnits: projection.shortageUnits,
    valueAtRisk: valueAtRisk(projection.shortageUnits, line.unitPrice),
    trackingSignal: ts,
    biased: Math.abs(ts) > TRACKING_SIGNAL_LIMIT,
    projection: projection.rows,
    forwardDemand: forward,
    excessUnits: excess.excessUnits,
    excessValue: excess.excessValue,
    slowMoving: isSlowMoving(line.onHand, line.recentUnits),
    unitCost: line.unitCost,
    unitPrice: line.unitPrice,
    leadTimeDays: line.leadTimeDays,
  };
}

// Probabilities that agree to 4 decimals (what anyone sees) rank by value at risk instead:
// 1e-9 against 1e-7 is noise, 8,900 against 195 at risk is not.
const shown = (p: number) => Math.round(p * 10_000);

/** Highest probability first (as shown, 4 decimals), then value at risk, then SKU and location. */
export function byRisk(a: Omit<ItemRisk, "projection">, b: Omit<ItemRisk, "projection">): number {
  return (
    shown(b.stockoutProbability) - shown(a.stockoutProbability) ||
    b.valueAtRisk - a.valueAtRisk ||
    a.sku.localeCompare(b.sku) ||
    a.location.localeCompare(b.location)
  );
}
