/**
 * The API on the demo company, through the typed client (as the bot and the jobs call it), on
 * each engine: every KPI endpoint answers with figures that hang together, the cycle is in the
 * state the demo promises, and the deliberate situations show up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, inProcessClient } from "../../api/client.js";
import { loadDemoCompany } from "../../api/demo-company.js";
import { createLogger } from "../../api/logger.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

// 2026-11-20 09:00 in Denver: the exec step (due the 20th) is not yet past due; pre (17th) is.
const NOW = new Date("2026-11-20T16:00:00Z");

describe.each(engines)("the demo company through the typed client on %s", (engine) => {
  let db: TestDatabase;
  let client: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const { app } = testApp(db, { now: () => NOW });
    await loadDemoCompany(db, app, createLogger("silent"), { anchor: "2026-11", now: NOW });
    client = inProcessClient(app);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  /** The 200 variant of a typed client response, failing the test on any other status. */
  const ok = async <R extends { status: number; json(): Promise<unknown> }>(
    res: R,
  ): Promise<Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>> => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    return body as Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>;
  };

  it("summary: P is October, figures and their changes, the cycle with one step overdue", async () => {
    const s = await ok(await client.api.kpi.summary.$get());
    expect(s.lastPeriod).toBe("2026-10");
    expect(s.figures.accuracy.value).toBeGreaterThan(0.5);
    expect(s.figures.accuracy.change).not.toBeNull();
    expect(s.figures.turns.value).toBeGreaterThan(1);
    expect(s.figures.highRiskCount.value).toBeGreaterThanOrEqual(5);
    expect(s.figures.capacityGapUnits.value).toBeGreaterThan(0);
    expect(s.cycle).toMatchObject({ month: "2026-11", status: "open", overdue: 1, planLocked: false });
    expect(s.cycle?.nextStep?.key).toBe("pre");
  });

  it("accuracy: the over-forecast family shows a positive bias and negative consensus FVA", async () => {
    const a = await ok(await client.api.kpi.accuracy.$get({ query: {} }));
    expect(a.periods).toHaveLength(12);
    const coolers = a.byFamily.find((f) => f.family === "COOLERS");
    expect(coolers?.bias).toBeGreaterThan(0.15);
    expect(coolers?.fva.statisticalToConsensus).toBeLessThan(0);
    expect(a.worst.length).toBeGreaterThan(0);
    const lag3 = await ok(await client.api.kpi.accuracy.$get({ query: { lag: "3", family: "BOTTLES" } }));
    expect(lag3.rows).toBeGreaterThan(0);
  });

  it("accuracy: a family's worst SKU-locations in any window rank as in the company's", async () => {
    // Within a family the ranking reads forecasts SKU by SKU; company-wide it reads them by lag
    // and period: the two must rank the same lines with the same figures.
    for (const [lag, months, location] of [
      ["3", "6", undefined],
      ["2", "9", "EAST"],
    ] as const) {
      const all = await ok(
        await client.api.kpi.accuracy.$get({ query: { lag, months, location, worst: "100" } }),
      );
      const family = await ok(
        await client.api.kpi.accuracy.$get({
          query: { lag, months, location, family: "BOTTLES", worst: "100" },
        }),
      );
      const bottles = new Set(
        (await ok(await client.api.items.$get({ query: { family: "BOTTLES", limit: "500" } }))).items.map(
          (i) => i.sku,
        ),
      );
      // The company's top 100 holds the family's first lines, in the same order.
      const filtered = all.worst.filter((w) => bottles.has(w.sku));
      expect(filtered.length).toBeGreaterThan(3);
      expect(family.worst.slice(0, filtered.length)).toEqual(filtered);
    }
  });

  it("risk, gaps and excess agree with each other", async () => {
    const risk = await ok(await client.api.kpi.risk.$get({ query: { risk: "high", limit: "100" } }));
    expect(risk.items.every((i) => i.risk === "high")).toBe(true);
    expect(risk.total).toBe(risk.counts.high);
    const gaps = await ok(await client.api.kpi.gaps.$get({ query: { limit: "1000" } }));
    const sum = gaps.shortages.reduce((s, i) => s + i.valueAtRisk, 0);
    expect(Math.abs(sum - gaps.totals.valueAtRisk)).toBeLessThan(1e-6);
    expect(gaps.capacity.map((g) => g.family)).toEqual(expect.arrayContaining(["BOTTLES"]));
    const excess = await ok(await client.api.kpi.excess.$get({ query: {} }));
    expect(excess.totals.slowMovingCount).toBeGreaterThan(10);
    expect(excess.totals.excessValue).toBeGreaterThan(0);
  });

  it("turns, segments and one SKU", async () => {
    const t = await ok(await client.api.kpi.turns.$get({ query: {} }));
    expect(t.trend).toHaveLength(12);
    expect(t.byFamily).toHaveLength(8);
    const seg = await ok(await client.api.kpi.segments.$get({ query: {} }));
    expect(Object.values(seg.matrix).reduce((a, b) => a + b, 0)).toBe(150);
    const sku = seg.items[0]!.sku;
    const one = await ok(await client.api.skus[":sku"].$get({ param: { sku }, query: {} }));
    expect(one.item.sku).toBe(sku);
    expect(one.segment?.abc).toBe("A");
    expect(one.locations.length).toBeGreaterThan(0);
    expect(one.history.filter((h) => h.actual !== null)).toHaveLength(12);
  });

  it("the cycle: past-due steps signed, pre overdue, last month's plan locked", async () => {
    const cur = await ok(await client.api.cycles.current.$get());
    const status = Object.fromEntries(cur.cycle.steps.map((s) => [s.key, [s.status, s.overdue]]));
    expect(status).toMatchObject({
      data: ["signed", false],
      demand: ["signed", false],
      supply: ["signed", false],
      pre: ["open", true],
      exec: ["open", false],
    });
    const prev = await ok(await client.api.cycles[":month"].$get({ param: { month: "2026-10" } }));
    expect(prev.cycle.planLocked).not.toBeNull();
    const audit = await ok(await client.api.audit.$get({ query: { entity: "cycle", entityId: "2026-11" } }));
    expect(audit.entries.some((e) => e.action === "signoff.request_changes")).toBe(true);
  });
});
