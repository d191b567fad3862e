/**
 * The consensus plan through the API, on each engine: overrides by SKU and by family spread
 * over the statistical forecast (hand-worked), the latest override deciding a cell, the
 * provenance of a number, who may submit and withdraw, idempotent retries, the executive lock
 * (409, then OK after reopening) and forecast value added by contributor.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Period } from "../../api/domain/periods.js";
import { rebuildCycleConsensus } from "../../api/services/consensus.js";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tiny/${f}`, import.meta.url), "utf8");

const SALES = "U0SALES01";
const MARKETING = "U0MKTG01";
const EXEC = "U0EXEC01";
const PLANNER = "U0PLAN01";
const OPS = "U0OPS01";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions
type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

function caller(app: ReturnType<typeof testApp>["app"]): Call {
  return async (method, path, body) => {
    const res = await app.request(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return { status: res.status, body: await res.json() };
  };
}

describe.each(engines)("the consensus plan on %s", (engine) => {
  let db: TestDatabase;
  let call: Call;
  const consensus = async (cycle: string) => {
    const r = await call("GET", `/api/forecasts?source=consensus&cycle=${cycle}&limit=1000`);
    return Object.fromEntries(
      r.body.rows.map((x: { sku: string; location: string; period: string; units: number }) => [
        `${x.sku}@${x.location} ${x.period}`,
        x.units,
      ]),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      expect(r.errors).toEqual([]);
    }
    // A statistical forecast made in 2026-02 with known numbers (BLT-100 also sells at WEST).
    const stat = [
      "sku,location,period,units,source,cycle",
      "BLT-100,MAIN,2026-03,250,statistical,2026-02",
      "BLT-100,WEST,2026-03,50,statistical,2026-02",
      "CAP-200,MAIN,2026-03,30,statistical,2026-02",
      "GLV-300,MAIN,2026-03,90,statistical,2026-02",
      "CAP-200,MAIN,2026-04,0,statistical,2026-02",
      "GLV-300,MAIN,2026-04,0,statistical,2026-02",
    ].join("\n");
    expect((await importCsv(db.sql, "forecasts", stat, { source: "test" })).errors).toEqual([]);
    const { app } = testApp(db, { now: () => new Date("2026-02-05T15:00:00Z") });
    call = caller(app);
    for (const [id, name, roles] of [
      [SALES, "Sam Sales", ["sales"]],
      [MARKETING, "Mia Marketing", ["marketing"]],
      [EXEC, "Eve Exec", ["executive"]],
      [PLANNER, "Pat Planner", ["planner"]],
      [OPS, "Oli Ops", ["operations"]],
    ] as const) {
      expect((await call("PUT", `/api/people/${id}`, { name, roles })).status).toBeLessThan(300);
    }
    expect((await call("POST", "/api/cycles", { month: "2026-02" })).status).toBe(201);
  });
  afterAll(async () => {
    await db?.close();
  });

  let familyOverride: number;
  let skuAtLocation: number;

  it("spreads a family override over its SKUs in proportion to the statistical forecast", async () => {
    // ACCESSORIES in 2026-03: statistical CAP-200 30, GLV-300 90 → 200 × ¼, ¾ = 50, 150.
    const r = await call("POST", "/api/overrides", {
      cycle: "2026-02",
      period: "2026-03",
      family: "ACCESSORIES",
      units: 200,
      reason: "spring hiking season starts early",
      person: SALES,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    familyOverride = r.body.override.id;
    expect(r.body.override).toMatchObject({
      cycle: "2026-02",
      period: "2026-03",
      lag: 1,
      scope: "family",
      family: "ACCESSORIES",
      units: 200,
      role: "sales",
      status: "accepted",
      person: { slackUserId: SALES, name: "Sam Sales" },
    });
    expect(r.body.cells).toEqual([
      {
        sku: "CAP-200",
        location: "MAIN",
        before: null,
        after: 50,
        units: 50,
        share: 0.25,
        basis: "statistical",
      },
      {
        sku: "GLV-300",
        location: "MAIN",
        before: null,
        after: 150,
        units: 150,
        share: 0.75,
        basis: "statistical",
      },
    ]);
    // The consensus of the cycle: the statistical forecast, with the override on top.
    expect(await consensus("2026-02")).toEqual({
      "BLT-100@MAIN 2026-03": 250,
      "BLT-100@WEST 2026-03": 50,
      "CAP-200@MAIN 2026-03": 50,
      "GLV-300@MAIN 2026-03": 150,
      "CAP-200@MAIN 2026-04": 0,
      "GLV-300@MAIN 2026-04": 0,
    });
  });

  it("spreads by the last 12 months' sales when the statistical forecast is zero", async () => {
    // 2026-04's statistical forecast is 0 for both; sales 2025-02…2026-01: CAP-200 355,
    // GLV-300 670 (Σ 1,025) → 2,050 × 355/1025, 670/1025 = 710, 1,340.
    const r = await call("POST", "/api/overrides", {
      cycle: "2026-02",
      period: "2026-04",
      target: "ACCESSORIES",
      units: 2050,
      reason: "retailer launch",
      person: MARKETING,
    });
    expect(r.status).toBe(201);
    expect(r.body.override.role).toBe("marketing");
    expect(r.body.cells.map((c: { units: number; basis: string }) => [c.units, c.basis])).toEqual([
      [710, "actuals"],
      [1340, "actuals"],
    ]);
  });

  it("spreads a SKU over its locations, and one location takes all of it", async () => {
    // BLT-100 in 2026-03: statistical MAIN 250, WEST 50 → 360 × ⅚, ⅙ = 300, 60.
    const sku = await call("POST", "/api/overrides", {
      cycle: "2026-02",
      period: "2026-03",
      sku: "BLT-100",
      units: 360,
      reason: "REI trade show order",
      person: SALES,
    });
    expect(sku.status).toBe(201);
    expect(
      sku.body.cells.map((c: { location: string; before: number; after: number }) => [
        c.location,
        c.before,
        c.after,
      ]),
    ).toEqual([
      ["MAIN", 250, 300],
      ["WEST", 50, 60],
    ]);
    // GLV-300 at MAIN alone: the latest override decides the cell (over the family's 150).
    const one = await call("POST", "/api/overrides", {
      cycle: "2026-02",
      period: "2026-03",
      target: "GLV-300",
      location: "MAIN",
      units: 100,
      reason: "one retailer delisted the gloves",
      person: MARKETING,
    });
    expect(one.status).toBe(201);
    skuAtLocation = one.body.override.id;
    expect(one.body.cells).toEqual([
      { sku: "GLV-300", location: "MAIN", before: 150, after: 100, units: 100, share: 1, basis: "single" },
    ]);
  });

  it("keeps who and why for every number", async () => {
    const p = await call("GET", "/api/consensus/provenance?cycle=2026-02&sku=GLV-300&period=2026-03");
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      cycle: "2026-02",
      sku: "GLV-300",
      location: "MAIN",
      period: "2026-03",
      consensus: 100,
      decidedBy: { kind: "override", overrideId: skuAtLocation },
      statistical: { units: 90, method: null },
      imported: null,
    });
    expect(
      // biome-ignore lint/suspicious/noExplicitAny: a JSON answer
      p.body.overrides.map((o: Record<string, any>) => [
        o.id,
        o.person.name,
        o.reason,
        o.cellUnits,
        o.basis,
        o.effective,
      ]),
    ).toEqual([
      [familyOverride, "Sam Sales", "spring hiking season starts early", 150, "statistical", false],
      [skuAtLocation, "Mia Marketing", "one retailer delisted the gloves", 100, "single", true],
    ]);
    const untouched = await call(
      "GET",
      "/api/consensus/provenance?cycle=2026-02&sku=BLT-100&location=WEST&period=2026-04",
    );
    expect(untouched.body).toMatchObject({ consensus: null, decidedBy: { kind: "none" }, overrides: [] });

    const page = await call("GET", "/api/consensus?cycle=2026-02&family=ACCESSORIES");
    expect(page.body.total).toBe(2);
    expect(page.body.lines[1].months).toEqual([
      { period: "2026-03", statistical: 90, consensus: 100, basis: "override", overrideId: skuAtLocation },
      {
        period: "2026-04",
        statistical: 0,
        consensus: 1340,
        basis: "override",
        overrideId: expect.any(Number),
      },
    ]);
    // The summary sums the same lines per family, SKU or location, counting the overridden cells.
    const all = await call("GET", "/api/consensus?cycle=2026-02&limit=1000");
    type Month = { period: string; statistical: number | null; consensus: number | null; basis: string };
    type Line = { sku: string; family: string; location: string; months: Month[] };
    const expected = (key: (l: Line) => string) => {
      const out = new Map<
        string,
        Map<string, { statistical: number; consensus: number; overridden: number }>
      >();
      for (const l of all.body.lines as Line[]) {
        const g = out.get(key(l)) ?? new Map();
        out.set(key(l), g);
        for (const m of l.months) {
          const cell = g.get(m.period) ?? { statistical: 0, consensus: 0, overridden: 0 };
          cell.statistical += m.statistical ?? 0;
          cell.consensus += m.consensus ?? 0;
          cell.overridden += m.basis === "override" ? 1 : 0;
          g.set(m.period, cell);
        }
      }
      return [...out.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, g]) => ({
          key: k,
          months: [...g.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([period, v]) => ({ period, ...v })),
        }));
    };
    const byFamily = await call("GET", "/api/consensus/summary?cycle=2026-02");
    expect(byFamily.status).toBe(200);
    expect(byFamily.body.by).toBe("family");
    expect(
      // biome-ignore lint/suspicious/noExplicitAny: a JSON answer
      byFamily.body.groups.map((g: any) => ({ key: g.key, months: g.months })),
    ).toEqual(expected((l) => l.family));
    expect(byFamily.body.groups.find((g: { key: string }) => g.key === "ACCESSORIES").months[0]).toEqual({
      period: "2026-03",
      // CAP-200 50 of the family override, GLV-300 100 of the later SKU override.
      statistical: 120,
      consensus: 150,
      overridden: 2,
    });
    const bySku = await call("GET", "/api/consensus/summary?cycle=2026-02&family=ACCESSORIES&by=sku");
    expect(
      // biome-ignore lint/suspicious/noExplicitAny: a JSON answer
      bySku.body.groups.map((g: any) => ({ key: g.key, months: g.months })),
    ).toEqual(expected((l) => l.sku).filter((g) => ["CAP-200", "GLV-300"].includes(g.key)));
    expect(bySku.body.groups[0]).toMatchObject({ key: "CAP-200", family: "ACCESSORIES" });
    const byLocation = await call("GET", "/api/consensus/summary?cycle=2026-02&sku=BLT-100&by=location");
    expect(byLocation.body.groups.map((g: { key: string }) => g.key)).toEqual(["MAIN", "WEST"]);
    // Company-wide by location, and by family within one location (the stored sums).
    const allByLocation = await call("GET", "/api/consensus/summary?cycle=2026-02&by=location");
    expect(
      // biome-ignore lint/suspicious/noExplicitAny: a JSON answer
      allByLocation.body.groups.map((g: any) => ({ key: g.key, months: g.months })),
    ).toEqual(expected((l) => l.location));
    const west = await call("GET", "/api/consensus/summary?cycle=2026-02&location=WEST");
    expect(
      // biome-ignore lint/suspicious/noExplicitAny: a JSON answer
      west.body.groups.map((g: any) => ({ key: g.key, months: g.months })),
    ).toEqual(expected((l) => (l.location === "WEST" ? l.family : "")).filter((g) => g.key !== ""));
    expect((await call("GET", "/api/consensus/summary?family=SHOES")).status).toBe(404);
    const list = await call("GET", "/api/overrides?cycle=2026-02&sku=GLV-300");
    expect(list.body.overrides.map((o: { id: number }) => o.id)).toEqual([
      skuAtLocation,
      expect.any(Number),
      familyOverride,
    ]);
    const audit = await call("GET", `/api/audit?entity=override&entityId=${skuAtLocation}`);
    expect(audit.body.entries[0]).toMatchObject({ action: "override.accepted", actor: MARKETING });
  });

  it("refuses bad overrides with a reason that says what to do", async () => {
    const base = {
      cycle: "2026-02",
      period: "2026-03",
      sku: "BLT-100",
      units: 10,
      reason: "x",
      person: SALES,
    };
    const ops = await call("POST", "/api/overrides", { ...base, person: OPS });
    expect(ops.status).toBe(403);
    expect(ops.body.error.message).toBe(
      "Oli Ops (U0OPS01) holds neither the sales nor the marketing role; overrides come from Mia Marketing (marketing), Sam Sales (sales)",
    );
    const noReason = await call("POST", "/api/overrides", { ...base, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe("reason: is required: say why the number should change");
    const early = await call("POST", "/api/overrides", { ...base, period: "2026-01" });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/^period: 2026-01 is before the cycle 2026-02/);
    expect((await call("POST", "/api/overrides", { ...base, sku: "NOPE-1" })).status).toBe(404);
    const both = await call("POST", "/api/overrides", { ...base, family: "BOTTLES" });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe("target: name exactly one of family, sku or target");
    const past = await call("POST", "/api/overrides", { ...base, cycle: "2025-12", period: "2026-01" });
    expect(past.status).toBe(409);
    expect(past.body.error.message).toMatch(/the cycle 2025-12 is in the past/);
  });

  it("answers a retry with the same key once, and a reused key for something else with 409", async () => {
    const body = {
      cycle: "2026-02",
      period: "2026-04",
      sku: "CAP-200",
      units: 700,
      reason: "retry test",
      person: MARKETING,
      idempotencyKey: "slack:T1:abc",
    };
    const first = await call("POST", "/api/overrides", body);
    const second = await call("POST", "/api/overrides", body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.override.id).toBe(first.body.override.id);
    const other = await call("POST", "/api/overrides", { ...body, units: 701 });
    expect(other.status).toBe(409);
    expect(
      (await call("GET", "/api/overrides?cycle=2026-02&sku=CAP-200&status=accepted")).body.overrides,
    ).toHaveLength(3);
  });

  it("withdraws an override (its submitter, a planner or an admin) and the cell goes back", async () => {
    const stranger = await call("DELETE", `/api/overrides/${skuAtLocation}`, { person: SALES });
    expect(stranger.status).toBe(403);
    const w = await call("DELETE", `/api/overrides/${skuAtLocation}`, {
      person: PLANNER,
      reason: "duplicate",
    });
    expect(w.status).toBe(200);
    expect(w.body.override).toMatchObject({
      status: "withdrawn",
      withdrawn: { by: PLANNER, reason: "duplicate" },
    });
    expect(w.body.cells).toEqual([
      { sku: "GLV-300", location: "MAIN", before: 100, after: 150, units: 100, share: 1, basis: "single" },
    ]);
    expect((await call("DELETE", `/api/overrides/${skuAtLocation}`, { person: PLANNER })).status).toBe(409);
    // The family's summed plan follows: GLV-300 at MAIN went from 100 to 150, and the family
    // override still decides that cell.
    const summary = await call("GET", "/api/consensus/summary?cycle=2026-02&family=ACCESSORIES");
    expect(summary.body.groups[0].months[0]).toEqual({
      period: "2026-03",
      statistical: 120,
      consensus: 200,
      overridden: 2,
    });
    const p = await call("GET", "/api/consensus/provenance?cycle=2026-02&sku=GLV-300&period=2026-03");
    expect(p.body.decidedBy).toEqual({ kind: "override", overrideId: familyOverride });
    expect(
      p.body.overrides.map((o: { status: string; effective: boolean }) => [o.status, o.effective]),
    ).toEqual([
      ["accepted", true],
      ["withdrawn", false],
    ]);
  });

  it("an override rebuilds only the cells it covers, leaving what a whole-cycle rebuild would", async () => {
    // After the overrides and the withdrawal above, most applied to their own cells only.
    const before = await consensus("2026-02");
    const counts = await db.sql.begin((tx) => rebuildCycleConsensus(tx, "2026-02" as Period));
    expect(counts).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    expect(await consensus("2026-02")).toEqual(before);
  });

  it("locks the plan at the executive sign-off (409), and opens it again when an executive reopens", async () => {
    const before = await consensus("2026-02");
    const sign = await call("POST", "/api/cycles/2026-02/steps/exec/signoffs", {
      person: EXEC,
      decision: "approve",
      idempotencyKey: "exec-approve-1",
    });
    expect(sign.status).toBe(201);
    expect(sign.body.cycle.planLocked).toMatchObject({ by: EXEC });
    const body = {
      cycle: "2026-02",
      period: "2026-03",
      sku: "CAP-200",
      units: 1,
      reason: "late",
      person: SALES,
    };
    const refused = await call("POST", "/api/overrides", body);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      "the consensus plan of 2026-02 is locked by the executive sign-off of Eve Exec; an executive must request changes on the executive step to reopen it",
    );
    expect((await call("DELETE", `/api/overrides/${familyOverride}`, { person: SALES })).status).toBe(409);
    expect((await call("POST", "/api/forecasts/run", { cycle: "2026-02" })).status).toBe(409);
    expect(await consensus("2026-02")).toEqual(before);

    const reopen = await call("POST", "/api/cycles/2026-02/steps/exec/signoffs", {
      person: EXEC,
      decision: "request_changes",
      comment: "one more change from sales",
      idempotencyKey: "exec-reopen-1",
    });
    expect(reopen.status).toBe(201);
    expect(reopen.body.cycle.planLocked).toBeNull();
    const ok = await call("POST", "/api/overrides", body);
    expect(ok.status).toBe(201);
    expect((await consensus("2026-02"))["CAP-200@MAIN 2026-03"]).toBe(1);
  });
});

describe.each(engines)("forecast value added by contributor on %s", (engine) => {
  let db: TestDatabase;
  let call: Call;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      expect(r.errors).toEqual([]);
    }
    const more = [
      "sku,location,period,units,source,cycle",
      "GLV-300,MAIN,2025-08,58,statistical,2025-07",
      "BLT-100,MAIN,2025-08,305,sales,2025-07",
    ].join("\n");
    expect((await importCsv(db.sql, "forecasts", more, { source: "test" })).errors).toEqual([]);
    // Overrides made during the 2025-07 cycle, for 2025-08 (lag 1).
    const { app } = testApp(db, { now: () => new Date("2025-07-08T15:00:00Z") });
    call = caller(app);
    await call("PUT", `/api/people/${SALES}`, { name: "Sam Sales", roles: ["sales"] });
    await call("PUT", `/api/people/${MARKETING}`, { name: "Mia Marketing", roles: ["marketing"] });
    const o = { cycle: "2025-07", period: "2025-08", reason: "input" };
    expect(
      (await call("POST", "/api/overrides", { ...o, sku: "BLT-100", units: 330, person: SALES })).status,
    ).toBe(201);
    expect(
      (await call("POST", "/api/overrides", { ...o, sku: "GLV-300", units: 70, person: MARKETING })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("shows each contributor's accuracy against the statistical forecast on the cells they changed", async () => {
    const r = await call("GET", "/api/kpi/fva?from=2025-08&to=2025-08&lag=1");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // 2025-08, made in 2025-07: actuals BLT-100 310, CAP-200 0, GLV-300 75 (Σ 385);
    // naive (2025-06) 300, 55, 65; statistical 320, 45, 58; consensus 330, 40, 70.
    expect(r.body.total.rows).toBe(3);
    expect(r.body.total.naiveWape).toBeCloseTo(75 / 385, 12);
    expect(r.body.total.statisticalWape).toBeCloseTo(72 / 385, 12);
    expect(r.body.total.consensusWape).toBeCloseTo(65 / 385, 12);
    expect(r.body.total.statisticalToConsensus).toBeCloseTo(7 / 385, 12);
    expect(r.body.periods).toHaveLength(1);
    const by = Object.fromEntries(r.body.contributors.map((c: { id: string }) => [c.id, c]));
    // Sam: BLT-100 330 against 320 (A 310): WAPE 20/310 against 10/310 → FVA −10/310, bias +20/310.
    expect(by[SALES]).toMatchObject({
      kind: "person",
      name: "Sam Sales",
      roles: ["sales"],
      overrides: 1,
      rows: 1,
    });
    expect(by[SALES].fva).toBeCloseTo(-10 / 310, 12);
    expect(by[SALES].bias).toBeCloseTo(20 / 310, 12);
    // Mia: GLV-300 70 against 58 (A 75): 5/75 against 17/75 → FVA +12/75.
    expect(by[MARKETING].fva).toBeCloseTo(12 / 75, 12);
    expect(by[MARKETING].contributorWape).toBeCloseTo(5 / 75, 12);
    // The imported sales input: BLT-100 305 against 320 → FVA (10 − 5)/310.
    expect(by.sales).toMatchObject({ kind: "source", name: "Sales input (imported)", overrides: 0 });
    expect(by.sales.fva).toBeCloseTo(5 / 310, 12);
    // Worst first.
    expect(r.body.contributors.map((c: { id: string }) => c.id)).toEqual([SALES, "sales", MARKETING]);
  });
});
