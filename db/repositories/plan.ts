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

/**
 * Serialises refreshes: concurrent callers wait for one instead of repeating it. Also gives the
 * refresh's big aggregates memory to hash and sort in (the 4 MB default spills to disk at
 * millions of rows) and skips JIT compilation, which costs more than it saves here.
 */
export async function lockPlan(tx: Db): Promise<void> {
  await lockXact(tx, LOCK.plan);
  await tx`select set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`;
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

/**
 * Builds plan_lines in steps through temporary tables: each step is analysed before the next
 * joins it, so the planner sees real row counts (one CTE-only statement got estimates of 1 row
 * for 420,000 and merge-joined its way through 8.6 million rescanned rows).
 */
async function insertPlanLines(tx: Db, last: string): Promise<void> {
  // The SKU-locations to plan: with a snapshot, open supply, sales in P−11…P or a forecast
  // after P. Each source is grouped first so the union sorts keys, not millions of rows.
  await tx`
    create temp table pl_lines on commit drop as
    with snap as (
      select distinct on (sku, location) sku, location, on_hand, as_of
      from inventory order by sku, location, as_of desc
    ),
    keys as (
      select sku, location from snap
      union select sku, location from supply group by sku, location
      union select sku, location from sales
            where period between (${last}::date - interval '11 months')::date and ${last} group by sku, location
      union select sku, location from forecasts where period > ${last} group by sku, location
    )
    select k.sku, k.location, coalesce(s.on_hand, 0) as on_hand, s.as_of,
           date_trunc('month', coalesce(s.as_of, (${last}::date + interval '1 month - 1 day')::date) + 1)::date
             as start_period
    from keys k left join snap s using (sku, location)`;
  await tx`analyze pl_lines`;

  // The latest cycle's forecast per month, per source, in one hash aggregate: within a target
  // month the latest cycle is the smallest lag, and max(array[−lag, units]) carries its units
  // along (no sort, no second pass over forecasts).
  await tx`
    create temp table pl_latest on commit drop as
    select sku, location, period,
           (max(array[-lag, units]) filter (where source = 'consensus'))[2] as cons,
           (max(array[-lag, units]) filter (where source = 'statistical'))[2] as stat
    from forecasts
    where source in ('consensus', 'statistical')
      and period between (select min(start_period) from pl_lines)
                     and (select max(start_period) + interval '23 months' from pl_lines)
    group by sku, location, period`;
  await tx`analyze pl_latest`;

  await tx`
    create temp table pl_act on commit drop as
    select sku, location,
           coalesce(sum(units) filter (where period >= (${last}::date - interval '2 months')::date), 0) / 3.0
             as fallback,
           coalesce(sum(units) filter (where period >= (${last}::date - interval '5 months')::date), 0) as recent,
           sum(units) as s1, sum(units * units) as s2
    from sales
    where period between (${last}::date - interval '11 months')::date and ${last}
    group by sku, location`;

  // Consensus lag-1 errors over P−11…P (A = 0 where no sale was recorded): σ from the whole
  // window, the tracking signal's sums from its last 6 months.
  await tx`
    create temp table pl_err on commit drop as
    select f.sku, f.location, count(*) as n,
           stddev_samp(f.units - coalesce(a.units, 0)) as sd,
           coalesce(sum(f.units - coalesce(a.units, 0))
             filter (where f.period >= (${last}::date - interval '5 months')::date), 0) as ts_sum,
           coalesce(avg(abs(f.units - coalesce(a.units, 0)))
             filter (where f.period >= (${last}::date - interval '5 months')::date), 0) as ts_mad
    from forecasts f
    left join sales a on a.sku = f.sku and a.location = f.location and a.period = f.period
    where f.source = 'consensus' and f.lag = 1
      and f.period between (${last}::date - interval '11 months')::date and ${last}
    group by f.sku, f.location`;
  await tx`analyze pl_act`;
  await tx`analyze pl_err`;

  // The demand-plan rule per month: latest-cycle consensus, else statistical, else the mean of
  // the actuals of P−2…P.
  await tx`
    insert into plan_lines (sku, location, on_hand, as_of, start_period, demand, basis, sigma, sigma_basis,
                            ts_sum_error, ts_mad, recent_units)
    select l.sku, l.location, l.on_hand, l.as_of, l.start_period, p.demand, p.basis,
           case when coalesce(e.n, 0) >= 6 then coalesce(e.sd, 0)
                -- σ of the 12 monthly actuals, months without a record counting as 0 (n − 1 = 11).
                else sqrt(greatest(0, (coalesce(a.s2, 0) - coalesce(a.s1, 0) ^ 2 / 12) / 11)) end,
           case when coalesce(e.n, 0) >= 6 then 'errors' else 'actuals' end,
           coalesce(e.ts_sum, 0), coalesce(e.ts_mad, 0), coalesce(a.recent, 0)
    from pl_lines l
    join (
      select c.sku, c.location,
             array_agg(coalesce(f.cons, f.stat, act.fallback, 0) order by c.g) as demand,
             string_agg(case when f.cons is not null then 'c' when f.stat is not null then 's' else 'a' end,
                        '' order by c.g) as basis
      from (
        select l.sku, l.location, g, (l.start_period + g * interval '1 month')::date as period
        from pl_lines l cross join generate_series(0, 23) as g
      ) c
      left join pl_latest f on f.sku = c.sku and f.location = c.location and f.period = c.period
      left join pl_act act on act.sku = c.sku and act.location = c.location
      group by c.sku, c.location
    ) p using (sku, location)
    left join pl_act a using (sku, location)
    left join pl_err e using (sku, location)`;
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

/** Plan lines for the given SKU-locations, in the order given. */
export async function planLinesByKey(
  db: Db,
  keys: readonly { sku: string; location: string }[],
): Promise<PlanLine[]> {
  if (keys.length === 0) return [];
  return db<PlanLine[]>`
    select pl.sku, pl.location, i.family, i.name, pl.on_hand, pl.as_of, pl.start_period, pl.demand, pl.basis,
           pl.sigma, pl.sigma_basis, pl.ts_sum_error, pl.ts_mad, pl.recent_units,
           i.unit_cost, i.unit_price, i.lead_time_days, i.service_level
    from unnest(${keys.map((k) => k.sku)}::text[], ${keys.map((k) => k.location)}::text[])
      with ordinality as k(sku, location, n)
    join plan_lines pl on pl.sku = k.sku and pl.location = k.location
    join items i on i.sku = pl.sku
    order by k.n`;
}

export async function openSupplyByKey(
  db: Db,
  keys: readonly { sku: string; location: string }[],
): Promise<OpenSupply[]> {
  if (keys.length === 0) return [];
  return db<OpenSupply[]>`
    select s.sku, s.location, s.due, s.units, s.type, s.reference
    from unnest(${keys.map((k) => k.sku)}::text[], ${keys.map((k) => k.location)}::text[]) as k(sku, location)
    join supply s on s.sku = k.sku and s.location = k.location
    order by s.sku, s.location, s.due`;
}

const lineScope = (db: Db, scope: Scope) => db`
  ${scope.sku ? db`pl.sku = ${scope.sku}` : db`true`}
  and ${scope.family ? db`i.family = ${scope.family}` : db`true`}
  and ${scope.location ? db`pl.location = ${scope.location}` : db`true`}`;

export type LineOrder = "risk" | "shortage" | "excess";

/**
 * The SKU-locations in scope ranked on the stored default-horizon figures: by risk
 * (probability as shown, 4 decimals, then value at risk), by shortage value, or by excess.
 */
export async function rankedLines(
  db: Db,
  q: { scope: Scope; order: LineOrder; minimumRisk?: "high" | "medium" | "low" | undefined; limit: number },
): Promise<{ sku: string; location: string }[]> {
  const minimum =
    q.minimumRisk === "high" ? ["high"] : q.minimumRisk === "medium" ? ["high", "medium"] : null;
  const filter =
    q.order === "shortage"
      ? db`pl.shortage_units > 0`
      : q.order === "excess"
        ? db`(pl.excess_units > 0 or pl.slow_moving)`
        : minimum
          ? db`pl.risk in ${db(minimum)}`
          : db`true`;
  const order =
    q.order === "shortage"
      ? db`pl.value_at_risk desc, pl.shortage_units desc`
      : q.order === "excess"
        ? db`pl.excess_value desc, pl.on_hand * i.unit_cost desc`
        : db`round(pl.stockout_probability::numeric, 4) desc, pl.value_at_risk desc`;
  return db<{ sku: string; location: string }[]>`
    select pl.sku, pl.location from plan_lines pl join items i on i.sku = pl.sku
    where ${lineScope(db, q.scope)} and ${filter}
    order by ${order}, pl.sku, pl.location
    limit ${q.limit}`;
}

export interface LineTotals {
  lines: number;
  high: number;
  medium: number;
  low: number;
  shortageCount: number;
  /** Units. */
  shortageUnits: number;
  /** Money. */
  valueAtRisk: number;
  excessCount: number;
  excessUnits: number;
  /** Money. */
  excessValue: number;
  slowMovingCount: number;
  /** On hand of slow movers at unit cost, money. */
  slowMovingValue: number;
}

/** Totals of the stored default-horizon figures over the scope. */
export async function lineTotals(db: Db, scope: Scope): Promise<LineTotals> {
  const [t] = await db<LineTotals[]>`
    select count(*) as lines,
           count(*) filter (where pl.risk = 'high') as high,
           count(*) filter (where pl.risk = 'medium') as medium,
           count(*) filter (where pl.risk = 'low') as low,
           count(*) filter (where pl.shortage_units > 0) as shortage_count,
           coalesce(sum(pl.shortage_units), 0) as shortage_units,
           coalesce(sum(pl.value_at_risk), 0) as value_at_risk,
           count(*) filter (where pl.excess_units > 0 or pl.slow_moving) as excess_count,
           coalesce(sum(pl.excess_units), 0) as excess_units,
           coalesce(sum(pl.excess_value), 0) as excess_value,
           count(*) filter (where pl.slow_moving) as slow_moving_count,
           coalesce(sum(pl.on_hand * i.unit_cost) filter (where pl.slow_moving), 0) as slow_moving_value
    from plan_lines pl join items i on i.sku = pl.sku
    where ${lineScope(db, scope)}`;
  return t!;
}

/** Value at risk and shortage units per family, from the stored default-horizon figures. */
export async function valueAtRiskByFamily(
  db: Db,
  scope: Scope,
): Promise<{ family: string; valueAtRisk: number; shortageUnits: number }[]> {
  return db<{ family: string; valueAtRisk: number; shortageUnits: number }[]>`
    select i.family, sum(pl.value_at_risk) as value_at_risk, sum(pl.shortage_units) as shortage_units
    from plan_lines pl join items i on i.sku = pl.sku
    where ${lineScope(db, scope)}
    group by i.family
    order by value_at_risk desc, i.family`;
}

/** The latest inventory snapshot date in scope, 'YYYY-MM-DD'. */
export async function latestSnapshot(db: Db, scope: Scope): Promise<string | null> {
  const [r] = await db<{ asOf: string | null }[]>`
    select max(pl.as_of) as as_of from plan_lines pl join items i on i.sku = pl.sku where ${lineScope(db, scope)}`;
  return r?.asOf ?? null;
}
