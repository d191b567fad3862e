/**
 * What-if scenarios on DOMAIN.md's worked example (hand-worked from its projections), on each
 * engine: the base column equals the KPI answers, each kind of change moves the figures it
 * should, commands parsed by the pure parser go straight to the API, nothing of the plan is
 * written, and saved scenarios attach to a cycle step.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWhatIf } from "../../api/domain/plan-commands.js";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tiny/${f}`, import.meta.url), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions
type Json = any;

describe.each(engines)("what-if scenarios on %s", (engine) => {
  let db: TestDatabase;
  let call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Json }>;
  const whatIf = async (text: string, extra: Record<string, unknown> = {}) => {
    const parsed = parseWhatIf(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return call("POST", "/api/scenarios", { changes: parsed.value, ...extra });
  };
  /** Everything a scenario could touch, as it is stored. */
  const planRows = async () => ({
    forecasts: await db.sql`select * from forecasts order by sku, location, period, source, cycle`,
    supply: await db.sql`select * from supply order by id`,
    capacity: await db.sql`select * from capacity order by family, period`,
    plan: await db.sql`select * from plan_lines order by sku, location`,
    state: await db.sql`select version, plan_version from data_state`,
  });

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      expect(r.errors).toEqual([]);
    }
    const { app } = testApp(db, { now: () => new Date("2026-01-12T15:00:00Z") });
    call = async (method, path, body) => {
      const res = await app.request(path, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(async () => {
    await db?.close();
  });

  it("the base plan is what the KPI answers say", async () => {
    const r = await whatIf("capacity BOTTLES -20%");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const base = r.body.comparison.base;
    const gaps = (await call("GET", "/api/kpi/gaps?horizon=6")).body;
    expect(base.shortageCount).toBe(gaps.shortageCount);
    expect(base.shortageUnits).toBe(gaps.totals.shortageUnits);
    expect(base.valueAtRisk).toBe(gaps.totals.valueAtRisk);
    expect(base.capacityGaps).toEqual(gaps.capacity);
    // examples/tiny: BLT-100 890 short (8,900 at risk), CAP-200 65 (195), GLV-300 160 (2,400);
    // BOTTLES short of capacity by 20, 50 and 80.
    expect(base).toMatchObject({
      shortageCount: 3,
      shortageUnits: 1115,
      valueAtRisk: 11495,
      risk: { high: 1, medium: 0, low: 2 },
      capacityGapUnits: 150,
      inventoryEndValue: 0,
    });
    // Positive balances at unit cost (BLT-100 4, CAP-200 1, GLV-300 6): January 170·4 + 175·1.
    expect(base.inventory.slice(0, 4)).toEqual([
      { period: "2026-01", units: 345, value: 855 },
      { period: "2026-02", units: 380, value: 1130 },
      { period: "2026-03", units: 140, value: 395 },
      { period: "2026-04", units: 35, value: 35 },
    ]);
    expect(base.inventoryAverageValue).toBeCloseTo((430 / 6) * 4 + 425 / 6 + (45 / 6) * 6, 10);
  });

  it("capacity −20% for a family: the gaps against 200 a month", async () => {
    const r = (await whatIf("capacity BOTTLES -20%")).body.comparison;
    // Demand 210, 220, 240, 270, 300, 330 against 200.
    expect(r.scenario.capacityGaps.map((g: { gap: number }) => g.gap)).toEqual([10, 20, 40, 70, 100, 130]);
    expect(r.delta).toMatchObject({ capacityGapUnits: 220, valueAtRisk: 0, shortageUnits: 0, highRisk: 0 });
    expect(r.changes[0]).toMatchObject({
      description: "capacity −20% for family BOTTLES",
      effect: { type: "capacity", months: 6, units: -300 },
    });
    expect(r.capacity[0]).toEqual({
      family: "BOTTLES",
      period: "2026-01",
      base: { demand: 210, capacity: 250, gap: 0 },
      scenario: { demand: 210, capacity: 200, gap: 10 },
    });
    expect(r.lines).toEqual([]);
  });

  it("a delayed purchase order: BLT-100 runs out in February instead of April", async () => {
    const r = (await whatIf("delay PO-7781 30d")).body.comparison;
    expect(r.changes[0]).toMatchObject({
      description: "PO-7781 delayed by 30 days",
      effect: {
        type: "delay",
        lines: 1,
        units: 300,
        moved: [{ sku: "BLT-100", location: "MAIN", units: 300, from: "2026-02-15", to: "2026-03-17" }],
      },
    });
    // 380 − 210 = 170, − 220 = −50 (the 300 now arrive in March), + 300 − 240 = 10, −260, −560, −890.
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({
      sku: "BLT-100",
      base: { risk: "low", firstStockoutPeriod: "2026-04", orderBy: "2026-02-15", shortageUnits: 890 },
      scenario: { risk: "high", firstStockoutPeriod: "2026-02", orderBy: "2025-12-18", shortageUnits: 890 },
    });
    expect(r.lines[0].scenario.stockoutProbability).toBeGreaterThan(0.99);
    expect(r.delta).toMatchObject({ highRisk: 1, valueAtRisk: 0, capacityGapUnits: 0 });
    // February's BLT-100 stock (250 × 4) is gone; its average over the horizon drops from 430/6 to 180/6.
    expect(r.scenario.inventory[1]).toEqual({ period: "2026-02", units: 130, value: 130 });
    expect(r.delta.inventoryAverageValue).toBeCloseTo(-(250 / 6) * 4, 10);
  });

  it("demand +10% for a family from a month, combined with the delay", async () => {
    const demand = (await whatIf("demand +10% BOTTLES from 2026-04")).body.comparison;
    // BLT-100 April–June 297, 330, 363: 890 + 90 short; BOTTLES gaps 47, 80, 113.
    expect(demand.changes[0]).toMatchObject({
      description: "demand +10% for family BOTTLES from 2026-04",
      effect: { type: "demand", lines: 1 },
    });
    expect(demand.changes[0].effect.units).toBeCloseTo(90, 10);
    expect(demand.lines[0].scenario.shortageUnits).toBeCloseTo(980, 10);
    expect(demand.delta.valueAtRisk).toBeCloseTo(900, 9);
    expect(demand.scenario.capacityGaps.map((g: { gap: number }) => Math.round(g.gap * 1e6) / 1e6)).toEqual([
      47, 80, 113,
    ]);
    const both = (await whatIf("delay PO-7781 30d; demand +10% BOTTLES from 2026-04")).body.comparison;
    expect(both.changes).toHaveLength(2);
    expect(both.lines[0].scenario).toMatchObject({ firstStockoutPeriod: "2026-02", risk: "high" });
    expect(both.lines[0].scenario.endBalance).toBeCloseTo(-980, 9);
  });

  it("leaves the plan untouched", async () => {
    const before = await planRows();
    await whatIf("delay PO-7781 30d; demand +50% BLT-100; capacity BOTTLES -20%");
    await whatIf("demand -100% ACCESSORIES", { save: true });
    expect(await planRows()).toEqual(before);
  });

  it("says when a change cannot apply", async () => {
    const ref = await whatIf("delay PO-9999 10d");
    expect(ref.status).toBe(422);
    expect(ref.body.error.message).toBe(
      "no open supply has the reference PO-9999; open supply references include PO-7781, PO-7790",
    );
    const family = await whatIf("capacity ACCESSORIES -10%");
    expect(family.status).toBe(422);
    expect(family.body.error.message).toBe(
      "ACCESSORIES has no capacity in 2026-01…2026-06 to change (capacity comes from capacity.csv)",
    );
    const unknown = await whatIf("demand +5% NOPE");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("changes.0 (demand): NOPE is neither a family nor a SKU");
    const bad = await call("POST", "/api/scenarios", { changes: [{ type: "demand", change: 0.1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name exactly one of family, sku or target/);
  });

  it("saves scenarios and attaches them to the pre-S&OP step", async () => {
    expect((await call("POST", "/api/cycles", { month: "2026-01" })).status).toBe(201);
    const saved = await whatIf("delay PO-7781 30d", {
      save: true,
      name: "Supplier strike",
      actor: "U0PLAN01",
    });
    expect(saved.status).toBe(201);
    const id = saved.body.scenario.id;
    expect(saved.body.scenario).toMatchObject({
      name: "Supplier strike",
      horizon: 6,
      createdBy: "U0PLAN01",
      stale: false,
      lastPeriod: "2025-12",
      changes: [{ type: "delay", reference: "PO-7781", days: 30 }],
      delta: { highRisk: 1 },
      attachments: [],
    });
    const list = await call("GET", "/api/scenarios");
    expect(list.body.scenarios.map((s: { name: string }) => s.name)).toEqual([
      "Supplier strike",
      "demand −100% for family ACCESSORIES",
    ]);
    const got = await call("GET", `/api/scenarios/${id}?fresh=true`);
    expect(got.body.comparison.lines[0].scenario.firstStockoutPeriod).toBe("2026-02");

    const attach = await call("PUT", `/api/cycles/2026-01/steps/pre/scenarios/${id}`, { actor: "U0PLAN01" });
    expect(attach.status).toBe(201);
    expect((await call("PUT", `/api/cycles/2026-01/steps/pre/scenarios/${id}`)).status).toBe(200);
    const onStep = await call("GET", "/api/cycles/2026-01/steps/pre/scenarios");
    expect(onStep.body.scenarios).toHaveLength(1);
    expect(onStep.body.scenarios[0].attachments).toEqual([
      { cycle: "2026-01", step: "pre", attachedBy: "U0PLAN01", attachedAt: expect.any(String) },
    ]);
    expect((await call("PUT", `/api/cycles/2026-01/steps/nope/scenarios/${id}`)).status).toBe(404);

    const refused = await call("DELETE", `/api/scenarios/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/attached to 2026-01\/pre: detach it first/);
    expect((await call("DELETE", `/api/cycles/2026-01/steps/pre/scenarios/${id}`)).status).toBe(200);
    expect((await call("DELETE", `/api/scenarios/${id}`)).status).toBe(200);
    expect((await call("GET", `/api/scenarios/${id}`)).status).toBe(404);
  });

  it("a save retried with its idempotency key records one scenario; the key for other changes is a 409", async () => {
    const before = (await call("GET", "/api/scenarios")).body.scenarios.length;
    const key = "slack:whatif:test-key-1:save";
    const [a, b] = await Promise.all([
      whatIf("capacity BOTTLES -20%", { save: true, idempotencyKey: key }),
      whatIf("capacity BOTTLES -20%", { save: true, idempotencyKey: key }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.scenario.id).toBe(b.body.scenario.id);
    const again = await whatIf("capacity BOTTLES -20%", { save: true, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body.scenario.id).toBe(a.body.scenario.id);
    expect(again.body.comparison.delta).toEqual(a.body.comparison.delta);
    expect((await call("GET", "/api/scenarios")).body.scenarios).toHaveLength(before + 1);
    const other = await whatIf("capacity BOTTLES -10%", { save: true, idempotencyKey: key });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/already used to save other changes/);
    // Without save the key changes nothing: the comparison only.
    const plain = await whatIf("capacity BOTTLES -10%", { idempotencyKey: key });
    expect(plain.status).toBe(200);
    expect(plain.body.scenario).toBeUndefined();
  });

  it("the base follows the fact base: after a new open-supply snapshot it is the KPI answers' again", async () => {
    // The base side is computed once per data version and shared by what-ifs; an import must
    // not leave it behind. Without PO-7781 (300 BLT-100 due in February) more is at risk.
    const before = (await whatIf("capacity BOTTLES -20%")).body.comparison.base;
    expect(before.valueAtRisk).toBe(11495);
    const snapshot = fixture("supply.csv")
      .split("\n")
      .filter((line) => !line.includes("PO-7781"))
      .join("\n");
    expect((await importCsv(db.sql, "supply", snapshot, { source: "test" })).status).toBe("succeeded");
    const after = (await whatIf("capacity BOTTLES -20%")).body.comparison.base;
    const gaps = (await call("GET", "/api/kpi/gaps?horizon=6")).body;
    expect(after.valueAtRisk).toBe(gaps.totals.valueAtRisk);
    expect(after.shortageUnits).toBe(gaps.totals.shortageUnits);
    expect(after.valueAtRisk).toBeGreaterThan(before.valueAtRisk);
    // Restore the example's supply for whatever runs next.
    expect((await importCsv(db.sql, "supply", fixture("supply.csv"), { source: "test" })).status).toBe(
      "succeeded",
    );
  });
});
