import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMigrations } from "../../db/migrate.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const tiny = (kind: string) => readFileSync(new URL(`../fixtures/tiny/${kind}.csv`, import.meta.url), "utf8");

describe.each(engines)("API foundation on %s", (engine) => {
  let db: TestDatabase;
  let app: ReturnType<typeof testApp>["app"];
  const post = (kind: string, body: string, query = "") =>
    app.request(`/api/imports/${kind}${query}`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body,
    });

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    ({ app } = testApp(db));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("GET /healthz reports the database and the schema version", async () => {
    const latest = loadMigrations().at(-1)!.version;
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      version: "test",
      database: {
        kind: "embedded" === engine ? "embedded" : "server",
        reachable: true,
        migrations: { current: latest, latest },
      },
    });
  });

  it("POST /api/imports/:kind imports a CSV body and GET /api/items lists it", async () => {
    const res = await post("items", tiny("items"), "?fileName=items.csv");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      import: {
        kind: "items",
        status: "succeeded",
        rows: 3,
        inserted: 3,
        updated: 0,
        unchanged: 0,
        deleted: 0,
      },
    });
    const items = await (await app.request("/api/items?family=ACCESSORIES")).json();
    expect(items).toEqual({
      items: [
        {
          sku: "CAP-200",
          name: "Spare cap",
          family: "ACCESSORIES",
          unitCost: 1,
          unitPrice: 3,
          leadTimeDays: 20,
          serviceLevel: 0.9,
        },
        {
          sku: "GLV-300",
          name: "Grip gloves",
          family: "ACCESSORIES",
          unitCost: 6,
          unitPrice: 15,
          leadTimeDays: 60,
          serviceLevel: 0.95,
        },
      ],
      total: 2,
      limit: 100,
      offset: 0,
    });
    const page = await (await app.request("/api/items?limit=1&offset=1")).json();
    expect(page).toMatchObject({ items: [{ sku: "CAP-200" }], total: 3, limit: 1, offset: 1 });
  });

  it("answers a bad CSV with 422 and every bad row; nothing is written", async () => {
    const res = await post(
      "sales",
      "sku,period,units\nBLT-100,2025-01,5\nBLT-100,2025-02,-1\nZZZ,2025-03,1\n",
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error).toMatchObject({
      code: "unprocessable",
      message: "sales.csv has 2 bad rows; nothing was written",
      details: {
        errorCount: 2,
        errors: [
          { line: 3, column: "units", value: "-1", reason: "must not be negative" },
          { line: 4, column: "sku", value: "ZZZ", reason: expect.stringMatching(/not a known SKU/) },
        ],
      },
    });
    const [c] = await db.sql`select count(*) as n from sales`;
    expect(c!.n).toBe(0);
    const runs = await (await app.request("/api/imports?kind=sales")).json();
    expect(runs.runs[0]).toMatchObject({ kind: "sales", status: "failed", errorCount: 2 });
    const one = await (await app.request(`/api/imports/${body.error.details.runId}`)).json();
    expect(one.run.errors).toHaveLength(2);
  });

  it("answers 409 for consensus forecasts of a locked cycle", async () => {
    await db.sql`insert into cycles (month, timezone, plan_locked_at) values ('2026-01-01', 'UTC', now())`;
    const res = await post(
      "forecasts",
      "sku,period,units,source,cycle\nBLT-100,2026-02,1,consensus,2026-01\n",
    );
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/locked by the executive sign-off/);
  });

  it("validates parameters with a 400 that names the parameter", async () => {
    const res = await app.request("/api/items?limit=0");
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request");
    expect(body.error.details.problems[0].parameter).toBe("limit");
    expect((await app.request("/api/imports/widgets", { method: "POST", body: "x" })).status).toBe(400);
    expect((await app.request("/api/imports/999999")).status).toBe(404);
  });

  it("answers a body that is not JSON with 400 in the error format", async () => {
    const res = await app.request("/api/people/U0TEST1", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("bad_request");
  });

  it("answers unknown addresses with 404 in the error format", async () => {
    const res = await app.request("/api/nope");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });

  it("requires the bearer token when SOP_API_TOKEN is set, but not for /healthz", async () => {
    const token = "a-long-enough-secret-token";
    const { app: secured } = testApp(db, { env: { SOP_API_TOKEN: token } });
    expect((await secured.request("/api/items")).status).toBe(401);
    expect((await secured.request("/api/items", { headers: { authorization: "Bearer wrong" } })).status).toBe(
      401,
    );
    const ok = await secured.request("/api/items", { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect((await secured.request("/healthz")).status).toBe(200);
  });

  it("recomputes the plan in the background after an import through the API", async () => {
    const state = async () => {
      const [s] = await db.sql<{ version: number; planVersion: number }[]>`
        select version, plan_version from data_state`;
      return s!;
    };
    const res = await post("sales", tiny("sales"));
    expect(res.status).toBe(200);
    const { version } = await state();
    // No KPI request is made: the refresh the import started brings the plan up to date.
    for (let i = 0; i < 200 && (await state()).planVersion < version; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await state()).toEqual({ version, planVersion: version });
  });
});
