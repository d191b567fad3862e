/**
 * Inventory turns and days of inventory over the trailing 12 months (DOMAIN.md, "Inventory
 * turns"). Money in, ratios and days out.
 */

import { type IsoDate, type Period, toPeriod } from "./periods.js";

export interface Turns {
  /** Σ units sold × unit_cost over the window, money. */
  cogs: number;
  /** Mean inventory value over the months that have a snapshot, money; null when none has. */
  avgInventoryValue: number | null;
  /** COGS / average inventory value, times per window; null without inventory value. */
  turns: number | null;
  /** 365 / turns, days; null when turns is null or 0 (no cost of goods sold). */
  daysOfInventory: number | null;
  /** Months that had a snapshot. */
  months: number;
}

/**
 * Turns from the window's COGS (money) and the inventory value of each month (money; null or
 * absent for a month without any snapshot). Months without a snapshot are left out of the
 * average rather than counted as empty shelves: a missing import is not zero stock.
 */
export function inventoryTurns(cogs: number, monthlyInventoryValues: ArrayLike<number | null>): Turns {
  let total = 0;
  let months = 0;
  for (let i = 0; i < monthlyInventoryValues.length; i++) {
    const v = monthlyInventoryValues[i];
    if (v === null || v === undefined) continue;
    total += v;
    months++;
  }
  const avgInventoryValue = months > 0 ? total / months : null;
  const turns = avgInventoryValue !== null && avgInventoryValue > 0 ? cogs / avgInventoryValue : null;
  return {
    cogs,
    avgInventoryValue,
    turns,
    daysOfInventory: turns !== null && turns > 0 ? 365 / turns : null,
    months,
  };
}

/** One inventory snapshot of a SKU-location, valued at its unit cost. */
export interface InventorySnapshot {
  /** Identifies the SKU-location (e.g. `sku + '\t' + location`). */
  key: string;
  asOf: IsoDate;
  /** Units. */
  onHand: number;
  /** Money per unit. */
  unitCost: number;
}

/**
 * Inventory value of each month (money): Σ over SKU-locations of their latest snapshot in that
 * month × unit cost. A SKU-location without a snapshot in a month adds nothing to it; the
 * month appears only when some SKU-location has one. The SQL services run the same rule; this
 * is the reference, and handy for small scopes.
 */
export function inventoryValueByMonth(snapshots: Iterable<InventorySnapshot>): Map<Period, number> {
  const latest = new Map<string, InventorySnapshot>();
  for (const s of snapshots) {
    const k = `${toPeriod(s.asOf)}\u0000${s.key}`;
    const seen = latest.get(k);
    if (seen === undefined || s.asOf > seen.asOf) latest.set(k, s);
  }
  const byMonth = new Map<Period, number>();
  for (const s of latest.values()) {
    const month = s.asOf.slice(0, 7);
    byMonth.set(month, (byMonth.get(month) ?? 0) + s.onHand * s.unitCost);
  }
  return byMonth;
}
