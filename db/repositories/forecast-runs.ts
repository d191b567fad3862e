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
  statistical: Record<string, number>;
  consensus: Record<string, number>;
  message: string | null;
  pid: number | null;
  hostname: string | null;
}

const runColumns = (db: Db) => db`
  id, cycle, horizon, status, source, actor, started_at, finished_at, history_to, series, done, rows,
  workers, timings, models, statistical, consensus, message, pid, hostname`;

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
    statistical?: Record<string, number>;
    consensus?: Record<string, number>;
    message?: string | null;
  },
): Promise<void> {
  await db`
    update forecast_runs set
      status = ${outcome.status}, finished_at = clock_timestamp(), rows = ${outcome.rows ?? 0},
      timings = ${db.json((outcome.timings ?? {}) as never)}, models = ${db.json(pairs(outcome.models ?? {}) as never)},
      statistical = ${db.json((outcome.statistical ?? {}) as never)},
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
 * The monthly sales history before `before` ('YYYY-MM-01') of every SKU-location, in key order:
 * one pass over the sales table's primary key; which series are active is the caller's rule.
 */
export async function salesHistoryBefore(db: Db, before: string): Promise<SalesHistory[]> {
  return db<SalesHistory[]>`
    select s.sku, s.location,
           array_agg((extract(year from s.period) * 12 + extract(month from s.period) - 1)::int order by s.period)
             as months,
           array_agg(s.units order by s.period) as units
    from sales s
    where s.period < ${before}::date
    group by s.sku, s.location
    order by s.sku, s.location`;
}

/** One cycle's statistical forecast: `horizon` consecutive months per SKU-location. */
export interface StatisticalBlock {
  /** Per series. */
  sku: string[];
  location: string[];
  /** The first month, 'YYYY-MM-01'. */
  from: string;
  horizon: number;
  /** Series i's months at [i·horizon, (i + 1)·horizon), units. */
  units: Float64Array;
}

export interface WriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/**
 * Makes the cycle's statistical rows exactly `c`: staged in a temporary table (COPY on a
 * server, batches of array parameters on PGlite), then one delete of the rows that are gone,
 * one update of the numbers that changed and one insert of the new rows, as the import merges.
 * A re-run on the same history then writes nothing, and a first run costs one insert.
 */
export async function replaceStatistical(
  tx: Db,
  cycle: string,
  b: StatisticalBlock,
  options: { copy: boolean },
): Promise<WriteCounts> {
  await tx`create temp table stat_stage (sku text, location text, period date, units double precision) on commit drop`;
  if (options.copy) await copyStage(tx, b);
  else {
    // Keys once per series and each series' months as one array literal: PGlite parses a third
    // of the values it would for one array element per column and row.
    const h = b.horizon;
    const SERIES = 2000;
    for (let i = 0; i < b.sku.length; i += SERIES) {
      const j = Math.min(b.sku.length, i + SERIES);
      const months: string[] = [];
      for (let r = i; r < j; r++) months.push(`{${b.units.subarray(r * h, (r + 1) * h).join(",")}}`);
      await tx`
        insert into stat_stage (sku, location, period, units)
        select k.sku, k.location, (${b.from}::date + make_interval(months => (x.o - 1)::int))::date, x.units
        from unnest(${b.sku.slice(i, j)}::text[], ${b.location.slice(i, j)}::text[], ${months}::text[])
          as k(sku, location, months)
        cross join lateral unnest(k.months::double precision[]) with ordinality as x(units, o)`;
    }
  }
  await tx`analyze stat_stage`;
  const deleted = await tx`
    delete from forecasts f
    where f.cycle = ${cycle} and f.source = 'statistical'
      and not exists (select 1 from stat_stage s
                      where s.sku = f.sku and s.location = f.location and s.period = f.period)`;
  const updated = await tx`
    update forecasts f set units = s.units, import_id = null
    from stat_stage s
    where f.cycle = ${cycle} and f.source = 'statistical'
      and f.sku = s.sku and f.location = s.location and f.period = s.period
      and (f.units, f.import_id) is distinct from (s.units, null)`;
  const inserted = await tx`
    insert into forecasts (sku, location, period, source, cycle, units)
    select s.sku, s.location, s.period, 'statistical', ${cycle}, s.units
    from stat_stage s
    where not exists (select 1 from forecasts f
                      where f.cycle = ${cycle} and f.source = 'statistical'
                        and f.sku = s.sku and f.location = s.location and f.period = s.period)`;
  await tx`drop table stat_stage`;
  return { inserted: inserted.count, updated: updated.count, deleted: deleted.count };
}

/** COPY … FROM STDIN into stat_stage (PostgreSQL servers; PGlite has no COPY over the wire). */
async function copyStage(tx: Db, b: StatisticalBlock): Promise<void> {
  const stream = await tx`copy stat_stage from stdin`.writable();
  const done = new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.once("finish", resolve);
  });
  const esc = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (x) => ESCAPES[x]!) : s);
  const periods = Array.from({ length: b.horizon }, (_, k) => addMonthsToDate(b.from, k));
  const SERIES = 1000;
  for (let i = 0; i < b.sku.length; i += SERIES) {
    let chunk = "";
    for (let r = i; r < Math.min(b.sku.length, i + SERIES); r++) {
      const key = `${esc(b.sku[r]!)}\t${esc(b.location[r]!)}\t`;
      for (let k = 0; k < b.horizon; k++) chunk += `${key}${periods[k]}\t${b.units[r * b.horizon + k]}\n`;
    }
    if (!stream.write(chunk)) await new Promise((r) => stream.once("drain", r));
  }
  stream.end();
  await done;
}

/** 'YYYY-MM-01' plus `k` months. */
function addMonthsToDate(first: string, k: number): string {
  const m = Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1 + k;
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01`;
}

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

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
