/**
 * The statistical forecast of a cycle: every active SKU-location (sold in the 12 months before
 * the cycle) is forecast from its monthly sales history known when the cycle began (months
 * before the cycle, up to the last month with sales; months without a record count as 0), by
 * the automatic selection of api/domain/forecast, on every core when there are many series.
 * The result replaces the cycle's statistical rows, with each series' model and backtest error,
 * and the cycle's consensus is rebuilt on it; all of that in one transaction that also marks
 * the fact base as changed, so the plan and the KPI cells are recomputed as after an import.
 *
 * The history is read and the models run outside any transaction (the embedded database
 * serves one transaction at a time); only the writing holds one.
 *
 * A cycle whose plan the executive sign-off has locked (or that is closed) keeps its consensus:
 * a run for it is refused (409, nothing written) when it would change any consensus number, and
 * goes through when none rests on the statistical forecast (an imported consensus).
 */
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Sql } from "../../db/client.js";
import { appendAudit } from "../../db/repositories/audit.js";
import { restoreForeignKeyChecks, skipForeignKeyChecks, tuneBulkWrite } from "../../db/repositories/bulk.js";
import {
  type ForecastRunRow,
  finishForecastRun,
  getForecastRun,
  insertForecastRun,
  lastSalesMonth,
  markForecastRunInterrupted,
  replaceForecastModels,
  replaceStatistical,
  runningForecastRun,
  type StatisticalBlock,
  salesHistoryBefore,
  setForecastRunProgress,
} from "../../db/repositories/forecast-runs.js";
import { LOCK, lockXact } from "../../db/repositories/locks.js";
import { bumpDataVersion } from "../../db/repositories/plan.js";
import { getCompany } from "../../db/repositories/settings.js";
import { localPeriod } from "../domain/calendar.js";
import { DEFAULT_HORIZON, METHODS, membersOf, type SeriesBatch } from "../domain/forecast/index.js";
import { firstDayOfPeriod, type Period, periodFromIndex, periodIndex, toPeriod } from "../domain/periods.js";
import { AppError, ConflictError, UnprocessableError } from "../errors.js";
import { planLock, rebuildCycleConsensus } from "./consensus.js";
import { defaultWorkers, forecastAll } from "./forecast-pool.js";

/** A SKU-location is forecast when it sold something in this many months before the cycle. */
export const ACTIVE_MONTHS = 12;
/** The longest horizon: the plan holds 24 months. */
export const MAX_HORIZON = 24;

export type RunPhase = "history" | "forecast" | "write";

export interface ForecastRunOptions {
  /** 'YYYY-MM'; default: the company's current month. */
  cycle?: Period | undefined;
  /** Months from the cycle month (default 12, at most 24). */
  horizon?: number | undefined;
  source: string;
  actor: string | null;
  now: Date;
  /** Write with COPY (PostgreSQL servers); batched INSERTs otherwise (PGlite). */
  copy?: boolean | undefined;
  /** Worker threads (default: one per core for 3,000 series or more; 0: this thread). */
  workers?: number | undefined;
  onProgress?: (p: { phase: RunPhase; done: number; total: number }) => void;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
}

export interface ForecastRunJson {
  id: number;
  /** 'YYYY-MM' */
  cycle: string;
  horizon: number;
  status: ForecastRunRow["status"];
  source: string;
  actor: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The last month of history the models saw, 'YYYY-MM'. */
  historyTo: string | null;
  /** SKU-locations to forecast, and how many are done. */
  series: number;
  done: number;
  /** Statistical rows written. */
  rows: number;
  workers: number;
  /** Seconds per phase (history, forecast, write) and in total. */
  timings: Record<string, number>;
  /** Series per chosen method. */
  models: Record<string, number>;
  /** Statistical rows inserted, updated and deleted. */
  statistical: Record<string, number>;
  /** Consensus rows inserted, updated and deleted by the rebuild. */
  consensus: Record<string, number>;
  message: string | null;
}

export function forecastRunJson(r: ForecastRunRow): ForecastRunJson {
  return {
    id: r.id,
    cycle: toPeriod(r.cycle),
    horizon: r.horizon,
    status: r.status,
    source: r.source,
    actor: r.actor,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    historyTo: r.historyTo ? toPeriod(r.historyTo) : null,
    series: r.series,
    done: r.done,
    rows: r.rows,
    workers: r.workers,
    timings: r.timings,
    models: r.models,
    statistical: r.statistical,
    consensus: r.consensus,
    message: r.message,
  };
}

/** The run was stopped (SIGINT, shutdown): nothing of it was written. */
export class ForecastRunAbortedError extends AppError {
  constructor() {
    super(503, "interrupted", "the forecast run was interrupted; nothing of it was written");
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

/**
 * Starts a run: checks the cycle, records the run (one at a time) and returns its id at once
 * with the promise of its end. The promise rejects with the reason the run failed, which the
 * run's record keeps too.
 */
export async function beginForecastRun(
  sql: Sql,
  options: ForecastRunOptions,
): Promise<{ runId: number; done: Promise<ForecastRunJson> }> {
  const company = await getCompany(sql);
  const cycle = options.cycle ?? localPeriod(options.now, company.timezone);
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new UnprocessableError(`the horizon must be a whole number of months from 1 to ${MAX_HORIZON}`);
  }
  const record = { cycle: firstDayOfPeriod(cycle), horizon, source: options.source, actor: options.actor };
  let runId = await insertForecastRun(sql, record);
  if (runId === undefined) {
    const running = await runningForecastRun(sql);
    if (running && running.hostname === hostname() && running.pid !== null && !pidAlive(running.pid)) {
      await markForecastRunInterrupted(sql, running.id);
      runId = await insertForecastRun(sql, record);
    }
    if (runId === undefined) {
      const r = running ?? (await runningForecastRun(sql));
      throw new ConflictError(
        r
          ? `a forecast run is in progress: run #${r.id} for ${toPeriod(r.cycle)} (${r.done} of ${r.series} series done); wait for it to finish`
          : "a forecast run is in progress; wait for it to finish",
        r ? { run: forecastRunJson(r) } : undefined,
      );
    }
  }
  const id = runId;
  const done = execute(sql, id, cycle, horizon, options).catch(async (error: unknown) => {
    const aborted = options.signal?.aborted === true;
    await finishForecastRun(sql, id, {
      status: aborted ? "interrupted" : "failed",
      message: aborted
        ? "interrupted; nothing of it was written"
        : String((error as Error)?.message ?? error),
    }).catch((e) => options.logger?.error({ err: e }, "could not record the end of the forecast run"));
    throw aborted ? new ForecastRunAbortedError() : error;
  });
  return { runId: id, done };
}

/** Runs the statistical forecast of a cycle to the end (see the module comment). */
export async function runForecast(sql: Sql, options: ForecastRunOptions): Promise<ForecastRunJson> {
  return (await beginForecastRun(sql, options)).done;
}

async function execute(
  sql: Sql,
  id: number,
  cycle: Period,
  horizon: number,
  options: ForecastRunOptions,
): Promise<ForecastRunJson> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const month = firstDayOfPeriod(cycle);
  const c = periodIndex(cycle);

  // ---- history
  progress({ phase: "history", done: 0, total: 0 });
  const last = await lastSalesMonth(sql);
  if (last === null || last < c - ACTIVE_MONTHS) {
    throw new UnprocessableError(
      last === null
        ? "there is no sales history to forecast from: import sales.csv first"
        : `no SKU-location sold anything in the ${ACTIVE_MONTHS} months before ${cycle} (the sales history ends in ${periodFromIndex(last)})`,
    );
  }
  const end = Math.min(last, c - 1); // the last month the models see
  const gap = c - 1 - end; // months between the history and the cycle, forecast and dropped
  // Active: sold something (units > 0) in the ACTIVE_MONTHS months before the cycle.
  // One sort of the whole history: in memory rather than the 4 MB that spills to disk.
  const all = await sql.begin(async (tx) => {
    await tuneBulkWrite(tx);
    return salesHistoryBefore(tx, month);
  });
  const history = all.filter((h) => {
    for (let j = h.months.length - 1; j >= 0 && h.months[j]! >= c - ACTIVE_MONTHS; j--) {
      if (h.units[j]! > 0) return true;
    }
    return false;
  });
  const n = history.length;
  if (n === 0) {
    throw new UnprocessableError(
      `no SKU-location sold anything in the ${ACTIVE_MONTHS} months before ${cycle}: there is nothing to forecast`,
    );
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + (end - history[i]!.months[0]! + 1);
  const values = new Float64Array(offsets[n]!);
  history.forEach((h, i) => {
    const first = h.months[0]!;
    for (let j = 0; j < h.months.length; j++) values[offsets[i]! + h.months[j]! - first] = h.units[j]!;
  });
  const batch: SeriesBatch = { offsets, values };
  const loaded = performance.now();
  options.signal?.throwIfAborted();

  // ---- forecast
  const steps = gap + horizon;
  let lastWrite = 0;
  const workers = options.workers;
  await setForecastRunProgress(sql, id, { series: n, historyTo: `${periodFromIndex(end)}-01` });
  progress({ phase: "forecast", done: 0, total: n });
  const result = await forecastAll(batch, {
    horizon: steps,
    ...(workers !== undefined ? { workers } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done) => {
      progress({ phase: "forecast", done, total: n });
      // Progress for GET /api/forecasts/runs/{id}, about once a second.
      if (done === n || performance.now() - lastWrite > 1000) {
        lastWrite = performance.now();
        void setForecastRunProgress(sql, id, { done }).catch(() => {});
      }
    },
  });
  const forecasted = performance.now();
  options.signal?.throwIfAborted();

  // ---- rows
  const rows = n * horizon;
  const block: StatisticalBlock = {
    sku: new Array<string>(n),
    location: new Array<string>(n),
    from: month,
    horizon,
    units: new Float64Array(rows),
  };
  const models = {
    sku: new Array<string>(n),
    location: new Array<string>(n),
    method: new Array<string>(n),
    members: new Array<string>(n),
    backtestError: new Array<number | null>(n),
    seasonal: new Array<boolean>(n),
    intermittent: new Array<boolean>(n),
    historyMonths: new Array<number>(n),
  };
  const chosen: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const h = history[i]!;
    block.sku[i] = h.sku;
    block.location[i] = h.location;
    for (let k = 0; k < horizon; k++) {
      block.units[i * horizon + k] = Math.round(result.forecasts[i * steps + gap + k]! * 100) / 100;
    }
    const method = METHODS[result.method[i]!]!;
    chosen[method] = (chosen[method] ?? 0) + 1;
    const err = result.backtest[i]!;
    models.sku[i] = h.sku;
    models.location[i] = h.location;
    models.method[i] = method;
    models.members[i] = membersOf(result, i).join(",");
    models.backtestError[i] = Number.isNaN(err) ? null : err;
    models.seasonal[i] = (result.flags[i]! & 1) !== 0;
    models.intermittent[i] = (result.flags[i]! & 2) !== 0;
    models.historyMonths[i] = offsets[i + 1]! - offsets[i]!;
  }

  // ---- write: one transaction
  progress({ phase: "write", done: 0, total: rows });
  const usedWorkers = Math.min(workers ?? defaultWorkers(n), Math.ceil(n / 500));
  const consensus = await sql.begin(async (tx) => {
    const w0 = performance.now();
    await lockXact(tx, LOCK.consensus);
    const locked = await planLock(tx, cycle);
    // Every SKU and location written here comes from the sales rows just read (items and
    // locations are never deleted): PostgreSQL need not re-check the foreign keys row by row.
    const skipped = await skipForeignKeyChecks(tx);
    await tuneBulkWrite(tx);
    const statistical = await replaceStatistical(tx, month, block, { copy: options.copy ?? false });
    const w1 = performance.now();
    await replaceForecastModels(tx, month, id, models);
    const w2 = performance.now();
    const counts = await rebuildCycleConsensus(tx, cycle);
    if (skipped) await restoreForeignKeyChecks(tx);
    // A locked plan may get a new statistical forecast only where no consensus number rests on
    // it (an imported consensus, overrides everywhere); otherwise nothing of the run is kept.
    const changed = counts.inserted + counts.updated + counts.deleted;
    if (locked && changed > 0) {
      throw new ConflictError(
        `${locked.message}; this run would change ${changed} of its consensus numbers`,
        locked.details,
      );
    }
    const written = performance.now();
    const timings = {
      history: round((loaded - started) / 1000),
      forecast: round((forecasted - loaded) / 1000),
      write: round((written - forecasted) / 1000),
      total: round((written - started) / 1000),
      "write.statistical": round((w1 - w0) / 1000),
      "write.models": round((w2 - w1) / 1000),
      "write.consensus": round((written - w2) / 1000),
    };
    await bumpDataVersion(tx);
    await setForecastRunProgress(tx, id, { done: n, workers: usedWorkers });
    await finishForecastRun(tx, id, {
      status: "succeeded",
      rows,
      timings,
      models: chosen,
      consensus: { ...counts },
      statistical: { ...statistical },
    });
    await appendAudit(tx, {
      at: options.now,
      actor: options.actor,
      action: "forecast.run",
      entity: "cycle",
      entityId: cycle,
      source: options.source,
      details: { run: id, horizon, series: n, rows, models: chosen, statistical, consensus: counts },
    });
    return counts;
  });
  progress({ phase: "write", done: rows, total: rows });
  options.logger?.info({ run: id, cycle, series: n, rows, consensus }, "forecast run succeeded");
  return forecastRunJson((await getForecastRun(sql, id))!);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
