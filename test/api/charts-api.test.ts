/**
 * GET /api/charts/:name.(json|png) on the tiny example: each chart built from the same numbers
 * as the KPI answers, and drawn to a real PNG.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeChartRenderer } from "../../api/charts/index.js";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db.js";
import { canvasLoads, pixelStats, pngSize } from "./charts/helpers.js";

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tiny/${f}`, import.meta.url), "utf8");

describe("chart routes on the tiny example", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof testApp>["app"];

  beforeAll(async () => {
    db = await createTestDatabase("embedded");
    for (const kind of IMPORT_KINDS)
      await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
    ({ app } = testApp(db, { now: () => new Date("2026-01-12T10:00:00Z") }));
    const opened = await app.request("/api/cycles", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ month: "2026-01" }),
    });
    expect(opened.status).toBe(201);
  });
  afterAll(async () => {
    await closeChartRenderer();
    await db?.close();
  });

  const json = async (path: string) => {
    const res = await app.request(path);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  };

  it("forecast vs actual: the lag-1 history and the plan, accuracy in the title", async () => {
    const body = await json("/api/charts/forecast-vs-actual.json");
    const { config } = body;
    expect(config.data.labels).toHaveLength(18); // 12 closed months + 6 of plan
    const title = JSON.stringify(config.options.plugins.title);
    expect(title).toContain("88.3%"); // accuracy 0.8827 (expected.json)
    const [actual, forecast] = config.data.datasets;
    // Every month's sales: ΣA of the forecast rows (3835, expected.json) plus January 2025's 290,
    // sold before the first lag-1 forecast, which the forecast line leaves empty.
    expect(actual.data[0]).toBe(290);
    expect(forecast.data[0]).toBeNull();
    expect(actual.data.slice(0, 12).reduce((s: number, v: number) => s + v, 0)).toBe(3835 + 290);
    expect(forecast.data.slice(0, 12).reduce((s: number, v: number) => s + v, 0)).toBe(3915); // ΣF
  });

  it("value at risk by family and capacity against demand", async () => {
    const risk = await json("/api/charts/value-at-risk.json");
    const bars = risk.config.data.datasets[0].data;
    expect([...bars].sort((a: number, b: number) => b - a)).toEqual([8900, 2400 + 195]);
    const cap = await json("/api/charts/capacity-vs-demand.json?family=BOTTLES");
    expect(JSON.stringify(cap.config)).toContain("BOTTLES");
  });

  it("cycle timeline and inventory trend", async () => {
    const t = await json("/api/charts/cycle-timeline.json");
    expect(JSON.stringify(t.config)).toContain("Executive S&OP");
    // The title counts the steps that take a sign-off, as the cycle's progress does (the
    // execution step takes none: five of DOMAIN.md's six steps).
    const { cycle } = await json("/api/cycles/current");
    expect(cycle.steps).toHaveLength(6);
    expect(cycle.progress.total).toBe(5);
    expect(t.config.options.plugins.title.text).toBe(
      `S&OP cycle January 2026 — ${cycle.progress.signed} of 5 steps signed${
        cycle.progress.overdue > 0 ? `, ${cycle.progress.overdue} overdue` : ""
      }`,
    );
    const inv = await json("/api/charts/inventory-trend.json?family=ACCESSORIES");
    expect(inv.config.data.labels).toHaveLength(12);
  });

  it("answers 400 for an unknown chart and 404 for an unknown family", async () => {
    expect((await app.request("/api/charts/pie.png")).status).toBe(400);
    expect((await app.request("/api/charts/value-at-risk.json?family=SHOES")).status).toBe(404);
  });

  it.runIf(canvasLoads() || process.env.CI)("draws each chart as a PNG at twice its size", async () => {
    for (const name of [
      "forecast-vs-actual",
      "inventory-trend",
      "value-at-risk",
      "capacity-vs-demand",
      "cycle-timeline",
    ]) {
      const res = await app.request(`/api/charts/${name}.png`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await res.arrayBuffer());
      expect(pngSize(png), name).toEqual({ width: 1600, height: 800 });
      const stats = await pixelStats(png);
      expect(stats.inked / stats.pixels, name).toBeGreaterThan(0.02);
      expect(stats.colours, name).toBeGreaterThan(5);
    }
  });
});
