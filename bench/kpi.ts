/**
 * KPI benchmark: p50/p95 per endpoint at scale on the PostgreSQL server — 10,000 SKUs ×
 * 3 locations, 36 months of sales (1.08 M rows), 12 consensus plan snapshots × 12 months
 * (4.32 M rows) plus lag-1 statistical forecasts (0.36 M) — against the floor, one
 * `SELECT sum(units) FROM sales`. The data is generated in SQL (deterministic: setseed).
 *
 *   npm run bench -- kpi [--server postgres://…] [--runs 30] [--keep]
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createApp } from "../api/app.js";
import { loadDemoCompany } from "../api/demo-company.js";
import { createLogger } from "../api/logger.js";
import { ensurePlan } from "../api/services/plan-refresh.js";
import { loadConfig } from "../config.js";
import { type Database, embeddedDatabase, openDatabase } from "../db/client.js";
import { openEphemeral } from "../db/embedded/embedded.js";
import { migrate } from "../db/migrate.js";
import { bumpDataVersion } from "../db/repositories/plan.js";
import { machine } from "./machine.js";

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

export const P = "2026-10-01";

/** Fills an empty, migrated database with the benchmark company. */
export async function generateScale(db: Database["sql"], skus = 10_000): Promise<Record<string, number>> {
  await db.begin(async (tx) => {
    await tx`select setseed(0.42)`;
    await tx`insert into families (code) select 'FAM-' || lpad(f::text, 2, '0') from generate_series(0, 39) f`;
    await tx`insert into locations (code) values ('EAST'), ('WEST') on conflict do nothing`;
    await tx`
      insert into items (sku, name, family, unit_cost, unit_price, lead_time_days, service_level)
      select 'SKU-' || lpad(i::text, 5, '0'), 'Item ' || i, 'FAM-' || lpad((i % 40)::text, 2, '0'),
             round((2 + (i % 50))::numeric, 2), round((5 + (i % 90))::numeric, 2), 15 + (i % 60), 0.95
      from generate_series(0, ${skus - 1}) i`;
    // Per SKU-location a base level; monthly units with seasonality and noise.
    await tx`
      create temp table base on commit drop as
      select i.sku, l.code as location, 20 + (random() * 180)::int as level, (random() * 6.28) as phase
      from items i cross join (values ('MAIN'), ('EAST'), ('WEST')) as l(code)`;
    await tx`
      insert into sales (sku, location, period, units, revenue)
      select b.sku, b.location, (${P}::date - make_interval(months => m))::date,
             greatest(0, round(b.level * (1 + 0.3 * sin(m * 0.5236 + b.phase)) * (0.8 + random() * 0.4))),
             0
      from base b cross join generate_series(0, 35) m`;
    await tx`update sales s set revenue = round((s.units * i.unit_price)::numeric, 2) from items i where i.sku = s.sku`;
    // 12 consensus snapshots (cycles P−10 … P+1), each for its cycle month and the 11 after.
    await tx`
      insert into forecasts (sku, location, period, source, cycle, units)
      select b.sku, b.location, (c.cycle + make_interval(months => h))::date, 'consensus', c.cycle,
             round(b.level * (1 + 0.3 * sin(h * 0.5236 + b.phase)) * (0.85 + random() * 0.3))
      from base b
      cross join (select (${P}::date - make_interval(months => k))::date as cycle from generate_series(-1, 10) k) c
      cross join generate_series(0, 11) h`;
    await tx`
      insert into forecasts (sku, location, period, source, cycle, units)
      select f.sku, f.location, f.period, 'statistical', f.cycle, round(f.units * (0.9 + random() * 0.2))
      from forecasts f where f.source = 'consensus' and f.lag = 1`;
    await tx`
      insert into inventory (sku, location, as_of, on_hand)
      select b.sku, b.location, ((${P}::date - make_interval(months => m)) + interval '1 month - 1 day')::date,
             round(b.level * (0.5 + random() * 2.5))
      from base b cross join generate_series(0, 11) m`;
    await tx`
      insert into supply (sku, location, due, units, type, reference)
      select b.sku, b.location, (${P}::date + interval '1 month' + make_interval(days => (random() * 150)::int))::date,
             round(b.level * (1 + random() * 2)), 'purchase', 'PO-' || (100000 + row_number() over ())
      from base b where random() < 0.6`;
    await tx`
      insert into capacity (family, period, units)
      select f.code, (${P}::date + make_interval(months => m))::date, 10000 + (random() * 40000)::int
      from families f cross join generate_series(1, 12) m`;
    await bumpDataVersion(tx);
  });
  const [c] = await db`select
    (select count(*) from sales) as sales, (select count(*) from forecasts) as forecasts,
    (select count(*) from inventory) as inventory, (select count(*) from supply) as supply`;
  return c as Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function timeIt(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 2,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export const ENDPOINTS: [name: string, path: string, target?: number][] = [
  ["summary", "/api/kpi/summary", 300],
  ["accuracy, total", "/api/kpi/accuracy"],
  ["accuracy, one family", "/api/kpi/accuracy?family=FAM-07"],
  ["risk, top 50", "/api/kpi/risk?limit=50", 300],
  ["gaps", "/api/kpi/gaps", 300],
  ["excess", "/api/kpi/excess"],
  ["segments", "/api/kpi/segments"],
  ["turns", "/api/kpi/turns"],
  ["one SKU", "/api/skus/SKU-04242", 30],
];

export async function main(args: string[]): Promise<void> {
  if (!args.includes("--skip-server")) await serverBench(args);
  if (!args.includes("--skip-embedded")) await embeddedBench(args);
}

/**
 * Every endpoint on the embedded database (PGlite over its socket) with the demo company, the
 * scale `npm start` runs at: target p95 ≤ 150 ms each.
 */
async function embeddedBench(args: string[]): Promise<void> {
  const runs = Number(arg(args, "runs", "30"));
  const dir = mkdtempSync(path.join(tmpdir(), "sop-bench-kpi-"));
  const embedded = await openEphemeral(dir);
  const db = embeddedDatabase(embedded, 4);
  try {
    await migrate(db.sql);
    const now = new Date("2026-11-20T17:00:00Z");
    const config = loadConfig({ LOG_LEVEL: "silent" });
    const app = createApp({
      sql: db.sql,
      config,
      logger: createLogger("silent"),
      database: { kind: "embedded", where: dir },
      version: "bench",
      now: () => now,
    });
    console.error("embedded: loading the demo company …");
    const company = await loadDemoCompany(db, app, createLogger("silent"), { now });
    // The first data row of items.csv: sku, name, family, …
    const [sku, , family] = company.csv.items.split("\n")[1]!.split(",") as [string, string, string];
    const endpoints: [string, string][] = [
      ["summary", "/api/kpi/summary"],
      ["accuracy, total", "/api/kpi/accuracy"],
      ["accuracy, one family", `/api/kpi/accuracy?family=${family}`],
      ["risk, top 50", "/api/kpi/risk?limit=50"],
      ["gaps", "/api/kpi/gaps"],
      ["excess", "/api/kpi/excess"],
      ["segments", "/api/kpi/segments"],
      ["turns", "/api/kpi/turns"],
      ["one SKU", `/api/skus/${sku}`],
      ["current cycle", "/api/cycles/current"],
    ];
    const rows: string[] = [];
    for (const [label, p] of endpoints) {
      const t = await timeIt(async () => {
        const res = await app.request(p);
        if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }, runs);
      rows.push(
        `| ${label} | \`${p}\` | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.p95 <= 150 ? "≤ 150 ✓" : "≤ 150 ✗"} |`,
      );
      console.error(`embedded ${label}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`);
    }
    const [c] = await db.sql`select (select count(*) from sales) as sales,
      (select count(*) from forecasts) as forecasts, (select count(*) from plan_lines) as lines`;
    console.log(
      `\n### KPI endpoints on the embedded database, demo company (${runs} runs each after 2 warm-ups)\n`,
    );
    console.log(`Machine: ${machine()}\n`);
    console.log(
      `Scale: ${company.company.name}, ${Number(c!.sales).toLocaleString("en-US")} sales rows, ${Number(c!.forecasts).toLocaleString("en-US")} forecast rows, ${Number(c!.lines).toLocaleString("en-US")} SKU-locations.\n`,
    );
    console.log("| endpoint | request | p50 ms | p95 ms | target p95 |");
    console.log("|---|---|---:|---:|---|");
    for (const r of rows) console.log(r);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serverBench(args: string[]): Promise<void> {
  const server = arg(
    args,
    "server",
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  const runs = Number(arg(args, "runs", "30"));
  const name = "sop_bench_kpi";
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
  try {
    await migrate(db.sql);
    let counts: Record<string, number> | undefined;
    if (!reuse) {
      console.error("generating 10,000 SKUs × 3 locations …");
      const t0 = performance.now();
      counts = await generateScale(db.sql);
      console.error(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`, counts);
      await db.sql`vacuum analyze`;
    }
    console.error("refreshing the plan …");
    const refresh = await ensurePlan(db.sql, { force: true });
    const config = loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: "silent" });
    const app = createApp({
      sql: db.sql,
      config,
      logger: createLogger("silent"),
      database: { kind: "server", where: name },
      version: "bench",
      now: () => new Date("2026-11-20T10:00:00Z"),
    });
    const floor = await timeIt(() => db.sql`select sum(units) from sales`, runs);
    const rows: string[] = [];
    for (const [label, path, target] of ENDPOINTS) {
      const t = await timeIt(async () => {
        const res = await app.request(path);
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }, runs);
      const verdict = target ? (t.p95 <= target ? `≤ ${target} ✓` : `≤ ${target} ✗`) : "–";
      rows.push(
        `| ${label} | \`${path}\` | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${verdict} | ${(t.p50 / floor.p50).toFixed(1)}× |`,
      );
      console.error(`${label}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`);
    }
    const [c] =
      await db.sql`select (select count(*) from sales) as sales, (select count(*) from forecasts) as forecasts,
      (select count(*) from plan_lines) as lines`;
    console.log(`\n### KPI endpoints on the PostgreSQL server (${runs} runs each after 2 warm-ups)\n`);
    console.log(`Machine: ${machine()}\n`);
    console.log(
      `Scale: ${Number(c!.sales).toLocaleString("en-US")} sales rows, ${Number(c!.forecasts).toLocaleString("en-US")} forecast rows, ${Number(c!.lines).toLocaleString("en-US")} SKU-locations. Plan refresh (materialisation after an import): ${refresh.seconds.toFixed(2)} s.\n`,
    );
    console.log(
      `Floor: \`SELECT sum(units) FROM sales\` p50 ${floor.p50.toFixed(1)} ms, p95 ${floor.p95.toFixed(1)} ms.\n`,
    );
    console.log("| endpoint | request | p50 ms | p95 ms | target p95 | p50 / floor |");
    console.log("|---|---|---:|---:|---|---:|");
    for (const r of rows) console.log(r);
  } finally {
    await db.close();
    if (!args.includes("--keep")) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
