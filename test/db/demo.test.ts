import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoCompany, generateDemo } from "../../db/demo/generate.js";
import { loadDemoData } from "../../db/demo/load.js";
import { writeDemoCsv } from "../../db/demo/write-csv.js";
import type { ImportResult } from "../../db/import/import.js";
import { IMPORT_KINDS, type ImportKind } from "../../db/import/kinds.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const ANCHOR = "2026-05";
const demo = generateDemo({ anchor: ANCHOR });

// ---------------------------------------------------------------- small helpers

type Row = Record<string, string>;

/** The demo's CSV never needs quoting (checked below), so a split is a faithful parse. */
function parseCsv(text: string): Row[] {
  const lines = text.trimEnd().split("\n");
  const header = (lines[0] ?? "").split(",");
  return lines.slice(1).map((line) => {
    const values = line.split(",");
    const row: Row = {};
    header.forEach((h, i) => {
      row[h] = values[i] ?? "";
    });
    return row;
  });
}

const monthIndex = (p: string) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1;
const monthText = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
const dayIndex = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
const distinct = <T>(values: T[]) => [...new Set(values)];
const key = (...parts: (string | number)[]) => parts.join("|");

/** The fact base of a demo, parsed, with DOMAIN.md's derived figures. */
function factBase(company: DemoCompany) {
  const rows = Object.fromEntries(IMPORT_KINDS.map((k) => [k, parseCsv(company.csv[k])])) as Record<
    ImportKind,
    Row[]
  >;
  const anchor = monthIndex(company.anchor);
  const P = anchor - 1;
  const items = new Map(rows.items.map((r) => [r.sku ?? "", r]));
  const familyOf = (sku: string) => items.get(sku)?.family ?? "";
  const actual = new Map<string, number>();
  for (const r of rows.sales) actual.set(key(r.sku!, r.location!, monthIndex(r.period!)), Number(r.units));
  const actualOf = (sku: string, location: string, m: number) => actual.get(key(sku, location, m)) ?? 0;

  // Demand plan: the consensus from the latest cycle that made one for the month.
  const plan = new Map<string, { cycle: number; units: number }>();
  for (const r of rows.forecasts) {
    if (r.source !== "consensus") continue;
    const k = key(r.sku!, r.location!, monthIndex(r.period!));
    const cycle = monthIndex(r.cycle!);
    const seen = plan.get(k);
    if (!seen || seen.cycle < cycle) plan.set(k, { cycle, units: Number(r.units) });
  }
  const planOf = (sku: string, location: string, m: number) => plan.get(key(sku, location, m))?.units ?? 0;

  const latest = new Map<string, { asOf: string; onHand: number }>();
  for (const r of rows.inventory) {
    const k = key(r.sku!, r.location!);
    const seen = latest.get(k);
    if (!seen || seen.asOf < r.as_of!) latest.set(k, { asOf: r.as_of!, onHand: Number(r.on_hand) });
  }
  const supply = new Map<string, number>();
  for (const r of rows.supply) {
    const k = key(r.sku!, r.location!, monthIndex(r.due!));
    supply.set(k, (supply.get(k) ?? 0) + Number(r.units));
  }

  /** DOMAIN's projected available balance over H = 6 months from a month-end snapshot. */
  const projections = [...latest].map(([k, { asOf, onHand }]) => {
    const [sku = "", location = ""] = k.split("|");
    const item = items.get(sku);
    const leadTimeDays = Number(item?.lead_time_days);
    const leadMonths = Math.max(1, Math.ceil(leadTimeDays / 30.4375));
    const start = monthIndex(asOf) + 1;
    let balance = onHand;
    let firstStockout: number | null = null;
    let minBalance = Number.POSITIVE_INFINITY;
    let forwardDemand = 0;
    for (let t = 1; t <= 6; t++) {
      const m = start + t - 1;
      const demand = planOf(sku, location, m);
      forwardDemand += demand;
      balance += (supply.get(key(sku, location, m)) ?? 0) - demand;
      minBalance = Math.min(minBalance, balance);
      if (balance < 0 && firstStockout === null) firstStockout = t;
    }
    let recentSales = 0;
    for (let m = P - 5; m <= P; m++) recentSales += actualOf(sku, location, m);
    const stockoutMonth = firstStockout === null ? null : start + firstStockout - 1;
    return {
      sku,
      location,
      family: familyOf(sku),
      onHand,
      leadMonths,
      firstStockout,
      stockoutPeriod: stockoutMonth === null ? null : monthText(stockoutMonth),
      orderByDay: stockoutMonth === null ? null : dayIndex(`${monthText(stockoutMonth)}-01`) - leadTimeDays,
      shortageUnits: Math.max(0, -minBalance),
      excessUnits: Math.max(0, onHand - forwardDemand),
      slowMoving: onHand > 0 && recentSales === 0,
    };
  });

  /** Lag-1 rows over P − 11 … P with both sources: [sku, location, period, statistical, consensus, actual]. */
  const lag1 = new Map<
    string,
    { sku: string; location: string; period: number; stat?: number; cons?: number }
  >();
  for (const r of rows.forecasts) {
    const period = monthIndex(r.period!);
    if (period - monthIndex(r.cycle!) !== 1 || period < P - 11 || period > P) continue;
    if (r.source !== "statistical" && r.source !== "consensus") continue;
    const k = key(r.sku!, r.location!, period);
    const row = lag1.get(k) ?? { sku: r.sku!, location: r.location!, period };
    if (r.source === "statistical") row.stat = Number(r.units);
    else row.cons = Number(r.units);
    lag1.set(k, row);
  }
  return { rows, anchor, P, items, familyOf, actualOf, planOf, projections, lag1: [...lag1.values()] };
}

const base = factBase(demo);

// ---------------------------------------------------------------- the generator

describe("demo company generator", () => {
  it("is deterministic: the same anchor and seed give byte-identical CSV files", () => {
    const again = generateDemo({ anchor: ANCHOR });
    for (const kind of IMPORT_KINDS) expect(again.csv[kind]).toBe(demo.csv[kind]);
    expect(again.notes).toEqual(demo.notes);
    expect(generateDemo({ anchor: ANCHOR, seed: demo.seed }).csv.sales).toBe(demo.csv.sales);
  });

  it("draws different numbers from another seed, in the same shape", () => {
    const other = generateDemo({ anchor: ANCHOR, seed: 7 });
    expect(other.csv.sales).not.toBe(demo.csv.sales);
    expect(other.csv.items.split("\n").length).toBe(demo.csv.items.split("\n").length);
    expect(other.notes.stockoutRisk.length).toBe(demo.notes.stockoutRisk.length);
  });

  it("shifts every date with the anchor", () => {
    const later = generateDemo({ anchor: "2026-11" });
    const rows = (kind: ImportKind) => parseCsv(later.csv[kind]);
    const periods = distinct(rows("sales").map((r) => r.period!)).sort();
    expect(periods[0]).toBe("2023-11");
    expect(periods.at(-1)).toBe("2026-10");
    expect(distinct(rows("forecasts").map((r) => r.cycle!)).sort()).toEqual(
      Array.from({ length: 12 }, (_, k) => monthText(monthIndex("2025-12") + k)),
    );
    const asOf = distinct(rows("inventory").map((r) => r.as_of!)).sort();
    expect([asOf[0], asOf.at(-1)]).toEqual(["2025-11-30", "2026-10-31"]);
    expect(rows("supply").every((r) => r.due! > "2026-10-31")).toBe(true);
    const capacity = distinct(rows("capacity").map((r) => r.period!)).sort();
    expect([capacity[0], capacity.at(-1)]).toEqual(["2026-11", "2027-10"]);
    expect(later.notes.lastPeriod).toBe("2026-10");
  });

  it("writes canonical CSV: the import's headers, no quoting needed, a final newline", () => {
    const headers: Record<ImportKind, string> = {
      items: "sku,name,family,unit_cost,unit_price,lead_time_days,service_level",
      sales: "sku,location,period,units,revenue",
      forecasts: "sku,location,period,units,source,cycle",
      inventory: "sku,location,as_of,on_hand",
      supply: "sku,location,due,units,type,reference",
      capacity: "family,period,units",
    };
    for (const kind of IMPORT_KINDS) {
      expect(demo.csv[kind].startsWith(`${headers[kind]}\n`)).toBe(true);
      expect(demo.csv[kind].endsWith("\n")).toBe(true);
      expect(demo.csv[kind]).not.toContain('"');
    }
  });

  it("has the shape of a mid-market brand: ~150 SKUs, 8 families, 3 locations, 36 months, 12 cycles", () => {
    const { rows, P, anchor } = base;
    expect(rows.items.length).toBeGreaterThanOrEqual(140);
    expect(rows.items.length).toBeLessThanOrEqual(160);
    expect(distinct(rows.items.map((r) => r.sku!)).length).toBe(rows.items.length);
    expect(distinct(rows.items.map((r) => r.family!))).toHaveLength(8);
    expect(distinct(rows.sales.map((r) => r.location!)).sort()).toEqual(["EAST", "MAIN", "WEST"]);

    const periods = distinct(rows.sales.map((r) => monthIndex(r.period!))).sort((a, b) => a - b);
    expect(periods).toHaveLength(36);
    expect([periods[0], periods.at(-1)]).toEqual([P - 35, P]);
    expect(rows.sales.length).toBeGreaterThan(14_500);
    expect(rows.sales.length).toBeLessThan(17_500);

    // 12 cycles, each a 12-month horizon from the cycle month (lag 0 … 11), both sources.
    const byCycle = new Map<string, { lags: Set<number>; statistical: number; consensus: number }>();
    for (const r of rows.forecasts) {
      const c = byCycle.get(r.cycle!) ?? { lags: new Set<number>(), statistical: 0, consensus: 0 };
      c.lags.add(monthIndex(r.period!) - monthIndex(r.cycle!));
      if (r.source === "statistical") c.statistical++;
      if (r.source === "consensus") c.consensus++;
      byCycle.set(r.cycle!, c);
    }
    expect([...byCycle.keys()].sort()).toEqual(
      Array.from({ length: 12 }, (_, k) => monthText(anchor - 11 + k)),
    );
    for (const c of byCycle.values()) {
      expect([...c.lags].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, k) => k));
      expect(c.statistical).toBe(c.consensus);
      expect(c.statistical % 12).toBe(0);
    }
    const bySource = (s: string) => rows.forecasts.filter((r) => r.source === s);
    expect(bySource("statistical").length).toBeGreaterThan(120_000 / 2);
    expect(rows.forecasts.length).toBeGreaterThan(120_000);
    expect(rows.forecasts.length).toBeLessThan(140_000);
    // Sales and marketing input only for the current cycle.
    const inputs = [...bySource("sales"), ...bySource("marketing")];
    expect(inputs.length).toBeGreaterThan(50);
    expect(distinct(inputs.map((r) => r.cycle))).toEqual([ANCHOR]);

    // Month-end snapshots for the 12 months up to the end of P; capacity for P+1 … P+12.
    const asOf = distinct(rows.inventory.map((r) => r.as_of!)).sort();
    expect(asOf).toHaveLength(12);
    expect(asOf.at(-1)).toBe("2026-04-30");
    expect(asOf[0]).toBe("2025-05-31");
    const capacity = new Map<string, string[]>();
    for (const r of rows.capacity) capacity.set(r.family!, [...(capacity.get(r.family!) ?? []), r.period!]);
    expect(capacity.size).toBe(8);
    for (const months of capacity.values()) {
      expect(months).toEqual(Array.from({ length: 12 }, (_, k) => monthText(anchor + k)));
    }

    // Open supply: due after the last snapshot, with order references, all three types.
    expect(rows.supply.length).toBeGreaterThan(100);
    expect(rows.supply.every((r) => r.due! > "2026-04-30" && r.due! < "2026-11-01")).toBe(true);
    expect(rows.supply.every((r) => /^(PO|MO|TR)-\d{4}$/.test(r.reference!))).toBe(true);
    expect(distinct(rows.supply.map((r) => r.type!)).sort()).toEqual(["production", "purchase", "transfer"]);
    expect(rows.supply.filter((r) => r.type === "transfer").length).toBeLessThanOrEqual(4);
  });

  it("covers every role with people who have Slack-like ids and emails", () => {
    const roles = ["planner", "sales", "marketing", "operations", "finance", "executive", "admin"] as const;
    for (const role of roles) expect(demo.people.some((p) => p.roles.includes(role))).toBe(true);
    expect(demo.people.length).toBeGreaterThanOrEqual(8);
    expect(demo.people.length).toBeLessThanOrEqual(10);
    expect(demo.people.some((p) => p.roles.length > 1)).toBe(true);
    expect(distinct(demo.people.map((p) => p.slackUserId))).toHaveLength(demo.people.length);
    for (const p of demo.people) {
      expect(p.slackUserId).toMatch(/^U[A-Z0-9]{8,12}$/);
      expect(p.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    }
    expect(demo.company).toMatchObject({ name: expect.any(String), timezone: "America/Denver" });
  });

  it("keeps inventory consistent with sales: stock never negative, implied receipts never negative", () => {
    const { rows, actualOf } = base;
    const byPair = new Map<string, { asOf: string; onHand: number }[]>();
    for (const r of rows.inventory) {
      const k = key(r.sku!, r.location!);
      byPair.set(k, [...(byPair.get(k) ?? []), { asOf: r.as_of!, onHand: Number(r.on_hand) }]);
    }
    expect(byPair.size).toBe(rows.items.length * 3);
    for (const [k, snapshots] of byPair) {
      const [sku = "", location = ""] = k.split("|");
      snapshots.sort((a, b) => (a.asOf < b.asOf ? -1 : 1));
      snapshots.forEach((s, i) => {
        expect(s.onHand).toBeGreaterThanOrEqual(0);
        const before = snapshots[i - 1];
        if (!before) return;
        // on hand(t) = on hand(t − 1) + receipts(t) − sales(t), receipts ≥ 0
        const receipts = s.onHand - before.onHand + actualOf(sku, location, monthIndex(s.asOf));
        expect(receipts, `${k} ${s.asOf}`).toBeGreaterThanOrEqual(0);
      });
    }
  });

  it("has the quirks of real data: empty revenue, discounts, intermittent, new and discontinued items", () => {
    const { rows, P, items } = base;
    const empty = rows.sales.filter((r) => r.revenue === "");
    expect(empty.length).toBeGreaterThan(100);
    expect(empty.length).toBeLessThan(rows.sales.length * 0.1);
    // Revenue is units × price less a discount of at most 25 %.
    for (const r of rows.sales.filter((x) => x.revenue !== "")) {
      const list = Number(r.units) * Number(items.get(r.sku!)?.unit_price);
      expect(Number(r.revenue)).toBeLessThanOrEqual(list + 0.005);
      expect(Number(r.revenue)).toBeGreaterThanOrEqual(list * 0.75 - 0.005);
    }
    // Intermittent items: most of their months are zero.
    const intermittent = new Set(demo.notes.intermittent);
    expect(intermittent.size).toBeGreaterThanOrEqual(10);
    const spares = rows.sales.filter((r) => intermittent.has(r.sku!));
    expect(spares.filter((r) => r.units === "0").length / spares.length).toBeGreaterThan(0.4);
    // New items have a short history; discontinued ones none in the last 6 months.
    expect(demo.notes.newItems.length).toBeGreaterThanOrEqual(3);
    for (const { sku, launch } of demo.notes.newItems) {
      const months = distinct(rows.sales.filter((r) => r.sku === sku).map((r) => r.period!)).sort();
      expect(months[0]).toBe(launch);
      expect(months.length).toBeLessThanOrEqual(12);
    }
    expect(demo.notes.discontinued.length).toBeGreaterThanOrEqual(5);
    for (const sku of demo.notes.discontinued) {
      const recent = rows.sales.filter((r) => r.sku === sku && monthIndex(r.period!) >= P - 5);
      expect(recent.reduce((s, r) => s + Number(r.units), 0)).toBe(0);
    }
    // Promotions: spikes in the history (a month ≥ 1.5 × the neighbours' mean for a big seller).
    const monthly = new Map<string, number[]>();
    for (const r of rows.sales.filter((x) => x.location === "MAIN")) {
      const list = monthly.get(r.sku!) ?? new Array<number>(36).fill(0);
      list[monthIndex(r.period!) - (P - 35)] = Number(r.units);
      monthly.set(r.sku!, list);
    }
    let spikes = 0;
    for (const list of monthly.values()) {
      for (let i = 1; i < 35; i++) {
        const around = ((list[i - 1] ?? 0) + (list[i + 1] ?? 0)) / 2;
        if (around >= 50 && (list[i] ?? 0) >= 1.5 * around) spikes++;
      }
    }
    expect(spikes).toBeGreaterThan(30);
    expect(demo.notes.plannedPromotions.length).toBeGreaterThan(0);
  });

  it("writes the six files with writeDemoCsv", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sop-demo-"));
    try {
      const files = await writeDemoCsv(demo, path.join(dir, "demo"));
      expect(files.map((f) => path.basename(f))).toEqual(IMPORT_KINDS.map((k) => `${k}.csv`));
      for (const kind of IMPORT_KINDS) {
        expect(readFileSync(path.join(dir, "demo", `${kind}.csv`), "utf8")).toBe(demo.csv[kind]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- the situations a planner must see

describe("demo company situations (DOMAIN.md definitions)", () => {
  const { projections, anchor } = base;
  const anchorDay = dayIndex(`${ANCHOR}-01`);

  it("has SKU-locations that stock out within their lead time (high risk, order-by passed)", () => {
    const within = projections.filter((p) => p.firstStockout !== null && p.firstStockout <= p.leadMonths);
    expect(within.length).toBeGreaterThanOrEqual(6);
    expect(pairs(within)).toEqual(pairs(demo.notes.stockoutRisk));
    for (const p of within) {
      expect(p.orderByDay!).toBeLessThan(anchorDay);
      const noted = demo.notes.stockoutRisk.find((s) => s.sku === p.sku && s.location === p.location);
      expect(noted?.stockoutPeriod).toBe(p.stockoutPeriod);
    }
    expect(distinct(within.map((p) => p.family)).length).toBeGreaterThanOrEqual(4);
  });

  it("has SKU-locations that stock out later, with order-by dates still ahead", () => {
    const later = projections.filter((p) => p.firstStockout !== null && p.firstStockout > p.leadMonths);
    expect(later.length).toBeGreaterThanOrEqual(5);
    expect(pairs(later)).toEqual(pairs(demo.notes.laterGaps));
    for (const p of later) {
      expect(p.orderByDay!).toBeGreaterThanOrEqual(anchorDay + 14);
      expect(p.shortageUnits).toBeGreaterThan(0);
    }
  });

  it("keeps every other SKU-location in stock over the horizon", () => {
    const short = projections.filter((p) => p.shortageUnits > 0);
    expect(short.length).toBe(demo.notes.stockoutRisk.length + demo.notes.laterGaps.length);
  });

  it("has capacity short of the plan in two families within the first 6 months", () => {
    const demand = new Map<string, number>();
    for (const r of base.rows.forecasts) {
      if (r.source !== "consensus" || r.cycle !== ANCHOR) continue;
      const k = key(base.familyOf(r.sku!), r.period!);
      demand.set(k, (demand.get(k) ?? 0) + Number(r.units));
    }
    const gaps = base.rows.capacity
      .filter((r) => monthIndex(r.period!) < anchor + 6)
      .map((r) => ({
        family: r.family!,
        period: r.period!,
        gap: (demand.get(key(r.family!, r.period!)) ?? 0) - Number(r.units),
      }))
      .filter((g) => g.gap > 0);
    expect(distinct(gaps.map((g) => g.family)).sort()).toEqual(
      [demo.notes.peakShortFamily, demo.notes.shutdownFamily].sort(),
    );
    const noted = demo.notes.capacityGaps.filter((g) => monthIndex(g.period) < anchor + 6);
    expect(pairs(gaps.map((g) => ({ sku: g.family, location: g.period })))).toEqual(
      pairs(noted.map((g) => ({ sku: g.family, location: g.period }))),
    );
  });

  it("has excess stock and slow movers (discontinued items with stock left)", () => {
    const slow = projections.filter((p) => p.slowMoving);
    expect(slow.length).toBeGreaterThanOrEqual(8);
    expect(pairs(slow)).toEqual(pairs(demo.notes.slowMovers));
    const discontinued = new Set(demo.notes.discontinued);
    expect(slow.filter((p) => discontinued.has(p.sku)).length).toBeGreaterThanOrEqual(8);
    for (const o of demo.notes.overstock) {
      const p = projections.find((x) => x.sku === o.sku && x.location === o.location);
      expect(p?.excessUnits).toBeGreaterThan(0);
      expect(p?.slowMoving).toBe(false);
    }
    expect(demo.notes.overstock.length).toBeGreaterThanOrEqual(4);
  });

  it("has one family with an over-forecast bias: bias, tracking signal and FVA show it", () => {
    const { lag1, actualOf, familyOf, P } = base;
    const biased = demo.notes.biasedFamily;
    // Consensus lag-1 bias per family over P−11 … P.
    const sums = new Map<string, { e: number; a: number; absS: number; absC: number }>();
    for (const r of lag1) {
      if (r.stat === undefined || r.cons === undefined) continue;
      const a = actualOf(r.sku, r.location, r.period);
      for (const f of [familyOf(r.sku), "ALL"]) {
        const s = sums.get(f) ?? { e: 0, a: 0, absS: 0, absC: 0 };
        s.e += r.cons - a;
        s.a += a;
        s.absS += Math.abs(r.stat - a);
        s.absC += Math.abs(r.cons - a);
        sums.set(f, s);
      }
    }
    const biasOf = (family: string) => (sums.get(family)?.e ?? 0) / (sums.get(family)?.a ?? 1);
    expect(biasOf(biased)).toBeGreaterThan(0.15);
    for (const family of sums.keys()) {
      if (family !== biased) expect(Math.abs(biasOf(family)), family).toBeLessThan(biasOf(biased) / 2);
    }
    // FVA statistical → consensus: the adjustments hurt in that family, help overall.
    const fva = (s: { a: number; absS: number; absC: number }) => s.absS / s.a - s.absC / s.a;
    expect(fva(sums.get(biased)!)).toBeLessThan(-0.03);
    expect(fva(sums.get("ALL")!)).toBeGreaterThan(0);

    // Tracking signal per SKU-location over the last 6 closed periods: most of the family flagged.
    const errors = new Map<string, number[]>();
    for (const r of lag1) {
      if (r.cons === undefined || r.period < P - 5) continue;
      const k = key(r.sku, r.location);
      errors.set(k, [...(errors.get(k) ?? []), r.cons - actualOf(r.sku, r.location, r.period)]);
    }
    const share = new Map<string, { flagged: number; total: number }>();
    for (const [k, e] of errors) {
      const mad = e.reduce((s, x) => s + Math.abs(x), 0) / e.length;
      const ts = mad === 0 ? 0 : e.reduce((s, x) => s + x, 0) / mad;
      const f = familyOf(k.split("|")[0] ?? "");
      const s = share.get(f) ?? { flagged: 0, total: 0 };
      s.total++;
      if (ts > 4) s.flagged++;
      share.set(f, s);
    }
    const ratio = (f: string) => (share.get(f)?.flagged ?? 0) / (share.get(f)?.total ?? 1);
    expect(ratio(biased)).toBeGreaterThan(0.4);
    for (const f of share.keys()) if (f !== biased) expect(ratio(f), f).toBeLessThan(ratio(biased));
  });
});

// ---------------------------------------------------------------- loading

describe.each(engines)("loading the demo on %s", (engine) => {
  let db: TestDatabase;
  let results: Record<ImportKind, ImportResult[]>;
  const lines = (kind: ImportKind) => demo.csv[kind].trimEnd().split("\n").length - 1;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    results = await loadDemoData(db.sql, demo, { copy: engine === "server" });
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it("imports the six files with no errors; the database holds every row", async () => {
    for (const kind of IMPORT_KINDS) {
      const rs = results[kind];
      for (const r of rs) {
        expect(r.errors, kind).toEqual([]);
        expect(r.status).toBe("succeeded");
      }
      expect(rs.reduce((n, r) => n + r.rows, 0)).toBe(lines(kind));
      expect(rs.reduce((n, r) => n + r.inserted, 0)).toBe(lines(kind));
    }
    // One forecasts file per plan snapshot.
    expect(results.forecasts.map((r) => r.rows)).toHaveLength(12);
    const [c] = await db.sql`select
      (select count(*) from items) as items, (select count(*) from sales) as sales,
      (select count(*) from forecasts) as forecasts, (select count(*) from inventory) as inventory,
      (select count(*) from supply) as supply, (select count(*) from capacity) as capacity,
      (select count(*) from families) as families, (select count(*) from locations) as locations,
      (select count(*) from import_runs where source = 'demo' and status = 'succeeded') as runs`;
    expect(c).toEqual({
      ...Object.fromEntries(IMPORT_KINDS.map((k) => [k, lines(k)])),
      families: 8,
      locations: 3,
      runs: 5 + 12,
    });
  });

  it("fills in the revenue the files leave empty as units × unit_price", async () => {
    const empty = base.rows.sales.filter((r) => r.revenue === "" && Number(r.units) > 0).slice(0, 20);
    expect(empty.length).toBeGreaterThan(0);
    for (const r of empty) {
      const [row] = await db.sql<{ revenue: number; expected: number }[]>`
        select s.revenue, round((s.units * i.unit_price)::numeric, 2) as expected
        from sales s join items i using (sku)
        where s.sku = ${r.sku!} and s.location = ${r.location!} and s.period = ${`${r.period}-01`}::date`;
      expect(row?.revenue).toBe(row?.expected);
    }
  });

  it("shows the situations in SQL: stock-outs within lead time, capacity gaps, slow movers", async () => {
    const anchorFirst = `${ANCHOR}-01`;
    const stockouts = await db.sql<
      { sku: string; location: string; firstStockout: number; leadMonths: number }[]
    >`
      with latest as (
        select distinct on (sku, location) sku, location, on_hand, as_of
        from inventory order by sku, location, as_of desc
      ), horizon as (
        select l.sku, l.location, l.on_hand, i.lead_time_days, t,
               (${anchorFirst}::date + make_interval(months => t - 1))::date as month
        from latest l join items i using (sku) cross join generate_series(1, 6) as t
      ), flows as (
        select h.*,
          coalesce((select f.units from forecasts f
                    where f.sku = h.sku and f.location = h.location and f.period = h.month
                      and f.source = 'consensus' order by f.cycle desc limit 1), 0) as demand,
          coalesce((select sum(s.units) from supply s
                    where s.sku = h.sku and s.location = h.location
                      and date_trunc('month', s.due)::date = h.month), 0) as supply
        from horizon h
      ), balances as (
        select sku, location, t, lead_time_days,
               on_hand + sum(supply - demand) over (partition by sku, location order by t) as balance
        from flows
      )
      select sku, location, min(t)::int as first_stockout,
             greatest(1, ceil(max(lead_time_days) / 30.4375))::int as lead_months
      from balances where balance < 0 group by sku, location order by sku, location`;
    const within = stockouts.filter((s) => s.firstStockout <= s.leadMonths);
    expect(pairs(within)).toEqual(pairs(demo.notes.stockoutRisk));
    expect(stockouts.length).toBe(demo.notes.stockoutRisk.length + demo.notes.laterGaps.length);

    const capacityGaps = await db.sql<{ family: string; period: string; demand: number; units: number }[]>`
      select c.family, c.period, c.units, sum(f.units) as demand
      from capacity c
      join items i on i.family = c.family
      join forecasts f on f.sku = i.sku and f.period = c.period and f.source = 'consensus'
                       and f.cycle = ${anchorFirst}::date
      group by c.family, c.period, c.units
      having sum(f.units) > c.units
      order by c.family, c.period`;
    expect(capacityGaps.length).toBeGreaterThanOrEqual(2);
    expect(capacityGaps.map((g) => key(g.family, g.period.slice(0, 7))).sort()).toEqual(
      demo.notes.capacityGaps.map((g) => key(g.family, g.period)).sort(),
    );

    const P5 = `${monthText(base.P - 5)}-01`;
    const slow = await db.sql<{ sku: string; location: string }[]>`
      with latest as (
        select distinct on (sku, location) sku, location, on_hand
        from inventory order by sku, location, as_of desc
      )
      select l.sku, l.location from latest l
      where l.on_hand > 0 and not exists (
        select 1 from sales s
        where s.sku = l.sku and s.location = l.location and s.period >= ${P5}::date and s.units > 0)
      order by l.sku, l.location`;
    expect(slow.length).toBeGreaterThanOrEqual(8);
    expect(pairs(slow)).toEqual(pairs(demo.notes.slowMovers));
  });
});

function pairs(list: { sku: string; location: string }[]): string[] {
  return list.map((s) => key(s.sku, s.location)).sort();
}
