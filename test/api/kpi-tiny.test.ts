/**
 * The worked example of DOMAIN.md through the HTTP API: every figure of
 * test/fixtures/tiny/expected.json, to 4 decimals, on each engine.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rankedItems } from "../../api/services/inventory-risk.js";
import { kpiContext } from "../../api/services/kpi-context.js";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tiny/${f}`, import.meta.url), "utf8");
const expected = JSON.parse(fixture("expected.json"));

/** Same keys as `want` (extra keys in `got` allowed), numbers equal to 4 decimals. */
function expectClose(got: unknown, want: unknown, path = "$"): void {
  if (typeof want === "number") {
    expect(typeof got, path).toBe("number");
    expect(Math.abs((got as number) - want), `${path}: ${got} vs ${want}`).toBeLessThan(0.5e-4 + 1e-9);
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got), path).toBe(true);
    expect((got as unknown[]).length, path).toBe(want.length);
    want.forEach((w, i) => {
      expectClose((got as unknown[])[i], w, `${path}[${i}]`);
    });
  } else if (want !== null && typeof want === "object") {
    for (const [k, v] of Object.entries(want))
      expectClose((got as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    expect(got, path).toBe(want);
  }
}

describe.each(engines)("the tiny example through the API on %s", (engine) => {
  let db: TestDatabase;
  let get: (path: string) => Promise<Record<string, unknown> & { [k: string]: any }>;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      expect(r.errors).toEqual([]);
    }
    const { app } = testApp(db);
    get = async (path) => {
      const res = await app.request(path);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };
  });
  afterAll(async () => {
    await db?.close();
  });

  it("states the last period and when data was imported", async () => {
    const body = await get("/api/kpi/accuracy");
    expect(body.lastPeriod).toBe(expected.lastPeriod);
    expect(body.from).toBe("2025-01");
    expect(body.to).toBe("2025-12");
    expect(new Date(body.lastImportedAt).getTime()).toBeGreaterThan(Date.now() - 600_000);
    expect(Object.keys(body.imports).sort()).toEqual([...IMPORT_KINDS].sort());
  });

  it("accuracy: total and by family, with FVA", async () => {
    const body = await get("/api/kpi/accuracy");
    expectClose(body, expected.accuracyTotal);
    for (const [family, figures] of Object.entries(expected.families) as [string, { accuracy: unknown }][]) {
      expectClose(
        body.byFamily.find((f: { family: string }) => f.family === family),
        figures.accuracy,
        family,
      );
      const scoped = await get(`/api/kpi/accuracy?family=${family}`);
      expectClose(scoped, figures.accuracy, `?family=${family}`);
    }
  });

  it("accuracy for one SKU (computed live) adds up to the total (from the stored cells)", async () => {
    const total = await get("/api/kpi/accuracy");
    let rows = 0;
    let actual = 0;
    let absError = 0;
    for (const sku of ["BLT-100", "CAP-200", "GLV-300"]) {
      const one = await get(`/api/kpi/accuracy?sku=${sku}`);
      rows += one.rows;
      actual += one.actualUnits;
      absError += one.absError;
    }
    expect(rows).toBe(total.rows);
    expectClose(actual, total.actualUnits);
    expectClose(absError, total.absError);
    const lag2 = await get("/api/kpi/accuracy?lag=2&worst=3");
    expect(lag2.rows).toBe(0);
  });

  it("a horizon other than the default is computed live and agrees where the months overlap", async () => {
    const six = await get("/api/kpi/risk?sku=BLT-100");
    const twelve = await get("/api/kpi/risk?sku=BLT-100&horizon=12");
    expect(twelve.items[0].projection).toHaveLength(12);
    expectClose(twelve.items[0].projection.slice(0, 6), six.items[0].projection);
  });

  it("a live horizon is kept for the data version and recomputed after an import", async () => {
    const fresh = await createTestDatabase(engine);
    try {
      for (const kind of IMPORT_KINDS)
        await importCsv(fresh.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      const { app } = testApp(fresh);
      const risk12 = async () => {
        const res = await app.request("/api/kpi/risk?horizon=12");
        expect(res.status).toBe(200);
        return (await res.json()) as { items: { sku: string; projection: { supply: number }[] }[] };
      };
      const supplyOf = (body: Awaited<ReturnType<typeof risk12>>, sku: string) =>
        body.items
          .filter((i) => i.sku === sku)
          .reduce((s, i) => s + i.projection.reduce((t, m) => t + m.supply, 0), 0);
      const before = await risk12();
      expect(supplyOf(before, "CAP-200")).toBe(0);
      // The same version: one computation, kept without its projections; the answers still
      // carry them, re-projected for the lines shown.
      const ctx = await kpiContext(fresh.sql);
      const p = ctx.lastPeriod!;
      const once = await rankedItems(fresh.sql, {}, 12, p, ctx.dataVersion);
      expect(await rankedItems(fresh.sql, {}, 12, p, ctx.dataVersion)).toBe(once);
      expect(await rankedItems(fresh.sql, {}, 12, p, ctx.dataVersion + 1)).not.toBe(once);
      expect(once.some((i) => "projection" in i)).toBe(false);
      expect(before.items.every((i) => i.projection.length === 12)).toBe(true);
      expect(await risk12()).toEqual(before);
      // An import bumps the version: the next read sees the new open supply.
      const supply = `${fixture("supply.csv").trimEnd()}\nCAP-200,MAIN,2026-04-01,500,purchase,PO-7800\n`;
      expect(await importCsv(fresh.sql, "supply", supply, { source: "test" })).toMatchObject({
        status: "succeeded",
      });
      expect(supplyOf(await risk12(), "CAP-200")).toBe(500);
    } finally {
      await fresh.close();
    }
  });

  it("turns: total and by family", async () => {
    const body = await get("/api/kpi/turns");
    expectClose(body, expected.turnsTotal);
    for (const [family, figures] of Object.entries(expected.families) as [string, { turns: unknown }][]) {
      expectClose(
        body.byFamily.find((f: { family: string }) => f.family === family),
        figures.turns,
        family,
      );
    }
  });

  it("risk: every SKU-location's projection and risk figures", async () => {
    const body = await get("/api/kpi/risk");
    expect(body.items.map((i: { sku: string }) => i.sku)).toEqual(["GLV-300", "BLT-100", "CAP-200"]);
    for (const want of expected.risk) {
      expectClose(
        body.items.find((i: { sku: string }) => i.sku === want.sku),
        want,
        want.sku,
      );
    }
    const high = await get("/api/kpi/risk?risk=high");
    expect(high.items.map((i: { sku: string }) => i.sku)).toEqual(["GLV-300"]);
  });

  it("gaps: shortages by value at risk and the BOTTLES capacity gaps", async () => {
    const body = await get("/api/kpi/gaps");
    expect(body.shortages.map((i: { sku: string }) => i.sku)).toEqual(["BLT-100", "GLV-300", "CAP-200"]);
    expectClose(body.capacity, expected.capacityGaps);
    expectClose(body.totals, {
      shortageUnits: 890 + 160 + 65,
      valueAtRisk: 8900 + 2400 + 195,
      capacityGapUnits: 150,
    });
  });

  it("excess and segments", async () => {
    const excess = await get("/api/kpi/excess");
    expect(excess.items).toEqual([]);
    const seg = await get("/api/kpi/segments");
    for (const want of Object.values(expected.segments) as { sku: string }[]) {
      expectClose(
        seg.items.find((i: { sku: string }) => i.sku === want.sku),
        want,
        want.sku,
      );
    }
    expect(seg.matrix).toMatchObject({ AX: 2, CY: 1 });
  });

  it("one SKU: item, projection, history by lag, supply, segment", async () => {
    const body = await get("/api/skus/BLT-100");
    const want = expected.risk.find((r: { sku: string }) => r.sku === "BLT-100");
    expectClose(body.locations[0], want);
    expect(body.item).toMatchObject({ sku: "BLT-100", family: "BOTTLES" });
    expect(body.segment).toMatchObject({ abc: "A", xyz: "X" });
    expect(body.openSupply).toEqual([
      { location: "MAIN", due: "2026-02-15", units: 300, type: "purchase", reference: "PO-7781" },
    ]);
    const dec = body.history.find((h: { period: string }) => h.period === "2025-12");
    expect(dec).toMatchObject({ actual: 280, forecasts: { "1": 270 }, statistical: 260, plan: null });
    const jan = body.history.find((h: { period: string }) => h.period === "2026-01");
    expect(jan).toMatchObject({ actual: null, plan: 210 });
  });

  it("summary: headline figures", async () => {
    const body = await get("/api/kpi/summary");
    expectClose(body.figures.accuracy.value, expected.accuracyTotal.accuracy);
    expectClose(body.figures.turns.value, expected.turnsTotal.turns);
    expect(body.figures.highRiskCount.value).toBe(1);
    expectClose(body.figures.valueAtRisk.value, 11495);
    expectClose(body.figures.capacityGapUnits.value, 150);
  });

  it("answers 404 for an unknown SKU or family, and 400 for a bad parameter", async () => {
    const { app } = testApp(db);
    expect((await app.request("/api/skus/NOPE")).status).toBe(404);
    expect((await app.request("/api/kpi/risk?family=SHOES")).status).toBe(404);
    const bad = await app.request("/api/kpi/accuracy?lag=x");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.problems[0].parameter).toBe("lag");
    expect((await app.request("/api/kpi/accuracy?from=2025-06&to=2025-01")).status).toBe(400);
  });
});
