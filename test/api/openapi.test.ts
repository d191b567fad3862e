import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessClient } from "../../api/client.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db.js";

describe("the OpenAPI document and the typed client", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("embedded");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("is a valid OpenAPI 3.1 document that lists every route", async () => {
    const { app } = testApp(db);
    const res = await app.request("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const paths = Object.keys(doc.paths);
    for (const p of [
      "/healthz",
      "/api/items",
      "/api/imports/{kind}",
      "/api/kpi/accuracy",
      "/api/kpi/risk",
      "/api/skus/{sku}",
      "/api/forecasts/run",
      "/api/forecasts",
      "/api/overrides",
      "/api/consensus/provenance",
      "/api/consensus/summary",
      "/api/kpi/fva",
      "/api/scenarios",
    ]) {
      expect(paths).toContain(p);
    }
    expect(doc.components.schemas.RiskItem.properties.valueAtRisk).toBeDefined();
  });

  it("the client calls routes in-process with types, auth and validation", async () => {
    const token = "0123456789abcdef-token";
    const { app } = testApp(db, { env: { SOP_API_TOKEN: token } });
    const anonymous = inProcessClient(app);
    expect((await anonymous.api.items.$get({ query: {} })).status).toBe(401);
    const client = inProcessClient(app, { token });
    const res = await client.api.items.$get({ query: { limit: "5" } });
    expect(res.status).toBe(200);
    if (res.status === 200) {
      const body = await res.json();
      expect(body).toEqual({ items: [], total: 0, limit: 5, offset: 0 });
    }
    const bad = await client.api.items.$get({ query: { limit: "0" } });
    expect(bad.status).toBe(400);
  });
});
