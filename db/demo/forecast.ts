/**
 * The demo's forecasts. The statistical forecast is a plain seasonal method of the kind a
 * planning tool runs: family season indices from the last two years, a level from the last six
 * deseasonalised months (promotion spikes clipped), a damped trend. The consensus is that
 * forecast after the humans: promotions and phase-outs they know about (helpful), hunches
 * (sometimes right, often not), and the sales team's optimism on one family (a steady bias).
 */
import { monthOfYear } from "./calendar.js";
import { BIASED_FAMILY } from "./catalog.js";
import { baseDemand, HORIZON_MONTHS, type Series, type Timeline } from "./model.js";
import { rng } from "./random.js";

/**
 * Season indices (January first, mean 1) of a family from its totals before `cycle`: classical
 * decomposition, each month's ratio to the centred 2×12 moving average (so the trend does not
 * leak into the profile), averaged per calendar month.
 */
export function seasonIndices(totals: Float64Array, t: Timeline, cycle: number): number[] {
  const end = cycle - t.first; // exclusive timeline index
  const sums = new Array<number>(12).fill(0);
  const counts = new Array<number>(12).fill(0);
  for (let i = 6; i + 6 < end; i++) {
    let window = 0.5 * ((totals[i - 6] ?? 0) + (totals[i + 6] ?? 0));
    for (let j = i - 5; j <= i + 5; j++) window += totals[j] ?? 0;
    const average = window / 12;
    if (average <= 0) continue;
    const moy = monthOfYear(t.first + i);
    sums[moy] = (sums[moy] ?? 0) + (totals[i] ?? 0) / average;
    counts[moy] = (counts[moy] ?? 0) + 1;
  }
  const raw = sums.map((sum, k) => ((counts[k] ?? 0) > 0 ? sum / (counts[k] ?? 1) : 1));
  const mean = raw.reduce((a, b) => a + b, 0) / 12;
  return mean > 0 ? raw.map((x) => x / mean) : new Array<number>(12).fill(1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/**
 * The statistical forecast made in `cycle` for `cycle … cycle + 11` (units, not rounded), from
 * the actuals before `cycle` only.
 */
export function statisticalForecast(s: Series, t: Timeline, cycle: number, season: number[]): Float64Array {
  const out = new Float64Array(HORIZON_MONTHS);
  // Months after a phase-out have no rows: the software reads them as 0, as does `actual`.
  const end = cycle - t.first;
  const seasonOf = (m: number) => season[monthOfYear(m)] ?? 1;
  const known = end - s.firstIndex;
  if (known <= 0) {
    // No history yet (a launch): a like-item forecast from the family's typical SKU.
    const like = s.item.model.volume * s.share * 0.8;
    for (let k = 0; k < HORIZON_MONTHS; k++) out[k] = like * seasonOf(cycle + k);
    return out;
  }
  if (s.item.life === "intermittent") {
    const from = Math.max(s.firstIndex, end - 12);
    const values: number[] = [];
    for (let i = from; i < end; i++) values.push(s.actual[i] ?? 0);
    out.fill(mean(values));
    return out;
  }
  const deseason = (from: number, to: number) => {
    const values: number[] = [];
    for (let i = Math.max(from, s.firstIndex); i < to; i++)
      values.push((s.actual[i] ?? 0) / seasonOf(t.first + i));
    return values;
  };
  // Promotion spikes and the dips after them are clipped to a band around the median.
  const last = deseason(end - 6, end);
  const mid = median(last);
  const clip = (v: number) => (mid > 0 ? Math.min(1.4 * mid, Math.max(0.7 * mid, v)) : v);
  const level = mean(last.map(clip));
  const previous = deseason(end - 12, end - 6);
  let slope = 0;
  if (last.length === 6 && previous.length === 6) {
    const raw = (level - mean(previous.map(clip))) / 6;
    slope = Math.max(-0.04 * level, Math.min(0.04 * level, raw));
  }
  // The level sits mid-window (3.5 months before the cycle month); the trend is damped after 9 months.
  for (let k = 0; k < HORIZON_MONTHS; k++) {
    out[k] = Math.max(0, level + slope * Math.min(3.5 + k, 9)) * seasonOf(cycle + k);
  }
  return out;
}

/** How far ahead the team knows about a promotion and puts it in the plan, months. */
export const PROMO_VISIBILITY = 3;

/** The consensus made in `cycle` from the statistical forecast `stat` (units, rounded). */
export function consensusForecast(
  seed: number,
  s: Series,
  t: Timeline,
  cycle: number,
  stat: Float64Array,
): Float64Array {
  const item = s.item;
  const out = new Float64Array(HORIZON_MONTHS);
  const hunch = rng(seed, "hunch", item.sku, cycle);
  const hasHunch = hunch.chance(0.3);
  const hunchFactor = hunch.uniform(0.82, 1.22);
  const bias =
    item.family.code === BIASED_FAMILY
      ? rng(seed, "bias", item.sku).uniform(1.22, 1.38) *
        (1 + 0.04 * rng(seed, "bias", item.sku, cycle).normal())
      : 1;
  const launchAccuracy = rng(seed, "launch", item.sku).uniform(0.9, 1.2);
  const history = cycle - t.first - s.firstIndex;
  for (let k = 0; k < HORIZON_MONTHS; k++) {
    const m = cycle + k;
    const i = m - t.first;
    let f = stat[k] ?? 0;
    if (item.declineEnd !== null && item.declineStart !== null) {
      // The team knows the phase-out date.
      if (m >= item.declineEnd - 1) f = 0;
      else if (m >= item.declineStart) f *= 0.85;
    }
    if (item.launch !== null && history < 4) {
      const plan = baseDemand(item, t, m) * s.share * launchAccuracy;
      f = Math.max(f, plan);
    }
    if (item.promoMonth[i] && m - cycle <= PROMO_VISIBILITY) {
      f *= (item.promo[i] ?? 1) * rng(seed, "promo-estimate", item.sku, m).uniform(0.8, 1.05);
    }
    if (hasHunch && k <= 2) f *= hunchFactor;
    f *= bias;
    out[k] = Math.round(Math.max(0, f));
  }
  return out;
}

/** The first cycle in which a series gets forecasts: new items two months before launch. */
export function firstCycle(s: Series, firstCycleOfAll: number): number {
  return s.item.launch !== null ? Math.max(firstCycleOfAll, s.item.launch - 2) : firstCycleOfAll;
}
