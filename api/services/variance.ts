/**
 * Sales against plan for one month: in total, per family, and the A-items off plan. SQL sums
 * per SKU; api/domain does the ratios. A month in progress is compared with the plan pro-rated
 * to the days gone by in the company's time zone.
 */
import type { Db } from "../../db/client.js";
import { hasSales, skuVariance } from "../../db/repositories/variance.js";
import type { IsoDate, Period } from "../domain/periods.js";
import { byDeviation, monthElapsed, sumBy, type Variance, variance } from "../domain/variance.js";

export interface VarianceQuery {
  period: Period;
  /** A fraction (0.2 = 20%). */
  threshold: number;
  /** The company's local date: decides how much of a month in progress has gone by. */
  today: IsoDate;
  family?: string | undefined;
}

export interface FamilyVariance extends Variance {
  family: string;
  unplannedUnits: number;
  /** A-items of the family beyond the threshold. */
  flaggedItems: number;
}

export interface ItemVariance extends Variance {
  sku: string;
  name: string;
  family: string;
}

export interface VarianceReport {
  period: Period;
  /** The month has ended (in the company's time zone). */
  closed: boolean;
  /** The fraction of the month gone by (1 when closed). */
  elapsed: number;
  threshold: number;
  /** Any sales are recorded for the month. */
  hasActuals: boolean;
  total: Variance & { unplannedUnits: number };
  /** Every family with a plan or sales in the month, largest deviation first. */
  families: FamilyVariance[];
  /** A-items beyond the threshold, largest deviation first. */
  items: ItemVariance[];
}

export async function varianceReport(db: Db, q: VarianceQuery): Promise<VarianceReport> {
  const month = `${q.period}-01`;
  const [rows, actuals] = await Promise.all([skuVariance(db, month), hasSales(db, month)]);
  const scoped = q.family ? rows.filter((r) => r.family === q.family) : rows;
  const elapsed = monthElapsed(q.period, q.today);
  const items = scoped
    .filter((r) => r.abc === "A")
    .map((r) => ({
      key: r.sku,
      sku: r.sku,
      name: r.name,
      family: r.family,
      ...variance(r, q.threshold, elapsed),
    }))
    .filter((v) => v.flagged && (v.planUnits > 0 || v.actualUnits > 0))
    .sort(byDeviation)
    .map(({ key: _key, ...v }) => v);
  const unplanned = new Map<string, number>();
  for (const r of scoped) unplanned.set(r.family, (unplanned.get(r.family) ?? 0) + r.unplannedUnits);
  const families = [...sumBy(scoped, (r) => r.family).entries()]
    .map(([family, sums]) => ({
      key: family,
      family,
      ...variance(sums, q.threshold, elapsed),
      unplannedUnits: unplanned.get(family) ?? 0,
      flaggedItems: items.filter((i) => i.family === family).length,
    }))
    .sort(byDeviation)
    .map(({ key: _key, ...v }) => v);
  const totals = sumBy(scoped, () => "all").get("all") ?? { actualUnits: 0, planUnits: 0 };
  return {
    period: q.period,
    closed: elapsed === 1,
    elapsed,
    threshold: q.threshold,
    hasActuals: actuals,
    total: {
      ...variance(totals, q.threshold, elapsed),
      unplannedUnits: scoped.reduce((s, r) => s + r.unplannedUnits, 0),
    },
    families,
    items,
  };
}
