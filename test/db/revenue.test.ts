import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exactSalesRevenue, salesRevenue } from "../../db/import/revenue.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

/**
 * A first load computes a missing revenue in Node; a merge computes it in SQL. Both must give
 * the same cents for every units and price, so the Node figure is checked against PostgreSQL's
 * own `round((units * unit_price)::numeric, 2)` on each engine.
 */
describe.each(engines)("sales revenue computed in Node, against %s", (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine, { migrate: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  const postgresRevenue = async (cases: [number, string][]) =>
    (
      await db.sql<{ r: string }[]>`
        select round(((c->>0)::float8 * (c->>1)::numeric(14,4))::numeric, 2)::text as r
        from jsonb_array_elements(${db.sql.json(cases.map(([u, p]) => [String(u), p]))}::jsonb)
             with ordinality as t(c, n)
        order by n`
    ).map((row) => row.r);

  it("matches PostgreSQL on ties at the 15th digit, at a half cent and at the extremes", async () => {
    const cases: [number, string][] = [
      [3, "0.1000"], // 0.30000000000000004
      [1, "1.0050"], // a half cent: away from zero
      [1.000030517578125, "1.0000"], // 1 + 2^-15: an exact tie at 15 digits, to even
      [123456789012.4375, "1.0000"], // a tie at 15 digits, to even (2), not up
      [12345678901234.25, "1.0000"], // a tie: 12345678901234.2
      [12345678901234.75, "1.0000"], // a tie the other way: …34.8
      [0.005, "1.0000"],
      [0.004999999999999999, "1.0000"],
      [0.0049999999999999, "1.0000"],
      [2.675, "1.0000"], // 2.67499999999999982236431605997495353221893310546875
      [1e-9, "3.0000"],
      [0, "12.5000"],
      [7, "0.0000"],
      [1234567.891, "9999.9999"],
      [99_999_999, "99999.9999"],
      [1.5e-7, "0.0001"],
    ];
    expect(cases.map(([u, p]) => salesRevenue(u, Number(p)))).toEqual(await postgresRevenue(cases));
  });

  it("matches PostgreSQL on 20,000 random units and prices", async () => {
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const cases: [number, string][] = [];
    for (let i = 0; i < 20_000; i++) {
      const scale = [1, 10, 100, 1000][i % 4]!;
      const units =
        i % 3 === 0 ? Math.floor(rand() * 100_000) : Number((rand() * 10 ** (1 + (i % 7))).toFixed(i % 5));
      const price = ((Math.floor(rand() * 1_000_000) / 10_000) * scale).toFixed(4);
      cases.push([units, price]);
    }
    const ours = cases.map(([u, p]) => salesRevenue(u, Number(p)));
    const theirs = await postgresRevenue(cases);
    const differ = cases.flatMap((c, i) => (ours[i] === theirs[i] ? [] : [[c, ours[i], theirs[i]]]));
    expect(differ).toEqual([]);
  });
});

describe("the fast path of the sales revenue", () => {
  it("agrees with the literal three steps on a million products, most of them near a half cent", () => {
    let seed = 11;
    const rand = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const differ: [number, number, string, string][] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const price = Math.floor(rand() * 10 ** (2 + (i % 8))) / 10_000;
      // Units that put the product within a few ulps of a half cent, or anywhere.
      const target = (Math.floor(rand() * 1e6 * 10 ** (i % 6)) + 0.5) / 100;
      const units =
        i % 4 === 0 ? Math.floor(rand() * 1e5) : price > 0 ? target / price : rand() * 100 * (1 + (i % 3));
      const fast = salesRevenue(units, price);
      const exact = exactSalesRevenue(units * price);
      if (fast !== exact && differ.length < 10) differ.push([units, price, fast, exact]);
    }
    expect(differ).toEqual([]);
  });
});
