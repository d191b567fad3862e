/**
 * The consensus plan of a cycle and the overrides it is built from. The consensus rows live in
 * `forecasts` (source 'consensus') like imported ones, so every KPI reads them the same way;
 * this is the SQL that rebuilds them (set work over a cycle's rows) and that reads a number's
 * provenance. Months travel as 'YYYY-MM-01'.
 */
import type { Db, Sql } from "../client.js";
import { LOCK, lockXact } from "./locks.js";

export type OverrideScope = "sku" | "family";
export type OverrideStatus = "accepted" | "withdrawn";

export interface OverrideRow {
  id: number;
  /** 'YYYY-MM-01' */
  cycle: string;
  /** 'YYYY-MM-01' */
  period: string;
  scope: OverrideScope;
  sku: string | null;
  location: string | null;
  family: string | null;
  /** Units for the month: the SKU's (at the location, when given) or the family's total. */
  units: number;
  reason: string;
  slackUserId: string;
  personName: string;
  role: "sales" | "marketing";
  status: OverrideStatus;
  source: string;
  idempotencyKey: string | null;
  createdAt: Date;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}

const overrideColumns = (db: Db) => db`
  o.id, o.cycle, o.period, o.scope, o.sku, o.location, o.family, o.units, o.reason, o.slack_user_id,
  p.name as person_name, o.role, o.status, o.source, o.idempotency_key, o.created_at, o.withdrawn_at,
  o.withdrawn_by, o.withdraw_reason`;

export interface NewOverride {
  cycle: string;
  period: string;
  scope: OverrideScope;
  sku: string | null;
  location: string | null;
  family: string | null;
  units: number;
  reason: string;
  slackUserId: string;
  role: "sales" | "marketing";
  source: string;
  idempotencyKey: string | null;
  at: Date;
}

export async function insertOverride(db: Db, o: NewOverride): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into overrides (cycle, period, scope, sku, location, family, units, reason, slack_user_id, role,
                           source, idempotency_key, created_at)
    values (${o.cycle}, ${o.period}, ${o.scope}, ${o.sku}, ${o.location}, ${o.family}, ${o.units}, ${o.reason},
            ${o.slackUserId}, ${o.role}, ${o.source}, ${o.idempotencyKey}, ${o.at})
    returning id`;
  return row!.id;
}

export async function getOverride(db: Db, id: number): Promise<OverrideRow | undefined> {
  const [row] = await db<OverrideRow[]>`
    select ${overrideColumns(db)} from overrides o join people p on p.slack_user_id = o.slack_user_id
    where o.id = ${id}`;
  return row;
}

export async function getOverrideByKey(db: Db, key: string): Promise<OverrideRow | undefined> {
  const [row] = await db<OverrideRow[]>`
    select ${overrideColumns(db)} from overrides o join people p on p.slack_user_id = o.slack_user_id
    where o.idempotency_key = ${key}`;
  return row;
}

export interface OverrideFilter {
  cycle?: string | undefined;
  /** Overrides of this SKU, or of its family. */
  sku?: string | undefined;
  family?: string | undefined;
  person?: string | undefined;
  status?: OverrideStatus | undefined;
  limit: number;
}

/** Newest first. */
export async function listOverrides(db: Db, f: OverrideFilter): Promise<OverrideRow[]> {
  return db<OverrideRow[]>`
    select ${overrideColumns(db)} from overrides o join people p on p.slack_user_id = o.slack_user_id
    where ${f.cycle ? db`o.cycle = ${f.cycle}` : db`true`}
      and ${f.sku ? db`(o.sku = ${f.sku} or o.family = (select family from items where sku = ${f.sku}))` : db`true`}
      and ${f.family ? db`(o.family = ${f.family} or o.sku in (select sku from items where family = ${f.family}))` : db`true`}
      and ${f.person ? db`o.slack_user_id = ${f.person}` : db`true`}
      and ${f.status ? db`o.status = ${f.status}` : db`true`}
    order by o.id desc
    limit ${f.limit}`;
}

/** The accepted overrides of a cycle, oldest first (the order they apply in). */
export async function acceptedOverrides(db: Db, cycle: string): Promise<OverrideRow[]> {
  return db<OverrideRow[]>`
    select ${overrideColumns(db)} from overrides o join people p on p.slack_user_id = o.slack_user_id
    where o.cycle = ${cycle} and o.status = 'accepted'
    order by o.id`;
}

export async function withdrawOverride(
  db: Db,
  id: number,
  w: { at: Date; by: string | null; reason: string | null },
): Promise<void> {
  await db`
    update overrides set status = 'withdrawn', withdrawn_at = ${w.at}, withdrawn_by = ${w.by},
      withdraw_reason = ${w.reason}
    where id = ${id} and status = 'accepted'`;
  await db`delete from override_cells where override_id = ${id}`;
}

export interface CandidateCell {
  sku: string;
  location: string;
  /** The cycle's statistical forecast of the cell for the month; 0 when none. */
  statistical: number;
  /** Units sold in the 12 months before the cycle. */
  actuals: number;
}

/**
 * The SKU-location cells an override of `target` for `period` of `cycle` covers: those with a
 * statistical forecast or an imported consensus for that month, sales in the 12 months before
 * the cycle, or a line in the plan (stock, open supply); by SKU, then location.
 */
export async function candidateCells(
  db: Db,
  q: { cycle: string; period: string; target: { sku: string } | { family: string } },
): Promise<CandidateCell[]> {
  const inTarget =
    "sku" in q.target
      ? db`k.sku = ${q.target.sku}`
      : db`k.sku in (select sku from items where family = ${q.target.family})`;
  return db<CandidateCell[]>`
    with keys as (
      select sku, location from forecasts k
      where k.cycle = ${q.cycle} and k.period = ${q.period} and k.source = 'statistical' and ${inTarget}
      union
      select sku, location from consensus_imports k
      where k.cycle = ${q.cycle} and k.period = ${q.period} and ${inTarget}
      union
      select sku, location from sales k
      where k.period >= (${q.cycle}::date - interval '12 months')::date and k.period < ${q.cycle}::date and ${inTarget}
      union
      select sku, location from plan_lines k where ${inTarget}
    )
    select k.sku, k.location,
           coalesce((select f.units from forecasts f
                     where f.sku = k.sku and f.location = k.location and f.period = ${q.period}
                       and f.cycle = ${q.cycle} and f.source = 'statistical'), 0) as statistical,
           coalesce((select sum(s.units) from sales s
                     where s.sku = k.sku and s.location = k.location
                       and s.period >= (${q.cycle}::date - interval '12 months')::date
                       and s.period < ${q.cycle}::date), 0) as actuals
    from keys k
    order by k.sku, k.location`;
}

export interface OverrideCell {
  overrideId: number;
  sku: string;
  location: string;
  units: number;
  share: number;
  basis: "statistical" | "actuals" | "even" | "single";
}

/** Replaces the cells of the given overrides. */
export async function replaceOverrideCells(db: Db, ids: readonly number[], cells: readonly OverrideCell[]) {
  if (ids.length > 0)
    await db`delete from override_cells where override_id = any(${db.array([...ids])}::bigint[])`;
  for (let i = 0; i < cells.length; i += 10_000) {
    const c = cells.slice(i, i + 10_000);
    await db`
      insert into override_cells (override_id, sku, location, units, share, basis)
      select * from unnest(${c.map((x) => x.overrideId)}::bigint[], ${c.map((x) => x.sku)}::text[],
                           ${c.map((x) => x.location)}::text[], ${c.map((x) => x.units)}::double precision[],
                           ${c.map((x) => x.share)}::double precision[], ${c.map((x) => x.basis)}::text[])`;
  }
}

export async function overrideCells(db: Db, id: number): Promise<OverrideCell[]> {
  return db<OverrideCell[]>`
    select override_id, sku, location, units, share, basis from override_cells
    where override_id = ${id} order by sku, location`;
}

/**
 * Keeps an imported consensus of the cycle as the base under sop's overrides: every consensus
 * row an import wrote (sop writes its own without an import id) is copied to consensus_imports.
 */
export async function captureImportedConsensus(tx: Db, cycle: string): Promise<number> {
  const r = await tx`
    insert into consensus_imports (cycle, sku, location, period, units, import_id)
    select cycle, sku, location, period, units, import_id from forecasts
    where cycle = ${cycle} and source = 'consensus' and import_id is not null
    on conflict (cycle, sku, location, period) do update
      set units = excluded.units, import_id = excluded.import_id
      where (consensus_imports.units, consensus_imports.import_id)
        is distinct from (excluded.units, excluded.import_id)`;
  return r.count;
}

export interface ConsensusCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/**
 * Rebuilds the cycle's consensus rows: per SKU-location and month, the latest accepted override
 * that covers it, else the imported consensus (kept in consensus_imports), else the statistical
 * forecast. Only rows that change are written.
 */
/** The cells of one month of a cycle (one override's). */
export interface ConsensusCells {
  /** First of the month. */
  period: string;
  cells: readonly { sku: string; location: string }[];
}

/**
 * True when the cycle's consensus was rebuilt whole at the current data version (nothing has
 * changed the fact base since). Locks the data version's row until the transaction ends, so no
 * import can commit a change between this answer and `markConsensusWhole`.
 */
export async function consensusIsWhole(tx: Db, cycle: string): Promise<boolean> {
  const [r] = await tx<{ whole: boolean }[]>`
    select coalesce(c.consensus_version = d.version, false) as whole
    from data_state d left join cycles c on c.month = ${cycle}
    for update of d`;
  return r?.whole ?? false;
}

/** Records that the cycle's consensus is whole at the current data version. */
export async function markConsensusWhole(tx: Db, cycle: string): Promise<void> {
  await tx`update cycles set consensus_version = (select version from data_state) where month = ${cycle}`;
}

/**
 * Rebuilds the cycle's consensus rows from its layers (accepted overrides over an imported
 * consensus over the statistical forecast); with `only`, just those cells, which gives the same
 * rows as a whole rebuild when the consensus was whole before and only their overrides changed.
 */
export async function rebuildConsensusRows(
  tx: Db,
  cycle: string,
  only?: ConsensusCells,
): Promise<ConsensusCounts> {
  if (only) {
    await tx`
      create temp table cons_keys on commit drop as
      select distinct sku, location from unnest(${only.cells.map((c) => c.sku)}::text[],
                                                ${only.cells.map((c) => c.location)}::text[]) as k (sku, location)`;
    await tx`analyze cons_keys`;
  } else {
    const [layers] = await tx<{ overrides: boolean; imports: boolean }[]>`
      select exists (select 1 from overrides where cycle = ${cycle} and status = 'accepted') as overrides,
             exists (select 1 from consensus_imports where cycle = ${cycle}) as imports`;
    if (!layers?.overrides && !layers?.imports) return consensusFromStatistical(tx, cycle);
  }
  // Limits a layer to the given cells (or not at all).
  const within = (t: string) =>
    only
      ? tx`and ${tx(t)}.period = ${only.period}
           and exists (select 1 from cons_keys k where k.sku = ${tx(t)}.sku and k.location = ${tx(t)}.location)`
      : tx``;
  await tx`
    create temp table cons_target on commit drop as
    with eff as (
      select distinct on (c.sku, c.location, o.period) c.sku, c.location, o.period, c.units
      from override_cells c join overrides o on o.id = c.override_id
      where o.cycle = ${cycle} and o.status = 'accepted'
        ${only ? tx`and o.period = ${only.period} and exists (select 1 from cons_keys k where k.sku = c.sku and k.location = c.location)` : tx``}
      order by c.sku, c.location, o.period, o.id desc
    ),
    imp as (
      select sku, location, period, units, import_id from consensus_imports
      where cycle = ${cycle} ${within("consensus_imports")}
    ),
    stat as (
      select sku, location, period, units from forecasts
      where cycle = ${cycle} and source = 'statistical' ${within("forecasts")}
    ),
    keys as (
      select sku, location, period from eff
      union select sku, location, period from imp
      union select sku, location, period from stat
    )
    select k.sku, k.location, k.period, coalesce(e.units, i.units, s.units) as units,
           case when e.units is null then i.import_id end as import_id
    from keys k
    left join eff e on e.sku = k.sku and e.location = k.location and e.period = k.period
    left join imp i on i.sku = k.sku and i.location = k.location and i.period = k.period
    left join stat s on s.sku = k.sku and s.location = k.location and s.period = k.period`;
  await tx`analyze cons_target`;
  const deleted = await tx`
    delete from forecasts f
    where f.cycle = ${cycle} and f.source = 'consensus'
      ${within("f")}
      and not exists (select 1 from cons_target t
                      where t.sku = f.sku and t.location = f.location and t.period = f.period)`;
  const updated = await tx`
    update forecasts f set units = t.units, import_id = t.import_id
    from cons_target t
    where f.cycle = ${cycle} and f.source = 'consensus'
      and f.sku = t.sku and f.location = t.location and f.period = t.period
      and (f.units, f.import_id) is distinct from (t.units, t.import_id)`;
  const inserted = await tx`
    insert into forecasts (sku, location, period, source, cycle, units, import_id)
    select t.sku, t.location, t.period, 'consensus', ${cycle}, t.units, t.import_id
    from cons_target t
    where not exists (select 1 from forecasts f
                      where f.cycle = ${cycle} and f.source = 'consensus'
                        and f.sku = t.sku and f.location = t.location and f.period = t.period)`;
  await tx`drop table cons_target`;
  if (only) await tx`drop table cons_keys`;
  return { inserted: inserted.count, updated: updated.count, deleted: deleted.count };
}

/** The common case of a new cycle (no overrides, nothing imported): the consensus is the statistical forecast. */
async function consensusFromStatistical(tx: Db, cycle: string): Promise<ConsensusCounts> {
  const deleted = await tx`
    delete from forecasts f
    where f.cycle = ${cycle} and f.source = 'consensus'
      and not exists (select 1 from forecasts s
                      where s.cycle = ${cycle} and s.source = 'statistical'
                        and s.sku = f.sku and s.location = f.location and s.period = f.period)`;
  const updated = await tx`
    update forecasts f set units = s.units, import_id = null
    from forecasts s
    where f.cycle = ${cycle} and f.source = 'consensus' and s.cycle = ${cycle} and s.source = 'statistical'
      and s.sku = f.sku and s.location = f.location and s.period = f.period
      and (f.units, f.import_id) is distinct from (s.units, null)`;
  const inserted = await tx`
    insert into forecasts (sku, location, period, source, cycle, units)
    select s.sku, s.location, s.period, 'consensus', ${cycle}, s.units
    from forecasts s
    where s.cycle = ${cycle} and s.source = 'statistical'
      and not exists (select 1 from forecasts f
                      where f.cycle = ${cycle} and f.source = 'consensus'
                        and f.sku = s.sku and f.location = s.location and f.period = s.period)`;
  return { inserted: inserted.count, updated: updated.count, deleted: deleted.count };
}

/** Everything behind one consensus number. */
export interface CellFacts {
  consensus: { units: number; importId: number | null } | null;
  statistical: number | null;
  imported: {
    units: number;
    importId: number | null;
    fileName: string | null;
    finishedAt: Date | null;
  } | null;
  overrides: (OverrideRow & { cellUnits: number; share: number; basis: OverrideCell["basis"] })[];
}

export async function cellFacts(
  db: Db,
  key: { cycle: string; sku: string; location: string; period: string },
): Promise<CellFacts> {
  const [rows, imported, overrides] = await Promise.all([
    db<{ source: string; units: number; importId: number | null }[]>`
      select source, units, import_id from forecasts
      where cycle = ${key.cycle} and sku = ${key.sku} and location = ${key.location} and period = ${key.period}
        and source in ('consensus', 'statistical')`,
    db<{ units: number; importId: number | null; fileName: string | null; finishedAt: Date | null }[]>`
      select c.units, c.import_id, r.file_name, r.finished_at
      from consensus_imports c left join import_runs r on r.id = c.import_id
      where c.cycle = ${key.cycle} and c.sku = ${key.sku} and c.location = ${key.location}
        and c.period = ${key.period}`,
    db<(OverrideRow & { cellUnits: number; share: number; basis: OverrideCell["basis"] })[]>`
      select ${overrideColumns(db)}, c.units as cell_units, c.share, c.basis
      from overrides o
      join people p on p.slack_user_id = o.slack_user_id
      left join override_cells c on c.override_id = o.id and c.sku = ${key.sku} and c.location = ${key.location}
      where o.cycle = ${key.cycle} and o.period = ${key.period}
        and (c.override_id is not null
             or (o.status = 'withdrawn'
                 and (o.sku = ${key.sku} and (o.location is null or o.location = ${key.location})
                      or o.family = (select family from items where sku = ${key.sku}))))
      order by o.id`,
  ]);
  const cons = rows.find((r) => r.source === "consensus");
  const stat = rows.find((r) => r.source === "statistical");
  return {
    consensus: cons ? { units: cons.units, importId: cons.importId } : null,
    statistical: stat?.units ?? null,
    imported: imported[0] ?? null,
    overrides,
  };
}

export interface ConsensusLine {
  sku: string;
  name: string;
  family: string;
  location: string;
  /** Month numbers parallel to the arrays below. */
  months: number[];
  statistical: (number | null)[];
  consensus: (number | null)[];
  /** The effective override id per month, or null. */
  overrideIds: (number | null)[];
  /** 'i' when the consensus is an imported number, else 's' (statistical) or 'o' (override). */
  basis: string;
  method: string | null;
  backtestError: number | null;
}

/** The cycle's plan per SKU-location: statistical and consensus side by side, with override marks. */
export async function consensusLines(
  db: Db,
  q: {
    cycle: string;
    sku?: string | undefined;
    family?: string | undefined;
    location?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ lines: ConsensusLine[]; total: number }> {
  const scope = db`
    ${q.sku ? db`f.sku = ${q.sku}` : db`true`}
    and ${q.family ? db`i.family = ${q.family}` : db`true`}
    and ${q.location ? db`f.location = ${q.location}` : db`true`}`;
  const [lines, [count]] = await Promise.all([
    db<ConsensusLine[]>`
      with keys as (
        select distinct f.sku, f.location from forecasts f join items i on i.sku = f.sku
        where f.cycle = ${q.cycle} and f.source in ('statistical', 'consensus') and ${scope}
        order by f.sku, f.location
        limit ${q.limit} offset ${q.offset}
      ),
      eff as (
        select distinct on (c.sku, c.location, o.period) c.sku, c.location, o.period, o.id
        from override_cells c join overrides o on o.id = c.override_id
        join keys k on k.sku = c.sku and k.location = c.location
        where o.cycle = ${q.cycle} and o.status = 'accepted'
        order by c.sku, c.location, o.period, o.id desc
      ),
      cells as (
        select f.sku, f.location, f.period,
               max(f.units) filter (where f.source = 'statistical') as stat,
               max(f.units) filter (where f.source = 'consensus') as cons,
               bool_or(f.source = 'consensus' and f.import_id is not null) as imported
        from forecasts f join keys k on k.sku = f.sku and k.location = f.location
        where f.cycle = ${q.cycle} and f.source in ('statistical', 'consensus')
        group by f.sku, f.location, f.period
      )
      select c.sku, i.name, i.family, c.location,
             array_agg((extract(year from c.period) * 12 + extract(month from c.period) - 1)::int order by c.period)
               as months,
             array_agg(c.stat order by c.period) as statistical,
             array_agg(c.cons order by c.period) as consensus,
             array_agg(e.id order by c.period) as override_ids,
             string_agg(case when e.id is not null then 'o'
                             when c.imported or ci.units is not null then 'i' else 's' end, '' order by c.period)
               as basis,
             m.method, m.backtest_error
      from cells c
      join items i on i.sku = c.sku
      left join eff e on e.sku = c.sku and e.location = c.location and e.period = c.period
      left join consensus_imports ci on ci.cycle = ${q.cycle} and ci.sku = c.sku and ci.location = c.location
        and ci.period = c.period
      left join forecast_models m on m.cycle = ${q.cycle} and m.sku = c.sku and m.location = c.location
      group by c.sku, i.name, i.family, c.location, m.method, m.backtest_error
      order by c.sku, c.location`,
    db<{ n: number }[]>`
      select count(*)::int as n from (
        select distinct f.sku, f.location from forecasts f join items i on i.sku = f.sku
        where f.cycle = ${q.cycle} and f.source in ('statistical', 'consensus') and ${scope}
      ) x`,
  ]);
  return { lines, total: count?.n ?? 0 };
}

/** Consensus units of the given cells of one month, keyed `sku\tlocation`. */
export async function consensusUnits(
  db: Db,
  q: { cycle: string; period: string; keys: readonly { sku: string; location: string }[] },
): Promise<Map<string, number>> {
  if (q.keys.length === 0) return new Map();
  const rows = await db<{ sku: string; location: string; units: number }[]>`
    select f.sku, f.location, f.units
    from unnest(${q.keys.map((k) => k.sku)}::text[], ${q.keys.map((k) => k.location)}::text[]) as k(sku, location)
    join forecasts f on f.sku = k.sku and f.location = k.location
    where f.cycle = ${q.cycle} and f.period = ${q.period} and f.source = 'consensus'`;
  return new Map(rows.map((r) => [`${r.sku}\t${r.location}`, r.units]));
}

export type ConsensusGrouping = "family" | "sku" | "location";

export interface ConsensusTotalRow {
  /** The family, SKU or location. */
  key: string;
  /** The SKU's name (grouped by SKU), else null. */
  name: string | null;
  /** The family of the group's items (one when grouped by SKU or family). */
  family: string | null;
  /** Months as indexes (year × 12 + month − 1), ascending, with the sums of that month. */
  months: number[];
  statistical: (number | null)[];
  consensus: (number | null)[];
  /** SKU-location cells of the month whose consensus an accepted override decides. */
  overridden: number[];
}

/** Which cycle's plan, grouped how, in which scope. */
export interface ConsensusTotalsQuery {
  cycle: string;
  by: ConsensusGrouping;
  sku?: string | undefined;
  family?: string | undefined;
  location?: string | undefined;
}

/**
 * A cycle's plan summed per family, SKU or location and month: the statistical forecast, the
 * consensus and how many cells an override decides. Set work in SQL, so a summary of 30,000
 * SKU-locations is one query. Grouped by family or location (no SKU named), the sums come from
 * consensus_totals, which `sql` first brings to the current data version
 * ({@link refreshConsensusTotals}); grouped by SKU (a family's or one SKU's plan) they are summed
 * live from the forecasts, a few thousand rows.
 */
export async function consensusTotals(sql: Sql, q: ConsensusTotalsQuery): Promise<ConsensusTotalRow[]> {
  if (q.by === "sku" || q.sku) return liveConsensusTotals(sql, q);
  await refreshConsensusTotals(sql, q.cycle);
  const key = q.by === "family" ? sql`t.family` : sql`t.location`;
  const scope = sql`
    ${q.family ? sql`t.family = ${q.family}` : sql`true`}
    and ${q.location ? sql`t.location = ${q.location}` : sql`true`}`;
  const [sums, decided] = await Promise.all([
    sql<{ key: string; family: string | null; period: string; stat: number | null; cons: number | null }[]>`
      select ${key} as key, case when count(distinct t.family) = 1 then max(t.family) end as family,
             t.period::text as period, sum(t.statistical)::float8 as stat, sum(t.consensus)::float8 as cons
      from consensus_totals t
      where t.cycle = ${q.cycle} and ${scope}
      group by 1, t.period
      order by 1, t.period`,
    // Overrides change without the sums moving (one that sets what the plan already said), so
    // the cells they decide are counted live: a few hundred rows.
    sql<{ key: string; period: string; n: number }[]>`
      select ${q.by === "family" ? sql`i.family` : sql`d.location`} as key, d.period::text as period,
             count(*)::int as n
      from (
        select distinct c.sku, c.location, o.period
        from override_cells c join overrides o on o.id = c.override_id
        where o.cycle = ${q.cycle} and o.status = 'accepted'
      ) d
      join items i on i.sku = d.sku
      where ${q.family ? sql`i.family = ${q.family}` : sql`true`}
        and ${q.location ? sql`d.location = ${q.location}` : sql`true`}
        and exists (
          select 1 from forecasts f
          where f.sku = d.sku and f.location = d.location and f.period = d.period
            and f.cycle = ${q.cycle} and f.source in ('statistical', 'consensus'))
      group by 1, 2`,
  ]);
  const overridden = new Map(decided.map((d) => [`${d.key}\t${d.period}`, d.n]));
  const rows = new Map<string, ConsensusTotalRow & { families: Set<string | null> }>();
  for (const s of sums) {
    let row = rows.get(s.key);
    if (!row) {
      row = {
        key: s.key,
        name: null,
        family: s.family,
        months: [],
        statistical: [],
        consensus: [],
        overridden: [],
        families: new Set(),
      };
      rows.set(s.key, row);
    }
    row.families.add(s.family);
    const [y, m] = s.period.split("-").map(Number);
    row.months.push(y! * 12 + m! - 1);
    row.statistical.push(s.stat);
    row.consensus.push(s.cons);
    row.overridden.push(overridden.get(`${s.key}\t${s.period}`) ?? 0);
  }
  return [...rows.values()].map(({ families, ...r }) => ({
    ...r,
    family: families.size === 1 ? r.family : null,
  }));
}

/**
 * Brings consensus_totals of `cycle` to the current data version: when it was summed at an
 * older one (or never), the cycle's forecasts are summed again per family, location and month,
 * one process at a time. The version is read before the forecasts, so sums are never labelled
 * newer than what they read; a change committed meanwhile makes the next read sum again.
 */
export async function refreshConsensusTotals(sql: Sql, cycle: string): Promise<void> {
  const stale = async (db: Db) => {
    const [r] = await db<{ current: string; cached: string | null }[]>`
      select (select version from data_state)::text as current,
             (select version from consensus_totals_state where cycle = ${cycle})::text as cached`;
    return r!.cached === r!.current ? null : r!.current;
  };
  if ((await stale(sql)) === null) return;
  await sql.begin(async (tx) => {
    await lockXact(tx, LOCK.consensusTotals);
    const version = await stale(tx);
    if (version === null) return;
    await tx`delete from consensus_totals_state where cycle = ${cycle}`;
    await tx`insert into consensus_totals_state (cycle, version) values (${cycle}, ${version})`;
    await tx`
      insert into consensus_totals (cycle, family, location, period, statistical, consensus)
      select ${cycle}, i.family, f.location, f.period,
             sum(f.units) filter (where f.source = 'statistical'),
             sum(f.units) filter (where f.source = 'consensus')
      from forecasts f join items i on i.sku = f.sku
      where f.cycle = ${cycle} and f.source in ('statistical', 'consensus')
      group by i.family, f.location, f.period`;
  });
}

/** consensusTotals summed live from the forecasts (grouped by SKU, or one SKU's). */
async function liveConsensusTotals(db: Db, q: ConsensusTotalsQuery): Promise<ConsensusTotalRow[]> {
  const scope = db`
    ${q.sku ? db`f.sku = ${q.sku}` : db`true`}
    and ${q.family ? db`i.family = ${q.family}` : db`true`}
    and ${q.location ? db`f.location = ${q.location}` : db`true`}`;
  const key = q.by === "family" ? db`c.family` : q.by === "sku" ? db`c.sku` : db`c.location`;
  return db<ConsensusTotalRow[]>`
    with cells as (
      select f.sku, f.location, i.family, i.name, f.period,
             max(f.units) filter (where f.source = 'statistical') as stat,
             max(f.units) filter (where f.source = 'consensus') as cons
      from forecasts f join items i on i.sku = f.sku
      where f.cycle = ${q.cycle} and f.source in ('statistical', 'consensus') and ${scope}
      group by f.sku, f.location, i.family, i.name, f.period
    ),
    decided as (
      select distinct c.sku, c.location, o.period
      from override_cells c join overrides o on o.id = c.override_id
      where o.cycle = ${q.cycle} and o.status = 'accepted'
    ),
    sums as (
      select ${key} as key, ${q.by === "sku" ? db`max(c.name)` : db`null::text`} as name,
             case when count(distinct c.family) = 1 then max(c.family) end as family, c.period,
             sum(c.stat)::float8 as stat, sum(c.cons)::float8 as cons,
             count(d.sku)::int as overridden
      from cells c
      left join decided d on d.sku = c.sku and d.location = c.location and d.period = c.period
      group by 1, c.period
    )
    select key, max(name) as name, case when count(distinct family) = 1 then max(family) end as family,
           array_agg((extract(year from period) * 12 + extract(month from period) - 1)::int order by period)
             as months,
           array_agg(stat order by period) as statistical,
           array_agg(cons order by period) as consensus,
           array_agg(overridden order by period) as overridden
    from sums
    group by key
    order by key`;
}
