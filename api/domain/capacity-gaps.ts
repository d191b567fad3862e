/**
 * Capacity gaps (DOMAIN.md, "Gaps" (2)): for each family with capacity rows and each month of
 * P+1…P+H, the family's demand plan over all its SKUs and locations against its capacity.
 */

import { type Period, periodIndex } from "./periods.js";

/** A family's capacity for a month, units. */
export interface CapacityRow {
  family: string;
  period: Period;
  units: number;
}

/** Demand plan units of a family in a month: per SKU-location rows are summed here. */
export interface FamilyDemandRow {
  family: string;
  period: Period;
  units: number;
}

export interface CapacityGap {
  family: string;
  period: Period;
  /** Σ demand plan of the family's SKUs over all locations, units. */
  demand: number;
  /** Units. */
  capacity: number;
  /** demand − capacity, units; always > 0. */
  gap: number;
}

/**
 * Capacity gaps over `periods` (P+1…P+H, in order), sorted by family then period.
 *
 * A family without any capacity row is not capacity-planned and is skipped. A month without a
 * capacity row for a family that has others is skipped too: no row means "not stated", and
 * treating it as zero capacity would report the whole demand as a gap.
 */
export function capacityGaps(
  periods: readonly Period[],
  capacity: Iterable<CapacityRow>,
  demand: Iterable<FamilyDemandRow>,
): CapacityGap[] {
  const n = periods.length;
  if (n === 0) return [];
  const start = periodIndex(periods[0] as Period);
  const caps = new Map<string, number[]>();
  for (const row of capacity) {
    const i = periodIndex(row.period) - start;
    if (i < 0 || i >= n) continue;
    let slots = caps.get(row.family);
    if (slots === undefined) {
      slots = new Array<number>(n).fill(Number.NaN);
      caps.set(row.family, slots);
    }
    slots[i] = (Number.isNaN(slots[i] as number) ? 0 : (slots[i] as number)) + row.units;
  }
  const demands = new Map<string, number[]>();
  for (const row of demand) {
    if (!caps.has(row.family)) continue;
    const i = periodIndex(row.period) - start;
    if (i < 0 || i >= n) continue;
    let slots = demands.get(row.family);
    if (slots === undefined) {
      slots = new Array<number>(n).fill(0);
      demands.set(row.family, slots);
    }
    slots[i] = (slots[i] as number) + row.units;
  }
  const gaps: CapacityGap[] = [];
  for (const family of [...caps.keys()].sort()) {
    const cap = caps.get(family) as number[];
    const dem = demands.get(family);
    for (let i = 0; i < n; i++) {
      const c = cap[i] as number;
      const d = dem?.[i] ?? 0;
      if (Number.isNaN(c) || d <= c) continue;
      gaps.push({ family, period: periods[i] as Period, demand: d, capacity: c, gap: d - c });
    }
  }
  return gaps;
}
