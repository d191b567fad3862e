/**
 * The supply side of the demo, built backwards from the current demand plan so that the
 * situations a planner must see are there by construction (DOMAIN.md's definitions):
 * - stock-outs within the lead time (high stock-out risk; the order-by date has passed),
 * - stock-outs later in the horizon (gaps to act on; order-by dates still ahead),
 * - over-stocked SKU-locations (excess) and discontinued items with stock left (slow movers),
 * - capacity short of the plan in two families (a peak-season squeeze, a line shutdown).
 * Every other SKU-location has open supply that keeps it in stock for the whole horizon.
 * Inventory history is then simulated backwards from the final on-hand, with receipts that
 * are never negative, so the snapshots agree with the sales.
 */
import { dayNumber, formatDay, formatMonth } from "./calendar.js";
import { FAMILIES } from "./catalog.js";
import type { Series, Timeline } from "./model.js";
import { rng } from "./random.js";

/** The projection horizon of the gaps, months (DOMAIN's default H). */
export const GAP_HORIZON = 6;
/** The family whose capacity is flat below its peak-season plan. */
export const PEAK_SHORT_FAMILY = "BOTTLES";
/** The family whose line is down for maintenance in the third month of the plan. */
export const SHUTDOWN_FAMILY = "RESERVOIRS";

const DAYS_PER_MONTH = 30.4375;

export type SupplyType = "purchase" | "production" | "transfer";

export interface SupplyLine {
  sku: string;
  location: string;
  /** 'YYYY-MM-DD' */
  due: string;
  units: number;
  type: SupplyType;
  reference: string;
}

export interface StockoutSituation {
  sku: string;
  location: string;
  family: string;
  leadTimeDays: number;
  onHand: number;
  /** The first month with a negative projected balance, 'YYYY-MM'. */
  stockoutPeriod: string;
  /** The first day of that month minus the lead time, 'YYYY-MM-DD'. */
  orderBy: string;
}

export interface Situations {
  /** Stock out within their lead time: ordering now cannot fix it. */
  stockoutRisk: StockoutSituation[];
  /** Stock out later in the horizon; the order-by date is still ahead. */
  laterGaps: StockoutSituation[];
  /** Deliberately over-stocked active SKU-locations (excess). */
  overstock: { sku: string; location: string; family: string; onHand: number; forwardDemand: number }[];
  /** Family-months whose planned demand exceeds capacity, over the 12 capacity months. */
  capacityGaps: { family: string; period: string; demand: number; capacity: number }[];
}

export interface SupplySide {
  /** Per series: month-end on hand for P − 11 … P; NaN where the SKU had no stock record yet. */
  onHand: Float64Array[];
  supply: SupplyLine[];
  /** Per family: capacity for P + 1 … P + 12. */
  capacity: { family: string; units: number[] }[];
  situations: Situations;
}

type Role = "normal" | "risk" | "gap" | "overstock" | "dying";

interface Order {
  s: Series;
  /** Projection month, 1-based. */
  t: number;
  units: number;
  type: SupplyType;
}

const sumTo = (d: Float64Array, n: number) => {
  let x = 0;
  for (let k = 0; k < n; k++) x += d[k] ?? 0;
  return x;
};
const roundUp = (x: number, lot: number) => Math.ceil(x / lot) * lot;
const roundDown = (x: number, lot: number) => Math.floor(x / lot) * lot;

/** Projection months within the lead time: L = max(1, ⌈lead_time_days / 30.4375⌉). */
export function leadTimeMonths(leadTimeDays: number): number {
  return Math.max(1, Math.ceil(leadTimeDays / DAYS_PER_MONTH));
}

/**
 * `plan[i]` is the demand plan of `series[i]` for anchor … anchor + 11 (the consensus of the
 * anchor cycle).
 */
export function buildSupplySide(
  seed: number,
  t: Timeline,
  series: Series[],
  plan: Float64Array[],
): SupplySide {
  const roles: Role[] = series.map((s) => (s.item.life === "dying" ? "dying" : "normal"));
  const planOf = (i: number) => plan[i] ?? new Float64Array(12);
  const anchorDay = dayNumber(t.anchor, 1);

  // Which month a "later gap" SKU-location runs out: after its lead time, with its order-by
  // date at least two weeks ahead.
  const gapMonth = (s: Series): number | null => {
    const lead = leadTimeMonths(s.item.leadTimeDays);
    for (let k = 2; k <= GAP_HORIZON; k++) {
      if (k > lead && dayNumber(t.anchor + k - 1, 1) - s.item.leadTimeDays >= anchorDay + 14) return k;
    }
    return null;
  };

  // ---- choose the SKU-locations that carry the situations
  const pick = rng(seed, "situations");
  const candidates = pick.shuffle(
    series
      .map((s, i) => ({ s, i }))
      .filter(({ s, i }) => {
        const d = planOf(i);
        let low = Number.POSITIVE_INFINITY;
        for (let k = 0; k < GAP_HORIZON; k++) low = Math.min(low, d[k] ?? 0);
        return s.item.life === "regular" && s.item.family.code !== "ACCESSORIES" && low >= 15;
      }),
  );
  const usedSkus = new Set<string>();
  const choose = (role: Role, count: number, perFamily: number, accept: (s: Series) => boolean) => {
    const perFamilyCount = new Map<string, number>();
    let chosen = 0;
    for (const { s, i } of candidates) {
      if (chosen >= count) break;
      const family = s.item.family.code;
      if (usedSkus.has(s.item.sku) || (perFamilyCount.get(family) ?? 0) >= perFamily || !accept(s)) continue;
      roles[i] = role;
      usedSkus.add(s.item.sku);
      perFamilyCount.set(family, (perFamilyCount.get(family) ?? 0) + 1);
      chosen++;
    }
  };
  choose("overstock", 2, 2, (s) => s.item.family.code === "COOLERS");
  choose("overstock", 4, 1, (s) => s.item.family.code !== "COOLERS");
  choose("risk", 9, 2, () => true);
  choose("gap", 8, 2, (s) => gapMonth(s) !== null);

  // ---- final on hand (B0) and open supply per role
  const b0 = new Float64Array(series.length);
  const orders: Order[] = [];
  const situations: Situations = { stockoutRisk: [], laterGaps: [], overstock: [], capacityGaps: [] };
  const situation = (s: Series, onHand: number, k: number): StockoutSituation => ({
    sku: s.item.sku,
    location: s.location,
    family: s.item.family.code,
    leadTimeDays: s.item.leadTimeDays,
    onHand,
    stockoutPeriod: formatMonth(t.anchor + k - 1),
    orderBy: formatDay(dayNumber(t.anchor + k - 1, 1) - s.item.leadTimeDays),
  });
  const supplyType = (s: Series): SupplyType =>
    s.item.family.supply === "production" ? "production" : "purchase";

  series.forEach((s, i) => {
    const d = planOf(i);
    const r = rng(seed, "stock", s.item.sku, s.location);
    const lot = s.item.lot;
    switch (roles[i]) {
      case "dying": {
        // One location sold through; the others are stuck with what is left.
        const soldThrough = s.location === "EAST" && s.item.sku.endsWith("-BLK");
        b0[i] = soldThrough ? 0 : Math.round(s.item.model.volume * s.share * r.uniform(0.8, 2.5));
        return;
      }
      case "overstock": {
        b0[i] = roundUp(sumTo(d, GAP_HORIZON) * r.uniform(1.6, 2.2), lot);
        situations.overstock.push({
          sku: s.item.sku,
          location: s.location,
          family: s.item.family.code,
          onHand: b0[i] ?? 0,
          forwardDemand: sumTo(d, GAP_HORIZON),
        });
        return;
      }
      case "risk": {
        const lead = Math.min(leadTimeMonths(s.item.leadTimeDays), GAP_HORIZON);
        const k = lead >= 2 && r.chance(0.4) ? 2 : 1;
        b0[i] = Math.floor(sumTo(d, k - 1) + r.uniform(0.1, 0.5) * (d[k - 1] ?? 0));
        // Most have an order that lands after the lead time: too late for the first months.
        if (lead + 1 <= GAP_HORIZON && r.chance(0.75)) {
          const units = roundUp(sumTo(d, GAP_HORIZON) - (b0[i] ?? 0) + 0.5 * (d[GAP_HORIZON - 1] ?? 0), lot);
          orders.push({ s, t: lead + 1, units, type: supplyType(s) });
        }
        situations.stockoutRisk.push(situation(s, b0[i] ?? 0, k));
        return;
      }
      case "gap": {
        const k = gapMonth(s) ?? GAP_HORIZON;
        const target = Math.round(sumTo(d, k - 1) + 0.4 * (d[k - 1] ?? 0));
        const start = Math.round((d[0] ?? 0) * r.uniform(1.2, 1.6));
        if (k >= 3 && target - start >= lot) {
          b0[i] = start;
          orders.push({ s, t: 2, units: target - start, type: supplyType(s) });
        } else {
          b0[i] = target;
        }
        situations.laterGaps.push(situation(s, b0[i] ?? 0, k));
        return;
      }
      default: {
        const minimum = s.item.life === "intermittent" ? r.int(2, 8) : 0;
        let balance = Math.max(minimum, Math.round((d[0] ?? 0) * r.uniform(1.1, 2.2)));
        b0[i] = balance;
        for (let k = 1; k <= GAP_HORIZON; k++) {
          const demand = d[k - 1] ?? 0;
          const next = d[k] ?? 0;
          const safety = Math.ceil(0.35 * next);
          if (balance - demand < safety) {
            const units = roundUp(safety + demand + next - balance, lot);
            orders.push({ s, t: k, units, type: supplyType(s) });
            balance += units;
          }
          balance -= demand;
        }
      }
    }
  });

  // A few regional orders are transfers from MAIN rather than supplier deliveries.
  const transferable = orders.filter(
    (o) => o.type === "purchase" && o.s.location !== "MAIN" && o.t <= 2 && o.units <= 200,
  );
  for (const o of rng(seed, "transfers").shuffle(transferable).slice(0, 3)) o.type = "transfer";

  return {
    onHand: series.map((s, i) => inventoryHistory(seed, t, s, roles[i] ?? "normal", b0[i] ?? 0)),
    supply: supplyLines(seed, t, orders),
    capacity: capacityPlan(seed, t, series, plan, situations),
    situations,
  };
}

/**
 * Month-end on hand for P − 11 … P, simulated backwards from the final on hand: a month's
 * receipts are whatever brings the previous month-end to its cover target (never negative),
 * so stock never goes below zero and each snapshot follows from the last and the sales.
 */
function inventoryHistory(
  seed: number,
  t: Timeline,
  s: Series,
  role: Role,
  finalOnHand: number,
): Float64Array {
  const r = rng(seed, "inventory", s.item.sku, s.location);
  const cover = r.uniform(1.3, 2.6);
  const out = new Float64Array(12);
  out[11] = finalOnHand;
  for (let j = 11; j >= 1; j--) {
    const i = t.last - 11 + j - t.first;
    const sold = s.actual[i] ?? 0;
    const target = cover * (s.mean[i] ?? 0);
    const after = (out[j] ?? 0) + sold;
    let receipts = Math.max(0, roundDown(after - target, s.item.lot));
    if (role === "dying" || (role === "overstock" && j >= 9)) receipts = 0;
    out[j - 1] = after - receipts;
  }
  if (s.item.launch !== null) {
    // No stock record before the pre-launch delivery.
    for (let j = 0; j < 12; j++) if (t.last - 11 + j < s.item.launch - 1) out[j] = Number.NaN;
  }
  return out;
}

function supplyLines(seed: number, t: Timeline, orders: Order[]): SupplyLine[] {
  // Purchase orders carry every line of a family for one warehouse and month; production and
  // transfer orders are one SKU each.
  const groups = new Map<string, { prefix: string; month: number; day: number; orders: Order[] }>();
  for (const o of orders) {
    const month = t.anchor + o.t - 1;
    const prefix = o.type === "purchase" ? "PO" : o.type === "production" ? "MO" : "TR";
    const key =
      o.type === "purchase"
        ? `${prefix}|${month}|${o.s.item.family.code}|${o.s.location}`
        : `${prefix}|${month}|${o.s.item.sku}|${o.s.location}`;
    let g = groups.get(key);
    if (!g) {
      const day = rng(seed, "due", key).int(3, 26);
      g = { prefix, month, day, orders: [] };
      groups.set(key, g);
    }
    g.orders.push(o);
  }
  const sorted = [...groups.entries()].sort(
    ([ka, a], [kb, b]) => a.month - b.month || a.day - b.day || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  const next: Record<string, number> = { PO: 7752, MO: 1187, TR: 412 };
  const lines: SupplyLine[] = [];
  for (const [, g] of sorted) {
    const n = next[g.prefix] ?? 1;
    next[g.prefix] = n + 1;
    const reference = `${g.prefix}-${String(n).padStart(4, "0")}`;
    const due = formatDay(dayNumber(g.month, g.day));
    for (const o of g.orders) {
      lines.push({ sku: o.s.item.sku, location: o.s.location, due, units: o.units, type: o.type, reference });
    }
  }
  return lines;
}

function capacityPlan(
  seed: number,
  t: Timeline,
  series: Series[],
  plan: Float64Array[],
  situations: Situations,
): { family: string; units: number[] }[] {
  return FAMILIES.map((family) => {
    const demand = new Array<number>(12).fill(0);
    series.forEach((s, i) => {
      if (s.item.family.code !== family.code) return;
      for (let k = 0; k < 12; k++) demand[k] = (demand[k] ?? 0) + (plan[i]?.[k] ?? 0);
    });
    const peak = Math.max(...demand);
    const step = peak > 5000 ? 100 : peak > 1000 ? 50 : 10;
    const r = rng(seed, "capacity", family.code);
    let units: number[];
    if (family.code === PEAK_SHORT_FAMILY) {
      // Flat below the near-term peak; a second shift from month 7 catches up.
      const flat = roundDown(0.93 * Math.max(...demand.slice(0, GAP_HORIZON)), step);
      units = demand.map((d, k) => (k < GAP_HORIZON ? flat : Math.max(flat, roundUp(1.05 * d, step))));
    } else {
      const flat = roundUp(peak * r.uniform(1.12, 1.3), step);
      units = demand.map(() => flat);
      if (family.code === SHUTDOWN_FAMILY) units[2] = roundDown(0.7 * (demand[2] ?? 0), step);
    }
    units.forEach((c, k) => {
      const d = demand[k] ?? 0;
      if (d > c) {
        situations.capacityGaps.push({
          family: family.code,
          period: formatMonth(t.anchor + k),
          demand: d,
          capacity: c,
        });
      }
    });
    return { family: family.code, units };
  });
}
