/**
 * Forecast benchmark: 30,000 SKU-locations × 36 months. The whole `sop forecast run` path
 * (reading the history, the models on every core, writing 360,000 statistical rows with their
 * models, rebuilding the cycle's consensus) on the PostgreSQL server and on the embedded
 * database, first run and re-run; and the models alone, on one thread and on worker threads.
 * Each measured step runs in its own process so its peak RSS is its own (for the embedded
 * database that includes PGlite, which runs inside the process).
 *
 *   npm run bench -- forecast-run [--server postgres://…] [--skip-embedded] [--skip-server]
 */
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { benchFiles, CYCLE, MONTHS, SERIES } from "./forecast-run-data.js";
import { machine } from "./machine.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

function child<T>(env: Record<string, string>, ...args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const c = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "bench/forecast-run-child.ts"), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: "warn", ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    c.stdout.on("data", (d) => {
      out += d;
    });
    c.once("close", (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as T);
    });
  });
}

function cli(env: Record<string, string>, ...args: string[]): void {
  execFileSync(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

interface RunResult {
  seconds: number;
  maxRssMb: number;
  run: {
    series: number;
    rows: number;
    workers: number;
    timings: Record<string, number>;
    statistical: Record<string, number>;
    consensus: Record<string, number>;
  };
}

export async function main(args: string[]): Promise<void> {
  const server = arg(
    args,
    "server",
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  console.error(`generating ${SERIES.toLocaleString("en-US")} series × ${MONTHS} months…`);
  const files = benchFiles();
  const runs: { engine: string; label: string; r: RunResult }[] = [];

  if (!args.includes("--skip-server")) {
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    const name = "sop_bench_forecast";
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const env = { DATABASE_URL: url.toString(), SOP_DEMO: "false" };
    try {
      console.error("server: importing items and sales…");
      cli(env, "import", "items", files.items);
      cli(env, "import", "sales", files.sales);
      await postgres(url.toString(), { max: 1, onnotice: () => {} }).begin(async (s) => {
        await s`analyze`;
      });
      console.error("server: forecast run…");
      runs.push({
        engine: "PostgreSQL server",
        label: "first run of the cycle",
        r: await child<RunResult>(env, "run"),
      });
      console.error("server: forecast run again (replacing the cycle's rows)…");
      runs.push({
        engine: "PostgreSQL server",
        label: "re-run (replaces)",
        r: await child<RunResult>(env, "run"),
      });
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }

  if (!args.includes("--skip-embedded")) {
    const dir = path.join(ROOT, "bench/.data/forecast-embedded");
    rmSync(dir, { recursive: true, force: true });
    const env = { SOP_DATA_DIR: dir, SOP_DEMO: "false" };
    try {
      console.error("embedded: importing items and sales…");
      cli(env, "import", "items", files.items);
      cli(env, "import", "sales", files.sales);
      console.error("embedded: forecast run…");
      runs.push({
        engine: "embedded (PGlite)",
        label: "first run of the cycle",
        r: await child<RunResult>(env, "run"),
      });
      console.error("embedded: forecast run again…");
      runs.push({
        engine: "embedded (PGlite)",
        label: "re-run (replaces)",
        r: await child<RunResult>(env, "run"),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  console.error("models alone…");
  const cores = availableParallelism();
  const models: { workers: number; seconds: number; maxRssMb: number }[] = [];
  for (const workers of [0, cores]) {
    models.push(
      await child<{ workers: number; seconds: number; maxRssMb: number }>({}, "models", String(workers)),
    );
  }

  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const written = (c: Record<string, number>) => (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0);
  const s = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(2));
  console.log(
    `\n### Forecast run: ${n(SERIES)} SKU-locations × ${MONTHS} months of history (${n(files.rows)} sales rows), cycle ${CYCLE}, horizon 12\n`,
  );
  console.log(`Machine: ${machine()}\n`);
  console.log(
    "| engine | run | series | rows written (statistical + consensus) | workers | history (s) | models (s) | statistical rows (s) | consensus (s) | total (s) | peak RSS | target ≤ 20 s |",
  );
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const { engine, label, r } of runs) {
    const t = r.run.timings;
    console.log(
      `| ${engine} | ${label} | ${n(r.run.series)} | ${n(written(r.run.statistical))} + ${n(written(r.run.consensus))} | ${r.run.workers} | ${s(t.history)} | ${s(t.forecast)} | ${s(t["write.statistical"])} | ${s(t["write.consensus"])} | ${s(r.seconds)} | ${n(r.maxRssMb)} MB | ${r.seconds <= 20 ? "✓" : "✗"} |`,
    );
  }
  console.log("\nThe models alone (the same 30,000 series, in memory, automatic selection):\n");
  console.log("| threads | seconds | per series (µs) | peak RSS |");
  console.log("|---|---:|---:|---:|");
  for (const m of models) {
    console.log(
      `| ${m.workers === 0 ? "1 (the calling thread)" : `${m.workers} worker threads`} | ${m.seconds.toFixed(2)} | ${n((m.seconds * 1e6) / SERIES)} | ${n(m.maxRssMb)} MB |`,
    );
  }
}
