/**
 * `sop forecast run` and `sop export forecasts` as a user runs them, on each engine: the
 * tiny example imported, forecast, exported and imported back unchanged.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { createTestDatabase, engines, type TestDatabase } from "./helpers/test-db.js";

describe.each(engines)("sop forecast and sop export on %s", (engine) => {
  let dir: string;
  let env: Record<string, string>;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sop-forecast-cli-"));
    if (engine === "server") {
      db = await createTestDatabase("server");
      env = { DATABASE_URL: db.url, SOP_DEMO: "false" };
    } else {
      env = { SOP_DATA_DIR: path.join(dir, "data"), SOP_DEMO: "false" };
    }
    const imported = await runCli(["import", path.resolve("test/fixtures/tiny")], env);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("forecasts a cycle, says what it did, and exports what reads back unchanged", async () => {
    const run = await runCli(["forecast", "run", "--cycle", "2026-01"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /forecast: reading the sales history…\nforecast: forecasting 3 SKU-locations…\nforecast: writing 36 rows/,
    );
    expect(run.stdout).toMatch(
      /^forecast run #1 for 2026-01: 3 SKU-locations × 12 months from history up to 2025-12 — 36 statistical rows \(36 new, 0 changed, 0 removed\) in [\d.]+ s \(one thread\)\n {2}models: .+\n {2}consensus of 2026-01 rebuilt: 18 rows added, 0 changed, 0 removed/,
    );

    const file = path.join(dir, "stat.csv");
    const out = await runCli(
      ["export", "forecasts", "--source", "statistical", "--cycle", "2026-01", "--out", file],
      env,
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toBe(`wrote 36 statistical forecasts of 2026-01 to ${file}\n`);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(37);
    expect(lines[0]).toBe("sku,location,period,units,source,cycle");

    const back = await runCli(["import", "forecasts", file], env);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/forecasts imported — 36 rows: 0 inserted, 0 updated, 36 unchanged/);
  });

  it("refuses what it cannot do with a message and an exit code", async () => {
    const none = await runCli(["forecast", "run", "--cycle", "2030-01"], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no SKU-location sold anything in the 12 months before 2030-01/);
    const bad = await runCli(["forecast", "run", "--cycle", "2026-13"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--cycle: expected a month YYYY-MM/);
    const source = await runCli(["export", "forecasts", "--source", "hunch", "--cycle", "2026-01"], env);
    expect(source.code).toBe(2);
    expect(source.stderr).toMatch(/--source hunch: expected one of statistical, sales, marketing, consensus/);
  });
});
