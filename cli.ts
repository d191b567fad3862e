#!/usr/bin/env node
import { once } from "node:events";
/**
 * The `sop` command and the one composition root: it reads the configuration, opens the
 * database and wires the API, the bot and the jobs together.
 */
import { createReadStream, createWriteStream, existsSync, realpathSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { createApp } from "./api/app.js";
import { type ApiClient, inProcessClient } from "./api/client.js";
import { DEMO_TIMEZONE, loadDemoCompany } from "./api/demo-company.js";
import { localPeriod } from "./api/domain/calendar.js";
import { periodRange } from "./api/domain/periods.js";
import { AppError } from "./api/errors.js";
import { createLogger, type Logger } from "./api/logger.js";
import { startHttpServer } from "./api/server.js";
import { forecastsCsv } from "./api/services/forecast-export.js";
import {
  type ForecastRunJson,
  MAX_HORIZON,
  type RunPhase,
  runForecast,
} from "./api/services/forecast-run.js";
import { ensurePlan } from "./api/services/plan-refresh.js";
import { version } from "./api/version.js";
import { type Bot, createBot } from "./bot/app.js";
import { coalescedInProcessClient } from "./bot/coalesce.js";
import { createRouter } from "./bot/commands/router.js";
import { ConsoleError, ConsoleSession, runConsole } from "./bot/console.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { generateDemo } from "./db/demo/generate.js";
import { writeDemoCsv } from "./db/demo/write-csv.js";
import { ImportAbortedError, type ImportResult, importCsv } from "./db/import/import.js";
import { FORECAST_SOURCES, IMPORT_KINDS, type ImportKind, isImportKind } from "./db/import/kinds.js";
import { migrate, migrationStatus } from "./db/migrate.js";
import { markAbandonedRuns } from "./db/repositories/imports.js";
import { listItems } from "./db/repositories/items.js";
import { getCompany, seedTimezone } from "./db/repositories/settings.js";
import * as jobCommands from "./jobs/commands.js";
import { JOB_NAMES } from "./jobs/registry.js";
import { createScheduler, type Scheduler } from "./jobs/scheduler.js";
import { createSlackPort } from "./jobs/slack.js";

/** Exit codes: 0 ok, 1 the input was refused, 2 usage or configuration, 3 conflict, 130/143 interrupted. */
const EXIT = { ok: 0, refused: 1, usage: 2, conflict: 3, failure: 4 } as const;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function settings(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function open(config: Config, logger: Logger, options: { takeover?: boolean } = {}): Promise<Database> {
  const db = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolMax: config.database.poolMax,
    logger: logger.child({ module: "db" }),
    takeover: options.takeover ?? false,
  });
  // A process that joined another's embedded database can see it go away while starting
  // (the owner exits); it takes over within a second, so retry the first statement briefly.
  const applied = await retryWhileReconnecting(() => migrate(db.sql, logger.child({ module: "migrate" })));
  if (applied.length > 0) logger.info({ applied }, "database migrated");
  if (config.company.timezone && (await seedTimezone(db.sql, config.company.timezone))) {
    logger.info({ timezone: config.company.timezone }, "company time zone set from SOP_TIMEZONE");
  }
  return db;
}

async function retryWhileReconnecting<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const transient =
        code === "CONNECTION_CLOSED" ||
        code === "ECONNREFUSED" ||
        code === "ENOENT" ||
        code === "CONNECTION_ENDED";
      if (!transient || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Runs `fn` with the database open, closing it whatever happens. */
async function withDatabase<T>(fn: (db: Database, config: Config, logger: Logger) => Promise<T>): Promise<T> {
  const config = settings();
  const logger = createLogger(config.log.level === "info" ? "warn" : config.log.level);
  const db = await open(config, logger);
  try {
    return await fn(db, config, logger);
  } finally {
    await db.close();
  }
}

// ------------------------------------------------------------------ jobs wiring

interface JobsRuntime {
  scheduler: Scheduler;
  /** The API's typed client, in-process, with its clock at `at`. */
  apiAt(at: Date): ApiClient;
  /** The API's typed client acting as `actor` (the audit trail), on the system clock. */
  apiAs(actor: string): ApiClient;
}

/**
 * The cadence jobs over the API: each run calls an app whose clock is the run's time, so a run
 * `--at` a time sees the cycle (overdue steps, the current month) as it stood then.
 */
function jobsRuntime(db: Database, config: Config, logger: Logger): JobsRuntime {
  let scheduler: Scheduler | undefined;
  const apiLogger = logger.child({ module: "api" });
  const app = (now: () => Date) =>
    createApp({
      sql: db.sql,
      config,
      logger: apiLogger,
      database: { kind: db.kind, where: db.where },
      version: version(),
      now,
      jobs: () => scheduler,
    });
  const apiAt = (at: Date) =>
    inProcessClient(
      app(() => at),
      { token: config.api.token, actor: "sop-jobs" },
    );
  const apiAs = (actor: string) =>
    inProcessClient(
      app(() => new Date()),
      { token: config.api.token, actor },
    );
  const slack = config.slack.botToken
    ? createSlackPort({
        token: config.slack.botToken,
        apiUrl: config.slack.apiUrl,
        logger: logger.child({ module: "slack" }),
      })
    : null;
  scheduler = createScheduler({
    sql: db.sql,
    apiAt,
    slack,
    logger: logger.child({ module: "jobs" }),
    config,
  });
  return { scheduler, apiAt, apiAs };
}

// ------------------------------------------------------------------ demo

interface DemoProgress {
  state: "loading" | "loaded" | "failed";
  step: string;
}

/** Is there no fact base yet (no items)? Then the demo company may be loaded. */
async function isEmpty(db: Database): Promise<boolean> {
  const { items } = await listItems(db.sql, { limit: 1, offset: 0 });
  return items.length === 0;
}

async function demoCommand(options: { csv?: string; anchor?: string; force?: boolean }): Promise<void> {
  if (options.anchor && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.anchor)) {
    throw new CliError(`--anchor ${options.anchor}: expected a month YYYY-MM`, EXIT.usage);
  }
  if (options.csv) {
    const company = generateDemo({ anchor: options.anchor ?? localPeriod(new Date(), DEMO_TIMEZONE) });
    const files = await writeDemoCsv(company, options.csv);
    console.log(`wrote ${files.length} files of ${company.company.name} to ${options.csv}:`);
    for (const f of files) console.log(`  ${f}`);
    console.log(`load them with: sop import ${options.csv}`);
    return;
  }
  await withDatabase(async (db, config, logger) => {
    if (!options.force && !(await isEmpty(db))) {
      throw new CliError(
        "the database already has items: sop demo loads into an empty database (use --force to merge the demo in anyway)",
        EXIT.conflict,
      );
    }
    const app = createApp({
      sql: db.sql,
      config,
      logger: logger.child({ module: "api" }),
      database: { kind: db.kind, where: db.where },
      version: version(),
      now: () => new Date(),
    });
    const company = await loadDemoCompany(db, app, logger, {
      ...(options.anchor ? { anchor: options.anchor } : {}),
      now: new Date(),
      progress: (step) => process.stderr.write(`demo: ${step}\n`),
    });
    console.log(`loaded ${company.company.name}: ${company.people.length} people, anchor ${company.anchor}`);
  });
}

// ------------------------------------------------------------------ serve

/** Error codes of a database connection that went away (the driver's and the socket's). */
const DROPPED_CONNECTION = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ENOENT",
]);

async function serveCommand(): Promise<void> {
  const config = settings();
  const logger = createLogger(config.log.level);
  const log = logger.child({ module: "serve" });
  const started = performance.now();
  const db = await open(config, logger, { takeover: true });
  log.info({ database: db.kind, where: db.where }, "database ready");
  const interrupted = await markAbandonedRuns(db.sql, pidAlive);
  if (interrupted > 0) log.warn({ interrupted }, "marked imports left unfinished by a stopped process");

  // postgres.js fetches the array types on every new connection and leaves a failure of that
  // query unhandled (connection.js, fetchArrayTypes); when the embedded database changes hands
  // (its owning process stops) a connection can drop right then, and Node would stop this process
  // too. The pool reconnects by itself: log it and carry on. Anything else still stops the process.
  process.on("unhandledRejection", (reason) => {
    const code = (reason as { code?: unknown } | null)?.code;
    if (typeof code === "string" && DROPPED_CONNECTION.has(code)) {
      log.warn({ err: reason }, "a database connection dropped while it was being set up; it reconnects");
      return;
    }
    throw reason;
  });

  const abort = new AbortController();
  let demo: DemoProgress | undefined;
  let bot: Bot | undefined;
  const slackOverHttp = config.slack.enabled && !config.slack.appToken;
  const jobs = jobsRuntime(db, config, logger);
  const app = createApp({
    sql: db.sql,
    config,
    logger: logger.child({ module: "api" }),
    database: { kind: db.kind, where: db.where },
    version: version(),
    now: () => new Date(),
    shutdownSignal: abort.signal,
    demoProgress: () => demo,
    jobs: () => jobs.scheduler,
    ...(slackOverHttp
      ? {
          slackEvents: (request: Request) =>
            bot ? bot.handle(request) : Promise.resolve(new Response(null, { status: 503 })),
        }
      : {}),
  });
  bot = await startBot(config, app, logger);
  const server = await startHttpServer({
    fetch: app.fetch,
    port: config.server.port,
    host: config.server.host,
    logger: log,
    abort,
  });
  log.info(
    { url: server.url, seconds: Math.round(performance.now() - started) / 1000, version: version() },
    `sop is running at ${server.url}`,
  );

  let stopping = false;
  // The demo loads after the server answers: items first, then the rest in short imports.
  let demoLoaded: Promise<unknown> = Promise.resolve();
  if (config.demo && (await isEmpty(db))) {
    demo = { state: "loading", step: "starting" };
    log.info("the database is empty: loading the demo company (set SOP_DEMO=false to start empty)");
    demoLoaded = loadDemoCompany(db, app, logger.child({ module: "demo" }), {
      now: new Date(),
      progress: (step) => {
        demo = { state: "loading", step };
      },
    })
      .then(() => {
        demo = { state: "loaded", step: "done" };
      })
      .catch((error) => {
        demo = { state: "failed", step: String((error as Error).message) };
        log.error({ err: error }, "could not load the demo company");
      });
  }

  // The jobs start once the demo is in (a cycle opened meanwhile would stop the demo's own).
  let jobsStarted: Promise<void> = Promise.resolve();
  if (config.jobs.enabled) {
    jobsStarted = demoLoaded
      .then(() => (stopping ? undefined : jobs.scheduler.start()))
      .catch((error) => log.error({ err: error }, "could not start the jobs"));
  } else {
    log.info("the cadence jobs are off (SOP_JOBS=false): `sop jobs run NAME` runs one by hand");
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: no new requests, finishing the ones in flight");
    try {
      await jobsStarted;
      await jobs.scheduler.stop(config.server.shutdownTimeoutMs);
      await server.close(config.server.shutdownTimeoutMs);
      // Slack answers acknowledged before the server closed still need the database.
      await bot?.stop();
      await db.close();
      log.info("stopped cleanly");
      process.exitCode = 0;
    } catch (error) {
      log.error({ err: error }, "error while shutting down");
      process.exitCode = 1;
    }
    // Give pino a moment to flush, then leave even if a stray handle is open.
    setTimeout(() => process.exit(), 200).unref();
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

// ------------------------------------------------------------------ slack bot

/**
 * The Slack bot, when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set: over HTTP on this
 * server's POST /slack/events, or over Socket Mode with SLACK_APP_TOKEN. Otherwise the server
 * runs without it and says how to turn it on.
 */
async function startBot(
  config: Config,
  app: ReturnType<typeof createApp>,
  logger: Logger,
): Promise<Bot | undefined> {
  const log = logger.child({ module: "bot" });
  const { botToken, signingSecret, appToken } = config.slack;
  if (!config.slack.enabled) {
    const missing = [!botToken && "SLACK_BOT_TOKEN", !signingSecret && "SLACK_SIGNING_SECRET"].filter(
      Boolean,
    );
    log.info(
      { missing },
      `the Slack bot is off: set ${missing.join(" and ")} to turn it on (and SLACK_APP_TOKEN for Socket Mode); README "Slack" shows how. Try the bot without Slack: sop console`,
    );
    return undefined;
  }
  const bot = await createBot({
    slack: config.slack,
    publicUrl: config.server.publicUrl,
    api: coalescedInProcessClient(app, { token: config.api.token, actor: "slack" }),
    logger: log,
  });
  bot.start().then(
    (me) =>
      log.info(
        { team: me.team, botUserId: me.botUserId, mode: bot.mode },
        appToken
          ? "the Slack bot is connected over Socket Mode"
          : `the Slack bot answers at ${config.server.publicUrl}/slack/events`,
      ),
    (error: unknown) =>
      log.error(
        { err: error },
        "Slack refused the bot's start (check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL); the API keeps running",
      ),
  );
  return bot;
}

// ------------------------------------------------------------------ console, ask

/** The in-process API and the router, as the bot has them, for the console and `sop ask`. */
async function withBotApi<T>(
  fn: (deps: { session: (write: (t: string) => void) => ConsoleSession; config: Config }) => Promise<T>,
): Promise<T> {
  return withDatabase(async (db, config, logger) => {
    const app = createApp({
      sql: db.sql,
      config,
      logger: logger.child({ module: "api" }),
      database: { kind: db.kind, where: db.where },
      version: version(),
      now: () => new Date(),
    });
    const router = await createRouter(logger.child({ module: "commands" }));
    const deps = {
      api: inProcessClient(app, { token: config.api.token, actor: "console" }),
      router,
      publicUrl: config.server.publicUrl,
      color: Boolean(process.stdout.isTTY) && config.terminal.color,
    };
    return fn({ session: (write) => new ConsoleSession(deps, write), config });
  });
}

async function askCommand(words: string[], options: { as?: string }): Promise<void> {
  await withBotApi(async ({ session }) => {
    const s = session((t) => process.stdout.write(t));
    try {
      await s.actAs(options.as);
    } catch (error) {
      if (error instanceof ConsoleError) throw new CliError(error.message, EXIT.usage);
      throw error;
    }
    const ok = await s.ask(words.join(" "));
    if (!ok) process.exitCode = EXIT.refused;
  });
}

async function consoleCommand(options: { as?: string }): Promise<void> {
  await withBotApi(async ({ session }) => {
    const s = session((t) => process.stdout.write(t));
    try {
      await runConsole(s.deps, {
        as: options.as,
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY,
      });
    } catch (error) {
      if (error instanceof ConsoleError) throw new CliError(error.message, EXIT.usage);
      throw error;
    }
  });
}

// ------------------------------------------------------------------ migrate

async function migrateCommand(options: { status?: boolean }): Promise<void> {
  await withDatabase(async (db) => {
    if (options.status) {
      const s = await migrationStatus(db.sql);
      console.log(
        `schema version ${s.current} of ${s.latest}${s.pending.length ? `; pending: ${s.pending.join(", ")}` : ""}`,
      );
      return;
    }
    const s = await migrationStatus(db.sql);
    console.log(`database (${db.kind}, ${db.where}) is at schema version ${s.current}: up to date`);
  });
}

// ------------------------------------------------------------------ import

function parseKind(value: string): ImportKind {
  if (!isImportKind(value)) throw new InvalidArgumentError(`expected one of ${IMPORT_KINDS.join(", ")}`);
  return value;
}

async function importCommand(kindOrDir: string, file: string | undefined): Promise<void> {
  const jobs: { kind: ImportKind; file: string }[] = [];
  if (file === undefined) {
    if (!existsSync(kindOrDir) || !statSync(kindOrDir).isDirectory()) {
      throw new CliError(
        `give a kind and a file (sop import sales sales.csv) or a folder holding ${IMPORT_KINDS.map((k) => `${k}.csv`).join(", ")}`,
        EXIT.usage,
      );
    }
    for (const kind of IMPORT_KINDS) {
      const f = path.join(kindOrDir, `${kind}.csv`);
      if (existsSync(f)) jobs.push({ kind, file: f });
    }
    if (jobs.length === 0)
      throw new CliError(`no ${IMPORT_KINDS.join("/")}.csv file in ${kindOrDir}`, EXIT.usage);
  } else {
    const kind = parseKind(kindOrDir);
    if (!existsSync(file)) throw new CliError(`${file}: no such file`, EXIT.usage);
    jobs.push({ kind, file });
  }

  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the import; nothing of it will be written\n`);
    abort.abort();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);

  try {
    await withDatabase(async (db, _config, logger) => {
      for (const job of jobs) {
        const result = await importOne(db, job.kind, job.file, abort.signal, logger);
        if (result.status !== "succeeded") {
          throw new CliError(
            result.conflict ? `${job.file}: refused: ${result.conflict}` : `${job.file}: nothing was written`,
            result.conflict ? EXIT.conflict : EXIT.refused,
          );
        }
      }
      // Recompute the plan now, so the next question (Slack, dashboard) is answered at once.
      if (process.stderr.isTTY) process.stderr.write("recomputing the plan and the KPIs…\n");
      const plan = await ensurePlan(db.sql);
      if (plan.refreshed) console.log(`plan and KPIs recomputed in ${plan.seconds.toFixed(2)} s`);
    });
  } catch (error) {
    if (error instanceof ImportAbortedError) {
      throw new CliError(error.message, abort.signal.aborted ? 143 : EXIT.failure);
    }
    throw error;
  }
}

async function importOne(
  db: Database,
  kind: ImportKind,
  file: string,
  signal: AbortSignal,
  logger: Logger,
): Promise<ImportResult> {
  const size = statSync(file).size;
  const progress = await progressBar(kind, size);
  const result = await importCsv(db.sql, kind, createReadStream(file), {
    copy: db.kind === "server",
    fileName: path.basename(file),
    source: "cli",
    signal,
    logger,
    onProgress: ({ bytes, rows }) => progress.update(bytes, rows),
  });
  progress.stop();
  printImportResult(file, result);
  return result;
}

interface Progress {
  update(bytes: number, rows: number): void;
  stop(): void;
}

/** A progress bar on a terminal for files over 1 MB; nothing otherwise. */
async function progressBar(kind: string, total: number): Promise<Progress> {
  if (!process.stderr.isTTY || total < 1_000_000) return { update() {}, stop() {} };
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = new SingleBar(
    {
      format: `${kind.padEnd(9)} {bar} {percentage}% | {rows} rows | {mb}/{totalMb} MB | eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0, mb: "0.0", totalMb: (total / 1e6).toFixed(1) });
  return {
    update: (bytes, rows) =>
      bar.update(bytes, { rows: rows.toLocaleString("en-US"), mb: (bytes / 1e6).toFixed(1) }),
    stop: () => {
      bar.update(total);
      bar.stop();
    },
  };
}

function printImportResult(file: string, r: ImportResult): void {
  const n = (x: number) => x.toLocaleString("en-US");
  if (r.status === "succeeded") {
    console.log(
      `${file}: ${r.kind} imported — ${n(r.rows)} rows: ${n(r.inserted)} inserted, ${n(r.updated)} updated, ${n(r.unchanged)} unchanged${r.deleted ? `, ${n(r.deleted)} replaced` : ""} in ${r.seconds.toFixed(2)} s`,
    );
    return;
  }
  if (r.conflict) {
    console.error(`${file}: refused — ${r.conflict}`);
    return;
  }
  console.error(`${file}: ${n(r.errorCount)} problem${r.errorCount === 1 ? "" : "s"}; nothing was written`);
  for (const e of r.errors) {
    const where = e.column ? `line ${e.line}, column ${e.column}` : `line ${e.line}`;
    const value = e.value !== null && e.value !== "" ? ` ${JSON.stringify(e.value)}` : "";
    console.error(`  ${where}:${value} ${e.reason}`);
  }
  if (r.errorCount > r.errors.length) console.error(`  … and ${n(r.errorCount - r.errors.length)} more`);
}

// ------------------------------------------------------------------ jobs and calendar

/** Runs `fn` with the database open and the jobs wired; CommandErrors become exit codes. */
async function withJobs<T>(fn: (rt: JobsRuntime, config: Config) => Promise<T>): Promise<T> {
  try {
    return await withDatabase((db, config, logger) => fn(jobsRuntime(db, config, logger), config));
  } catch (error) {
    if (error instanceof jobCommands.CommandError) throw new CliError(error.message, error.exitCode);
    throw error;
  }
}

async function companyZone(rt: JobsRuntime): Promise<string> {
  return (await jobCommands.readSettings(rt.apiAt(new Date()))).company.timezone;
}

async function jobsListCommand(): Promise<void> {
  await withJobs(async (rt) => {
    process.stdout.write(jobCommands.formatJobList(await rt.scheduler.list()));
  });
}

async function jobsRunCommand(
  name: string,
  options: { at?: string; dryRun?: boolean; out?: string },
): Promise<void> {
  if (!JOB_NAMES.includes(name)) {
    throw new CliError(`there is no job ${name}: the jobs are ${JOB_NAMES.join(", ")}`, EXIT.usage);
  }
  await withJobs(async (rt) => {
    const tz = await companyZone(rt);
    const at = options.at ? jobCommands.parseAt(options.at, tz) : undefined;
    if (options.dryRun) {
      const dry = await rt.scheduler.dryRun(name, at);
      const dir = options.out ?? path.join("sop-dry-run", `${name}-${dry.outcome.period ?? "none"}`);
      process.stdout.write(jobCommands.writeDryRun(dry, dir, tz));
      return;
    }
    const outcome = await rt.scheduler.run(name, { ...(at ? { at } : {}), trigger: "manual" });
    process.stdout.write(jobCommands.formatOutcome(outcome, tz));
    if (outcome.status === "failed") process.exitCode = EXIT.failure;
  });
}

async function jobsOutboxCommand(options: { status?: string; job?: string; limit: string }): Promise<void> {
  const statuses = ["pending", "sending", "sent", "failed", "skipped"];
  if (options.status && !statuses.includes(options.status)) {
    throw new CliError(`--status ${options.status}: one of ${statuses.join(", ")}`, EXIT.usage);
  }
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new CliError("--limit: 1 to 500", EXIT.usage);
  await withJobs(async (rt, config) => {
    const api = rt.apiAt(new Date());
    const tz = await companyZone(rt);
    process.stdout.write(
      await jobCommands.outboxText(api, { ...options, limit }, tz, config.slack.botToken !== undefined),
    );
  });
}

/** The login name of the person at the terminal, for the audit trail. */
function terminalUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null; // No passwd entry (some containers).
  }
}

/** The API as the person at the terminal. */
function calendarClient(rt: JobsRuntime): ApiClient {
  return rt.apiAs(terminalUser() ?? "cli");
}

async function calendarCommand(
  action: (api: ApiClient) => Promise<Awaited<ReturnType<typeof jobCommands.readSettings>>>,
  options: { month?: string } = {},
): Promise<void> {
  await withJobs(async (rt) => {
    const month = jobCommands.checkMonth(options.month);
    const settings = await action(calendarClient(rt));
    process.stdout.write(jobCommands.formatCalendar(settings, new Date(), month));
  });
}

// ------------------------------------------------------------------ forecast

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function parseMonthOption(name: string) {
  return (value: string): string => {
    if (!MONTH.test(value)) throw new InvalidArgumentError(`${name}: expected a month YYYY-MM`);
    return value;
  };
}

function parseIntOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** An AppError (409, 422…) from a service, as the CLI's exit code and message. */
function cliErrorOf(error: unknown): never {
  if (error instanceof AppError) {
    const code = error.status === 409 ? EXIT.conflict : error.status === 503 ? 143 : EXIT.refused;
    throw new CliError(error.message, code);
  }
  throw error;
}

async function forecastRunCommand(options: {
  cycle?: string;
  from?: string;
  horizon?: number;
  workers?: number;
}): Promise<void> {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the forecast run; nothing of it will be written\n`);
    abort.abort();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  await withDatabase(async (db, _config, logger) => {
    const now = new Date();
    let cycles: (string | undefined)[] = [options.cycle];
    if (options.from) {
      const last = options.cycle ?? localPeriod(now, (await getCompany(db.sql)).timezone);
      if (options.from > last) {
        throw new CliError(`--from ${options.from} is after the cycle ${last}`, EXIT.usage);
      }
      cycles = periodRange(options.from, last);
    }
    for (const cycle of cycles) {
      const progress = await forecastProgress();
      let run: ForecastRunJson;
      try {
        run = await runForecast(db.sql, {
          cycle,
          horizon: options.horizon,
          workers: options.workers,
          copy: db.kind === "server",
          source: "cli",
          actor: terminalUser(),
          now,
          signal: abort.signal,
          logger,
          onProgress: progress.update,
        });
      } catch (error) {
        progress.stop();
        cliErrorOf(error);
      }
      progress.stop();
      printForecastRun(run);
    }
  });
}

function printForecastRun(run: ForecastRunJson): void {
  const n = (x: number) => x.toLocaleString("en-US");
  const models = Object.entries(run.models)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(", ");
  console.log(
    `forecast run #${run.id} for ${run.cycle}: ${n(run.series)} SKU-locations × ${run.horizon} months from history up to ${run.historyTo} — ${n(run.rows)} statistical rows (${n(run.statistical.inserted ?? 0)} new, ${n(run.statistical.updated ?? 0)} changed, ${n(run.statistical.deleted ?? 0)} removed) in ${run.timings.total?.toFixed(2)} s (${run.workers > 0 ? `${run.workers} worker threads` : "one thread"})`,
  );
  if (models) console.log(`  models: ${models}`);
  const c = run.consensus;
  console.log(
    `  consensus of ${run.cycle} rebuilt: ${n(c.inserted ?? 0)} rows added, ${n(c.updated ?? 0)} changed, ${n(c.deleted ?? 0)} removed (overrides and an imported consensus stay on top)`,
  );
}

/** Phase lines on stderr, and a progress bar while forecasting on a terminal. */
async function forecastProgress(): Promise<{
  update(p: { phase: RunPhase; done: number; total: number }): void;
  stop(): void;
}> {
  const tty = process.stderr.isTTY;
  const { SingleBar, Presets } = await import("cli-progress");
  let bar: InstanceType<typeof SingleBar> | undefined;
  let phase: RunPhase | undefined;
  const say = (line: string) => process.stderr.write(`forecast: ${line}\n`);
  return {
    update({ phase: next, done, total }) {
      if (next !== phase) {
        bar?.stop();
        bar = undefined;
        phase = next;
        if (next === "history") say("reading the sales history…");
        if (next === "forecast") {
          say(`forecasting ${total.toLocaleString("en-US")} SKU-locations…`);
          if (tty && total >= 1000) {
            bar = new SingleBar(
              {
                format: "forecast  {bar} {percentage}% | {value}/{total} series | eta {eta_formatted}",
                stream: process.stderr,
                hideCursor: true,
              },
              Presets.shades_classic,
            );
            bar.start(total, 0);
          }
        }
        if (next === "write")
          say(`writing ${total.toLocaleString("en-US")} rows and rebuilding the consensus…`);
      }
      if (next === "forecast") bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

// ------------------------------------------------------------------ export

async function exportForecastsCommand(options: {
  source: string;
  cycle: string;
  out?: string;
}): Promise<void> {
  if (!(FORECAST_SOURCES as readonly string[]).includes(options.source)) {
    throw new CliError(
      `--source ${options.source}: expected one of ${FORECAST_SOURCES.join(", ")}`,
      EXIT.usage,
    );
  }
  await withDatabase(async (db) => {
    const out = options.out ? createWriteStream(options.out) : process.stdout;
    let rows = -1;
    for await (const chunk of forecastsCsv(db.sql, { source: options.source, cycle: options.cycle })) {
      for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) rows++;
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (options.out) {
      await new Promise<void>((resolve, reject) =>
        (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      console.error(
        `wrote ${rows.toLocaleString("en-US")} ${options.source} forecasts of ${options.cycle} to ${options.out}`,
      );
    } else if (rows === 0) {
      console.error(`no ${options.source} forecasts for the cycle ${options.cycle}`);
    }
  });
}

// ------------------------------------------------------------------ program

export function program(): Command {
  const cmd = new Command("sop")
    .description("Sales & Operations Planning: the Slack bot, the API and the dashboard")
    .version(version())
    .showHelpAfterError();

  cmd
    .command("serve")
    .description("run the API, the dashboard, the Slack bot and the jobs (npm start)")
    .action(serveCommand);

  cmd
    .command("migrate")
    .description("apply pending database migrations (serve does this at start-up too)")
    .option("--status", "only show the schema version")
    .action(migrateCommand);

  cmd
    .command("import")
    .description(`import a CSV file: one of ${IMPORT_KINDS.join(", ")}; or every <kind>.csv of a folder`)
    .argument("<kind|folder>", `${IMPORT_KINDS.join(" | ")}, or a folder`)
    .argument("[file]", "the CSV file")
    .addHelpText(
      "after",
      "\nExamples:\n  sop import items items.csv\n  sop import sales exports/sales-2026-10.csv\n  sop import ./data     (items.csv first, then the others found there)\n",
    )
    .action(importCommand);

  cmd
    .command("demo")
    .description(
      "load the demo company (Ridgeline Hydration Co.) into an empty database, or write its CSV files",
    )
    .option("--csv <dir>", "write the six CSV files to a folder instead of loading them")
    .option("--anchor <YYYY-MM>", "the current month of the demo (default: this month)")
    .option("--force", "load even if the database already has data")
    .action(demoCommand);

  cmd
    .command("console")
    .description("chat with the bot in the terminal: the /sop commands on this database, with no Slack")
    .option(
      "--as <person>",
      "act as this person (Slack user id or name) when clicking Approve / Request changes",
    )
    .addHelpText(
      "after",
      '\nAt the prompt type what you would after /sop ("gaps BOTTLES", "status", "signoff"), a number to\nclick a button, "as NAME" to act as someone else, "people" to list who is who, "quit" to leave.\n',
    )
    .action(consoleCommand);

  cmd
    .command("ask")
    .description('answer one /sop question in the terminal, e.g. sop ask "gaps BOTTLES"')
    .argument("<words...>", "what you would type after /sop")
    .option("--as <person>", "ask as this person (Slack user id or name)")
    .action(askCommand);

  const jobs = cmd
    .command("jobs")
    .description("the cadence jobs: their schedule, running one by hand, the outbox of messages");
  jobs
    .command("list")
    .description("each job's schedule (company time zone), channel, last run and next run")
    .action(jobsListCommand);
  jobs
    .command("run")
    .description("run a job now, or as at a time; a run of a period that already ran posts nothing")
    .argument("<name>", JOB_NAMES.join(" | "))
    .option("--at <time>", "as at this time: 2026-11-16T09:00 (company time zone) or 2026-11-16T16:00:00Z")
    .option("--dry-run", "print the messages and write the charts to a folder; record and send nothing")
    .option("--out <dir>", "where a dry run writes the chart PNGs (default sop-dry-run/<job>-<period>)")
    .addHelpText(
      "after",
      "\nExamples:\n  sop jobs run weekly-digest --dry-run\n  sop jobs run reminders --at 2026-11-16T09:00\n",
    )
    .action(jobsRunCommand);
  jobs
    .command("outbox")
    .description("messages the jobs composed, newest first, and whether they went out")
    .option("--status <status>", "pending, sending, sent, failed or skipped")
    .option("--job <name>", "one job's messages")
    .option("--limit <n>", "how many", "30")
    .action(jobsOutboxCommand);

  const calendar = cmd
    .command("calendar")
    .description(
      "the company calendar: time zone, holidays, each step's due business day and roles, channel",
    );
  calendar
    .command("show", { isDefault: true })
    .description("the calendar, with the due dates of a month")
    .option("--month <YYYY-MM>", "the month whose due dates to show (default: this month)")
    .action((options: { month?: string }) => calendarCommand(jobCommands.readSettings, options));
  calendar
    .command("set")
    .description("the company's time zone, channel or name")
    .option("--timezone <zone>", "an IANA time zone, e.g. Europe/Berlin")
    .option("--channel <channel>", "the Slack channel of the cycle: #s-and-op or C0123ABCD")
    .option("--no-channel", "no channel (jobs then post only if SOP_CHANNEL is set)")
    .option("--name <name>", "the company's name")
    .action((options: { timezone?: string; channel?: string | false; name?: string }) =>
      calendarCommand(async (api) => {
        const company: { name?: string; timezone?: string; channel?: string | null } = {};
        if (options.timezone !== undefined) company.timezone = options.timezone;
        if (options.name !== undefined) company.name = options.name;
        if (options.channel === false) company.channel = null;
        else if (typeof options.channel === "string") company.channel = options.channel;
        if (Object.keys(company).length === 0) {
          throw new jobCommands.CommandError(
            "say what to set: --timezone, --channel, --no-channel or --name",
            2,
          );
        }
        return jobCommands.putSettings(api, { company });
      }),
    );
  const holidays = calendar.command("holidays").description("add or remove a holiday (not a business day)");
  holidays
    .command("add")
    .argument("<date>", "YYYY-MM-DD")
    .argument("[name...]", "what it is, e.g. Christmas Eve")
    .action((date: string, name: string[]) =>
      calendarCommand((api) => jobCommands.addHoliday(api, date, name.join(" "))),
    );
  holidays
    .command("remove")
    .argument("<date>", "YYYY-MM-DD")
    .action((date: string) => calendarCommand((api) => jobCommands.removeHoliday(api, date)));
  calendar
    .command("step")
    .description("change a step: its due business day, the roles that sign it, its name")
    .argument("<key>", "data, demand, supply, pre, exec, execution …")
    .option("--due <n|end>", "business day of the month it is due (1–23), or end (the last day)")
    .option("--roles <roles>", "comma-separated: planner,sales,marketing,operations,finance,executive,admin")
    .option("--name <name>", "its name")
    .action((key: string, options: { due?: string; roles?: string; name?: string }) =>
      calendarCommand((api) => jobCommands.editStep(api, key, options)),
    );
  const forecast = cmd.command("forecast").description("the statistical forecast");
  forecast
    .command("run")
    .description(
      "forecast every SKU-location that sold in the 12 months before the cycle; replaces the cycle's statistical forecast and rebuilds its consensus",
    )
    .option(
      "--cycle <YYYY-MM>",
      "the cycle (default: this month in the company's time zone)",
      parseMonthOption("--cycle"),
    )
    .option(
      "--from <YYYY-MM>",
      "also run every cycle from this month on, oldest first, each from the history known then (to backfill the statistical forecast and see its accuracy)",
      parseMonthOption("--from"),
    )
    .option(
      "--horizon <N>",
      `months to forecast from the cycle month, 1–${MAX_HORIZON} (default 12)`,
      parseIntOption(1, MAX_HORIZON),
    )
    .option(
      "--workers <N>",
      "worker threads (default: one per core for 3,000 series or more)",
      parseIntOption(0, 64),
    )
    .action(forecastRunCommand);

  const exporter = cmd.command("export").description("write data out as CSV in the import formats");
  exporter
    .command("forecasts")
    .description("one source's forecasts of one cycle, as forecasts.csv (sop import forecasts reads it back)")
    .requiredOption("--source <source>", FORECAST_SOURCES.join(" | "))
    .requiredOption("--cycle <YYYY-MM>", "the month the forecast was made", parseMonthOption("--cycle"))
    .option("--out <file>", "write to a file instead of standard output")
    .action(exportForecastsCommand);

  cmd.addOption(new Option("--no-color").hideHelp());
  return cmd;
}

// Run when executed (node dist/cli.js, tsx cli.ts, or the `sop` bin symlink), not when imported.
const isMain = process.argv[1] !== undefined && /cli\.(ts|js)$/.test(realpathSync(process.argv[1]));
if (isMain) {
  program()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      if (error instanceof CliError) {
        console.error(error.message);
        process.exitCode = error.exitCode;
        return;
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = EXIT.failure;
    });
}
