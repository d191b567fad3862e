/**
 * Import benchmark: 1,000,000 sales rows (10,000 SKUs × 3 locations × ~33 months) imported into
 * the PostgreSQL server and into the embedded database, against the floor: a plain COPY of the
 * same file into an unindexed table. Each import runs in its own process so its peak RSS is
 * its own.
 *
 *   npm run bench -- import [--rows 1000000] [--server postgres://…] [--skip-embedded]
 */
import { execFileSync, spawn } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { machine } from "./machine.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DATA = path.join(ROOT, "bench/.data");

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

/** Deterministic items and sales files; cached between runs. */
function generate(rows: number): { items: string; sales: string } {
  mkdirSync(DATA, { recursive: true });
  const items = path.join(DATA, "items-10k.csv");
  const sales = path.join(DATA, `sales-${rows}.csv`);
  const skus = 10_000;
  if (!existsSync(items)) {
    const lines = ["sku,name,family,unit_cost,unit_price,lead_time_days,service_level"];
    for (let i = 0; i < skus; i++) {
      lines.push(
        `SKU-${String(i).padStart(5, "0")},Item ${i},FAM-${i % 40},${(2 + (i % 50)).toFixed(2)},${(5 + (i % 90)).toFixed(2)},${15 + (i % 60)},0.95`,
      );
    }
    writeFileSync(items, `${lines.join("\n")}\n`);
  }
  if (!existsSync(sales)) {
    const months = Math.ceil(rows / (skus * 3));
    const chunks: string[] = ["sku,location,period,units,revenue\n"];
    let n = 0;
    let seed = 42;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const locs = ["MAIN", "EAST", "WEST"];
    outer: for (let m = 0; m < months; m++) {
      const y = 2023 + Math.floor(m / 12);
      const period = `${y}-${String((m % 12) + 1).padStart(2, "0")}`;
      let block = "";
      for (let i = 0; i < skus; i++) {
        for (const loc of locs) {
          if (n++ >= rows) {
            chunks.push(block);
            break outer;
          }
          const units = Math.floor(rand() * 200);
          block += `SKU-${String(i).padStart(5, "0")},${loc},${period},${units},${rand() < 0.5 ? (units * 9.5).toFixed(2) : ""}\n`;
        }
      }
      chunks.push(block);
    }
    writeFileSync(sales, chunks.join(""));
  }
  return { items, sales };
}

interface Run {
  seconds: number;
  rows: number;
  maxRssMb: number;
}

/** Runs `sop import` in a child process and reads its peak RSS. */
function importInChild(env: Record<string, string>, kind: string, file: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "bench/import-child.ts"), kind, file],
      {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: "warn", ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`import child exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as Run);
    });
  });
}

async function floorCopy(url: string, file: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`drop table if exists bench_floor`;
    await sql`create table bench_floor (sku text, location text, period text, units double precision, revenue numeric)`;
    const t0 = performance.now();
    const writable = await sql`copy bench_floor from stdin with (format csv, header true)`.writable();
    await pipeline(createReadStream(file), writable);
    const seconds = (performance.now() - t0) / 1000;
    await sql`drop table bench_floor`;
    return seconds;
  } finally {
    await sql.end();
  }
}

export async function main(args: string[]): Promise<void> {
  const rows = Number(arg(args, "rows", "1000000"));
  const server = arg(
    args,
    "server",
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  const skipEmbedded = args.includes("--skip-embedded");
  console.error(`generating ${rows.toLocaleString("en-US")} sales rows…`);
  const { items, sales } = generate(rows);
  const mb = statSync(sales).size / 1e6;

  const results: { engine: string; run: Run; floor?: number }[] = [];

  // PostgreSQL server: a fresh database.
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const name = "sop_bench_import";
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const env = { DATABASE_URL: url.toString() };
  try {
    console.error("server: migrating and importing items…");
    execFileSync(process.execPath, ["--import", "tsx", "cli.ts", "import", "items", items], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: "warn" },
      stdio: "ignore",
    });
    console.error("server: floor (plain COPY into an unindexed table)…");
    const floor = await floorCopy(url.toString(), sales);
    console.error("server: importing sales…");
    const first = await importInChild(env, "sales", sales);
    results.push({ engine: "PostgreSQL 15 server, first import (all inserts)", run: first, floor });
    console.error("server: re-importing the same file…");
    const again = await importInChild(env, "sales", sales);
    results.push({ engine: "PostgreSQL 15 server, re-import (all unchanged)", run: again, floor });
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }

  if (!skipEmbedded) {
    const dir = path.join(DATA, "embedded");
    rmSync(dir, { recursive: true, force: true });
    const eenv = { SOP_DATA_DIR: dir, SOP_DEMO: "false" };
    console.error("embedded: creating the database and importing items…");
    execFileSync(process.execPath, ["--import", "tsx", "cli.ts", "import", "items", items], {
      cwd: ROOT,
      env: { ...process.env, ...eenv, LOG_LEVEL: "warn" },
      stdio: "ignore",
    });
    console.error("embedded: importing sales…");
    const run = await importInChild(eenv, "sales", sales);
    results.push({ engine: "embedded (PGlite), first import", run });
    rmSync(dir, { recursive: true, force: true });
  }

  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  console.log(`\n### Import: ${n(rows)} sales rows (${mb.toFixed(1)} MB CSV), 10,000 SKUs × 3 locations\n`);
  console.log(`Machine: ${machine()}\n`);
  console.log("| engine | seconds | rows/s | peak RSS | plain COPY (floor) | ratio to floor |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of results) {
    console.log(
      `| ${r.engine} | ${r.run.seconds.toFixed(2)} | ${n(r.run.rows / r.run.seconds)} | ${n(r.run.maxRssMb)} MB | ${r.floor ? `${r.floor.toFixed(2)} s` : "–"} | ${r.floor ? `${(r.run.seconds / r.floor).toFixed(2)}×` : "–"} |`,
    );
  }
}
