/**
 * Runs the cadence jobs: node-cron wakes each job on its schedule in the company's time zone,
 * the job says whether there is an occurrence (and its ledger key), the run claims the key once
 * under a PostgreSQL advisory lock, composes its messages into the outbox, sends them, and is
 * marked done. So a second replica, a restart or a manual re-run never posts twice.
 *
 * At start-up it resumes runs whose process died (sending what they had not sent) and catches up
 * the latest occurrence of each job missed while the server was down, if it is still relevant
 * (the reminder the same day, the digest the same week); otherwise it records it as skipped and
 * says so in the log. It also sweeps the outbox (retries, messages written while Slack was not
 * configured) and runs the variance alerts after each sales import.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import type { ApiClient } from "../api/client.js";
import { localDate } from "../api/domain/calendar.js";
import { dashboardUrl } from "../api/domain/links.js";
import type { ComposedMessage, JobInfo, JobRunOutcome, JobsControl } from "../api/services/jobs-control.js";
import type { Config } from "../config.js";
import type { Sql } from "../db/client.js";
import {
  abandonedRuns,
  claimRun,
  finishRun,
  getRun,
  heartbeat,
  type JobRunRow,
  latestRuns,
  type NewOutboxRow,
  type RunKey,
  type RunTrigger,
  releaseLeases,
  retryableRuns,
  runOutbox,
  skipRun,
  writeOutbox,
} from "../db/repositories/jobs.js";
import { expectOk } from "./api.js";
import { type CompanyCalendar, loadCalendar } from "./calendar.js";
import { describeSchedule, schedule } from "./cron.js";
import { type DispatchCounts, Dispatcher } from "./dispatcher.js";
import { ChannelPacer } from "./pacer.js";
import { JOBS } from "./registry.js";
import type { SlackPort } from "./slack.js";
import { blocksToText } from "./text.js";
import { type ChartFile, isOccurrence, type Job, type JobContext, type Occurrence } from "./types.js";

export interface SchedulerOptions {
  /** For the jobs' own ledger and outbox; their data comes through the API only. */
  sql: Sql;
  /** The API's typed client with the API's clock set to `now`. */
  apiAt: (now: Date) => ApiClient;
  /** Null when Slack is not configured: jobs still run and fill the outbox. */
  slack: SlackPort | null;
  logger: Logger;
  config: Config;
  jobs?: readonly Job[];
  /** Business time (default: the system clock). Tests pass a fixed one. */
  clock?: () => Date;
  /** Posts to one channel: about one per this many ms, bursts of two (default 1000). */
  paceMs?: number;
  /** Who this scheduler is in the ledger (default host:pid:random). */
  claimant?: string;
  /** A running run whose heartbeat is older than this was abandoned (default 120 s). */
  staleAfterSeconds?: number;
  heartbeatMs?: number;
  /** Outbox sweep interval (default 30 s). */
  sweepMs?: number;
  /** How often to look for new sales imports (default 60 s). */
  importPollMs?: number;
  /** How far back start-up looks for missed runs (default 35 days). */
  lookbackDays?: number;
}

/** A composed message, before it becomes an outbox row. */
interface Composed {
  kind: "message" | "dm" | "file";
  /** null: the job has no channel configured. */
  channel: string | null;
  key: string;
  once?: string | undefined;
  text: string;
  blocks: unknown[];
  summary: string;
  initialComment?: string;
  files: ChartFile[];
}

export interface CatchUpResult {
  job: string;
  /** ran: caught up now; skipped: missed and no longer relevant; none: nothing was missed. */
  action: "ran" | "skipped" | "none";
  period?: string;
  missedAt?: string;
  outcome?: JobRunOutcome;
}

export interface DryRun {
  outcome: JobRunOutcome;
  /** The chart files the run would upload. */
  files: { filename: string; content: Buffer }[];
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const HOST = hostname();

/** A claimant (host:pid:random) on this host whose process is gone. */
export function claimantIsDead(claimant: string): boolean {
  const [host, pid] = claimant.split(":");
  if (host !== HOST || !pid || !/^\d+$/.test(pid)) return false;
  return Number(pid) !== process.pid && !pidAlive(Number(pid));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A run is tried this many times in all (the first attempt included). */
const MAX_ATTEMPTS = 3;
/** A failed run waits this long before it is tried again (database clock). */
const RETRY_AFTER_SECONDS = 300;

const NO_CHANNEL =
  "no channel is configured for this job: set SOP_CHANNEL (or SOP_JOB_CHANNELS), or the company channel with `sop calendar --channel '#sop'`";

export class Scheduler implements JobsControl {
  readonly claimant: string;
  private readonly jobs: readonly Job[];
  private readonly clock: () => Date;
  private readonly dispatcher: Dispatcher;
  private readonly log: Logger;
  private readonly staleAfterSeconds: number;
  private tasks: ScheduledTask[] = [];
  private timers: NodeJS.Timeout[] = [];
  private timezone: string | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {
    this.jobs = o.jobs ?? JOBS;
    this.clock = o.clock ?? (() => new Date());
    this.claimant = o.claimant ?? `${HOST}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.log = o.logger;
    this.staleAfterSeconds = o.staleAfterSeconds ?? 120;
    this.dispatcher = new Dispatcher({
      sql: o.sql,
      slack: o.slack,
      logger: o.logger.child({ part: "outbox" }),
      claimant: this.claimant,
      pacer: new ChannelPacer(o.paceMs ?? 1000),
      clock: this.clock,
    });
  }

  names(): string[] {
    return this.jobs.map((j) => j.name);
  }

  private job(name: string): Job {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`there is no job ${name}: the jobs are ${this.names().join(", ")}`);
    return job;
  }

  /** The channel a job posts to: SOP_JOB_CHANNELS, else SOP_CHANNEL, else the company's. */
  channelFor(job: string, calendar: CompanyCalendar): string | null {
    return this.o.config.jobs.channels[job] ?? this.o.config.jobs.channel ?? calendar.channel ?? null;
  }

  // ---------------------------------------------------------------- running one job

  /** What a cron tick, a manual run or the API does: run `name`'s occurrence at `at`. */
  async run(
    name: string,
    options: { at?: Date; dryRun?: boolean; trigger: RunTrigger | "api" | "manual" },
  ): Promise<JobRunOutcome> {
    if (options.dryRun) return (await this.dryRun(name, options.at)).outcome;
    return this.track(this.runJob(name, { at: options.at, trigger: options.trigger }));
  }

  /** Composes a run's messages without claiming, recording or sending anything. */
  async dryRun(name: string, at?: Date): Promise<DryRun> {
    const job = this.job(name);
    const when = at ?? this.clock();
    const api = this.o.apiAt(when);
    const calendar = await loadCalendar(api);
    const occ = await job.occurrence(when, calendar, api);
    if (!isOccurrence(occ))
      return { outcome: this.outcome(name, when, "nothing", { reason: occ.skip }), files: [] };
    const composed = await this.compose(job, when, api, calendar, occ);
    const names = await this.peopleNames(api);
    return {
      outcome: this.outcome(name, when, "dry-run", {
        occ,
        messages: composed.map((c) => this.describe(c, names)),
      }),
      files: composed.flatMap((c) => c.files.map((f) => ({ filename: f.filename, content: f.content }))),
    };
  }

  private async runJob(
    name: string,
    o: {
      at?: Date | undefined;
      trigger: RunTrigger;
      /** For runs not tied to the schedule (after an import): the occurrence to run. */
      occurrence?: Occurrence;
    },
  ): Promise<JobRunOutcome> {
    const job = this.job(name);
    const at = o.at ?? this.clock();
    const log = this.log.child({ job: name });
    let occ: Occurrence;
    let api: ApiClient;
    let calendar: CompanyCalendar;
    try {
      api = this.o.apiAt(at);
      calendar = await loadCalendar(api);
      const found = o.occurrence ?? (await job.occurrence(at, calendar, api));
      if (!isOccurrence(found)) {
        log.debug({ at: at.toISOString(), reason: found.skip }, "nothing to do");
        return this.outcome(name, at, "nothing", { reason: found.skip });
      }
      occ = found;
    } catch (error) {
      log.error({ err: error }, "could not decide whether the job has work");
      return this.outcome(name, at, "failed", { reason: message(error) });
    }
    const key: RunKey = { job: name, period: occ.period, target: occ.target };
    const claim = await claimRun(this.o.sql, key, {
      scheduledFor: at,
      trigger: o.trigger,
      claimant: this.claimant,
      staleAfterSeconds: this.staleAfterSeconds,
      isDead: claimantIsDead,
      maxAttempts: MAX_ATTEMPTS,
    });
    if (!claim.claimed) {
      const r = claim.run;
      const reason =
        r.status === "running"
          ? `${occ.label} is being run by ${r.claimedBy} (since ${r.claimedAt.toISOString()})`
          : `${occ.label} was ${r.status === "skipped" ? "skipped" : "run"} already (${r.status}, ${r.trigger}, ${(
              r.finishedAt ?? r.claimedAt
            ).toISOString()})`;
      log.info({ period: key.period, target: key.target }, reason);
      return this.outcome(name, at, "already", { occ, reason });
    }
    return this.execute(job, key, claim.run, { at, api, calendar, occ, resumed: claim.resumed });
  }

  /** Composes (unless a crashed attempt did), writes the outbox, sends, records the result. */
  private async execute(
    job: Job,
    key: RunKey,
    run: JobRunRow,
    c: { at: Date; api: ApiClient; calendar: CompanyCalendar; occ: Occurrence; resumed: boolean },
  ): Promise<JobRunOutcome> {
    const log = this.log.child({ job: job.name, period: key.period, target: key.target });
    const beat = setInterval(() => {
      heartbeat(this.o.sql, key, this.claimant).catch((error) =>
        log.warn({ err: error }, "heartbeat failed"),
      );
    }, this.o.heartbeatMs ?? 20_000);
    beat.unref();
    try {
      let composed: Composed[] = [];
      if (run.composed) {
        log.warn(
          { attempts: run.attempts },
          "resuming a run whose process stopped: sending what it had not sent",
        );
      } else {
        if (c.resumed) log.warn("resuming a run whose process stopped before it had composed its messages");
        composed = await this.compose(job, c.at, c.api, c.calendar, c.occ);
        const manual = run.trigger === "manual" || run.trigger === "api";
        await writeOutbox(this.o.sql, key, this.claimant, this.rows(job, key, composed, c.occ, manual));
      }
      const sent = await this.dispatcher.dispatch(key);
      const rows = await runOutbox(this.o.sql, key);
      const outbox = {
        sent: rows.filter((r) => r.status === "sent").length,
        pending: rows.filter((r) => r.status === "pending" || r.status === "sending").length,
        failed: rows.filter((r) => r.status === "failed").length,
        skipped: rows.filter((r) => r.status === "skipped").length,
      };
      await finishRun(this.o.sql, key, this.claimant, {
        status: "done",
        details: { messages: rows.length, ...outbox, label: c.occ.label },
      });
      log.info(
        { messages: rows.length, ...outbox, slack: this.dispatcher.configured },
        `${job.name} done for ${c.occ.label}: ${rows.length} message(s), ${sent.sent} sent now${
          this.dispatcher.configured ? "" : " (Slack is not configured: they wait in the outbox)"
        }`,
      );
      const names = composed.length ? await this.peopleNames(c.api) : new Map<string, string>();
      return this.outcome(job.name, c.at, "done", {
        occ: c.occ,
        messages: composed.map((m) => this.describe(m, names)),
        outbox,
        reason: c.resumed ? "resumed a run whose process had stopped" : null,
      });
    } catch (error) {
      log.error({ err: error }, `${job.name} failed for ${c.occ.label}`);
      await finishRun(this.o.sql, key, this.claimant, {
        status: "failed",
        details: { label: c.occ.label },
        error: message(error),
      }).catch((e) => log.error({ err: e }, "could not record the failure"));
      return this.outcome(job.name, c.at, "failed", { occ: c.occ, reason: message(error) });
    } finally {
      clearInterval(beat);
    }
  }

  /** Runs the job with an outbox-backed Slack: returns what it queued, in order. */
  private async compose(
    job: Job,
    at: Date,
    api: ApiClient,
    calendar: CompanyCalendar,
    occ: Occurrence,
  ): Promise<Composed[]> {
    const out: Composed[] = [];
    const channel = this.channelFor(job.name, calendar);
    const log = this.log.child({ job: job.name });
    let chartsUnavailable: string | null = null;
    const ctx: JobContext = {
      now: at,
      api,
      logger: log,
      calendar,
      occurrence: occ,
      channel,
      settings: {
        varianceThreshold: this.o.config.jobs.varianceThreshold,
        locale: "en-US",
        currency: "USD",
      },
      link: (to) => dashboardUrl(this.o.config.server.publicUrl, to),
      chartsUnavailable: () => chartsUnavailable,
      chart: async (name, query) => {
        const res = await api.api.charts[":file"].$get({
          param: { file: `${name}.png` },
          query: (query ?? {}) as never,
        });
        if (res.status === 200) return Buffer.from(await res.arrayBuffer());
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        if (res.status === 503) {
          if (!chartsUnavailable)
            log.warn({ reason: body.error?.message }, "charts unavailable: sending without them");
          chartsUnavailable = body.error?.message ?? "charts unavailable";
        } else {
          log.warn({ chart: name, status: res.status, error: body.error?.message }, "chart left out");
        }
        return null;
      },
      slack: {
        postMessage: (m) =>
          out.push({
            kind: "message",
            channel: m.channel ?? channel,
            key: m.key,
            once: m.once,
            text: m.text,
            blocks: m.blocks,
            summary: m.summary,
            files: [],
          }),
        dm: (m) =>
          out.push({
            kind: "dm",
            channel: m.user,
            key: m.key,
            once: m.once,
            text: m.text,
            blocks: m.blocks,
            summary: m.summary,
            files: [],
          }),
        filesUploadV2: (m) =>
          out.push({
            kind: "file",
            channel: m.channel ?? channel,
            key: m.key,
            text: m.initialComment,
            initialComment: m.initialComment,
            blocks: [],
            summary: m.summary,
            files: m.files,
          }),
      },
    };
    await job.run(ctx);
    return out;
  }

  private rows(
    job: Job,
    key: RunKey,
    composed: Composed[],
    occ: Occurrence,
    manual: boolean,
  ): NewOutboxRow[] {
    // A manual run for a past time still sends: give its messages an hour from now.
    const expiresAt = manual
      ? new Date(Math.max(occ.relevantUntil.getTime(), this.clock().getTime() + 3_600_000))
      : occ.relevantUntil;
    return composed.map((c, position) => ({
      dedupeKey: c.once ? `${job.name}|once|${c.once}` : `${key.job}|${key.period}|${key.target}|${c.key}`,
      channel: c.channel ?? "",
      kind: c.kind,
      payload:
        c.kind === "file" ? { initialComment: c.initialComment ?? "" } : { text: c.text, blocks: c.blocks },
      summary: c.summary,
      position,
      expiresAt,
      skipReason: c.channel ? undefined : NO_CHANNEL,
      files: c.files,
    }));
  }

  private describe(c: Composed, names: ReadonlyMap<string, string>): ComposedMessage {
    const readable =
      c.kind === "file"
        ? `${c.initialComment ?? ""}\n${c.files.map((f) => `[image: ${f.filename} — ${f.title}]`).join("\n")}`
        : blocksToText(c.blocks, names);
    return {
      kind: c.kind,
      channel: c.channel ?? "(no channel configured)",
      summary: c.summary,
      text: c.text,
      readable,
      blocks: c.blocks,
      files: c.files.map((f) => ({ filename: f.filename, title: f.title, bytes: f.content.length })),
    };
  }

  private async peopleNames(api: ApiClient): Promise<Map<string, string>> {
    try {
      const { people } = await expectOk(await api.api.people.$get(), "listing the people");
      return new Map(people.map((p) => [p.slackUserId, p.name]));
    } catch {
      return new Map();
    }
  }

  private outcome(
    job: string,
    at: Date,
    status: JobRunOutcome["status"],
    o: {
      occ?: Occurrence;
      reason?: string | null;
      messages?: ComposedMessage[];
      outbox?: JobRunOutcome["outbox"];
    } = {},
  ): JobRunOutcome {
    return {
      job,
      status,
      at: at.toISOString(),
      period: o.occ?.period ?? null,
      target: o.occ?.target ?? null,
      reason: o.reason ?? null,
      messages: o.messages ?? [],
      outbox: o.outbox ?? null,
    };
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => {});
    return p;
  }

  // ---------------------------------------------------------------- start-up work

  /**
   * Runs whose process died: taken over, and what they had not sent is sent. Runs that failed
   * (the API or the database had a bad moment) are tried again, up to three attempts, while
   * their occurrence is still relevant.
   */
  async resume(): Promise<JobRunOutcome[]> {
    const out: JobRunOutcome[] = [];
    const abandoned = await abandonedRuns(this.o.sql, this.staleAfterSeconds, claimantIsDead);
    const failed = await retryableRuns(this.o.sql, MAX_ATTEMPTS, RETRY_AFTER_SECONDS);
    for (const run of [...abandoned, ...failed]) {
      const job = this.jobs.find((j) => j.name === run.job);
      if (!job) continue;
      const key: RunKey = { job: run.job, period: run.period, target: run.target };
      const at = run.scheduledFor;
      const api = this.o.apiAt(at);
      let calendar: CompanyCalendar;
      let occ: Occurrence;
      try {
        calendar = await loadCalendar(api);
        occ = await this.occurrenceOf(job, run, calendar, api);
      } catch (error) {
        this.log.error({ err: error, job: run.job }, "could not look at a run to resume");
        continue;
      }
      if (run.status === "failed" && this.clock() >= occ.relevantUntil) continue; // stale: leave it failed
      const claim = await claimRun(this.o.sql, key, {
        scheduledFor: at,
        trigger: "resume",
        claimant: this.claimant,
        staleAfterSeconds: this.staleAfterSeconds,
        isDead: claimantIsDead,
        maxAttempts: MAX_ATTEMPTS,
      });
      if (!claim.claimed) continue;
      const released = claim.resumed ? await releaseLeases(this.o.sql, run.claimedBy) : 0;
      this.log.warn(
        {
          job: run.job,
          period: run.period,
          target: run.target,
          was: run.claimedBy,
          attempts: claim.run.attempts,
          released,
        },
        claim.resumed
          ? "resuming a run whose process stopped"
          : `trying a failed run again: ${run.error ?? ""}`,
      );
      out.push(
        await this.track(
          this.execute(job, key, claim.run, { at, api, calendar, occ, resumed: claim.resumed }),
        ),
      );
    }
    return out;
  }

  /** The occurrence a recorded run was for (its relevance, its label). */
  private async occurrenceOf(
    job: Job,
    run: JobRunRow,
    calendar: CompanyCalendar,
    api: ApiClient,
  ): Promise<Occurrence> {
    const label = `${run.period}${run.target ? ` ${run.target}` : ""}`;
    if (run.target.startsWith("import:")) {
      return {
        period: run.period,
        target: run.target,
        relevantUntil: new Date(run.scheduledFor.getTime() + 86_400_000),
        label,
      };
    }
    const found = await job.occurrence(run.scheduledFor, calendar, api);
    if (isOccurrence(found) && found.period === run.period) return { ...found, target: run.target };
    return {
      period: run.period,
      target: run.target,
      relevantUntil: new Date(run.scheduledFor.getTime() + 86_400_000),
      label,
    };
  }

  /**
   * For each job, the latest occurrence scheduled before now: run it if it never ran and is still
   * relevant; record it as skipped, with a log line, if it is not.
   */
  async catchUp(): Promise<CatchUpResult[]> {
    const now = this.clock();
    const calendar = await loadCalendar(this.o.apiAt(now));
    const lookback = this.o.lookbackDays ?? 35;
    const results: CatchUpResult[] = [];
    for (const job of this.jobs) {
      let result: CatchUpResult = { job: job.name, action: "none" };
      for (const t of schedule(job.schedule, calendar.timezone).before(
        new Date(now.getTime() + 1),
        lookback,
      )) {
        const api = this.o.apiAt(t);
        let occ: Awaited<ReturnType<Job["occurrence"]>>;
        try {
          occ = await job.occurrence(t, calendar, api);
        } catch (error) {
          this.log.error(
            { err: error, job: job.name },
            "catch-up: could not decide whether a run was missed",
          );
          break;
        }
        if (!isOccurrence(occ)) continue;
        const key: RunKey = { job: job.name, period: occ.period, target: occ.target };
        if (await getRun(this.o.sql, key)) break;
        const missedAt = t.toISOString();
        if (now < occ.relevantUntil) {
          this.log.info(
            { job: job.name, period: occ.period, missedAt },
            `catching up ${job.name} for ${occ.label}, missed while sop was not running`,
          );
          const outcome = await this.track(this.runJob(job.name, { at: t, trigger: "catch-up" }));
          result = { job: job.name, action: "ran", period: occ.period, missedAt, outcome };
        } else {
          const reason = `missed while sop was not running (due ${missedAt}); no longer relevant after ${occ.relevantUntil.toISOString()}`;
          await skipRun(this.o.sql, key, { scheduledFor: t, claimant: this.claimant, reason });
          this.log.warn(
            { job: job.name, period: occ.period, missedAt },
            `skipped ${job.name} for ${occ.label}: ${reason}`,
          );
          result = { job: job.name, action: "skipped", period: occ.period, missedAt };
        }
        break;
      }
      results.push(result);
    }
    return results;
  }

  /** Sends what is waiting in the outbox (retries, messages written while Slack was off). */
  sweep(): Promise<DispatchCounts> {
    return this.dispatcher.dispatch();
  }

  /** Runs the variance alerts for each sales import of the last day that has not had them. */
  async checkImports(): Promise<JobRunOutcome[]> {
    if (!this.jobs.some((j) => j.name === "variance-alerts")) return [];
    const now = this.clock();
    const api = this.o.apiAt(now);
    const { runs } = await expectOk(
      await api.api.imports.$get({ query: { kind: "sales", limit: "5" } }),
      "listing the sales imports",
    );
    const calendar = await loadCalendar(api);
    const out: JobRunOutcome[] = [];
    for (const r of runs) {
      if (r.status !== "succeeded" || !r.finishedAt) continue;
      const finished = new Date(r.finishedAt);
      const relevantUntil = new Date(finished.getTime() + 86_400_000);
      if (relevantUntil <= now || finished > now) continue;
      const occ: Occurrence = {
        period: localDate(finished, calendar.timezone),
        target: `import:${r.id}`,
        relevantUntil,
        label: `sales import ${r.id}`,
      };
      if (await getRun(this.o.sql, { job: "variance-alerts", period: occ.period, target: occ.target }))
        continue;
      out.push(
        await this.track(this.runJob("variance-alerts", { at: now, trigger: "import", occurrence: occ })),
      );
    }
    return out;
  }

  // ---------------------------------------------------------------- the schedule

  async list(): Promise<JobInfo[]> {
    const now = this.clock();
    const calendar = await loadCalendar(this.o.apiAt(now));
    const last = await latestRuns(this.o.sql);
    return this.jobs.map((job) => {
      const r = last.find((x) => x.job === job.name);
      return {
        name: job.name,
        title: job.title,
        description: job.description,
        schedule: job.schedule,
        when: describeSchedule(job.schedule),
        timezone: calendar.timezone,
        channel: this.channelFor(job.name, calendar),
        lastRun: r
          ? {
              period: r.period,
              target: r.target,
              status: r.status,
              trigger: r.trigger,
              scheduledFor: r.scheduledFor.toISOString(),
              finishedAt: r.finishedAt?.toISOString() ?? null,
              attempts: r.attempts,
              error: r.error,
              details: r.details,
            }
          : null,
        nextRun: schedule(job.schedule, calendar.timezone).next(now)?.toISOString() ?? null,
      };
    });
  }

  /**
   * Starts the schedule: resumes abandoned runs and catches up missed ones (in the background),
   * then lets node-cron wake each job in the company's time zone, and sweeps the outbox.
   */
  async start(): Promise<void> {
    this.stopped = false;
    let calendar: CompanyCalendar;
    try {
      calendar = await loadCalendar(this.o.apiAt(this.clock()));
    } catch (error) {
      // The database may be changing hands (the embedded one's owner stopping): try again soon.
      this.log.warn({ err: error }, "the jobs could not read the company calendar; trying again in 5 s");
      const retry = setTimeout(() => {
        if (!this.stopped) this.track(this.start()).catch(() => {});
      }, 5000);
      retry.unref();
      this.timers.push(retry);
      return;
    }
    this.schedule(calendar.timezone);
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      const timer = setInterval(() => {
        if (this.stopped) return;
        this.track(fn()).catch((error) => this.log.error({ err: error }, `${what} failed`));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.o.sweepMs ?? 30_000, "outbox sweep", () => this.sweep());
    every(this.o.importPollMs ?? 60_000, "looking for sales imports", () => this.checkImports());
    every(60_000, "resuming abandoned runs", () => this.resume());
    every(5 * 60_000, "reloading the calendar", async () => {
      const tz = (await loadCalendar(this.o.apiAt(this.clock()))).timezone;
      if (tz !== this.timezone) {
        this.log.info(
          { from: this.timezone, to: tz },
          "the company time zone changed: rescheduling the jobs",
        );
        this.schedule(tz);
      }
    });
    this.track(
      (async () => {
        await this.resume();
        await this.catchUp();
        await this.sweep();
        await this.checkImports();
      })(),
    ).catch((error) => this.log.error({ err: error }, "start-up catch-up failed"));
    this.log.info(
      { timezone: calendar.timezone, jobs: this.names(), slack: this.dispatcher.configured },
      `jobs scheduled in ${calendar.timezone}${this.dispatcher.configured ? "" : " (Slack is not configured: messages wait in the outbox)"}`,
    );
  }

  /** node-cron's own messages (a missed tick when the machine slept) go to our log. */
  private readonly cronLogger = {
    info: (m: string) => this.log.debug({ part: "node-cron" }, m),
    warn: (m: string) => this.log.warn({ part: "node-cron" }, m),
    error: (m: string | Error, err?: Error) =>
      this.log.error({ part: "node-cron", err: err ?? m }, String(m)),
    debug: (m: string | Error) => this.log.debug({ part: "node-cron" }, String(m)),
  };

  private schedule(timezone: string): void {
    for (const t of this.tasks) void t.destroy();
    this.timezone = timezone;
    this.tasks = this.jobs.map((job) =>
      cron.schedule(
        job.schedule,
        (ctx) => {
          if (this.stopped) return;
          const at = ctx.date ?? this.clock();
          return this.run(job.name, { at, trigger: "schedule" }).then((outcome) => {
            if (outcome.status === "failed")
              this.log.error({ job: job.name, reason: outcome.reason }, "run failed");
          });
        },
        { timezone, name: `sop:${job.name}`, noOverlap: true, logger: this.cronLogger },
      ),
    );
  }

  /** Stops the schedule and waits (up to `timeoutMs`) for runs in flight. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    for (const t of this.tasks) await t.destroy();
    this.tasks = [];
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const pending = Promise.allSettled([...this.inFlight]);
    await Promise.race([pending, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Scheduler(options);
}
