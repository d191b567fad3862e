/**
 * The product as processes: `sop serve` and `sop import` sharing the embedded database,
 * graceful shutdown, and SIGTERM in the middle of an import.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, runCli, spawnCli, startServe } from "./helpers/cli.js";

const fixture = (f: string) => path.resolve(`test/fixtures/tiny/${f}`);

/** A sales file of `rows` valid rows for the tiny example's SKUs (locations L0001…). */
function bigSalesFile(dir: string, rows: number): string {
  const file = path.join(dir, "big-sales.csv");
  const skus = ["BLT-100", "CAP-200", "GLV-300"];
  const lines = ["sku,location,period,units"];
  let n = 0;
  for (let loc = 1; n < rows; loc++) {
    for (const sku of skus) {
      for (let m = 0; m < 240 && n < rows; m++, n++) {
        const y = 2000 + Math.floor(m / 12);
        lines.push(
          `${sku},L${String(loc).padStart(4, "0")},${y}-${String((m % 12) + 1).padStart(2, "0")},${(n % 97) + 1}`,
        );
      }
    }
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the embedded database shared by processes", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sop-proc-"));
    env = { SOP_DATA_DIR: path.join(dir, "data"), SOP_DEMO: "false" };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves, imports from a second process while serving, stops on SIGTERM and keeps the data", async () => {
    const a = await startServe(env);
    try {
      const health = await (await fetch(`${a.url}/healthz`)).json();
      expect(health).toMatchObject({ status: "ok", database: { kind: "embedded", reachable: true } });

      const imported = await runCli(["import", "items", fixture("items.csv")], env);
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/items imported — 3 rows: 3 inserted/);
      expect(imported.stdout).toMatch(/plan and KPIs recomputed in \d+\.\d\d s/);

      const bad = await runCli(["import", "sales", fixture("capacity.csv")], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/line 1, column family: "family" is not a column of sales\.csv/);
      expect(bad.stderr).toMatch(/line 1, column sku: is missing/);

      const items = await (await fetch(`${a.url}/api/items`)).json();
      expect(items.total).toBe(3);
    } finally {
      const stopped = await a.stop();
      expect(stopped.code).toBe(0);
      expect(a.output()).toMatch(/stopped cleanly/);
    }

    const again = await startServe(env);
    try {
      const items = await (await fetch(`${again.url}/api/items?family=BOTTLES`)).json();
      expect(items.items.map((i: { sku: string }) => i.sku)).toEqual(["BLT-100"]);
    } finally {
      await again.stop();
    }
  });

  it("a second server joins the first and takes the database over when the first stops", async () => {
    const a = await startServe(env);
    const b = await startServe(env);
    try {
      expect(b.output()).toMatch(/joining the embedded database of another sop process/);
      expect(await a.stop()).toMatchObject({ code: 0 });
      const items = await waitFor(async () => {
        const r = await fetch(`${b.url}/api/items`);
        return r.ok ? r.json() : undefined;
      });
      expect(items.total).toBe(3);
      expect(b.output()).toMatch(/took over the embedded database/);
      // Its cadence jobs start too, even when the handover caught them reading the calendar.
      await waitFor(async () => (/jobs scheduled in UTC/.test(b.output()) ? true : undefined));
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("SIGTERM during `sop import` writes nothing and exits 143", async () => {
    const file = bigSalesFile(dir, 300_000);
    const child = spawnCli(["import", "sales", file], { ...env, LOG_LEVEL: "debug" });
    const done = collect(child);
    let err = "";
    child.stderr?.on("data", (d) => {
      err += d;
    });
    try {
      // The import logs when its run starts; then it is parsing and staging rows.
      await waitFor(async () => (/"msg":"import started"/.test(err) ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      child.kill("SIGTERM");
      const result = await done;
      expect(result.code).toBe(143);
      expect(result.stderr).toMatch(/nothing of it will be written/);
    } finally {
      child.kill("SIGKILL");
    }
    const a = await startServe(env);
    try {
      const runs = await (await fetch(`${a.url}/api/imports?kind=sales&limit=1`)).json();
      expect(runs.runs[0]).toMatchObject({ status: "interrupted", inserted: 0 });
      const check = await runCli(["import", "sales", fixture("sales.csv")], env);
      expect(check.stdout).toMatch(/36 rows: 36 inserted/); // no row of the big file was left behind
    } finally {
      await a.stop();
    }
  });

  it("SIGTERM to `sop serve` lets an import in flight finish, then stops", async () => {
    const file = bigSalesFile(dir, 120_000);
    const a = await startServe({ ...env, LOG_LEVEL: "debug" });
    expect((await runCli(["import", "items", fixture("items.csv")], env)).code).toBe(0);
    const posted = fetch(`${a.url}/api/imports/sales?fileName=big.csv`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: readFileSync(file),
    });
    await waitFor(async () => (/"msg":"import started"/.test(a.output()) ? true : undefined));
    const stopping = a.stop();
    const response = await posted;
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.import).toMatchObject({ status: "succeeded", rows: 120_000 });
    expect((await stopping).code).toBe(0);
    expect(a.output()).toMatch(/waiting for in-flight requests to finish/);
    expect(a.output()).toMatch(/stopped cleanly/);
  });
});
