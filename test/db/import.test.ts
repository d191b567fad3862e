import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const tiny = (kind: string) => readFileSync(new URL(`../fixtures/tiny/${kind}.csv`, import.meta.url));

describe.each(engines)("CSV import on %s", (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("imports every kind of the tiny example", async () => {
    const expected = { items: 3, sales: 36, forecasts: 73, inventory: 36, supply: 2, capacity: 6 };
    for (const kind of IMPORT_KINDS) {
      const r = await importCsv(db.sql, kind, tiny(kind), { fileName: `${kind}.csv`, source: "test" });
      expect(r.errors).toEqual([]);
      expect(r.status).toBe("succeeded");
      expect(r.rows).toBe(expected[kind]);
      expect(r.inserted).toBe(expected[kind]);
    }
    const [c] = await db.sql`select
      (select count(*) from items) as items, (select count(*) from sales) as sales,
      (select count(*) from forecasts) as forecasts, (select count(*) from inventory) as inventory,
      (select count(*) from supply) as supply, (select count(*) from capacity) as capacity,
      (select sum(revenue) from sales where sku = 'CAP-200') as cap_revenue,
      (select count(*) from forecasts where lag = 1) as lag1`;
    // lag 1: 22 statistical + 33 consensus for 2025-02…12, and the three 2026-02 rows of cycle 2026-01.
    expect(c).toMatchObject({ ...expected, capRevenue: 405 * 3, lag1: 58 });
  });
});
