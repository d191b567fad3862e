/**
 * Jobs benchmark, at the KPI benchmark's scale on the PostgreSQL server (10,000 SKUs × 3
 * locations, 1.08 M sales rows, 4.7 M forecast rows; bench/kpi.ts generates it):
 *
 * 1. The monthly pack end to end: the API calls for its data, four chart PNGs rendered by the
 *    API's worker pool, the outbox, and the posts to the fake Slack (the message, then the charts
 *    through the upload v2 flow: the channel's pace allows the two back to back). Target ≤ 3 s.
 *    Also its parts: composing alone (a dry run: data and charts) and sending.
 * 2. One chart render: p50 on the worker pool (what a caller waits), and through the API
 *    (GET /api/charts/<name>.png: the chart's data too).
 * 3. The API's event-loop delay p99 while charts render: during the monthly pack runs, and under
 *    a burst of 20 concurrent PNG requests, against rendering on the API's own thread.
 *
 *   npm run bench -- jobs [--server postgres://…] [--runs 10] [--keep]
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import postgres from "postgres";
import { createApp } from "../api/app.js";
import {
  buildChart,
  chartNames,
  charts,
  closeChartRenderer,
  createChartRenderer,
} from "../api/charts/index.js";
import type { ChartRenderer } from "../api/charts/render.js";
import { inProcessClient } from "../api/client.js";
import { createLogger } from "../api/logger.js";
import { ensurePlan } from "../api/services/plan-refresh.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createScheduler } from "../jobs/scheduler.js";
import { createSlackPort } from "../jobs/slack.js";
import { startFakeSlack } from "../test/helpers/fake-slack.js";
import { generateScale, percentile } from "./kpi.js";
import { machine } from "./machine.js";

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

/** Wednesday 2026-11-18 09:00 UTC: two business days before the executive S&OP (Nov 20). */
const PACK_AT = new Date("2026-11-18T09:00:00Z");
const CHANNEL = "C0SOPBENCH";

const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Event-loop delay (ms) of this thread while `fn` runs. */
async function loopDelay<T>(fn: () => Promise<T>): Promise<{ p99: number; max: number; result: T }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await new Promise((r) => setTimeout(r, 20));
  const result = await fn();
  await new Promise((r) => setTimeout(r, 30));
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, result };
}

export async function main(args: string[]): Promise<void> {
  const server = arg(
    args,
    "server",
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  const runs = Number(arg(args, "runs", "10"));
  const name = "sop_bench_jobs";
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
  const fake = await startFakeSlack({ channelNames: { "#sop-bench": CHANNEL } });
  try {
    await migrate(db.sql);
    const config = loadConfig({
      DATABASE_URL: url.toString(),
      LOG_LEVEL: "silent",
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.url,
    });
    const logger = createLogger("silent");
    const appAt = (at: Date, renderer?: Pick<ChartRenderer, "render">) =>
      createApp({
        sql: db.sql,
        config,
        logger,
        database: { kind: "server", where: name },
        version: "bench",
        now: () => at,
        ...(renderer ? { chartRenderer: renderer } : {}),
      });
    if (!reuse) {
      console.error("generating 10,000 SKUs × 3 locations …");
      await generateScale(db.sql);
      await db.sql`vacuum analyze`;
      const api = inProcessClient(appAt(PACK_AT), { actor: "bench" });
      const check = async (res: Response, what: string) => {
        if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
      };
      await check(
        await api.api.settings.$put({ json: { company: { name: "Bench Co.", channel: "#sop-bench" } } }),
        "settings",
      );
      for (const [id, n, roles] of [
        ["U0BENCH001", "Pat Planner", ["planner"]],
        ["U0BENCH002", "Sam Sales", ["sales", "marketing"]],
        ["U0BENCH003", "Ola Ops", ["operations"]],
        ["U0BENCH004", "Fin Ance", ["finance"]],
        ["U0BENCH005", "Eve Exec", ["executive"]],
      ] as const) {
        await check(
          await api.api.people[":slackUserId"].$put({
            param: { slackUserId: id },
            json: { name: n, roles: [...roles] },
          }),
          `person ${id}`,
        );
      }
      await check(await api.api.cycles.$post({ json: { month: "2026-11" } }), "cycle");
    }
    console.error("refreshing the plan …");
    await ensurePlan(db.sql, { force: !reuse });

    const scheduler = createScheduler({
      sql: db.sql,
      apiAt: (at) => inProcessClient(appAt(at), { actor: "sop-jobs" }),
      slack: createSlackPort({ token: fake.botToken, apiUrl: fake.url, logger }),
      logger,
      config,
      clock: () => PACK_AT,
    });
    const warm = await scheduler.dryRun("monthly-pack", PACK_AT);
    if (warm.outcome.status !== "dry-run")
      throw new Error(`no monthly pack at ${PACK_AT.toISOString()}: ${warm.outcome.reason}`);

    // 1. The monthly pack: composing alone, and the whole run with the posts.
    const compose: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await scheduler.dryRun("monthly-pack", PACK_AT);
      compose.push(performance.now() - t0);
    }
    const totals: number[] = [];
    const packDelays: number[] = [];
    for (let i = 0; i < runs; i++) {
      await db.sql`delete from outbox_files`;
      await db.sql`delete from outbox`;
      await db.sql`delete from job_runs`;
      fake.reset();
      const { p99, result } = await loopDelay(async () => {
        const t0 = performance.now();
        const outcome = await scheduler.run("monthly-pack", { at: PACK_AT, trigger: "manual" });
        totals.push(performance.now() - t0);
        return outcome;
      });
      packDelays.push(p99);
      if (result.status !== "done" || result.outbox?.sent !== 2) {
        throw new Error(`monthly pack did not post: ${JSON.stringify(result.outbox)} ${result.reason ?? ""}`);
      }
      if (fake.files.length !== 4 || fake.files.some((f) => f.png?.width !== 1600)) {
        throw new Error(`expected 4 PNGs of 1600 px on the fake, got ${fake.files.length}`);
      }
    }

    // 2. One chart render: the worker pool alone, and through the API with its data.
    const config0 = buildChart("forecast-vs-actual", charts["forecast-vs-actual"].example);
    const pool = createChartRenderer({});
    await pool.render(config0);
    const renders: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await pool.render(config0);
      renders.push(performance.now() - t0);
    }
    await pool.close();
    const api = inProcessClient(appAt(PACK_AT));
    const png = async (chart: string) => {
      const res = await api.api.charts[":file"].$get({ param: { file: `${chart}.png` }, query: {} });
      if (res.status !== 200) throw new Error(`${chart}.png: ${res.status}`);
      await res.arrayBuffer();
    };
    const viaApi: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await png("forecast-vs-actual");
      viaApi.push(performance.now() - t0);
    }

    // 3. The API's event loop under 20 concurrent PNG requests: worker pool vs the API's thread.
    const burst = (client: ReturnType<typeof inProcessClient>) =>
      Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const chart = chartNames[i % chartNames.length]!;
          const res = await client.api.charts[":file"].$get({ param: { file: `${chart}.png` }, query: {} });
          if (res.status !== 200) throw new Error(`${chart}.png: ${res.status}`);
          await res.arrayBuffer();
        }),
      );
    await burst(api);
    const onPool = await loopDelay(() => burst(api));
    const inline = createChartRenderer({ inline: true });
    const inlineApi = inProcessClient(appAt(PACK_AT, inline));
    await burst(inlineApi);
    const onThread = await loopDelay(() => burst(inlineApi));
    await inline.close();

    const [c] =
      await db.sql`select (select count(*) from sales) as sales, (select count(*) from forecasts) as forecasts,
      (select count(*) from plan_lines) as lines`;
    const t = sorted(totals);
    const cp = sorted(compose);
    const r = sorted(renders);
    const v = sorted(viaApi);
    const d = sorted(packDelays);
    console.log(`\n### Jobs: the monthly pack and chart rendering (${runs} runs)\n`);
    console.log(`Machine: ${machine()}\n`);
    console.log(
      `Scale: ${Number(c!.sales).toLocaleString("en-US")} sales rows, ${Number(c!.forecasts).toLocaleString("en-US")} forecast rows, ${Number(c!.lines).toLocaleString("en-US")} SKU-locations (the KPI benchmark's company) on the PostgreSQL server; the fake Slack on loopback.\n`,
    );
    console.log("| measure | p50 | max | target |");
    console.log("|---|---:|---:|---|");
    console.log(
      `| monthly pack, total: data, 4 charts, outbox, message + upload v2 to the fake Slack | ${ms(percentile(t, 50))} ms | ${ms(t.at(-1)!)} ms | ≤ 3000 ms ${t.at(-1)! <= 3000 ? "✓" : "✗"} |`,
    );
    console.log(
      `| … of which composing (API data + 4 PNGs, a dry run) | ${ms(percentile(cp, 50))} ms | ${ms(cp.at(-1)!)} ms | |`,
    );
    console.log(
      `| … of which sending (outbox, message, 4 PNGs through upload v2, ledger) | ${ms(percentile(t, 50) - percentile(cp, 50))} ms | | |`,
    );
    console.log(
      `| one chart render on the worker pool (forecast-vs-actual, 1600×800) | ${ms(percentile(r, 50))} ms | ${ms(r.at(-1)!)} ms | |`,
    );
    console.log(
      `| one chart through the API (GET …/forecast-vs-actual.png: data + render) | ${ms(percentile(v, 50))} ms | ${ms(v.at(-1)!)} ms | |`,
    );
    console.log(
      `| API event-loop delay p99 during a monthly pack run | ${ms(percentile(d, 50))} ms | ${ms(d.at(-1)!)} ms | |`,
    );
    console.log("\nThe API's event loop while 20 chart PNG requests run at once:\n");
    console.log("| rendering | event-loop delay p99 | max |");
    console.log("|---|---:|---:|");
    console.log(`| worker pool (as served) | ${ms(onPool.p99)} ms | ${ms(onPool.max)} ms |`);
    console.log(`| on the API's thread (for contrast) | ${ms(onThread.p99)} ms | ${ms(onThread.max)} ms |`);
  } finally {
    await closeChartRenderer();
    await fake.close();
    await db.close();
    if (!args.includes("--keep")) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
