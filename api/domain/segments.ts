/**
 * ABC / XYZ segmentation of SKUs over P−11…P, all locations together (DOMAIN.md,
 * "Segmentation"): ABC by revenue, XYZ by the variability of monthly units.
 */

import { mean, populationStdDev } from "./stats.js";

export type AbcClass = "A" | "B" | "C";
export type XyzClass = "X" | "Y" | "Z";

/** Cumulative revenue share before a SKU below which it is A. */
export const A_SHARE = 0.8;
/** Cumulative revenue share before a SKU below which it is B. */
export const B_SHARE = 0.95;
/** CV at or below which a SKU is X. */
export const X_CV = 0.5;
/** CV at or below which a SKU is Y. */
export const Y_CV = 1.0;

export interface SegmentInput {
  sku: string;
  /** Revenue over the window, money. */
  revenue: number;
  /**
   * Units sold per month of the window; months without a sale may be omitted and count as 0
   * (the window length is `windowMonths`).
   */
  monthlyUnits: ArrayLike<number>;
}

export interface Segment {
  sku: string;
  /** Money. */
  revenue: number;
  /** This SKU's share of the total revenue, a fraction (0 when the total is 0). */
  revenueShare: number;
  abc: AbcClass;
  /** Population σ / mean of monthly units, dimensionless; null when the mean is 0. */
  cv: number | null;
  xyz: XyzClass;
}

/**
 * Coefficient of variation of monthly units over a window of `windowMonths` (missing months 0):
 * population σ / mean, dimensionless; null when the mean is 0 (nothing sold).
 */
export function coefficientOfVariation(monthlyUnits: ArrayLike<number>, windowMonths = 12): number | null {
  const zeros = Math.max(0, windowMonths - monthlyUnits.length);
  const n = monthlyUnits.length + zeros;
  if (n === 0) return null;
  const m = ((mean(monthlyUnits) ?? 0) * monthlyUnits.length) / n;
  if (!(m > 0)) return null;
  return (populationStdDev(monthlyUnits, zeros) as number) / m;
}

/** X when CV ≤ 0.5, Y when ≤ 1.0, else Z; a SKU that sold nothing (CV null) is Z. */
export function xyzClass(cv: number | null): XyzClass {
  if (cv === null) return "Z";
  if (cv <= X_CV) return "X";
  if (cv <= Y_CV) return "Y";
  return "Z";
}

/**
 * ABC class of each SKU, in ranking order (revenue descending, ties by SKU ascending).
 *
 * The rule looks at the cumulative share *before* the SKU, so the SKU that crosses 80 % is
 * still A: the top seller is always A, even when it alone is 90 % of revenue. Zero revenue is
 * C whatever the shares say.
 */
export function abcClasses<T extends { sku: string; revenue: number }>(
  items: readonly T[],
): Array<{ item: T; share: number; abc: AbcClass }> {
  const ranked = [...items].sort((a, b) =>
    b.revenue !== a.revenue ? b.revenue - a.revenue : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0,
  );
  let total = 0;
  for (const it of ranked) total += it.revenue;
  let before = 0;
  return ranked.map((item) => {
    const shareBefore = total > 0 ? before / total : 1;
    before += item.revenue;
    const abc: AbcClass =
      item.revenue <= 0 ? "C" : shareBefore < A_SHARE ? "A" : shareBefore < B_SHARE ? "B" : "C";
    return { item, share: total > 0 ? item.revenue / total : 0, abc };
  });
}

/** ABC and XYZ for every SKU, ranked by revenue (highest first, ties by SKU). */
export function segment(items: readonly SegmentInput[], windowMonths = 12): Segment[] {
  return abcClasses(items).map(({ item, share, abc }) => {
    const cv = coefficientOfVariation(item.monthlyUnits, windowMonths);
    return { sku: item.sku, revenue: item.revenue, revenueShare: share, abc, cv, xyz: xyzClass(cv) };
  });
}
