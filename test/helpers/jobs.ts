/**
 * The cadence jobs wired as `sop serve` wires them (cli.ts), on a test database, against the
 * fake Slack, with a fixed clock; plus what the process and concurrency tests need: a second
 * connection pool, a data directory through which child `sop` processes join the test's
 * embedded database, and a logger whose lines can be read back.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import postgres from "postgres";
import { createApp } from "../../api/app.js";
import type { ChartRenderer } from "../../api/charts/render.js";
import { type ApiClient, createApiClient, inProcessClient } from "../../api/client.js";
import { zonedInstant } from "../../api/domain/calendar.js";
import { createLogger } from "../../api/logger.js";
import { type Config, loadConfig } from "../../config.js";
import { driverOptions, type Sql } from "../../db/client.js";
import { createScheduler, type Scheduler } from "../../jobs/scheduler.js";
import { createSlackPort } from "../../jobs/slack.js";
import type { FakeSlack } from "./fake-slack.js";
import type { TestDatabase } from "./test-db.js";

export interface Harness {
  scheduler: Scheduler;
  apiAt(at: Date): ApiClient;
  config: Config;
}

export interface HarnessOptions {
  /** The scheduler's clock (business time). */
  clock: Date | (() => Date);
  /** The fake Slack to post to; none: Slack not configured. */
  slack?: FakeSlack | undefined;
  env?: Record<string, string>;
  /** Another pool (a second replica). */
  sql?: Sql;
  logger?: Logger;
  chartRenderer?: Pick<ChartRenderer, "render">;
  claimant?: string;
  paceMs?: number;
  /** API paths that answer 500, as if the API had a bad moment. */
  failPaths?: RegExp;
}

export function jobsHarness(db: TestDatabase, o: HarnessOptions): Harness {
  const config = loadConfig({
    LOG_LEVEL: "silent",
    SOP_PUBLIC_URL: "https://sop.example.com",
    ...(o.slack ? { SLACK_BOT_TOKEN: o.slack.botToken, SLACK_API_URL: o.slack.url } : {}),
    ...o.env,
  });
  const logger = o.logger ?? createLogger("silent");
  const sql = o.sql ?? db.sql;
  let scheduler: Scheduler | undefined;
  const apiAt = (at: Date) => {
    const app = createApp({
      sql,
      config,
      logger: createLogger("silent"),
      database: { kind: db.kind, where: db.where },
      version: "test",
      now: () => at,
      jobs: () => scheduler,
      ...(o.chartRenderer ? { chartRenderer: o.chartRenderer } : {}),
    });
    const fail = o.failPaths;
    if (!fail) return inProcessClient(app, { actor: "sop-jobs" });
    return createApiClient(
      (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (fail.test(new URL(url).pathname)) {
          return Response.json(
            { error: { code: "internal", message: "the database went away" } },
            { status: 500 },
          );
        }
        return app.request(input instanceof Request ? input : url, init);
      },
      { actor: "sop-jobs" },
    );
  };
  const clock = typeof o.clock === "function" ? o.clock : () => o.clock as Date;
  scheduler = createScheduler({
    sql,
    apiAt,
    slack: o.slack
      ? createSlackPort({ token: o.slack.botToken, apiUrl: o.slack.url, logger, retries: 2 })
      : null,
    logger,
    config,
    clock,
    ...(o.claimant ? { claimant: o.claimant } : {}),
    paceMs: o.paceMs ?? 1000,
  });
  return { scheduler, apiAt, config };
}

/** A second postgres.js pool on the same database: another replica's connections. */
export function secondPool(db: TestDatabase): Sql {
  return db.engine === "server"
    ? postgres(db.url, { ...driverOptions(), max: 4 })
    : postgres({
        ...driverOptions(),
        path: db.url,
        user: "postgres",
        database: "postgres",
        max: 2,
        prepare: false,
      });
}

/**
 * Environment for a child `sop` process on the test database: DATABASE_URL for the server; for
 * the embedded engine, a data directory whose lock names this (live) process as the owner, so
 * the child joins the socket this process serves.
 */
export function childDatabaseEnv(db: TestDatabase): Record<string, string> {
  if (db.engine === "server") return { DATABASE_URL: db.url };
  const dir = path.dirname(db.url);
  writeFileSync(
    path.join(dir, "server.lock"),
    JSON.stringify({ pid: process.pid, socketPath: db.url, startedAt: new Date().toISOString() }),
  );
  return { SOP_DATA_DIR: dir };
}

/** A pino logger whose JSON lines are kept in `lines`. */
export function memoryLogger(): {
  logger: Logger;
  lines: { level: number; msg: string; [k: string]: unknown }[];
} {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

/** Forgets every run and message, so a test starts with an empty ledger. */
export async function clearJobs(sql: Sql): Promise<void> {
  await sql`delete from outbox_files`;
  await sql`delete from outbox`;
  await sql`delete from job_runs`;
}

/** The instant a wall-clock time ("2026-11-16T09:00") is in Denver, the demo's zone. */
export function denver(local: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`bad local time ${local}`);
  return zonedInstant(m[1]!, "America/Denver", Number(m[2]), Number(m[3]));
}
