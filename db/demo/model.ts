/**
 * The demand model of the demo company: items with prices, lead times and a life cycle, and per
 * SKU-location the true monthly mean (trend × family season × promotions × life cycle) and the
 * actual units drawn around it.
 */
import { monthOfYear } from "./calendar.js";
import { FAMILIES, type FamilySpec, type Life, LOCATIONS, type ModelSpec } from "./catalog.js";
import { rng } from "./random.js";

/** The months the model covers: `first` = P − 35 … P + 12 (the forecast horizon of the anchor cycle). */
export interface Timeline {
  /** The first month of the sales history (P − 35). */
  first: number;
  /** The last closed period P. */
  last: number;
  /** The anchor (current) month, P + 1. */
  anchor: number;
  /** Months from `first` through anchor + 11. */
  length: number;
}

export const HISTORY_MONTHS = 36;
export const HORIZON_MONTHS = 12;

export function timeline(anchor: number): Timeline {
  return {
    first: anchor - HISTORY_MONTHS,
    last: anchor - 1,
    anchor,
    length: HISTORY_MONTHS + HORIZON_MONTHS,
  };
}

export interface DemoItem {
  sku: string;
  name: string;
  family: FamilySpec;
  model: ModelSpec;
  unitCost: number;
  unitPrice: number;
  leadTimeDays: number;
  serviceLevel: number;
  life: Life;
  /** First month with demand (new items), else null. */
  launch: number | null;
  /** Dying items: the decline starts at this month and demand is gone from `declineEnd` on. */
  declineStart: number | null;
  declineEnd: number | null;
  /** Yearly growth (fraction). */
  growth: number;
  /** Exponent on the family season (item-level amplitude). */
  seasonAmp: number;
  /** Per timeline index: the promotion factor (uplift in the promo month, dip after), else 1. */
  promo: Float64Array;
  /** Per timeline index: 1 in a promotion month. */
  promoMonth: Uint8Array;
  /** Order and receipt multiple, units. */
  lot: number;
}

export interface Series {
  item: DemoItem;
  location: string;
  /** This location's share of the SKU's demand. */
  share: number;
  /** Timeline index of the first month with a sales row. */
  firstIndex: number;
  /** Timeline index after the last month with a sales row (dead items stop reporting). */
  endIndex: number;
  /** True mean per timeline index. */
  mean: Float64Array;
  /** Actual units per timeline index (history only; 0 elsewhere). */
  actual: Float64Array;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function buildItems(seed: number, t: Timeline): DemoItem[] {
  const items: DemoItem[] = [];
  for (const family of FAMILIES) {
    for (const model of family.models) {
      for (const [variantCode, variantLabel] of model.variants) {
        const sku = variantCode
          ? `${family.prefix}-${model.code}-${variantCode}`
          : `${family.prefix}-${model.code}`;
        const r = rng(seed, "item", sku);
        const life = model.life ?? "regular";
        const [ltMin, ltMax] = family.leadTime;
        const leadTimeDays = 5 * r.int(Math.ceil(ltMin / 5), Math.floor(ltMax / 5));
        const unitPrice = model.price + (variantCode === "INS" ? 4 : 0);
        const unitCost = round2(unitPrice * r.uniform(family.costRatio[0], family.costRatio[1]));
        const volume = model.volume * r.uniform(0.8, 1.2);
        const serviceLevel =
          family.code === "ACCESSORIES" || life === "intermittent"
            ? 0.9
            : life === "dying"
              ? 0.85
              : unitPrice * volume > 15_000
                ? 0.97
                : 0.95;
        let launch: number | null = null;
        let declineStart: number | null = null;
        let declineEnd: number | null = null;
        if (life === "new") launch = t.last - (model.launchAgo ?? 4);
        if (life === "dying") {
          declineStart = t.last - r.int(22, 28);
          declineEnd = t.last - r.int(7, 10);
        }
        const item: DemoItem = {
          sku,
          name: variantLabel ? `${model.name} (${variantLabel})` : model.name,
          family,
          model: { ...model, volume },
          unitCost,
          unitPrice,
          leadTimeDays,
          serviceLevel,
          life,
          launch,
          declineStart,
          declineEnd,
          growth: r.uniform(family.growth[0], family.growth[1]),
          seasonAmp: r.uniform(0.94, 1.06),
          promo: new Float64Array(t.length).fill(1),
          promoMonth: new Uint8Array(t.length),
          lot: volume >= 300 ? 50 : volume >= 100 ? 25 : volume >= 40 ? 10 : 5,
        };
        drawPromotions(seed, item, t);
        items.push(item);
      }
    }
  }
  return items;
}

function drawPromotions(seed: number, item: DemoItem, t: Timeline): void {
  if (item.life === "intermittent" || item.family.promoRate === 0) return;
  const r = rng(seed, "promo", item.sku);
  const p = item.family.promoRate / 12;
  for (let i = 1; i < t.length - 1; i++) {
    const m = t.first + i;
    if (item.launch !== null && m < item.launch + 3) continue;
    if (item.declineStart !== null && m >= item.declineStart) continue;
    if (item.promo[i - 1] !== 1 || item.promo[i] !== 1) continue; // not right after another one
    if (!r.chance(p)) continue;
    item.promo[i] = r.uniform(1.5, 2.1);
    item.promoMonth[i] = 1;
    item.promo[i + 1] = r.uniform(0.72, 0.86); // customers bought ahead
  }
}

/** The life-cycle factor of an item in a month (launch ramp, phase-out). */
export function lifeFactor(item: DemoItem, m: number): number {
  if (item.launch !== null) {
    const age = m - item.launch;
    if (age < 0) return 0;
    return [0.45, 0.75, 0.9][age] ?? 1;
  }
  if (item.declineStart !== null && item.declineEnd !== null) {
    if (m < item.declineStart) return 1;
    if (m >= item.declineEnd) return 0;
    return (item.declineEnd - m) / (item.declineEnd - item.declineStart + 1);
  }
  return 1;
}

/** The item's demand at a season index of 1 in month m (all locations, no promotion, no noise). */
export function baseDemand(item: DemoItem, t: Timeline, m: number): number {
  const season = (item.family.season[monthOfYear(m)] ?? 1) ** item.seasonAmp;
  return item.model.volume * season * (1 + item.growth) ** ((m - t.last) / 12) * lifeFactor(item, m);
}

export function buildSeries(seed: number, items: DemoItem[], t: Timeline): Series[] {
  const series: Series[] = [];
  for (const item of items) {
    const shares = LOCATIONS.map((l) => l.share * rng(seed, "share", item.sku, l.code).uniform(0.75, 1.25));
    const total = shares.reduce((a, b) => a + b, 0);
    LOCATIONS.forEach((location, li) => {
      const share = (shares[li] ?? 0) / total;
      const r = rng(seed, "sales", item.sku, location.code);
      const mean = new Float64Array(t.length);
      const actual = new Float64Array(t.length);
      // Intermittent: a sale in a month with probability q, of a size that keeps the mean.
      const q = r.uniform(0.28, 0.5);
      const sigma = item.family.noise * (location.code === "MAIN" ? 1 : 1.15);
      for (let i = 0; i < t.length; i++) {
        const m = t.first + i;
        mean[i] = baseDemand(item, t, m) * share * (item.promo[i] ?? 1);
        if (m > t.last) continue;
        const mu = mean[i] ?? 0;
        if (mu <= 0) continue;
        if (item.life === "intermittent") {
          actual[i] = r.chance(q) ? 1 + r.poisson(Math.max(0, mu / q - 1)) : 0;
        } else {
          const noisy = mu * Math.exp(sigma * r.normal() - (sigma * sigma) / 2);
          actual[i] = noisy < 25 ? r.poisson(noisy) : Math.round(noisy);
        }
      }
      const firstIndex = item.launch !== null ? Math.max(0, item.launch - t.first) : 0;
      const endIndex =
        item.declineEnd !== null ? Math.min(HISTORY_MONTHS, item.declineEnd - t.first) : HISTORY_MONTHS;
      series.push({ item, location: location.code, share, firstIndex, endIndex, mean, actual });
    });
  }
  return series;
}
