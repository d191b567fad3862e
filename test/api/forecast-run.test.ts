/**
 * The statistical forecast run end to end, on each engine: the tiny example's history in, the
 * models' forecasts stored as the cycle's statistical rows (replacing earlier ones), the models
 * and backtest errors kept, the consensus rebuilt on top, the KPIs' FVA reading the new rows,
 * and the export reading back through the import unchanged.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forecastSeries } from "../../api/domain/forecast/index.js";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { insertForecastRun } from "../../db/repositories/forecast-runs.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tiny/${f}`, import.meta.url), "utf8");

/** The tiny example's monthly units per SKU, 2025-01 … 2025-12. */
function history(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of fixture("sales.csv").trim().split("\n").slice(1)) {
    const [sku, , period, units] = line.split(",");
    const list = out.get(sku!) ?? new Array<number>(12).fill(0);
    list[Number(period!.slice(5, 7)) - 1] = Number(units);
    out.set(sku!, list);
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

describe.each(engines)("forecast runs on %s", (engine) => {
  let db: TestDatabase;
  let app: ReturnType<typeof testApp>["app"];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      expect(r.errors).toEqual([]);
    }
    ({ app } = testApp(db, { now: () => new Date("2026-01-10T12:00:00Z") }));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("forecasts every active SKU-location from the history before the cycle and stores the models", async () => {
    const res = await call("POST", "/api/forecasts/run", { cycle: "2026-01", actor: "tester" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const run = res.body.run;
    expect(run).toMatchObject({
      cycle: "2026-01",
      horizon: 12,
      status: "succeeded",
      historyTo: "2025-12",
      series: 3,
      done: 3,
      rows: 36,
      workers: 0,
      actor: "tester",
    });

    const rows = await call("GET", "/api/forecasts?source=statistical&cycle=2026-01&limit=100");
    expect(rows.body.total).toBe(36);
    const h = history();
    for (const [sku, values] of h) {
      const expected = forecastSeries(values, { horizon: 12 });
      const mine = rows.body.rows.filter((r: { sku: string }) => r.sku === sku);
      expect(mine.map((r: { period: string }) => r.period)).toEqual(
        Array.from({ length: 12 }, (_, k) => `2026-${String(k + 1).padStart(2, "0")}`),
      );
      expect(mine.map((r: { units: number }) => r.units)).toEqual(expected.forecast.map(round2));
      expect(mine.every((r: { lag: number; location: string }) => r.location === "MAIN")).toBe(true);

      // The model and its backtest error are kept with the number.
      const p = await call("GET", `/api/consensus/provenance?cycle=2026-01&sku=${sku}&period=2026-09`);
      expect(p.status).toBe(200);
      expect(p.body.statistical).toMatchObject({
        units: round2(expected.forecast[8]!),
        method: expected.model,
        members: expected.members,
        backtestError: expected.backtestError,
        run: { id: run.id, actor: "tester", source: "api" },
      });
      // No consensus was imported for 2026-09: the consensus is the statistical forecast.
      expect(p.body.consensus).toBe(round2(expected.forecast[8]!));
      expect(p.body.decidedBy).toEqual({ kind: "statistical", runId: run.id });
    }
  });

  it("keeps an imported consensus on top of the new statistical forecast", async () => {
    // examples/tiny imports a consensus for 2026-01 … 2026-06 made in 2026-01.
    const p = await call(
      "GET",
      "/api/consensus/provenance?cycle=2026-01&sku=BLT-100&location=MAIN&period=2026-04",
    );
    expect(p.body.consensus).toBe(270);
    expect(p.body.decidedBy.kind).toBe("import");
    expect(p.body.imported).toMatchObject({ units: 270, fileName: null });
    const page = await call("GET", "/api/consensus?cycle=2026-01&sku=BLT-100");
    const line = page.body.lines[0];
    expect(line.months).toHaveLength(12);
    expect(line.months.slice(0, 6).map((m: { consensus: number }) => m.consensus)).toEqual([
      210, 220, 240, 270, 300, 330,
    ]);
    expect(line.months.map((m: { basis: string }) => m.basis)).toEqual([
      ...new Array(6).fill("import"),
      ...new Array(6).fill("statistical"),
    ]);
    // So the plan's risk figures are still DOMAIN's worked example.
    const risk = await call("GET", "/api/kpi/gaps?sku=BLT-100");
    expect(risk.body.shortages[0]).toMatchObject({ sku: "BLT-100", shortageUnits: 890, valueAtRisk: 8900 });
  });

  it("replaces the cycle's statistical rows on a second run", async () => {
    const again = await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 6 });
    expect(again.status).toBe(200);
    expect(again.body.run.rows).toBe(18);
    const rows = await call("GET", "/api/forecasts?source=statistical&cycle=2026-01&limit=100");
    expect(rows.body.total).toBe(18);
    // The consensus months 7–12 came from the first run's statistical rows: gone with them.
    expect(again.body.run.consensus).toMatchObject({ deleted: 18, inserted: 0 });
    const runs = await call("GET", "/api/forecasts/runs?cycle=2026-01");
    expect(runs.body.runs.map((r: { rows: number }) => r.rows)).toEqual([18, 36]);
  });

  it("exports in the import format, and the export reads back unchanged", async () => {
    const csv = await call("GET", "/api/forecasts/export.csv?source=statistical&cycle=2026-01");
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).trim().split("\n");
    expect(lines[0]).toBe("sku,location,period,units,source,cycle");
    expect(lines).toHaveLength(19);
    expect(lines[1]).toMatch(/^BLT-100,MAIN,2026-01,[\d.]+,statistical,2026-01$/);
    const back = await importCsv(db.sql, "forecasts", csv.body as string, { source: "test" });
    expect(back).toMatchObject({ status: "succeeded", rows: 18, inserted: 0, updated: 0, unchanged: 18 });
  });

  it("a run for a past cycle sees only the history before it, and the accuracy KPIs show its FVA", async () => {
    const res = await call("POST", "/api/forecasts/run", { cycle: "2025-07" });
    expect(res.status).toBe(200);
    expect(res.body.run).toMatchObject({ historyTo: "2025-06", series: 3, rows: 36 });
    const h = history();
    const stat = new Map<string, number>();
    for (const [sku, values] of h) {
      stat.set(sku, round2(forecastSeries(values.slice(0, 6), { horizon: 12 }).forecast[1]!));
    }
    // Target 2025-08 at lag 1 (made in 2025-07): actuals 310, 0, 75; consensus 300, 40, 60;
    // naive (2025-06): 300, 55, 65.
    const actual = { "BLT-100": 310, "CAP-200": 0, "GLV-300": 75 } as Record<string, number>;
    const statAbs = [...stat].reduce((s, [sku, f]) => s + Math.abs(f - actual[sku]!), 0);
    const acc = await call("GET", "/api/kpi/accuracy?from=2025-08&to=2025-08&lag=1");
    expect(acc.status).toBe(200);
    expect(acc.body.fva.rows).toBe(3);
    expect(acc.body.fva.naiveWape).toBeCloseTo((10 + 55 + 10) / 385, 10);
    expect(acc.body.fva.consensusWape).toBeCloseTo((10 + 40 + 15) / 385, 10);
    expect(acc.body.fva.statisticalWape).toBeCloseTo(statAbs / 385, 10);
    expect(acc.body.fva.naiveToStatistical).toBeCloseTo((75 - statAbs) / 385, 10);
  });

  it("refuses a bad horizon, and a cycle with no sales in the year before", async () => {
    expect((await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 25 })).status).toBe(400);
    const none = await call("POST", "/api/forecasts/run", { cycle: "2030-01" });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toBe(
      "no SKU-location sold anything in the 12 months before 2030-01 (the sales history ends in 2025-12)",
    );
    const runs = await call("GET", "/api/forecasts/runs?cycle=2030-01");
    expect(runs.body.runs[0]).toMatchObject({ status: "failed", rows: 0 });
  });

  it("answers at once with wait: false, and the run's progress can be followed", async () => {
    const started = await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 6, wait: false });
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ status: "running", cycle: "2026-01", horizon: 6 });
    let run = started.body.run;
    for (let i = 0; i < 200 && run.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await call("GET", `/api/forecasts/runs/${run.id}`)).body.run;
    }
    expect(run).toMatchObject({ status: "succeeded", series: 3, done: 3, rows: 18 });
    expect(run.timings.total).toBeGreaterThan(0);
  });

  it("runs one at a time, and takes over a run its process left behind", async () => {
    const id = await insertForecastRun(db.sql, {
      cycle: "2026-05-01",
      horizon: 12,
      source: "cli",
      actor: null,
    });
    const busy = await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 6 });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe(
      `a forecast run is in progress: run #${id} for 2026-05 (0 of 0 series done); wait for it to finish`,
    );
    // The same run, as if its process had died (no process has this id).
    await db.sql`update forecast_runs set pid = 2147483646 where id = ${id!}`;
    expect((await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 6 })).status).toBe(200);
    expect((await call("GET", `/api/forecasts/runs/${id}`)).body.run).toMatchObject({
      status: "interrupted",
      message: "the process running this forecast stopped before it finished; nothing of it was written",
    });
  });

  it("on a locked plan, runs only when no consensus number would change", async () => {
    await call("PUT", "/api/people/U0EXEC01", { name: "Eve Exec", roles: ["executive"] });
    expect((await call("POST", "/api/cycles", { month: "2026-01" })).status).toBe(201);
    const lock = await call("POST", "/api/cycles/2026-01/steps/exec/signoffs", {
      person: "U0EXEC01",
      decision: "approve",
      idempotencyKey: "lock-2026-01",
    });
    expect(lock.body.cycle.planLocked).not.toBeNull();
    // 2026-01's consensus is imported for January–June: 12 months would add six per SKU.
    const refused = await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 12 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      "the consensus plan of 2026-01 is locked by the executive sign-off of Eve Exec; an executive must request changes on the executive step to reopen it; this run would change 18 of its consensus numbers",
    );
    expect((await call("GET", "/api/forecasts?source=statistical&cycle=2026-01")).body.total).toBe(18);
    // Six months rest entirely on the imported consensus: the statistical forecast may change.
    const ok = await call("POST", "/api/forecasts/run", { cycle: "2026-01", horizon: 6 });
    expect(ok.status).toBe(200);
    expect(ok.body.run.consensus).toEqual({ inserted: 0, updated: 0, deleted: 0 });
  });
});
