/**
 * The materialised plan (plan_lines) and the data version that says when it is stale. The
 * demand-plan rule, σ and the tracking-signal sums of DOMAIN.md are set work over millions of
 * forecast rows, so they run here in SQL once per change of the fact base.
 */
import type { Db } from "../client.js";
import { LOCK, lockXact } from "./locks.js";

export interface DataState {
  version: number;
  changedAt: Date;
  planVersion: number;
  planRefreshedAt: Date | null;
  planSeconds: number | null;
  /** P as 'YYYY-MM-01', or null when there is no sales history. */
  lastPeriod: string | null;
}

export async function dataState(db: Db): Promise<DataState> {
  const [s] = await db<DataState[]>`
    select version, changed_at, plan_version, plan_refreshed_at, plan_seconds, last_period from data_state`;
  return s!;
}

/** Marks the fact base as changed; call inside the transaction that changes it. */
export const PLAN_MONTHS = 24;

export async function bumpDataVersion(db: Db): Promise<void> {
  await db`update data_state set version = version + 1, changed_at = now()`;
}

/** Serialises refreshes: concurrent callers wait for one instead of repeating it. */
export async function lockPlan(tx: Db): Promise<void> {
  await lockXact(tx, LOCK.plan);
}

/** P for the plan: the latest sales month, else the month of the latest snapshot; 'YYYY-MM-01'. */
export async function planLastPeriod(db: Db): Promise<string | null> {
  const [p] = await db<{ last: string | null }[]>`
    select coalesce((select max(period) from sales),
                    (select date_trunc('month', max(as_of))::date from inventory)) as last`;
  return p?.last ?? null;
}

export async function markPlanFresh(
  tx: Db,
  state: { version: number; seconds: number; lastPeriod: string | null },
): Promise<void> {
  await tx`
    update data_state set plan_version = ${state.version}, plan_refreshed_at = now(),
      plan_seconds = ${state.seconds}, last_period = ${state.lastPeriod}`;
}

/** Recomputes every plan line from the fact base, with P = `last` ('YYYY-MM-01'). */
export async function rebuildPlanLines(tx: Db, last: string | null): Promise<void> {
  await tx`delete from plan_lines`;
  if (last !== null) await insertPlanLines(tx, last);
}

export interface SegmentRow {
  sku: string;
  revenue: number;
  revenueShare: number;
  abc: "A" | "B" | "C";
  cv: number | null;
  xyz: "X" | "Y" | "Z";
}

export async function replaceSegments(tx: Db, rows: readonly SegmentRow[]): Promise<void> {
  await tx`delete from sku_segments`;
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await tx`
      insert into sku_segments (sku, revenue, revenue_share, abc, cv, xyz)
      select * from unnest(${chunk.map((r) => r.sku)}::text[], ${chunk.map((r) => r.revenue)}::numeric[],
        ${chunk.map((r) => r.revenueShare)}::double precision[], ${chunk.map((r) => r.abc)}::text[],
        ${chunk.map((r) => r.cv) as number[]}::double precision[], ${chunk.map((r) => r.xyz)}::text[])`;
  }
}

export async function segmentsOf(
  db: Db,
  scope: Scope = {},
): Promise<(SegmentRow & { family: string; name: string })[]> {
  return db<(SegmentRow & { family: string; name: string })[]>`
    select g.sku, i.family, i.name, g.revenue, g.revenue_share, g.abc, g.cv, g.xyz
    from sku_segments g join items i using (sku)
    where ${scope.sku ? db`g.sku = ${scope.sku}` : db`true`}
      and ${scope.family ? db`i.family = ${scope.family}` : db`true`}
    order by g.revenue desc, g.sku`;
}

async function insertPlanLines(tx: Db, last: string): Promise<void> {
  await tx`
    with win as (
      select ${last}::date as last,
             (${last}::date - interval '11 months')::date as first12,
             (${last}::date - interval '5 months')::date as first6,
             (${last}::date - interval '2 months')::date as first3
    ),
    snap as (
      select distinct on (sku, location) sku, location, on_hand, as_of
      from inventory order by sku, location, as_of desc
    ),
    keys as (
      select sku, location from snap
      union select sku, location from supply
      union select sku, location from sales, win where period between win.first12 and win.last
      union select sku, location from forecasts, win where period > win.last
    ),
    lines as (
      select k.sku, k.location, coalesce(s.on_hand, 0) as on_hand, s.as_of,
             date_trunc('month', coalesce(s.as_of, (win.last + interval '1 month - 1 day')::date) + 1)::date
               as start_period
      from keys k cross join win left join snap s using (sku, location)
    ),
    span as (select min(start_period) as lo, (max(start_period) + interval '23 months')::date as hi from lines),
    cells as (
      select l.sku, l.location, g, (l.start_period + make_interval(months => g))::date as period
      from lines l cross join generate_series(0, 23) as g
    ),
    cons as (
      select distinct on (f.sku, f.location, f.period) f.sku, f.location, f.period, f.units
      from forecasts f, span
      where f.source = 'consensus' and f.period between span.lo and span.hi
      order by f.sku, f.location, f.period, f.cycle desc
    ),
    stat as (
      select distinct on (f.sku, f.location, f.period) f.sku, f.location, f.period, f.units
      from forecasts f, span
      where f.source = 'statistical' and f.period between span.lo and span.hi
      order by f.sku, f.location, f.period, f.cycle desc
    ),
    act as (
      select s.sku, s.location,
             coalesce(sum(s.units) filter (where s.period >= win.first3), 0) / 3.0 as fallback,
             coalesce(sum(s.units) filter (where s.period >= win.first6), 0) as recent,
             sum(s.units) as s1, sum(s.units * s.units) as s2
      from sales s cross join win
      where s.period between win.first12 and win.last
      group by s.sku, s.location
    ),
    err as (
      select f.sku, f.location, count(*) as n,
             stddev_samp(f.units - coalesce(a.units, 0)) as sd,
             coalesce(sum(f.units - coalesce(a.units, 0)) filter (where f.period >= win.first6), 0) as ts_sum,
             coalesce(avg(abs(f.units - coalesce(a.units, 0))) filter (where f.period >= win.first6), 0) as ts_mad
      from forecasts f cross join win
      left join sales a on a.sku = f.sku and a.location = f.location and a.period = f.period
      where f.source = 'consensus' and f.lag = 1 and f.period between win.first12 and win.last
      group by f.sku, f.location
    ),
    plan as (
      select c.sku, c.location,
             array_agg(coalesce(cons.units, stat.units, act.fallback, 0) order by c.g) as demand,
             string_agg(case when cons.units is not null then 'c' when stat.units is not null then 's' else 'a' end,
                        '' order by c.g) as basis
      from cells c
      left join cons using (sku, location, period)
      left join stat using (sku, location, period)
      left join act using (sku, location)
      group by c.sku, c.location
    )
    insert into plan_lines (sku, location, on_hand, as_of, start_period, demand, basis, sigma, sigma_basis,
                            ts_sum_error, ts_mad, recent_units)
    select l.sku, l.location, l.on_hand, l.as_of, l.start_period, plan.demand, plan.basis,
           case when coalesce(err.n, 0) >= 6 then coalesce(err.sd, 0)
                -- σ of the 12 monthly actuals, months without a record counting as 0 (n − 1 = 11).
                else sqrt(greatest(0, (coalesce(act.s2, 0) - coalesce(act.s1, 0) ^ 2 / 12) / 11)) end,
           case when coalesce(err.n, 0) >= 6 then 'errors' else 'actuals' end,
           coalesce(err.ts_sum, 0), coalesce(err.ts_mad, 0), coalesce(act.recent, 0)
    from lines l
    join plan using (sku, location)
    left join act using (sku, location)
    left join err using (sku, location)`;
}

export interface PlanLine {
  sku: string;
  location: string;
  family: string;
  name: string;
  /** Units. */
  onHand: number;
  asOf: string | null;
  startPeriod: string;
  /** Units per month for 24 months from startPeriod, not pro-rated. */
  demand: number[];
  basis: string;
  sigma: number;
  sigmaBasis: "errors" | "actuals";
  tsSumError: number;
  tsMad: number;
  recentUnits: number;
  /** Money per unit. */
  unitCost: number;
  /** Money per unit. */
  unitPrice: number;
  leadTimeDays: number;
  serviceLevel: number;
}

export interface Scope {
  sku?: string | undefined;
  family?: string | undefined;
  location?: string | undefined;
}

/** Every plan line in scope, with the item fields the KPIs need. */
export async function planLines(db: Db, scope: Scope = {}): Promise<PlanLine[]> {
  return db<PlanLine[]>`
    select pl.sku, pl.location, i.family, i.name, pl.on_hand, pl.as_of, pl.start_period, pl.demand, pl.basis,
           pl.sigma, pl.sigma_basis, pl.ts_sum_error, pl.ts_mad, pl.recent_units,
           i.unit_cost, i.unit_price, i.lead_time_days, i.service_level
    from plan_lines pl join items i using (sku)
    where ${scope.sku ? db`pl.sku = ${scope.sku}` : db`true`}
      and ${scope.family ? db`i.family = ${scope.family}` : db`true`}
      and ${scope.location ? db`pl.location = ${scope.location}` : db`true`}
    order by pl.sku, pl.location`;
}

export interface OpenSupply {
  sku: string;
  location: string;
  due: string;
  units: number;
  type: string;
  reference: string;
}

export async function openSupply(db: Db, scope: Scope = {}): Promise<OpenSupply[]> {
  return db<OpenSupply[]>`
    select s.sku, s.location, s.due, s.units, s.type, s.reference
    from supply s join items i using (sku)
    where ${scope.sku ? db`s.sku = ${scope.sku}` : db`true`}
      and ${scope.family ? db`i.family = ${scope.family}` : db`true`}
      and ${scope.location ? db`s.location = ${scope.location}` : db`true`}
    order by s.sku, s.location, s.due`;
}
