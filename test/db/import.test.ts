import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImportAbortedError, importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS, type ImportKind } from "../../db/import/kinds.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const tiny = (kind: string) => readFileSync(new URL(`../fixtures/tiny/${kind}.csv`, import.meta.url), "utf8");
const csv = (...lines: string[]) => `${lines.join("\n")}\n`;

describe.each(engines)("CSV import on %s", (engine) => {
  let db: TestDatabase;
  const counts = async () => {
    const [c] = await db.sql<Record<ImportKind, number>[]>`select
      (select count(*) from items) as items, (select count(*) from sales) as sales,
      (select count(*) from forecasts) as forecasts, (select count(*) from inventory) as inventory,
      (select count(*) from supply) as supply, (select count(*) from capacity) as capacity`;
    return c!;
  };
  const load = async (kind: ImportKind, text = tiny(kind)) =>
    importCsv(db.sql, kind, text, { source: "test", copy: engine === "server" });

  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe("the tiny example", () => {
    it("imports every kind", async () => {
      const expected = { items: 3, sales: 36, forecasts: 73, inventory: 36, supply: 2, capacity: 6 };
      for (const kind of IMPORT_KINDS) {
        const r = await importCsv(db.sql, kind, tiny(kind), {
          fileName: `${kind}.csv`,
          source: "test",
          copy: engine === "server",
        });
        expect(r.errors).toEqual([]);
        expect(r).toMatchObject({
          status: "succeeded",
          rows: expected[kind],
          inserted: expected[kind],
          updated: 0,
        });
      }
      expect(await counts()).toEqual(expected);
      const [c] = await db.sql`select
        (select sum(revenue) from sales where sku = 'CAP-200') as cap_revenue,
        (select sum(revenue) from sales where sku = 'BLT-100') as blt_revenue,
        (select count(*) from forecasts where lag = 1) as lag1,
        (select count(*) from forecasts where lag = 0) as lag0`;
      // CAP-200 has no revenue column values: 405 units × 3.00. BLT-100's are given: 30,100.
      // lag 1: 22 statistical + 33 consensus for 2025-02…12, plus the 2026-02 rows of cycle 2026-01.
      expect(c).toEqual({ capRevenue: 1215, bltRevenue: 30100, lag1: 58, lag0: 3 });
      const runs = await db.sql`select kind, status, rows, inserted from import_runs order by id`;
      expect(runs).toHaveLength(6);
      expect(runs.every((r) => r.status === "succeeded")).toBe(true);
    });

    it("re-imports as updates by natural key, leaving unchanged rows alone", async () => {
      const again = await load("sales");
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 36 });
      const changed = tiny("sales").replace(
        "BLT-100,MAIN,2025-01,200,2000.00",
        "BLT-100,MAIN,2025-01,201,2010.00",
      );
      const r = await load("sales", `${changed}BLT-100,MAIN,2026-01,10,100\n`);
      expect(r).toMatchObject({ rows: 37, inserted: 1, updated: 1, unchanged: 35 });
      const [row] =
        await db.sql`select units, revenue from sales where sku = 'BLT-100' and period = '2025-01-01'`;
      expect(row).toEqual({ units: 201, revenue: 2010 });
      // A revenue with more decimals than the column keeps is compared as it is stored.
      const precise = await load("sales", changed.replace("201,2010.00", "201,2010.004"));
      expect(precise).toMatchObject({ inserted: 0, updated: 0, unchanged: 36 });
      for (const kind of ["forecasts", "inventory"] as const) {
        expect(await load(kind)).toMatchObject({ inserted: 0, updated: 0, errorCount: 0 });
        const text = tiny(kind);
        const [header, first, ...rest] = text.trimEnd().split("\n");
        const bumped = first!.replace(
          /,(\d+(\.\d+)?)(,|$)/,
          (_m, n: string, _d, end: string) => `,${Number(n) + 1}${end}`,
        );
        const r2 = await load(kind, csv(header!, bumped, ...rest));
        expect(r2).toMatchObject({ inserted: 0, updated: 1, unchanged: rest.length });
        await load(kind, text);
      }
      const items = await load(
        "items",
        tiny("items").replace("Spare cap,ACCESSORIES,1.00", "Spare cap,ACCESSORIES,1.25"),
      );
      expect(items).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
      // Put things back for the next tests.
      await load("sales", tiny("sales"));
      await db.sql`delete from sales where period = '2026-01-01'`;
      await load("items");
    });

    it("replaces all open supply with the new snapshot", async () => {
      const r = await load(
        "supply",
        csv("sku,due,units,type,reference", "CAP-200,2026-01-20,100,production,MO-1"),
      );
      expect(r).toMatchObject({ inserted: 1, deleted: 2 });
      const rows = await db.sql`select sku, location, due, units, type, reference from supply`;
      expect(rows).toEqual([
        {
          sku: "CAP-200",
          location: "MAIN",
          due: "2026-01-20",
          units: 100,
          type: "production",
          reference: "MO-1",
        },
      ]);
      await load("supply");
      expect((await counts()).supply).toBe(2);
    });

    it("keeps quoted commas, quotes, backslashes, tabs and line breaks, and counts lines across them", async () => {
      const text =
        "sku,name,family,unit_cost,unit_price,lead_time_days\n" +
        "\n" +
        'Q-1,"Bottle, 1L ""big"" \\ tab\there",BOTTLES,1,2,10\n' +
        'Q-2,"two\nlines",BOTTLES,1,2,10\n' +
        "\n" +
        "Q-3,  padded  ,BOTTLES, 1.5 ,2,10\n";
      const r = await load("items", text);
      expect(r).toMatchObject({ status: "succeeded", rows: 3, inserted: 3 });
      const rows = await db.sql`select sku, name, unit_cost from items where sku like 'Q-%' order by sku`;
      expect(rows).toEqual([
        { sku: "Q-1", name: 'Bottle, 1L "big" \\ tab\there', unitCost: 1 },
        { sku: "Q-2", name: "two\nlines", unitCost: 1 },
        { sku: "Q-3", name: "padded", unitCost: 1.5 },
      ]);
      const bad = await load("items", text.replace("Q-3,  padded  ,BOTTLES, 1.5", "Q-3,padded,BOTTLES,-1"));
      expect(bad.errors).toEqual([
        { line: 7, column: "unit_cost", value: "-1", reason: "must not be negative" },
      ]);
      await db.sql`delete from items where sku like 'Q-%'`;
    });

    it("creates locations it has not seen, and defaults a missing location to MAIN", async () => {
      await load(
        "inventory",
        csv("sku,location,as_of,on_hand", "BLT-100,EAST,2025-12-31,40", "CAP-200,,2025-12-31,7"),
      );
      const locs = await db.sql`select code from locations order by code`;
      expect(locs.map((l) => l.code)).toEqual(["EAST", "MAIN"]);
      const [cap] =
        await db.sql`select on_hand from inventory where sku = 'CAP-200' and location = 'MAIN' and as_of = '2025-12-31'`;
      expect(cap!.onHand).toBe(7);
      await db.sql`delete from inventory where location = 'EAST'`;
      await load("inventory");
    });
  });

  describe("bad files are refused row by row and write nothing", () => {
    let before: Record<ImportKind, number>;
    beforeEach(async () => {
      before = await counts();
    });

    const refused = async (kind: ImportKind, text: string) => {
      const r = await load(kind, text);
      expect(r.status).toBe("failed");
      expect(await counts()).toEqual(before);
      const [run] = await db.sql`select status, error_count, errors from import_runs where id = ${r.runId}`;
      expect(run).toMatchObject({ status: "failed", errorCount: r.errorCount });
      return r;
    };

    it.each([
      [
        "unknown column",
        "sales",
        csv("sku,period,units,colour", "BLT-100,2025-01,1,red"),
        { line: 1, column: "colour", value: "colour" },
        /not a column of sales\.csv/,
      ],
      [
        "missing column",
        "sales",
        csv("sku,period", "BLT-100,2025-01"),
        { line: 1, column: "units", value: null },
        /is missing/,
      ],
      [
        "duplicate header",
        "capacity",
        csv("family,period,units,units", "BOTTLES,2026-01,1,2"),
        { line: 1, column: "units" },
        /more than once/,
      ],
      [
        "bad number",
        "sales",
        csv("sku,period,units", "BLT-100,2025-01,12.5", "BLT-100,2025-02,twelve"),
        { line: 3, column: "units", value: "twelve" },
        /not a number/,
      ],
      [
        "negative quantity",
        "inventory",
        csv("sku,as_of,on_hand", "BLT-100,2025-01-31,-1"),
        { line: 2, column: "on_hand", value: "-1" },
        /must not be negative/,
      ],
      [
        "bad period",
        "forecasts",
        csv("sku,period,units,source,cycle", "BLT-100,2025-1,3,consensus,2025-01"),
        { line: 2, column: "period", value: "2025-1" },
        /YYYY-MM/,
      ],
      [
        "bad date",
        "supply",
        csv("sku,due,units,type", "BLT-100,2026-02-30,5,purchase"),
        { line: 2, column: "due", value: "2026-02-30" },
        /not a valid calendar date/,
      ],
      [
        "zero supply",
        "supply",
        csv("sku,due,units,type", "BLT-100,2026-02-10,0,purchase"),
        { line: 2, column: "units", value: "0" },
        /greater than 0/,
      ],
      [
        "bad enum",
        "forecasts",
        csv("sku,period,units,source,cycle", "BLT-100,2025-02,3,guess,2025-01"),
        { line: 2, column: "source", value: "guess" },
        /statistical, sales, marketing, consensus/,
      ],
      [
        "unknown SKU",
        "sales",
        csv("sku,period,units", "BLT-100,2025-01,1", "NOPE-1,2025-01,1"),
        { line: 3, column: "sku", value: "NOPE-1" },
        /not a known SKU/,
      ],
      [
        "unknown family",
        "capacity",
        csv("family,period,units", "SHOES,2026-01,10"),
        { line: 2, column: "family", value: "SHOES" },
        /not a known family/,
      ],
      [
        "duplicate key",
        "sales",
        csv(
          "sku,location,period,units",
          "BLT-100,MAIN,2025-01,1",
          "CAP-200,MAIN,2025-01,1",
          "BLT-100,,2025-01,2",
        ),
        { line: 4, column: null },
        /repeats line 2/,
      ],
      [
        "service level out of range",
        "items",
        csv("sku,name,family,unit_cost,unit_price,lead_time_days,service_level", "X-1,X,BOTTLES,1,2,10,1"),
        { line: 2, column: "service_level", value: "1" },
        /below 1/,
      ],
      [
        "wrong field count",
        "sales",
        csv("sku,period,units", "BLT-100,2025-01,1,9"),
        { line: 2, column: null },
        /has 4 fields, the header has 3/,
      ],
      [
        "unclosed quote",
        "sales",
        csv("sku,period,units", "BLT-100,2025-01,1", '"CAP-200,2025-01,1', "BLT-100,2025-02,1"),
        { line: 3, column: null },
        /never closed/,
      ],
      [
        "a closing quote followed by other characters",
        "sales",
        csv("sku,period,units", "BLT-100,2025-01,1", 'BLT-100,"2025-02"x,1', "BLT-100,2025-03,1"),
        { line: 3, column: null },
        /a quote is followed by other characters/,
      ],
      ["empty file", "sales", "", { line: 1 }, /the file is empty/],
    ] as const)("%s", async (_name, kind, text, where, reason) => {
      const r = await refused(kind, text);
      expect(r.errors[0]).toMatchObject(where);
      expect(r.errors[0]!.reason).toMatch(reason);
    });

    it("reports every bad row with line, column, value and reason, the first 100 then the count", async () => {
      const lines = ["sku,period,units"];
      for (let i = 0; i < 150; i++)
        lines.push(`BLT-100,2024-${String((i % 12) + 1).padStart(2, "0")},${i % 2 ? -1 : "x"}`);
      const r = await refused("sales", csv(...lines));
      expect(r.errorCount).toBe(150);
      expect(r.errors).toHaveLength(100);
      expect(r.errors[0]).toEqual({
        line: 2,
        column: "units",
        value: "x",
        reason: expect.stringMatching(/not a number/),
      });
      expect(r.errors[1]).toEqual({ line: 3, column: "units", value: "-1", reason: "must not be negative" });
    });

    it("writes nothing of a large file whose last row is bad", async () => {
      const lines = ["sku,period,units"];
      for (let y = 2000; y < 2025; y++)
        for (let m = 1; m <= 12; m++) lines.push(`BLT-100,${y}-${String(m).padStart(2, "0")},${m}`);
      lines.push("BLT-100,2025-06,-3");
      const r = await refused("sales", csv(...lines));
      expect(r).toMatchObject({ rows: 301, errorCount: 1 });
      expect(r.errors[0]).toMatchObject({ line: 302, column: "units" });
    });
  });

  it("refuses consensus forecasts for a cycle whose plan is locked, and accepts other sources", async () => {
    await db.sql`insert into cycles (month, timezone, plan_locked_at) values ('2026-01-01', 'UTC', now())`;
    const r = await load(
      "forecasts",
      csv("sku,period,units,source,cycle", "BLT-100,2026-03,999,consensus,2026-01"),
    );
    expect(r.status).toBe("failed");
    expect(r.conflict).toMatch(/cycle 2026-01 is locked/);
    const ok = await load(
      "forecasts",
      csv("sku,period,units,source,cycle", "BLT-100,2026-03,250,statistical,2026-01"),
    );
    expect(ok.status).toBe("succeeded");
    await db.sql`delete from forecasts where source = 'statistical' and cycle = '2026-01-01'`;
    await db.sql`delete from cycles where month = '2026-01-01'`;
  });

  describe("in chunks merged while the file is read", () => {
    const salesRows = (n: number, units: (i: number) => number) => {
      const lines = ["sku,location,period,units"];
      for (let i = 0; i < n; i++) {
        const y = 1950 + Math.floor(i / 12);
        lines.push(`CAP-200,CHUNK,${y}-${String((i % 12) + 1).padStart(2, "0")},${units(i)}`);
      }
      return csv(...lines);
    };
    const chunked = (kind: ImportKind, text: string) =>
      importCsv(db.sql, kind, text, {
        source: "test",
        copy: engine === "server",
        chunkSize: 7,
        batchSize: 3,
      });

    it("counts inserts, updates and unchanged rows across chunks", async () => {
      const first = await chunked(
        "sales",
        salesRows(50, (i) => i),
      );
      expect(first).toMatchObject({ status: "succeeded", rows: 50, inserted: 50, updated: 0, unchanged: 0 });
      const again = await chunked(
        "sales",
        salesRows(60, (i) => (i % 2 === 0 ? i : i + 1000)),
      );
      expect(again).toMatchObject({
        status: "succeeded",
        rows: 60,
        inserted: 10,
        updated: 25,
        unchanged: 25,
      });
      const [c] = await db.sql`select count(*) as n, sum(units) as units from sales where location = 'CHUNK'`;
      // 0…59, plus 1000 on each of the 30 odd i.
      expect(c).toEqual({ n: 60, units: (59 * 60) / 2 + 30 * 1000 });
      await db.sql`delete from sales where location = 'CHUNK'`;
    });

    it("loads an empty fact table with plain inserts, then merges the next file by key", async () => {
      const fresh = await createTestDatabase(engine);
      try {
        const into = (text: string) =>
          importCsv(fresh.sql, "sales", text, {
            source: "test",
            copy: engine === "server",
            chunkSize: 7,
            batchSize: 3,
          });
        await importCsv(
          fresh.sql,
          "items",
          csv("sku,name,family,unit_cost,unit_price,lead_time_days", "E-1,E,F,1,2,5"),
        );
        const bad = await into(
          `${salesRows(20, (i) => i).replaceAll("CAP-200", "E-1")}E-1,CHUNK,2100-01,-5\n`,
        );
        expect(bad.status).toBe("failed");
        const [none] = await fresh.sql`select count(*) as n from sales`;
        expect(none).toEqual({ n: 0 });
        // A first load builds the primary key once at the end; a failed one rolls its drop back.
        const primaryKeys = async () =>
          (
            await fresh.sql<{ def: string }[]>`
              select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) as def
              from pg_constraint where conname in ('sales_pkey', 'inventory_pkey') order by conname`
          ).map((r) => r.def);
        const keys = [
          "inventory PRIMARY KEY (sku, location, as_of)",
          "sales PRIMARY KEY (sku, location, period)",
        ];
        expect(await primaryKeys()).toEqual(keys);
        const first = await into(salesRows(30, (i) => i).replaceAll("CAP-200", "E-1"));
        expect(first).toMatchObject({ status: "succeeded", inserted: 30, updated: 0, unchanged: 0 });
        expect(await primaryKeys()).toEqual(keys);
        await expect(
          fresh.sql`insert into sales (sku, location, period, units, revenue) values ('E-1', 'CHUNK', '1950-01-01', 1, 1)`,
        ).rejects.toThrow(/sales_pkey/);
        const stock = await importCsv(
          fresh.sql,
          "inventory",
          csv("sku,location,as_of,on_hand", "E-1,CHUNK,2026-01-31,4", "E-1,MAIN,2026-01-31,5"),
          { source: "test", copy: engine === "server" },
        );
        expect(stock).toMatchObject({ status: "succeeded", inserted: 2 });
        expect(await primaryKeys()).toEqual(keys);
        const again = await into(salesRows(40, (i) => (i < 10 ? i + 1 : i)).replaceAll("CAP-200", "E-1"));
        expect(again).toMatchObject({ status: "succeeded", inserted: 10, updated: 10, unchanged: 20 });
        const [c] =
          await fresh.sql`select count(*) as n, sum(units) as units, sum(revenue) as revenue from sales`;
        // 0…39 plus 1 on each of the first ten; revenue = units × 2.
        expect(c).toEqual({
          n: 40,
          units: (39 * 40) / 2 + 10,
          revenue: ((39 * 40) / 2 + 10) * 2,
        });
      } finally {
        await fresh.close();
      }
    });

    it("writes the same rows on a first load, straight into the table, as a merge writes", async () => {
      const file = csv(
        "sku,location,period,units,revenue",
        "E-1,MAIN,2024-01,3,",
        "E-1,MAIN,2024-02,2.675,",
        "E-1,EAST,2024-01,7,12.345",
        "E-2,MAIN,2024-01,0.5,",
        "E-2,MAIN,2024-02,1e3,",
        "E-2,NEW,2024-03,123456.789,0",
        "E-1,MAIN,2024-03,0,",
      );
      const items = csv(
        "sku,name,family,unit_cost,unit_price,lead_time_days",
        "E-1,E,F,1,0.1,5",
        "E-2,E,F,1,19.9999,5",
      );
      const loaded = async (first: boolean) => {
        const fresh = await createTestDatabase(engine);
        try {
          await importCsv(fresh.sql, "items", items);
          if (!first) {
            // One row already there: the file is merged by key instead.
            await importCsv(fresh.sql, "sales", csv("sku,period,units", "E-1,1999-01,1"));
          }
          const r = await importCsv(fresh.sql, "sales", file, { source: "test", copy: engine === "server" });
          expect(r).toMatchObject({ status: "succeeded", inserted: 7 });
          return await fresh.sql`
            select sku, location, period::text, units, revenue::text, import_id = ${r.runId} as this_import
            from sales where period > '2000-01-01' order by sku, location, period`;
        } finally {
          await fresh.close();
        }
      };
      const direct = await loaded(true);
      expect(direct).toEqual(await loaded(false));
      expect(direct.map((r) => r.revenue)).toEqual([
        "12.35",
        "0.30",
        "0.27",
        "0.00",
        "10.00",
        "19999.90",
        "0.00",
      ]);
      expect(direct.every((r) => r.thisImport)).toBe(true);
    });

    it("writes nothing when a bad row comes after chunks were merged", async () => {
      const before = await counts();
      const text = `${salesRows(40, (i) => i)}CAP-200,CHUNK,2100-01,-5\n`;
      const r = await chunked("sales", text);
      expect(r.status).toBe("failed");
      expect(r.errors).toEqual([{ line: 42, column: "units", value: "-5", reason: "must not be negative" }]);
      expect(await counts()).toEqual(before);
    });

    it("finds a repeated key anywhere in a large file", async () => {
      const lines = ["sku,location,period,units"];
      for (let i = 0; i < 20_000; i++) {
        lines.push(
          `CAP-200,DUP-${Math.floor(i / 600)},${1950 + Math.floor((i % 600) / 12)}-${String((i % 12) + 1).padStart(2, "0")},1`,
        );
      }
      const text = csv(...lines, "CAP-200,DUP-0,1950-02,3");
      const r = await importCsv(db.sql, "sales", text, { source: "test", copy: engine === "server" });
      expect(r.errors).toEqual([
        {
          line: 20_002,
          column: null,
          value: "CAP-200, DUP-0, 1950-02",
          reason: "repeats line 3: the same sku, location, period",
        },
      ]);
    });

    it("replaces the open supply once, with every chunk's rows", async () => {
      const lines = ["sku,due,units,type,reference"];
      for (let i = 0; i < 30; i++) lines.push(`BLT-100,2026-0${(i % 9) + 1}-15,${i + 1},purchase,PO-${i}`);
      const before = (await counts()).supply;
      const r = await chunked("supply", csv(...lines));
      expect(r).toMatchObject({ status: "succeeded", inserted: 30, deleted: before });
      expect((await counts()).supply).toBe(30);
      const empty = await chunked("supply", csv("sku,due,units,type,reference"));
      expect(empty).toMatchObject({ status: "succeeded", inserted: 0, deleted: 30 });
      expect((await counts()).supply).toBe(0);
      await load("supply");
    });
  });

  it("rolls back an aborted import and records it as interrupted", async () => {
    const before = await counts();
    const abort = new AbortController();
    async function* slowRows() {
      yield "sku,period,units\n";
      for (let y = 1950; y < 2100; y++) {
        for (let m = 1; m <= 12; m++) yield `CAP-200,${y}-${String(m).padStart(2, "0")},1\n`;
        if (y === 2000) abort.abort();
        await new Promise((r) => setImmediate(r));
      }
    }
    await expect(
      importCsv(db.sql, "sales", slowRows(), {
        source: "test",
        signal: abort.signal,
        batchSize: 100,
        copy: engine === "server",
      }),
    ).rejects.toBeInstanceOf(ImportAbortedError);
    expect(await counts()).toEqual(before);
    const [run] = await db.sql`select status from import_runs order by id desc limit 1`;
    expect(run!.status).toBe("interrupted");
  });
});
