/**
 * Sales against plan (GET /api/kpi/variance) on the tiny example, hand-worked. In 2025-12 the
 * plan the month started with is cycle 2025-11's consensus (lag 1): BLT-100 270, CAP-200 45,
 * GLV-300 65; the actuals are 280, 0 and 65.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tiny/${f}`, import.meta.url), "utf8");

describe.each(engines)("sales against plan on the tiny example (%s)", (engine) => {
  let db: TestDatabase;
  // 2026-01-16 in UTC (the tiny company's zone): 15 of January's 31 days have gone by.
  const now = new Date("2026-01-16T12:00:00Z");
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes, pinned by the assertions
  let get: (path: string) => Promise<{ status: number; body: any }>;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, fixture(`${kind}.csv`), { source: "test" });
      expect(r.errors).toEqual([]);
    }
    const { app } = testApp(db, { now: () => now });
    get = async (path) => {
      const res = await app.request(path);
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(async () => {
    await db?.close();
  });

  it("P by default: ACCESSORIES 65 vs 110 planned is −40.9%; BOTTLES +3.7% is within ±20%", async () => {
    const { status, body } = await get("/api/kpi/variance");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      period: "2025-12",
      closed: true,
      elapsed: 1,
      threshold: 0.2,
      hasActuals: true,
    });
    expect(body.total.actualUnits).toBe(345);
    expect(body.total.planUnits).toBe(380);
    expect(body.total.deviation).toBeCloseTo(345 / 380 - 1, 10); // −0.0921
    expect(body.total.flagged).toBe(false);
    expect(body.families).toEqual([
      {
        family: "ACCESSORIES",
        actualUnits: 65,
        planUnits: 110,
        planToDate: 110,
        deviation: expect.closeTo(65 / 110 - 1, 10), // −0.4091
        flagged: true,
        unplannedUnits: 0,
        flaggedItems: 0,
      },
      {
        family: "BOTTLES",
        actualUnits: 280,
        planUnits: 270,
        planToDate: 270,
        deviation: expect.closeTo(280 / 270 - 1, 10), // +0.0370
        flagged: false,
        unplannedUnits: 0,
        flaggedItems: 0,
      },
    ]);
    // CAP-200 (−100%) is a C-item; the A-items BLT-100 and GLV-300 are within ±20%.
    expect(body.items).toEqual([]);
  });

  it("a lower threshold flags the A-item BLT-100; another month and a family filter", async () => {
    const tight = (await get("/api/kpi/variance?threshold=0.03")).body;
    expect(tight.items).toEqual([
      expect.objectContaining({
        sku: "BLT-100",
        family: "BOTTLES",
        actualUnits: 280,
        planUnits: 270,
        flagged: true,
      }),
    ]);
    expect(tight.families.find((f: { family: string }) => f.family === "BOTTLES")).toMatchObject({
      flagged: true,
      flaggedItems: 1,
    });
    // November: cycle 2025-10's consensus, 250 + 55 + 60 = 365 against 240 + 40 + 70 = 350.
    const nov = (await get("/api/kpi/variance?period=2025-11&family=ACCESSORIES")).body;
    expect(nov.total).toMatchObject({ actualUnits: 110, planUnits: 115 });
    expect(nov.total.deviation).toBeCloseTo(110 / 115 - 1, 10);
    expect(nov.families.map((f: { family: string }) => f.family)).toEqual(["ACCESSORIES"]);
  });

  it("the month in progress: January is 15/31 gone, has no sales and no plan made before it", async () => {
    const { body } = await get("/api/kpi/variance?period=2026-01");
    expect(body).toMatchObject({ period: "2026-01", closed: false, hasActuals: false });
    expect(body.elapsed).toBeCloseTo(15 / 31, 10);
    // The tiny plan was made in January itself (lag 0): the month started without one.
    expect(body.total).toMatchObject({ actualUnits: 0, planUnits: 0, deviation: null, flagged: false });
  });

  it("answers 400 for a bad threshold or month, 404 for an unknown family", async () => {
    expect((await get("/api/kpi/variance?threshold=0")).status).toBe(400);
    expect((await get("/api/kpi/variance?threshold=20%25")).status).toBe(400);
    expect((await get("/api/kpi/variance?period=2025-13")).status).toBe(400);
    const unknown = await get("/api/kpi/variance?family=TENTS");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("there is no family TENTS");
  });
});
