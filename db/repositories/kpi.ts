/**
 * Set-based KPI queries: each returns additive sums per small group (period, family), so a
 * request is one query over the whole scope and the math on the sums happens in api/domain.
 * Months are passed and returned as 'YYYY-MM-01' dates.
 */
import type { Db } from "../client.js";
import type { Scope } from "./plan.js";

const scoped = (db: Db, alias: string, item: string, scope: Scope) => db`
  ${scope.sku ? db`${db(alias)}.sku = ${scope.sku}` : db`true`}
  and ${scope.family ? db`${db(item)}.family = ${scope.family}` : db`true`}
  and ${scope.location ? db`${db(alias)}.location = ${scope.location}` : db`true`}`;

/** Family and location filters on a cells table. */
const cellScope = (db: Db, scope: Scope) => db`
  ${scope.family ? db`family = ${scope.family}` : db`true`}
  and ${scope.location ? db`location = ${scope.location}` : db`true`}`;

export interface AccuracyCell {
  period: string;
  family: string;
  rows: number;
  actualUnits: number;
  forecastUnits: number;
  absErrorUnits: number;
  apeSum: number;
  apeRows: number;
}

/**
 * Forecasts of one source and lag with target period in [from, to], against actuals (0 when
 * none), summed per period and family: from accuracy_cells, or live for one SKU.
 */
export async function accuracyCells(
  db: Db,
  q: { source: string; lag: number; from: string; to: string; scope: Scope },
): Promise<AccuracyCell[]> {
  if (!q.scope.sku) {
    return db<AccuracyCell[]>`
      select period, family, sum(rows) as rows, sum(actual_units) as actual_units,
             sum(forecast_units) as forecast_units, sum(abs_error_units) as abs_error_units,
             sum(ape_sum) as ape_sum, sum(ape_rows) as ape_rows
      from accuracy_cells
      where source = ${q.source} and lag = ${q.lag} and period between ${q.from} and ${q.to}
        and ${cellScope(db, q.scope)}
      group by period, family
      order by period, family`;
  }
  return db<AccuracyCell[]>`
    select f.period, i.family, count(*) as rows,
           sum(coalesce(s.units, 0)) as actual_units, sum(f.units) as forecast_units,
           sum(abs(f.units - coalesce(s.units, 0))) as abs_error_units,
           coalesce(sum(abs(f.units - s.units) / s.units) filter (where s.units > 0), 0) as ape_sum,
           count(*) filter (where s.units > 0) as ape_rows
    from forecasts f
    join items i on i.sku = f.sku
    left join sales s on s.sku = f.sku and s.location = f.location and s.period = f.period
    where f.source = ${q.source} and f.lag = ${q.lag} and f.period between ${q.from} and ${q.to}
      and ${scoped(db, "f", "i", q.scope)}
    group by f.period, i.family
    order by f.period, i.family`;
}

export interface AccuracyLine {
  sku: string;
  location: string;
  family: string;
  rows: number;
  actualUnits: number;
  forecastUnits: number;
  absErrorUnits: number;
  apeSum: number;
  apeRows: number;
  /** Σe and mean |e| of consensus lag-1 over the last 6 closed periods (from the plan). */
  tsSumError: number | null;
  tsMad: number | null;
}

/**
 * The forecasts (with their item's family) of one source, lag, window and scope. Within a family
 * the forecasts are read SKU by SKU through the primary key (the `offset 0` keeps PostgreSQL
 * from flattening it): its cost estimate otherwise prefers the (source, lag, period) index,
 * which reads every family's forecasts of the window (180,000 rows, 0.9 s, for 4,500 at
 * 10,000 SKUs against 0.1 s).
 */
const forecastsOfScope = (
  db: Db,
  q: { source: string; lag: number; from: string; to: string; scope: Scope },
) =>
  q.scope.family && !q.scope.sku
    ? db`(
      select f.sku, f.location, i.family, f.period, f.units
      from items i
      cross join lateral (
        select f.sku, f.location, f.period, f.units from forecasts f
        where f.sku = i.sku and f.source = ${q.source} and f.lag = ${q.lag}
          and f.period between ${q.from} and ${q.to}
          and ${q.scope.location ? db`f.location = ${q.scope.location}` : db`true`}
        offset 0
      ) f
      where i.family = ${q.scope.family}
    ) f`
    : db`(
      select f.sku, f.location, i.family, f.period, f.units
      from forecasts f join items i on i.sku = f.sku
      where f.source = ${q.source} and f.lag = ${q.lag} and f.period between ${q.from} and ${q.to}
        and ${scoped(db, "f", "i", q.scope)}
    ) f`;

/** The SKU-locations with the largest absolute error in the window. */
export async function worstAccuracyLines(
  db: Db,
  q: { source: string; lag: number; from: string; to: string; scope: Scope; limit: number },
): Promise<AccuracyLine[]> {
  return db<AccuracyLine[]>`
    with w as (
      select f.sku, f.location, f.family, count(*) as rows,
             sum(coalesce(s.units, 0)) as actual_units, sum(f.units) as forecast_units,
             sum(abs(f.units - coalesce(s.units, 0))) as abs_error_units,
             coalesce(sum(abs(f.units - s.units) / s.units) filter (where s.units > 0), 0) as ape_sum,
             count(*) filter (where s.units > 0) as ape_rows
      from ${forecastsOfScope(db, q)}
      left join sales s on s.sku = f.sku and s.location = f.location and s.period = f.period
      group by f.sku, f.location, f.family
      order by abs_error_units desc, f.sku, f.location
      limit ${q.limit}
    )
    select w.*, pl.ts_sum_error, pl.ts_mad
    from w left join plan_lines pl on pl.sku = w.sku and pl.location = w.location
    order by w.abs_error_units desc, w.sku, w.location`;
}

/** The worst SKU-locations of the lag-1 window P−11…P, from accuracy_lines. */
export async function worstStoredLines(
  db: Db,
  q: { source: string; scope: Scope; limit: number },
): Promise<AccuracyLine[]> {
  return db<AccuracyLine[]>`
    select a.sku, a.location, a.family, a.rows, a.actual_units, a.forecast_units, a.abs_error_units,
           a.ape_sum, a.ape_rows, pl.ts_sum_error, pl.ts_mad
    from accuracy_lines a
    left join plan_lines pl on pl.sku = a.sku and pl.location = a.location
    where a.source = ${q.source}
      and ${q.scope.sku ? db`a.sku = ${q.scope.sku}` : db`true`}
      and ${q.scope.family ? db`a.family = ${q.scope.family}` : db`true`}
      and ${q.scope.location ? db`a.location = ${q.scope.location}` : db`true`}
    order by a.abs_error_units desc, a.sku, a.location
    limit ${q.limit}`;
}

export interface FvaCell {
  period: string;
  family: string;
  rows: number;
  actualUnits: number;
  naiveAbsError: number;
  statisticalAbsError: number;
  consensusAbsError: number;
}

/**
 * FVA sums over the rows that have both a statistical and a consensus forecast at `lag` from
 * the same cycle and whose naive month (p − lag − 1) lies in the sales history.
 */
export async function fvaCells(
  db: Db,
  q: { lag: number; from: string; to: string; scope: Scope },
): Promise<FvaCell[]> {
  if (!q.scope.sku) {
    return db<FvaCell[]>`
      select period, family, sum(rows) as rows, sum(actual_units) as actual_units,
             sum(naive_abs_error) as naive_abs_error, sum(statistical_abs_error) as statistical_abs_error,
             sum(consensus_abs_error) as consensus_abs_error
      from fva_cells
      where lag = ${q.lag} and period between ${q.from} and ${q.to} and ${cellScope(db, q.scope)}
      group by period, family
      order by period, family`;
  }
  return db<FvaCell[]>`
    -- The first month of history from the derived cells: sales has no index by period, and
    -- min(period) over it read a million rows (145 ms) on every one-SKU accuracy answer.
    with first as (select min(period) as period from sales_cells)
    select c.period, i.family, count(*) as rows,
           sum(coalesce(a.units, 0)) as actual_units,
           sum(abs(coalesce(n.units, 0) - coalesce(a.units, 0))) as naive_abs_error,
           sum(abs(st.units - coalesce(a.units, 0))) as statistical_abs_error,
           sum(abs(c.units - coalesce(a.units, 0))) as consensus_abs_error
    from forecasts c
    cross join first
    join items i on i.sku = c.sku
    join forecasts st on st.sku = c.sku and st.location = c.location and st.period = c.period
      and st.cycle = c.cycle and st.source = 'statistical'
    left join sales a on a.sku = c.sku and a.location = c.location and a.period = c.period
    left join sales n on n.sku = c.sku and n.location = c.location
      and n.period = (c.period - make_interval(months => ${q.lag + 1}))::date
    where c.source = 'consensus' and c.lag = ${q.lag} and c.period between ${q.from} and ${q.to}
      and (c.period - make_interval(months => ${q.lag + 1}))::date >= first.period
      and ${scoped(db, "c", "i", q.scope)}
    group by c.period, i.family
    order by c.period, i.family`;
}

export interface SalesCell {
  period: string;
  family: string;
  units: number;
  /** Σ units × unit_cost, money. */
  cogs: number;
  /** Money. */
  revenue: number;
}

export async function salesCells(
  db: Db,
  q: { from: string; to: string; scope: Scope },
): Promise<SalesCell[]> {
  if (!q.scope.sku) {
    return db<SalesCell[]>`
      select period, family, sum(units) as units, sum(cogs) as cogs, sum(revenue) as revenue
      from sales_cells
      where period between ${q.from} and ${q.to} and ${cellScope(db, q.scope)}
      group by period, family
      order by period, family`;
  }
  return db<SalesCell[]>`
    select s.period, i.family, sum(s.units) as units, sum(s.units * i.unit_cost) as cogs, sum(s.revenue) as revenue
    from sales s join items i on i.sku = s.sku
    where s.period between ${q.from} and ${q.to} and ${scoped(db, "s", "i", q.scope)}
    group by s.period, i.family
    order by s.period, i.family`;
}

export interface InventoryCell {
  period: string;
  family: string;
  /** Σ over SKU-locations of the month's latest snapshot × unit_cost, money. */
  value: number;
  units: number;
}

export async function inventoryCells(
  db: Db,
  q: { from: string; to: string; scope: Scope },
): Promise<InventoryCell[]> {
  if (!q.scope.sku) {
    return db<InventoryCell[]>`
      select period, family, sum(value) as value, sum(units) as units
      from inventory_cells
      where period between ${q.from} and ${q.to} and ${cellScope(db, q.scope)}
      group by period, family
      order by period, family`;
  }
  return db<InventoryCell[]>`
    with last_in_month as (
      select distinct on (v.sku, v.location, date_trunc('month', v.as_of))
             date_trunc('month', v.as_of)::date as period, v.sku, v.on_hand
      from inventory v join items i on i.sku = v.sku
      where v.as_of >= ${q.from} and v.as_of < (${q.to}::date + interval '1 month')
        and ${scoped(db, "v", "i", q.scope)}
      order by v.sku, v.location, date_trunc('month', v.as_of), v.as_of desc
    )
    select l.period, i.family, sum(l.on_hand * i.unit_cost) as value, sum(l.on_hand) as units
    from last_in_month l join items i on i.sku = l.sku
    group by l.period, i.family
    order by l.period, i.family`;
}

export interface SegmentLine {
  sku: string;
  family: string;
  name: string;
  /** Money over the window. */
  revenue: number;
  /** Units per month over the window, oldest first, missing months 0. */
  monthlyUnits: number[];
}

/** Revenue and monthly units per SKU (all locations) over the 12 months ending at `to`. */
export async function segmentLines(
  db: Db,
  q: { from: string; to: string; scope: Scope },
): Promise<SegmentLine[]> {
  return db<SegmentLine[]>`
    with months as (
      select g::date as period from generate_series(${q.from}::date, ${q.to}::date, interval '1 month') g
    ),
    m as (
      select s.sku, s.period, sum(s.units) as units, sum(s.revenue) as revenue
      from sales s
      where s.period between ${q.from} and ${q.to}
        and ${q.scope.location ? db`s.location = ${q.scope.location}` : db`true`}
      group by s.sku, s.period
    ),
    its as (
      select sku, family, name from items
      where ${q.scope.sku ? db`sku = ${q.scope.sku}` : db`true`}
        and ${q.scope.family ? db`family = ${q.scope.family}` : db`true`}
    )
    select its.sku, its.family, its.name, coalesce(sum(m.revenue), 0) as revenue,
           array_agg(coalesce(m.units, 0) order by months.period) as monthly_units
    from its cross join months
    left join m on m.sku = its.sku and m.period = months.period
    group by its.sku, its.family, its.name
    order by its.sku`;
}

export interface CapacityRowDb {
  family: string;
  period: string;
  units: number;
}

export async function capacityRows(
  db: Db,
  q: { from: string; to: string; family?: string | undefined },
): Promise<CapacityRowDb[]> {
  return db<CapacityRowDb[]>`
    select family, period, units from capacity
    where period between ${q.from} and ${q.to} and ${q.family ? db`family = ${q.family}` : db`true`}
    order by family, period`;
}

/** The demand plan per family and month (all locations), P+1 … P+12. */
export async function familyDemand(
  db: Db,
  q: { from: string; to: string; family?: string | undefined },
): Promise<CapacityRowDb[]> {
  return db<CapacityRowDb[]>`
    select family, period, units from family_demand
    where period between ${q.from} and ${q.to} and ${q.family ? db`family = ${q.family}` : db`true`}
    order by family, period`;
}

export async function familyExists(db: Db, family: string): Promise<boolean> {
  const [r] = await db<
    { ok: boolean }[]
  >`select exists (select 1 from families where code = ${family}) as ok`;
  return r?.ok ?? false;
}

export async function locationExists(db: Db, location: string): Promise<boolean> {
  const [r] = await db<
    { ok: boolean }[]
  >`select exists (select 1 from locations where code = ${location}) as ok`;
  return r?.ok ?? false;
}

/** The latest KPI snapshot for a last period. */
export async function kpiSnapshot(
  db: Db,
  lastPeriod: string,
): Promise<Record<string, number | null> | undefined> {
  const [r] = await db<{ figures: Record<string, number | null> }[]>`
    select figures from kpi_snapshots where last_period = ${lastPeriod}`;
  return r?.figures;
}

export async function saveKpiSnapshot(
  db: Db,
  lastPeriod: string,
  dataVersion: number,
  figures: Record<string, number | null>,
): Promise<void> {
  await db`
    insert into kpi_snapshots (last_period, data_version, figures)
    values (${lastPeriod}, ${dataVersion}, ${db.json(figures)})
    on conflict (last_period) do update set figures = excluded.figures, data_version = excluded.data_version,
      computed_at = now()
    where kpi_snapshots.data_version <= excluded.data_version`;
}

export interface SkuActual {
  period: string;
  location: string;
  units: number;
  revenue: number;
}

export interface SkuForecast {
  period: string;
  location: string;
  source: string;
  lag: number;
  units: number;
}

/** One SKU's sales and forecasts (lags 0…`maxLag`) with target periods in [from, to]. */
export async function skuHistory(
  db: Db,
  q: { sku: string; location?: string | undefined; from: string; to: string; maxLag: number },
): Promise<{ actuals: SkuActual[]; forecasts: SkuForecast[] }> {
  const [actuals, forecasts] = await Promise.all([
    db<SkuActual[]>`
      select period, location, units, revenue from sales
      where sku = ${q.sku} and period between ${q.from} and ${q.to}
        and ${q.location ? db`location = ${q.location}` : db`true`}
      order by period, location`,
    db<SkuForecast[]>`
      select period, location, source, lag, units from forecasts
      where sku = ${q.sku} and period between ${q.from} and ${q.to} and lag between 0 and ${q.maxLag}
        and ${q.location ? db`location = ${q.location}` : db`true`}
      order by period, location, source, lag`,
  ]);
  return { actuals, forecasts };
}
