/**
 * The demo company: Ridgeline Hydration Co., an outdoor hydration-gear brand with about 150
 * SKUs in 8 families and 3 warehouses. `generateDemo` is pure and deterministic: the same
 * anchor and seed give byte-identical CSV files (a seeded PRNG, no clock).
 */
import type { ImportKind } from "../import/kinds.js";
import { formatMonth, monthEnd, parseMonth } from "./calendar.js";
import { BIASED_FAMILY, COMPANY, type DemoPerson, FAMILIES, LOCATIONS, PEOPLE } from "./catalog.js";
import {
  consensusForecast,
  firstCycle,
  PROMO_VISIBILITY,
  seasonIndices,
  statisticalForecast,
} from "./forecast.js";
import {
  buildItems,
  buildSeries,
  HISTORY_MONTHS,
  HORIZON_MONTHS,
  type Series,
  type Timeline,
  timeline,
} from "./model.js";
import { buildSupplySide, PEAK_SHORT_FAMILY, SHUTDOWN_FAMILY, type Situations } from "./plan.js";
import { rng } from "./random.js";

export type { DemoPerson, Role } from "./catalog.js";
export type { StockoutSituation, SupplyLine } from "./plan.js";

export const DEFAULT_DEMO_SEED = 20_240_917;
/** Forecast cycles in the demo: anchor − 11 … anchor. */
export const DEMO_CYCLES = 12;

export interface DemoOptions {
  /** The current month, 'YYYY-MM'; the last closed period P is the month before. */
  anchor: string;
  seed?: number;
}

/** What the generator put in on purpose, for tests, the README and the console's tour. */
export interface DemoNotes extends Situations {
  /** P, 'YYYY-MM'. */
  lastPeriod: string;
  /** First and last month of the sales history. */
  salesFrom: string;
  salesTo: string;
  /** The forecast cycles, oldest first. */
  cycles: string[];
  /** Capacity months P + 1 … P + 12. */
  capacityFrom: string;
  capacityTo: string;
  families: { code: string; name: string; skus: number }[];
  /** The family whose consensus the sales team inflates by ~20–40 %: over-forecast bias. */
  biasedFamily: string;
  /** Capacity: flat below the near-term peak season. */
  peakShortFamily: string;
  /** Capacity: a line shutdown in the third plan month (P + 3). */
  shutdownFamily: string;
  /** Discontinued SKUs: demand gone by P − 7, stock left (slow movers, excess). */
  discontinued: string[];
  /** Launched within the last 8 months: short history. */
  newItems: { sku: string; launch: string }[];
  /** Spare parts and small accessories: many zero months. */
  intermittent: string[];
  /** On hand > 0 at P and no sales in P − 5 … P (DOMAIN's slow-moving), by definition. */
  slowMovers: { sku: string; location: string; onHand: number }[];
  /** Promotions in the plan (anchor … anchor + 3), in the consensus and marketing's input. */
  plannedPromotions: { sku: string; period: string; uplift: number }[];
}

export interface DemoCompany {
  anchor: string;
  seed: number;
  company: { name: string; timezone: string; channel: string };
  locations: { code: string; name: string }[];
  /** Canonical CSV text per kind, header row first, "\n" line ends, a final newline. */
  csv: Record<ImportKind, string>;
  people: DemoPerson[];
  notes: DemoNotes;
}

const CSV_SPECIAL = /[",\r\n]/;
const cell = (v: string | number) => {
  const s = String(v);
  return CSV_SPECIAL.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const csvLine = (values: (string | number)[]) => values.map(cell).join(",");

/** The demo company for `anchor` (see {@link DemoOptions}). */
export function generateDemo(options: DemoOptions): DemoCompany {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const anchor = parseMonth(options.anchor);
  const t = timeline(anchor);
  const items = buildItems(seed, t);
  const series = buildSeries(seed, items, t);
  const period = (m: number) => formatMonth(m);

  // ---- items.csv
  const itemLines = ["sku,name,family,unit_cost,unit_price,lead_time_days,service_level"];
  for (const item of items) {
    itemLines.push(
      csvLine([
        item.sku,
        item.name,
        item.family.code,
        item.unitCost.toFixed(2),
        item.unitPrice.toFixed(2),
        item.leadTimeDays,
        item.serviceLevel.toFixed(2),
      ]),
    );
  }

  // ---- sales.csv: revenue at a small discount (deeper in promotions); a few rows leave it
  // empty, as some ERP exports do, and the import fills in units × unit_price.
  const salesLines = ["sku,location,period,units,revenue"];
  for (const s of series) {
    const r = rng(seed, "revenue", s.item.sku, s.location);
    for (let i = s.firstIndex; i < s.endIndex; i++) {
      const units = s.actual[i] ?? 0;
      const discount = s.item.promoMonth[i] ? r.uniform(0.15, 0.25) : r.uniform(0, 0.06);
      const revenue = r.chance(0.04) ? "" : (units * s.item.unitPrice * (1 - discount)).toFixed(2);
      salesLines.push(csvLine([s.item.sku, s.location, period(t.first + i), units, revenue]));
    }
  }

  // ---- forecasts.csv
  // Season profiles from the steady items only: a launch or a phase-out inside the window
  // would bend the profile of the whole family.
  const familyTotals = new Map<string, Float64Array>();
  for (const s of series) {
    if (s.item.life === "new" || s.item.life === "dying") continue;
    let totals = familyTotals.get(s.item.family.code);
    if (!totals) {
      totals = new Float64Array(t.length);
      familyTotals.set(s.item.family.code, totals);
    }
    for (let i = 0; i < HISTORY_MONTHS; i++) totals[i] = (totals[i] ?? 0) + (s.actual[i] ?? 0);
  }
  const firstOfAll = anchor - (DEMO_CYCLES - 1);
  const plan: Float64Array[] = series.map(() => new Float64Array(HORIZON_MONTHS));
  const forecastLines = ["sku,location,period,units,source,cycle"];
  const prefixes = series.map((s) => csvLine([s.item.sku, s.location]));
  const plannedPromotions: DemoNotes["plannedPromotions"] = [];
  for (let cycle = firstOfAll; cycle <= anchor; cycle++) {
    const seasons = new Map<string, number[]>();
    for (const [family, totals] of familyTotals) seasons.set(family, seasonIndices(totals, t, cycle));
    const cycleText = period(cycle);
    const periods = Array.from({ length: HORIZON_MONTHS }, (_, k) => period(cycle + k));
    series.forEach((s, si) => {
      if (cycle < firstCycle(s, firstOfAll)) return;
      const stat = statisticalForecast(s, t, cycle, seasons.get(s.item.family.code) ?? []);
      const consensus = consensusForecast(seed, s, t, cycle, stat);
      // 130,000 rows: plain concatenation (codes and periods need no quoting).
      const key = `${prefixes[si]},`;
      for (let k = 0; k < HORIZON_MONTHS; k++) {
        forecastLines.push(`${key}${periods[k]},${Math.round(stat[k] ?? 0)},statistical,${cycleText}`);
      }
      for (let k = 0; k < HORIZON_MONTHS; k++) {
        forecastLines.push(`${key}${periods[k]},${consensus[k] ?? 0},consensus,${cycleText}`);
      }
      if (cycle !== anchor) return;
      const row = (k: number, units: number, source: string) =>
        forecastLines.push(`${key}${periods[k]},${units},${source},${cycleText}`);
      plan[si] = consensus;
      for (const [k, units, source] of inputs(seed, s, t, stat)) row(k, units, source);
      for (let k = 0; k <= PROMO_VISIBILITY; k++) {
        const i = cycle + k - t.first;
        if (s.location === "MAIN" && s.item.promoMonth[i]) {
          plannedPromotions.push({
            sku: s.item.sku,
            period: period(cycle + k),
            uplift: Math.round((s.item.promo[i] ?? 1) * 100) / 100,
          });
        }
      }
    });
  }

  // ---- inventory, supply and capacity, built from the anchor cycle's plan
  const side = buildSupplySide(seed, t, series, plan);
  const inventoryLines = ["sku,location,as_of,on_hand"];
  for (let j = 0; j < 12; j++) {
    const asOf = monthEnd(t.last - 11 + j);
    series.forEach((s, si) => {
      const onHand = side.onHand[si]?.[j] ?? Number.NaN;
      if (!Number.isNaN(onHand)) inventoryLines.push(csvLine([s.item.sku, s.location, asOf, onHand]));
    });
  }
  const supplyLines = ["sku,location,due,units,type,reference"];
  for (const l of side.supply)
    supplyLines.push(csvLine([l.sku, l.location, l.due, l.units, l.type, l.reference]));
  const capacityLines = ["family,period,units"];
  for (const c of side.capacity) {
    c.units.forEach((units, k) => {
      capacityLines.push(csvLine([c.family, period(anchor + k), units]));
    });
  }

  const slowMovers: DemoNotes["slowMovers"] = [];
  series.forEach((s, si) => {
    const onHand = side.onHand[si]?.[11] ?? 0;
    let recent = 0;
    for (let i = HISTORY_MONTHS - 6; i < HISTORY_MONTHS; i++) recent += s.actual[i] ?? 0;
    if (onHand > 0 && recent === 0) slowMovers.push({ sku: s.item.sku, location: s.location, onHand });
  });

  const text = (lines: string[]) => `${lines.join("\n")}\n`;
  return {
    anchor: options.anchor,
    seed,
    company: { ...COMPANY },
    locations: LOCATIONS.map((l) => ({ code: l.code, name: l.name })),
    csv: {
      items: text(itemLines),
      sales: text(salesLines),
      forecasts: text(forecastLines),
      inventory: text(inventoryLines),
      supply: text(supplyLines),
      capacity: text(capacityLines),
    },
    people: PEOPLE.map((p) => ({ ...p, roles: [...p.roles] })),
    notes: {
      lastPeriod: period(t.last),
      salesFrom: period(t.first),
      salesTo: period(t.last),
      cycles: Array.from({ length: DEMO_CYCLES }, (_, k) => period(firstOfAll + k)),
      capacityFrom: period(anchor),
      capacityTo: period(anchor + HORIZON_MONTHS - 1),
      families: FAMILIES.map((f) => ({
        code: f.code,
        name: f.name,
        skus: items.filter((i) => i.family.code === f.code).length,
      })),
      biasedFamily: BIASED_FAMILY,
      peakShortFamily: PEAK_SHORT_FAMILY,
      shutdownFamily: SHUTDOWN_FAMILY,
      discontinued: items.filter((i) => i.life === "dying").map((i) => i.sku),
      newItems: items
        .filter((i) => i.launch !== null)
        .map((i) => ({ sku: i.sku, launch: period(i.launch ?? anchor) })),
      intermittent: items.filter((i) => i.life === "intermittent").map((i) => i.sku),
      slowMovers,
      plannedPromotions,
      ...side.situations,
    },
  };
}

/**
 * Sales' and marketing's input to the anchor cycle: marketing for planned promotions and
 * launches (optimistic), sales for the cooler line (where its optimism comes from) and for key
 * accounts' packs at the main warehouse. [horizon month, units, source].
 */
function inputs(seed: number, s: Series, t: Timeline, stat: Float64Array): [number, number, string][] {
  const out: [number, number, string][] = [];
  const r = rng(seed, "inputs", s.item.sku, s.location);
  const item = s.item;
  for (let k = 0; k <= PROMO_VISIBILITY; k++) {
    const i = t.anchor + k - t.first;
    const launching = item.launch !== null && k <= 2 && t.anchor + k - item.launch <= 6;
    if (item.promoMonth[i] || launching) {
      const lift = item.promoMonth[i] ? (item.promo[i] ?? 1) : 1;
      out.push([k, Math.round((stat[k] ?? 0) * lift * r.uniform(1.05, 1.25)), "marketing"]);
    }
  }
  if (item.family.code === BIASED_FAMILY || (item.family.code === "PACKS" && s.location === "MAIN")) {
    const optimism = item.family.code === BIASED_FAMILY ? [1.3, 1.45] : [0.9, 1.15];
    for (let k = 0; k < 3; k++) {
      out.push([k, Math.round((stat[k] ?? 0) * r.uniform(optimism[0] ?? 1, optimism[1] ?? 1)), "sales"]);
    }
  }
  return out;
}
