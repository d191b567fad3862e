/**
 * Statistical forecast runs: their ledger, the history they read and the rows they write.
 * Months travel as the database's 'YYYY-MM-01', or as month numbers (year × 12 + month − 1)
 * where many of them travel at once.
 */
import { hostname } from "node:os";
import type { Db } from "../client.js";

export interface ForecastRunRow {
  id: number;
  /** 'YYYY-MM-01' */
  cycle: string;
  horizon: number;
  status: "running" | "succeeded" | "failed" | "interrupted";
  source: string;
  actor: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  historyTo: string | null;
  series: number;
  done: number;
  rows: number;
  workers: number;
  timings: Record<string, number>;
  models: Record<string, number>;
  consensus: Record<string, number>;
  message: string | null;
  pid: number | null;
  hostname: string | null;
}

const runColumns = (db: Db) => db`
  id, cycle, horizon, status, source, actor, started_at, finished_at, history_to, series, done, rows,
  workers, timings, models, consensus, message, pid, hostname`;

/**
 * Records a new run as running; undefined when another run is running (the partial unique
 * index decides, so two processes cannot both start).
 */
export async function insertForecastRun(
  db: Db,
  run: { cycle: string; horizon: number; source: string; actor: string | null },
): Promise<number | undefined> {
  const rows = await db<{ id: number }[]>`
    insert into forecast_runs (cycle, horizon, source, actor, pid, hostname)
    values (${run.cycle}, ${run.horizon}, ${run.source}, ${run.actor}, ${process.pid}, ${hostname()})
    on conflict ((true)) where status = 'running' do nothing
    returning id`;
  return rows[0]?.id;
}

export async function runningForecastRun(db: Db): Promise<ForecastRunRow | undefined> {
  const [row] = await db<ForecastRunRow[]>`
    select ${runColumns(db)} from forecast_runs where status = 'running'`;
  return row && { ...row, models: unpair(row.models) };
}

/** Marks a run that its process left behind (it no longer exists) as interrupted. */
export async function markForecastRunInterrupted(db: Db, id: number): Promise<void> {
  await db`
    update forecast_runs set status = 'interrupted', finished_at = clock_timestamp(),
      message = 'the process running this forecast stopped before it finished; nothing of it was written'
    where id = ${id} and status = 'running'`;
}

export async function setForecastRunProgress(
  db: Db,
  id: number,
  progress: { series?: number; done?: number; workers?: number; historyTo?: string | null },
): Promise<void> {
  await db`
    update forecast_runs set
      series = coalesce(${progress.series ?? null}::integer, series),
      done = coalesce(${progress.done ?? null}::integer, done),
      workers = coalesce(${progress.workers ?? null}::integer, workers),
      history_to = coalesce(${progress.historyTo ?? null}::date, history_to)
    where id = ${id}`;
}

export async function finishForecastRun(
  db: Db,
  id: number,
  outcome: {
    status: "succeeded" | "failed" | "interrupted";
    rows?: number;
    timings?: Record<string, number>;
    models?: Record<string, number>;
    consensus?: Record<string, number>;
    message?: string | null;
  },
): Promise<void> {
  await db`
    update forecast_runs set
      status = ${outcome.status}, finished_at = clock_timestamp(), rows = ${outcome.rows ?? 0},
      timings = ${db.json((outcome.timings ?? {}) as never)}, models = ${db.json(pairs(outcome.models ?? {}) as never)},
      consensus = ${db.json((outcome.consensus ?? {}) as never)}, message = ${outcome.message ?? null}
    where id = ${id}`;
}

// The driver turns JSON keys into camelCase on the way back ('seasonal_naive' → 'seasonalNaive'):
// model names travel as values.
const pairs = (r: Record<string, number>) =>
  Object.entries(r).map(([method, series]) => ({ method, series }));
const unpair = (p: unknown): Record<string, number> =>
  Array.isArray(p)
    ? Object.fromEntries(p.map((x: { method: string; series: number }) => [x.method, x.series]))
    : {};

export async function getForecastRun(db: Db, id: number): Promise<ForecastRunRow | undefined> {
  const [row] = await db<ForecastRunRow[]>`select ${runColumns(db)} from forecast_runs where id = ${id}`;
  return row && { ...row, models: unpair(row.models) };
}

export async function listForecastRuns(
  db: Db,
  q: { cycle?: string | undefined; limit: number },
): Promise<ForecastRunRow[]> {
  const rows = await db<ForecastRunRow[]>`
    select ${runColumns(db)} from forecast_runs
    where ${q.cycle ? db`cycle = ${q.cycle}` : db`true`}
    order by started_at desc, id desc
    limit ${q.limit}`;
  return rows.map((r) => ({ ...r, models: unpair(r.models) }));
}

/** The latest month of the sales history as a month number, or null without sales. */
export async function lastSalesMonth(db: Db): Promise<number | null> {
  const [r] = await db<{ m: number | null }[]>`
    select (extract(year from max(period)) * 12 + extract(month from max(period)) - 1)::int as m from sales`;
  return r?.m ?? null;
}

export interface SalesHistory {
  sku: string;
  location: string;
  /** Month numbers of the recorded months, ascending. */
  months: number[];
  /** Units sold in those months. */
  units: number[];
}

/**
 * The sales history before month `before` (a month number) of every SKU-location that sold
 * something in the `activeMonths` months before it: the series to forecast.
 */
export async function activeSalesHistory(
  db: Db,
  q: { before: string; activeMonths: number },
): Promise<SalesHistory[]> {
  return db<SalesHistory[]>`
    with active as (
      select sku, location from sales
      where period >= (${q.before}::date - make_interval(months => ${q.activeMonths}))::date
        and period < ${q.before}::date and units > 0
      group by sku, location
    )
    select s.sku, s.location,
           array_agg((extract(year from s.period) * 12 + extract(month from s.period) - 1)::int order by s.period)
             as months,
           array_agg(s.units order by s.period) as units
    from sales s join active a on a.sku = s.sku and a.location = s.location
    where s.period < ${q.before}::date
    group by s.sku, s.location
    order by s.sku, s.location`;
}

/** The rows of one cycle's statistical forecast, as columns. */
export interface StatisticalColumns {
  sku: string[];
  location: string[];
  /** 'YYYY-MM-01' */
  period: string[];
  units: number[];
}

/** Deletes the cycle's statistical rows (imported or not); returns how many there were. */
export async function deleteStatistical(tx: Db, cycle: string): Promise<number> {
  const r = await tx`delete from forecasts where cycle = ${cycle} and source = 'statistical'`;
  return r.count;
}

/** Appends statistical rows of `cycle` with COPY (PostgreSQL servers; PGlite has no COPY over the wire). */
export async function copyStatistical(tx: Db, cycle: string, c: StatisticalColumns): Promise<void> {
  const stream = await tx`copy forecasts (sku, location, period, source, cycle, units) from stdin`.writable();
  const done = new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.once("finish", resolve);
  });
  const esc = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (x) => ESCAPES[x]!) : s);
  const BATCH = 10_000;
  for (let i = 0; i < c.sku.length; i += BATCH) {
    let chunk = "";
    for (let r = i; r < Math.min(c.sku.length, i + BATCH); r++) {
      chunk += `${esc(c.sku[r]!)}\t${esc(c.location[r]!)}\t${c.period[r]}\tstatistical\t${cycle}\t${c.units[r]}\n`;
    }
    if (!stream.write(chunk)) await new Promise((r) => stream.once("drain", r));
  }
  stream.end();
  await done;
}

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Appends statistical rows of `cycle`, in batches of array parameters. */
export async function insertStatistical(tx: Db, cycle: string, c: StatisticalColumns): Promise<void> {
  const BATCH = 20_000;
  for (let i = 0; i < c.sku.length; i += BATCH) {
    const j = Math.min(c.sku.length, i + BATCH);
    await tx`
      insert into forecasts (sku, location, period, source, cycle, units)
      select sku, location, period, 'statistical', ${cycle}, units
      from unnest(${c.sku.slice(i, j)}::text[], ${c.location.slice(i, j)}::text[],
                  ${c.period.slice(i, j)}::date[], ${c.units.slice(i, j)}::double precision[])
        as t(sku, location, period, units)`;
  }
}

export interface ModelColumns {
  sku: string[];
  location: string[];
  method: string[];
  /** Comma-separated member names (arrays of arrays do not travel as parameters). */
  members: string[];
  backtestError: (number | null)[];
  seasonal: boolean[];
  intermittent: boolean[];
  historyMonths: number[];
}

/** Replaces the models of the cycle's statistical forecast. */
export async function replaceForecastModels(
  tx: Db,
  cycle: string,
  runId: number,
  c: ModelColumns,
): Promise<void> {
  await tx`delete from forecast_models where cycle = ${cycle}`;
  const BATCH = 20_000;
  for (let i = 0; i < c.sku.length; i += BATCH) {
    const j = Math.min(c.sku.length, i + BATCH);
    await tx`
      insert into forecast_models (cycle, sku, location, run_id, method, members, backtest_error, seasonal,
                                   intermittent, history_months)
      select ${cycle}, sku, location, ${runId}, method, string_to_array(members, ','), err, seasonal,
             intermittent, months
      from unnest(${c.sku.slice(i, j)}::text[], ${c.location.slice(i, j)}::text[], ${c.method.slice(i, j)}::text[],
                  ${c.members.slice(i, j)}::text[], ${c.backtestError.slice(i, j) as number[]}::double precision[],
                  ${c.seasonal.slice(i, j).map((b) => (b ? "t" : "f"))}::text[]::boolean[],
                  ${c.intermittent.slice(i, j).map((b) => (b ? "t" : "f"))}::text[]::boolean[],
                  ${c.historyMonths.slice(i, j)}::integer[])
        as t(sku, location, method, members, err, seasonal, intermittent, months)`;
  }
}

export interface ForecastModelRow {
  sku: string;
  location: string;
  runId: number;
  method: string;
  members: string[];
  backtestError: number | null;
  seasonal: boolean;
  intermittent: boolean;
  historyMonths: number;
}

export async function forecastModel(
  db: Db,
  key: { cycle: string; sku: string; location: string },
): Promise<ForecastModelRow | undefined> {
  const [row] = await db<ForecastModelRow[]>`
    select sku, location, run_id, method, members, backtest_error, seasonal, intermittent, history_months
    from forecast_models where cycle = ${key.cycle} and sku = ${key.sku} and location = ${key.location}`;
  return row;
}

export interface ForecastRow {
  sku: string;
  location: string;
  /** 'YYYY-MM-01' */
  period: string;
  source: string;
  /** 'YYYY-MM-01' */
  cycle: string;
  units: number;
  lag: number;
}

export interface ForecastFilter {
  source?: string | undefined;
  /** 'YYYY-MM-01' */
  cycle?: string | undefined;
  sku?: string | undefined;
  family?: string | undefined;
  location?: string | undefined;
}

const forecastWhere = (db: Db, f: ForecastFilter) => db`
  ${f.source ? db`f.source = ${f.source}` : db`true`}
  and ${f.cycle ? db`f.cycle = ${f.cycle}` : db`true`}
  and ${f.sku ? db`f.sku = ${f.sku}` : db`true`}
  and ${f.location ? db`f.location = ${f.location}` : db`true`}
  and ${f.family ? db`f.sku in (select sku from items where family = ${f.family})` : db`true`}`;

/** A page of forecast rows in key order (cycle, source, SKU, location, period). */
export async function listForecasts(
  db: Db,
  f: ForecastFilter & { limit: number; offset: number },
): Promise<{ rows: ForecastRow[]; total: number }> {
  const [rows, [count]] = await Promise.all([
    db<ForecastRow[]>`
      select f.sku, f.location, f.period, f.source, f.cycle, f.units, f.lag
      from forecasts f
      where ${forecastWhere(db, f)}
      order by f.cycle, f.source, f.sku, f.location, f.period
      limit ${f.limit} offset ${f.offset}`,
    db<{ n: number }[]>`select count(*)::int as n from forecasts f where ${forecastWhere(db, f)}`,
  ]);
  return { rows, total: count?.n ?? 0 };
}

/**
 * Forecast rows of one source and cycle after the key `after` (keyset paging for exports that
 * may hold millions of rows without holding the database for the whole file).
 */
export async function forecastRowsAfter(
  db: Db,
  q: {
    source: string;
    cycle: string;
    after: { sku: string; location: string; period: string } | null;
    limit: number;
  },
): Promise<ForecastRow[]> {
  const a = q.after;
  return db<ForecastRow[]>`
    select f.sku, f.location, f.period, f.source, f.cycle, f.units, f.lag
    from forecasts f
    where f.source = ${q.source} and f.cycle = ${q.cycle}
      and ${a ? db`(f.sku, f.location, f.period) > (${a.sku}, ${a.location}, ${a.period}::date)` : db`true`}
    order by f.sku, f.location, f.period
    limit ${q.limit}`;
}
