/**
 * Excess stock and slow movers (DOMAIN.md, "Excess and slow movers").
 */

/** Months of forward demand that on-hand stock is compared with. */
export const FORWARD_DEMAND_MONTHS = 6;

/**
 * Forward demand in units: the full-month demand plan of the first `months` projection months.
 * Not pro-rated: excess is judged against a steady six months of need, whatever day the
 * snapshot was taken. Missing elements count as 0.
 */
export function forwardDemand(demand: ArrayLike<number>, months = FORWARD_DEMAND_MONTHS): number {
  let s = 0;
  for (let t = 0; t < months; t++) s += demand[t] ?? 0;
  return s;
}

export interface Excess {
  /** max(0, B0 − forward demand), units. */
  excessUnits: number;
  /** Excess units × unit cost: the money tied up, money. */
  excessValue: number;
}

/** Excess of on-hand units over forward demand (units), valued at unit cost (money per unit). */
export function excessStock(onHand: number, forward: number, unitCost: number): Excess {
  const excessUnits = Math.max(0, onHand - forward);
  return { excessUnits, excessValue: excessUnits * unitCost };
}

/**
 * Slow-moving: stock on hand (units) and nothing sold in P−5…P (`recentUnitsSold`, the units
 * sold in those 6 months; a recorded sale of 0 units is no sale).
 */
export function isSlowMoving(onHand: number, recentUnitsSold: number): boolean {
  return onHand > 0 && !(recentUnitsSold > 0);
}
