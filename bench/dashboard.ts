/**
 * Dashboard benchmark.
 *
 * 1. Server time per page at the KPI benchmark's scale (bench/kpi.ts: 10,000 SKUs × 3
 *    locations on the PostgreSQL server): each page fetched over loopback HTTP from a running
 *    server, as a browser would, p50/p95 over `--runs` after 2 warm-ups. Target p95 ≤ 300 ms.
 * 2. Time to the first drawn chart in Chromium on the demo company (embedded database, as
 *    `npm start`): navigation start → the dashboard script's `sop:first-chart` mark, set right
 *    after Chart.js drew the page's first chart. Cold (a new browser context: nothing cached)
 *    and warm (assets cached). Target ≤ 1 s.
 *
 *   npm run bench -- dashboard [--server postgres://…] [--runs 30] [--skus 10000] [--keep] [--skip-scale] [--skip-browser]
 *
 * `--skus` shrinks the company to check the script quickly; the figures in BENCHMARKS.md are at
 * the default 10,000.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import postgres from "postgres";
import { createApp } from "../api/app.js";
import { loadDemoCompany } from "../api/demo-company.js";
import { createLogger } from "../api/logger.js";
import { startHttpServer } from "../api/server.js";
import { ensurePlan } from "../api/services/plan-refresh.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { generateScale, percentile, timeIt } from "./kpi.js";
import { machine } from "./machine.js";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

const NOW = new Date("2026-11-20T17:00:00Z");
const silent = createLogger("silent");

/** One of the benchmark company's SKUs (SKU-04242 at full scale). */
const benchSku = (skus: number) => `SKU-${String(Math.min(4242, skus - 1)).padStart(5, "0")}`;

const whatIf = (text: string) => `/scenarios?whatif=${encodeURIComponent(text)}`;

export const scalePages = (skus: number): [name: string, path: string][] => [
  ["overview", "/"],
  ["accuracy", "/accuracy"],
  ["accuracy, one family", "/accuracy?family=FAM-07"],
  ["accuracy, lag 3, 6 months", "/accuracy?lag=3&months=6"],
  ["accuracy, lag 3, 6 months, one family", "/accuracy?family=FAM-07&lag=3&months=6"],
  ["accuracy, one SKU", `/accuracy?sku=${benchSku(skus)}`],
  ["inventory", "/inventory"],
  ["inventory, one family", "/inventory?family=FAM-07"],
  ["risk & gaps", "/risk"],
  ["risk & gaps, one family", "/risk?family=FAM-07"],
  ["risk & gaps, 12 months", "/risk?horizon=12"],
  ["risk & gaps, 12 months, one family", "/risk?family=FAM-07&horizon=12"],
  ["cycle", "/cycle"],
  ["one SKU", `/skus/${benchSku(skus)}`],
  ["imports", "/imports"],
  ["plan", "/plan"],
  ["plan, one family", "/plan?family=FAM-07"],
  ["plan, one SKU", `/plan?sku=${benchSku(skus)}`],
  ["scenarios", "/scenarios"],
  ["scenario: demand +15% for a family", whatIf("demand +15% FAM-07 from 2026-12")],
  ["scenario: demand and capacity of a family", whatIf("demand +15% FAM-07; capacity FAM-07 -20%")],
];

async function scale(args: string[], runs: number): Promise<string[]> {
  const skus = Number(arg(args, "skus", "10000"));
  if (!Number.isInteger(skus) || skus < 40)
    throw new Error("--skus: a whole number, at least 40 (one per family)");
  const server = arg(
    args,
    "server",
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  const name = "sop_bench_dashboard";
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const url = new URL(server);
  url.pathname = `/${name}`;
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  const reuse = args.includes("--keep") && exists;
  if (!reuse) {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  }
  const db = await openDatabase({ url: url.toString(), dataDir: "", poolMax: 10 });
  const out: string[] = [];
  try {
    await migrate(db.sql);
    if (!reuse) {
      console.error(`generating ${skus.toLocaleString("en-US")} SKUs × 3 locations …`);
      await generateScale(db.sql, skus);
      await db.sql`vacuum analyze`;
    }
    console.error("refreshing the plan …");
    await ensurePlan(db.sql, { force: true });
    // The refresh rewrites every plan line; measure the steady state autovacuum brings (a rerun
    // with --keep would otherwise read the dead rows of every earlier refresh).
    await db.sql`vacuum analyze plan_lines`;
    const config = loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: "silent" });
    const app = createApp({
      sql: db.sql,
      config,
      logger: silent,
      database: { kind: "server", where: name },
      version: "bench",
      now: () => NOW,
    });
    if (!reuse) {
      const res = await app.request("/api/cycles", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ month: "2026-11", source: "cli" }),
      });
      if (res.status !== 201) throw new Error(`opening the cycle: ${res.status} ${await res.text()}`);
    }
    const http = await startHttpServer({
      fetch: app.fetch,
      port: 0,
      host: "127.0.0.1",
      logger: silent,
      abort: new AbortController(),
    });
    try {
      const [c] = await db.sql`select (select count(*) from items) as items,
        (select count(*) from plan_lines) as lines, (select count(*) from sales) as sales,
        (select count(*) from forecasts) as forecasts`;
      out.push(`### Dashboard pages at scale: server time (${runs} runs each after 2 warm-ups)\n`);
      out.push(`Machine: ${machine()}\n`);
      out.push(
        `Scale: the KPI benchmark's company on the PostgreSQL server — ${Number(c!.items).toLocaleString("en-US")} SKUs, ${Number(c!.lines).toLocaleString("en-US")} SKU-locations, ${Number(c!.sales).toLocaleString("en-US")} sales rows, ${Number(c!.forecasts).toLocaleString("en-US")} forecast rows. Each page is fetched over loopback HTTP from the running server (HTML complete, chart configs inside).\n`,
      );
      out.push(
        "First: the first request for the page after the server started, which fills the caches kept per data version (a what-if's base, a live horizon's risk); every data change costs that once.\n",
      );
      out.push("| page | address | first ms | p50 ms | p95 ms | HTML KiB | target p95 ≤ 300 ms |");
      out.push("|---|---|---:|---:|---:|---:|---|");
      for (const [label, page] of scalePages(skus)) {
        let bytes = 0;
        const load = async () => {
          const res = await fetch(`${http.url}${page}`);
          const body = await res.text();
          if (res.status !== 200) throw new Error(`${page}: ${res.status} ${body.slice(0, 300)}`);
          bytes = body.length;
        };
        const t0 = performance.now();
        await load();
        const first = performance.now() - t0;
        const t = await timeIt(load, runs);
        console.error(
          `${label}: first ${first.toFixed(0)} ms, p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`,
        );
        out.push(
          `| ${label} | \`${page}\` | ${first.toFixed(0)} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${(bytes / 1024).toFixed(0)} | ${t.p95 <= 300 ? "✓" : "✗"} |`,
        );
      }
    } finally {
      await http.close(1000);
    }
  } finally {
    await db.close();
    if (!args.includes("--keep")) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  return out;
}

const CHART_PAGES = ["/", "/accuracy", "/inventory", "/risk", "/cycle"];

async function firstChart(runs: number): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "sop-bench-dashboard-"));
  const db = await openDatabase({ dataDir: path.join(dir, "data"), poolMax: 4 });
  const out: string[] = [];
  try {
    await migrate(db.sql);
    const config = loadConfig({ LOG_LEVEL: "silent", SOP_DATA_DIR: path.join(dir, "data") });
    const app = createApp({
      sql: db.sql,
      config,
      logger: silent,
      database: { kind: db.kind, where: db.where },
      version: "bench",
      now: () => NOW,
    });
    console.error("loading the demo company …");
    await loadDemoCompany(db, app, silent, { anchor: "2026-11", now: NOW });
    const http = await startHttpServer({
      fetch: app.fetch,
      port: 0,
      host: "127.0.0.1",
      logger: silent,
      abort: new AbortController(),
    });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
    try {
      const measure = async (page: import("playwright-core").Page, url: string) => {
        await page.goto(url, { waitUntil: "load" });
        const ms = await page.evaluate(
          () => performance.getEntriesByName("sop:first-chart")[0]?.startTime ?? null,
        );
        if (ms === null) throw new Error(`${url}: no chart was drawn`);
        return ms;
      };
      out.push(
        `### Dashboard: time to the first drawn chart in Chromium (${runs} loads per page and cache state)\n`,
      );
      out.push(`Machine: ${machine()}; ${browser.version()} headless.\n`);
      out.push(
        "The demo company (Ridgeline Hydration Co., 150 SKUs × 3 warehouses) on the embedded database, as `npm start` runs it. Time from navigation start to the `sop:first-chart` mark, set right after Chart.js drew the page's first chart (the server's time, the HTML, Chart.js's download and parse, and the drawing). Cold: a new browser context per load, nothing cached; warm: Chart.js and the stylesheet cached, as when moving between pages.\n",
      );
      out.push("| page | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms | target ≤ 1,000 ms |");
      out.push("|---|---:|---:|---:|---:|---|");
      for (const pagePath of CHART_PAGES) {
        const url = `${http.url}${pagePath}`;
        const cold: number[] = [];
        const warm: number[] = [];
        // One load to warm the server (plan, caches), not counted.
        const w = await browser.newContext();
        await measure(await w.newPage(), url);
        await w.close();
        for (let i = 0; i < runs; i++) {
          const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
          const page = await context.newPage();
          cold.push(await measure(page, url));
          warm.push(await measure(page, url));
          await context.close();
        }
        cold.sort((a, b) => a - b);
        warm.sort((a, b) => a - b);
        const [c50, c95, w50, w95] = [
          percentile(cold, 50),
          percentile(cold, 95),
          percentile(warm, 50),
          percentile(warm, 95),
        ];
        console.error(
          `${pagePath}: cold p50 ${c50.toFixed(0)} p95 ${c95.toFixed(0)}, warm p50 ${w50.toFixed(0)} p95 ${w95.toFixed(0)}`,
        );
        out.push(
          `| \`${pagePath}\` | ${c50.toFixed(0)} | ${c95.toFixed(0)} | ${w50.toFixed(0)} | ${w95.toFixed(0)} | ${c95 <= 1000 && w95 <= 1000 ? "✓" : "✗"} |`,
        );
      }
    } finally {
      await browser.close();
      await http.close(1000);
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function main(args: string[]): Promise<void> {
  const runs = Number(arg(args, "runs", "30"));
  const sections: string[][] = [];
  if (!args.includes("--skip-scale")) sections.push(await scale(args, runs));
  if (!args.includes("--skip-browser")) sections.push(await firstChart(Math.max(5, Math.round(runs / 2))));
  console.log(`\n${sections.map((s) => s.join("\n")).join("\n\n")}`);
}
