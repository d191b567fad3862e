/**
 * Projected available balance of one SKU-location (DOMAIN.md, "Projected available balance"),
 * and the figures read off it: first stock-out, order-by date, shortage, value at risk, days of
 * supply. Units unless said otherwise.
 */

import {
  addDays,
  dayOfMonth,
  daysInMonth,
  epochDay,
  firstDayOfPeriod,
  type IsoDate,
  type Period,
  periodFromIndex,
  periodIndex,
} from "./periods.js";

/** Months projected unless told otherwise. */
export const DEFAULT_HORIZON = 6;

/** An open supply order: due date and units. */
export interface SupplyLine {
  due: IsoDate;
  /** Units. */
  units: number;
}

export interface ProjectionInput {
  /** B0: the latest snapshot's on-hand units. */
  onHand: number;
  /** d0: the date of that snapshot. */
  asOf: IsoDate;
  /**
   * Full-month demand plan in units, element i for projection month i (from
   * {@link projectionStart}); missing elements count as 0. Not pro-rated: the first month is
   * pro-rated here.
   */
  demand: ArrayLike<number>;
  /** The SKU-location's open supply, any order. */
  supply: Iterable<SupplyLine>;
  /** H, months (default 6). */
  horizon?: number;
}

export interface ProjectionRow {
  period: Period;
  /** Demand consumed in the month, units (pro-rated in a first month that started before d0). */
  demand: number;
  /** Supply arriving in the month, units (the first month includes anything due on or before d0). */
  supply: number;
  /** B_t, units; negative = back-ordered. */
  balance: number;
}

export interface Projection {
  /** The first projection month: the month of d0 + 1 day. */
  firstPeriod: Period;
  /** Share of the first month's demand still ahead after d0 (1 after a month-end snapshot). */
  firstMonthFraction: number;
  rows: ProjectionRow[];
  /** First month with B_t < 0; null when none. */
  firstStockoutPeriod: Period | null;
  /** max(0, −min B_t) over the horizon, units. */
  shortageUnits: number;
}

/** The first projection month for a snapshot taken on `asOf`: the month of the next day. */
export function projectionStart(asOf: IsoDate): Period {
  return addDays(asOf, 1).slice(0, 7);
}

/**
 * Projects B_t = B_{t−1} + supply_t − demand_t over H months, back-ordering shortages.
 *
 * The snapshot already reflects the sales of its month up to d0, so only the days after d0
 * consume stock in the first month; a snapshot on the last day of a month starts the next
 * month with its full demand. Supply due on or before d0 is late but still open, so it is
 * expected in the first month; supply due after the horizon cannot help within it.
 */
export function projectBalance(input: ProjectionInput): Projection {
  const horizon = input.horizon ?? DEFAULT_HORIZON;
  const { asOf, demand } = input;
  const firstPeriod = projectionStart(asOf);
  const start = periodIndex(firstPeriod);
  const d0 = epochDay(asOf);
  // The first month starts after d0 only when d0 was its predecessor's last day.
  const firstMonthFraction =
    asOf.slice(0, 7) === firstPeriod
      ? (daysInMonth(firstPeriod) - dayOfMonth(asOf)) / daysInMonth(firstPeriod)
      : 1;

  const supply = new Array<number>(horizon).fill(0);
  for (const line of input.supply) {
    const i = epochDay(line.due) <= d0 ? 0 : periodIndex(line.due) - start;
    if (i >= 0 && i < horizon) supply[i] = (supply[i] as number) + line.units;
  }

  const rows: ProjectionRow[] = new Array(horizon);
  let balance = input.onHand;
  let min = Number.POSITIVE_INFINITY;
  let firstStockoutPeriod: Period | null = null;
  for (let t = 0; t < horizon; t++) {
    const full = demand[t] ?? 0;
    const d = t === 0 ? full * firstMonthFraction : full;
    const s = supply[t] as number;
    balance += s - d;
    const period = periodFromIndex(start + t);
    if (balance < 0 && firstStockoutPeriod === null) firstStockoutPeriod = period;
    if (balance < min) min = balance;
    rows[t] = { period, demand: d, supply: s, balance };
  }
  return {
    firstPeriod,
    firstMonthFraction,
    rows,
    firstStockoutPeriod,
    shortageUnits: horizon > 0 ? Math.max(0, -min) : 0,
  };
}

/**
 * The last date to order so that supply arrives by the stock-out: the first day of the
 * stock-out month minus the lead time in days. A date in the past means already late.
 */
export function orderByDate(stockoutPeriod: Period, leadTimeDays: number): IsoDate {
  return addDays(firstDayOfPeriod(stockoutPeriod), -leadTimeDays);
}

/** Shortage units × unit price: the revenue at stake, money. */
export function valueAtRisk(shortageUnits: number, unitPrice: number): number {
  return shortageUnits * unitPrice;
}

/**
 * Days the on-hand units last at the planned daily rate: B0 / (full-month demand plan of the
 * first 3 projection months / the calendar days of those months). Not pro-rated, so it
 * measures the rate of demand, not what is left of the current month. Null when that demand
 * is 0 (the stock lasts indefinitely). Days.
 */
export function daysOfSupply(onHand: number, demand: ArrayLike<number>, firstPeriod: Period): number | null {
  const start = periodIndex(firstPeriod);
  let units = 0;
  let days = 0;
  for (let t = 0; t < 3; t++) {
    units += demand[t] ?? 0;
    days += daysInMonth(periodFromIndex(start + t));
  }
  return units > 0 ? onHand / (units / days) : null;
}
