/**
 * SQL of the CSV import: the import-run ledger, the staging tables and the one merge per kind.
 */
import { hostname } from "node:os";
import type { Writable } from "node:stream";
import type { Db } from "../client.js";
import type { ImportKind } from "../import/kinds.js";
import { restoreForeignKeyChecks, skipForeignKeyChecks } from "./bulk.js";

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface RowError {
  /** 1-based line in the file (1 is the header). */
  line: number;
  /** The column's name, or null when the error is about the whole row. */
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportRun {
  id: number;
  kind: ImportKind;
  fileName: string | null;
  source: string;
  status: "running" | "succeeded" | "failed" | "interrupted";
  startedAt: Date;
  finishedAt: Date | null;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  errorCount: number;
  errors: RowError[];
  message: string | null;
}

export async function createImportRun(
  db: Db,
  run: { kind: ImportKind; fileName: string | null; source: string },
): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into import_runs (kind, file_name, source, pid, hostname)
    values (${run.kind}, ${run.fileName}, ${run.source}, ${process.pid}, ${hostname()})
    returning id`;
  return row!.id;
}

export async function finishImportRun(
  db: Db,
  id: number,
  outcome: {
    status: "succeeded" | "failed" | "interrupted";
    rows: number;
    counts?: ImportCounts;
    errors?: RowError[];
    errorCount?: number;
    message?: string | null;
  },
): Promise<void> {
  const c = outcome.counts ?? { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  await db`
    update import_runs set
      status = ${outcome.status}, finished_at = clock_timestamp(), rows = ${outcome.rows},
      inserted = ${c.inserted}, updated = ${c.updated}, unchanged = ${c.unchanged}, deleted = ${c.deleted},
      errors = ${db.json((outcome.errors ?? []) as never)}, error_count = ${outcome.errorCount ?? 0},
      message = ${outcome.message ?? null}
    where id = ${id}`;
}

/** Runs left 'running' by a process of this host that no longer exists: they were interrupted. */
export async function markAbandonedRuns(db: Db, isAlive: (pid: number) => boolean): Promise<number> {
  const running = await db<{ id: number; pid: number | null }[]>`
    select id, pid from import_runs where status = 'running' and hostname = ${hostname()}`;
  const dead = running.filter((r) => r.pid === null || !isAlive(r.pid)).map((r) => r.id);
  if (dead.length === 0) return 0;
  await db`
    update import_runs set status = 'interrupted', finished_at = clock_timestamp(),
      message = 'the process running this import stopped before it finished; nothing of it was written'
    where id in ${db(dead)} and status = 'running'`;
  return dead.length;
}

export async function listImportRuns(
  db: Db,
  options: { kind?: ImportKind | undefined; limit: number; offset?: number },
): Promise<ImportRun[]> {
  return db<ImportRun[]>`
    select id, kind, file_name, source, status, started_at, finished_at, rows, inserted, updated,
           unchanged, deleted, error_count, errors, message
    from import_runs
    where ${options.kind ? db`kind = ${options.kind}` : db`true`}
    order by started_at desc, id desc
    limit ${options.limit} offset ${options.offset ?? 0}`;
}

export async function getImportRun(db: Db, id: number): Promise<ImportRun | undefined> {
  const [run] = await db<ImportRun[]>`
    select id, kind, file_name, source, status, started_at, finished_at, rows, inserted, updated,
           unchanged, deleted, error_count, errors, message
    from import_runs where id = ${id}`;
  return run;
}

/** When each kind last changed successfully. */
export async function lastImports(db: Db): Promise<{ kind: ImportKind; finishedAt: Date }[]> {
  return db<{ kind: ImportKind; finishedAt: Date }[]>`
    select kind, max(finished_at) as finished_at from import_runs
    where status = 'succeeded' group by kind order by kind`;
}

/** Every known SKU with its unit price (numeric read as a double, as PostgreSQL's float8 cast reads it). */
export async function unitPrices(db: Db): Promise<Map<string, number>> {
  const rows = await db<{ sku: string; unitPrice: string }[]>`select sku, unit_price from items`;
  return new Map(rows.map((r) => [r.sku, Number(r.unitPrice)]));
}

export async function knownFamilies(db: Db): Promise<string[]> {
  return (await db<{ code: string }[]>`select code from families`).map((r) => r.code);
}

/**
 * The cycles (first-of-month dates) whose consensus plan is locked: among `cycles` when given,
 * else all of them.
 */
export async function lockedCycles(db: Db, cycles?: string[]): Promise<string[]> {
  if (cycles?.length === 0) return [];
  return (
    await db<{ month: string }[]>`
      select month from cycles
      where plan_locked_at is not null and ${cycles ? db`month in ${db(cycles)}` : db`true`}
      order by month`
  ).map((r) => r.month);
}

/** A temporary staging table for `kind`, dropped when the transaction ends. */
export async function createStage(db: Db, kind: ImportKind): Promise<void> {
  switch (kind) {
    case "items":
      await db`create temp table stage_items (sku text, name text, family text, unit_cost numeric,
        unit_price numeric, lead_time_days integer, service_level numeric) on commit drop`;
      return;
    case "sales":
      await db`create temp table stage_sales (sku text, location text, period date,
        units double precision, revenue numeric) on commit drop`;
      return;
    case "forecasts":
      await db`create temp table stage_forecasts (sku text, location text, period date,
        units double precision, source text, cycle date) on commit drop`;
      return;
    case "inventory":
      await db`create temp table stage_inventory (sku text, location text, as_of date,
        on_hand double precision) on commit drop`;
      return;
    case "supply":
      await db`create temp table stage_supply (sku text, location text, due date,
        units double precision, type text, reference text) on commit drop`;
      return;
    case "capacity":
      await db`create temp table stage_capacity (family text, period date, units double precision) on commit drop`;
      return;
  }
}

/**
 * Appends rows to the staging table. `columns` holds one array per staging column (in the
 * kind's column order); each travels as one array parameter, so a statement carries a batch.
 */
export async function stageRows(db: Db, kind: ImportKind, columns: unknown[][]): Promise<void> {
  if ((columns[0]?.length ?? 0) === 0) return;
  // postgres.js serialises JS arrays into PostgreSQL array literals.
  const c = columns as unknown as string[][];
  switch (kind) {
    case "items":
      await db`insert into stage_items select * from unnest(${c[0]!}::text[], ${c[1]!}::text[], ${c[2]!}::text[],
        ${c[3]!}::numeric[], ${c[4]!}::numeric[], ${c[5]!}::integer[], ${c[6]!}::numeric[])`;
      return;
    case "sales":
      await db`insert into stage_sales select * from unnest(${c[0]!}::text[], ${c[1]!}::text[], ${c[2]!}::date[],
        ${c[3]!}::double precision[], ${c[4]!}::numeric[])`;
      return;
    case "forecasts":
      await db`insert into stage_forecasts select * from unnest(${c[0]!}::text[], ${c[1]!}::text[], ${c[2]!}::date[],
        ${c[3]!}::double precision[], ${c[4]!}::text[], ${c[5]!}::date[])`;
      return;
    case "inventory":
      await db`insert into stage_inventory select * from unnest(${c[0]!}::text[], ${c[1]!}::text[], ${c[2]!}::date[],
        ${c[3]!}::double precision[])`;
      return;
    case "supply":
      await db`insert into stage_supply select * from unnest(${c[0]!}::text[], ${c[1]!}::text[], ${c[2]!}::date[],
        ${c[3]!}::double precision[], ${c[4]!}::text[], ${c[5]!}::text[])`;
      return;
    case "capacity":
      await db`insert into stage_capacity select * from unnest(${c[0]!}::text[], ${c[1]!}::date[], ${c[2]!}::double precision[])`;
      return;
  }
}

const STAGE_TABLES: Record<ImportKind, string> = {
  items: "stage_items",
  sales: "stage_sales",
  forecasts: "stage_forecasts",
  inventory: "stage_inventory",
  supply: "stage_supply",
  capacity: "stage_capacity",
};

/** A COPY … FROM STDIN (text format, columns in staging order) into the staging table. */
export async function copyIntoStage(db: Db, kind: ImportKind): Promise<Writable> {
  return db`copy ${db(STAGE_TABLES[kind])} from stdin`.writable();
}

/** COPY … FROM STDIN straight into a fact table's `columns` (a first load, see KindSpec.load). */
export async function copyIntoFact(db: Db, table: string, columns: readonly string[]): Promise<Writable> {
  return db`copy ${db(table)} (${db(columns as string[])}) from stdin`.writable();
}

/** Locations named by the staged rows that do not exist yet are created. */
export async function addMissingLocations(db: Db, locations: string[]): Promise<void> {
  if (locations.length === 0) return;
  await db`insert into locations (code) select unnest(${db.array(locations)}::text[]) on conflict do nothing`;
}

/**
 * Fact tables whose only writer is the import (which runs under the import lock): when one is
 * empty as an import starts, every row of the file is new and the merge is a plain insert.
 */
const IMPORT_ONLY_FACTS: Partial<Record<ImportKind, string>> = { sales: "sales", inventory: "inventory" };

/**
 * True when the kind's fact table is written only by imports and holds no row: called under the
 * import lock, so it stays empty until this import writes to it.
 */
export async function importOnlyTableIsEmpty(db: Db, kind: ImportKind): Promise<boolean> {
  const table = IMPORT_ONLY_FACTS[kind];
  if (!table) return false;
  const [r] = await db<{ empty: boolean }[]>`select not exists (select 1 from ${db(table)}) as empty`;
  return r?.empty ?? false;
}

/** The primary key of each import-only fact table, as its migration declares it. */
const IMPORT_ONLY_KEYS: Partial<Record<ImportKind, { constraint: string; columns: string[] }>> = {
  sales: { constraint: "sales_pkey", columns: ["sku", "location", "period"] },
  inventory: { constraint: "inventory_pkey", columns: ["sku", "location", "as_of"] },
};

/**
 * A first load into an empty import-only table: its primary key is dropped for the load and
 * built once at the end ({@link restorePrimaryKey}), in the import's transaction. Inserting a
 * million rows into the B-tree one by one costs about three times building it from the
 * loaded rows in one sort. The file's keys were checked for duplicates while it was read, so
 * the rebuild cannot fail on them; whatever fails rolls the drop back with the rest. The
 * table is locked against readers until the import commits: they would read an empty table
 * otherwise, and wait for the first load instead.
 */
export async function dropPrimaryKeyForLoad(db: Db, kind: ImportKind): Promise<boolean> {
  const key = IMPORT_ONLY_KEYS[kind];
  const table = IMPORT_ONLY_FACTS[kind];
  if (!key || !table) return false;
  await db`alter table ${db(table)} drop constraint ${db(key.constraint)}`;
  return true;
}

/** Builds the primary key that {@link dropPrimaryKeyForLoad} dropped. */
export async function restorePrimaryKey(db: Db, kind: ImportKind): Promise<void> {
  const key = IMPORT_ONLY_KEYS[kind]!;
  const table = IMPORT_ONLY_FACTS[kind]!;
  // A sort of the whole table: give it the memory a million keys need.
  await db`select set_config('maintenance_work_mem', '256MB', true)`;
  await db`alter table ${db(table)} add constraint ${db(key.constraint)} primary key (${db(key.columns)})`;
}

/**
 * Merges the staged rows into the fact table and empties the stage. An import merges its file
 * chunk by chunk in one transaction; `first` marks the first chunk, the one that replaces the
 * open supply (a snapshot). The caller bumps the data version once, at the end.
 */
export async function mergeStage(
  db: Db,
  kind: ImportKind,
  runId: number,
  options: { first: boolean; intoEmpty?: boolean },
): Promise<ImportCounts> {
  // Every staged row's SKU, family and location was checked in this transaction, under the
  // import lock, and missing locations were created: PostgreSQL re-checking each foreign key
  // row by row cost 25 of 56 seconds for a million sales rows.
  const skipped = await skipForeignKeyChecks(db);
  let counts: ImportCounts;
  try {
    counts = await merge(db, kind, runId, options.first, options.intoEmpty ?? false);
  } finally {
    if (skipped) await restoreForeignKeyChecks(db);
  }
  await db`truncate ${db(STAGE_TABLES[kind])}`;
  return counts;
}

async function merge(
  db: Db,
  kind: ImportKind,
  runId: number,
  first: boolean,
  intoEmpty: boolean,
): Promise<ImportCounts> {
  let r: { inserted: number; updated: number; staged: number; deleted?: number } | undefined;
  switch (kind) {
    case "items":
      await db`insert into families (code) select distinct family from stage_items on conflict do nothing`;
      [r] = await db`
        with m as (
          insert into items (sku, name, family, unit_cost, unit_price, lead_time_days, service_level, import_id)
          select sku, name, family, unit_cost, unit_price, lead_time_days, service_level, ${runId} from stage_items
          on conflict (sku) do update set
            name = excluded.name, family = excluded.family, unit_cost = excluded.unit_cost,
            unit_price = excluded.unit_price, lead_time_days = excluded.lead_time_days,
            service_level = excluded.service_level, import_id = excluded.import_id, updated_at = now()
          where (items.name, items.family, items.unit_cost, items.unit_price, items.lead_time_days, items.service_level)
            is distinct from
            (excluded.name, excluded.family, excluded.unit_cost, excluded.unit_price, excluded.lead_time_days, excluded.service_level)
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
               (select count(*) from stage_items) as staged
        from m`;
      break;
    // The fact tables take one INSERT … ON CONFLICT DO UPDATE … WHERE changed, of the staged rows
    // that differ from the stored ones. The NOT EXISTS reads the primary key without locking;
    // ON CONFLICT locks (and so rewrites) every row it meets, so unchanged rows stay out of it.
    // An UPDATE of the changed rows and an INSERT of the new ones probed twice: a re-import of a
    // million unchanged sales rows took 9.5–10.2 s that way, 7.3–7.5 s with ON CONFLICT alone,
    // 6.3 s this way. Values are compared as the columns store them, so a revenue of 12.345
    // compares as the 12.35 stored and counts as unchanged. Only the counts leave the server.
    case "sales": {
      // The table was empty when this import started (and the file has no repeated key): every
      // row is new, so no probe at all. (On a server such a load skips the stage altogether.)
      if (intoEmpty) {
        const inserted = await db`
          insert into sales (sku, location, period, units, revenue, import_id)
          select s.sku, s.location, s.period, s.units,
                 coalesce(s.revenue, round((s.units * i.unit_price)::numeric, 2)), ${runId}
          from stage_sales s join items i on i.sku = s.sku`;
        r = { inserted: inserted.count, updated: 0, staged: inserted.count };
        break;
      }
      [r] = await db`
        with m as (
          insert into sales as t (sku, location, period, units, revenue, import_id)
          select s.sku, s.location, s.period, s.units,
                 coalesce(s.revenue, round((s.units * i.unit_price)::numeric, 2)), ${runId}
          from stage_sales s join items i on i.sku = s.sku
          where not exists (
            select 1 from sales e
            where e.sku = s.sku and e.location = s.location and e.period = s.period and e.units = s.units
              and e.revenue = coalesce(s.revenue, round((s.units * i.unit_price)::numeric, 2))::numeric(16, 2))
          on conflict (sku, location, period) do update
            set units = excluded.units, revenue = excluded.revenue, import_id = excluded.import_id
            where (t.units, t.revenue) is distinct from (excluded.units, excluded.revenue)
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
               (select count(*) from stage_sales) as staged
        from m`;
      break;
    }
    case "forecasts":
      [r] = await db`
        with m as (
          insert into forecasts as t (sku, location, period, source, cycle, units, import_id)
          select s.sku, s.location, s.period, s.source, s.cycle, s.units, ${runId} from stage_forecasts s
          where not exists (
            select 1 from forecasts e
            where e.sku = s.sku and e.location = s.location and e.period = s.period and e.source = s.source
              and e.cycle = s.cycle and e.units = s.units)
          on conflict (sku, location, period, source, cycle) do update
            set units = excluded.units, import_id = excluded.import_id
            where t.units is distinct from excluded.units
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
               (select count(*) from stage_forecasts) as staged
        from m`;
      break;
    case "inventory":
      if (intoEmpty) {
        const inserted = await db`
          insert into inventory (sku, location, as_of, on_hand, import_id)
          select sku, location, as_of, on_hand, ${runId} from stage_inventory`;
        r = { inserted: inserted.count, updated: 0, staged: inserted.count };
        break;
      }
      [r] = await db`
        with m as (
          insert into inventory as t (sku, location, as_of, on_hand, import_id)
          select s.sku, s.location, s.as_of, s.on_hand, ${runId} from stage_inventory s
          where not exists (
            select 1 from inventory e
            where e.sku = s.sku and e.location = s.location and e.as_of = s.as_of and e.on_hand = s.on_hand)
          on conflict (sku, location, as_of) do update
            set on_hand = excluded.on_hand, import_id = excluded.import_id
            where t.on_hand is distinct from excluded.on_hand
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
               (select count(*) from stage_inventory) as staged
        from m`;
      break;
    case "supply":
      [r] = await db`
        with d as (delete from supply where ${first} returning 1),
        i as (
          insert into supply (sku, location, due, units, type, reference, import_id)
          select sku, location, due, units, type, reference, ${runId} from stage_supply
          returning 1
        )
        select (select count(*) from i) as inserted, 0 as updated, (select count(*) from i) as staged,
               (select count(*) from d) as deleted`;
      break;
    case "capacity":
      [r] = await db`
        with m as (
          insert into capacity (family, period, units, import_id)
          select family, period, units, ${runId} from stage_capacity
          on conflict (family, period) do update set units = excluded.units, import_id = excluded.import_id
          where capacity.units is distinct from excluded.units
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
               (select count(*) from stage_capacity) as staged
        from m`;
      break;
  }
  const counts = r as { inserted: number; updated: number; staged: number; deleted?: number };
  return {
    inserted: counts.inserted,
    updated: counts.updated,
    unchanged: counts.staged - counts.inserted - counts.updated,
    deleted: counts.deleted ?? 0,
  };
}
