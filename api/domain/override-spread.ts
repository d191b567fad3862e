/**
 * How an override's units are spread over the SKU-location cells it covers (a family's SKUs
 * at every location, or one SKU's locations), and how the consensus of a cell is decided when
 * several overrides cover it. Units in, units out.
 *
 * Spreading: in proportion to the cycle's statistical forecast of each cell for that month.
 * When the statistical forecast of every covered cell is 0 (or missing) there is nothing to be
 * proportional to, so the shares come from the cells' actual units over the 12 months before
 * the cycle; when those are 0 too, the units are split evenly. The result says which basis was
 * used, so a planner can see why a cell got what it got.
 *
 * Rounding: a whole number of units is spread in whole units, anything else in hundredths,
 * by the largest-remainder method, so the cells always add up to exactly the override's units
 * (ties go to the earlier cell in the order given).
 */

export type SpreadBasis = "statistical" | "actuals" | "even" | "single";

/** One cell the override covers, with what its share can be taken from (units). */
export interface SpreadCell {
  /** The cycle's statistical forecast of the cell for the override's month; 0 when none. */
  statistical: number;
  /** The cell's actual units over the 12 months before the cycle. */
  actuals: number;
}

export interface Spread {
  basis: SpreadBasis;
  /** Per cell, in the order given: the units it gets and its share (a fraction, before rounding). */
  cells: { units: number; share: number }[];
}

const positive = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);

/**
 * Spreads `units` (≥ 0) over `cells` (at least one). See the module comment for the rules.
 * @throws RangeError when there is no cell or units is negative or not finite
 */
export function spreadUnits(units: number, cells: readonly SpreadCell[]): Spread {
  if (!Number.isFinite(units) || units < 0) throw new RangeError(`units must be ≥ 0, got ${units}`);
  if (cells.length === 0) throw new RangeError("there is no cell to spread the units over");
  if (cells.length === 1) return { basis: "single", cells: [{ units, share: 1 }] };

  let basis: SpreadBasis = "statistical";
  let weights = cells.map((c) => positive(c.statistical));
  if (sum(weights) === 0) {
    basis = "actuals";
    weights = cells.map((c) => positive(c.actuals));
  }
  if (sum(weights) === 0) {
    basis = "even";
    weights = cells.map(() => 1);
  }
  const total = sum(weights);
  const shares = weights.map((w) => w / total);
  return { basis, cells: largestRemainder(units, shares).map((u, i) => ({ units: u, share: shares[i]! })) };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * Whole units when `units` is whole, else hundredths; each cell gets the floor of its exact
 * share and the steps left over go to the largest remainders.
 */
function largestRemainder(units: number, shares: readonly number[]): number[] {
  const scale = Number.isInteger(units) ? 1 : 100;
  const steps = Math.round(units * scale);
  const exact = shares.map((s) => s * steps);
  const counts = exact.map((x) => Math.floor(x + 1e-9));
  let left = steps - sum(counts);
  const order = exact
    .map((x, i) => ({ i, rest: x - counts[i]! }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) counts[order[k]!.i]! += 1;
  return counts.map((c) => c / scale);
}

/** An accepted override's units for one cell, as it is stored (the latest override wins). */
export interface CellOverride {
  overrideId: number;
  /** Units. */
  units: number;
}

/**
 * The consensus of one cell: the latest accepted override that covers it (the highest id: ids
 * follow submission), else the base (an imported consensus, else the statistical forecast).
 * Null when there is nothing at all.
 */
export function consensusOf(
  base: number | null,
  overrides: readonly CellOverride[],
): { units: number | null; overrideId: number | null } {
  let latest: CellOverride | undefined;
  for (const o of overrides) if (!latest || o.overrideId > latest.overrideId) latest = o;
  if (latest) return { units: latest.units, overrideId: latest.overrideId };
  return { units: base, overrideId: null };
}
