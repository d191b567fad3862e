/** Saved what-if scenarios and the cycle steps they are attached to. */
import type { Db } from "../client.js";

export interface ScenarioRow {
  id: number;
  name: string;
  changes: unknown[];
  horizon: number;
  createdBy: string | null;
  source: string;
  createdAt: Date;
  /** 'YYYY-MM-01' */
  lastPeriod: string | null;
  dataVersion: number;
  result: Record<string, unknown>;
  /** The key of the request that saved it (a retry with the same key answers this one). */
  idempotencyKey: string | null;
}

const columns = (db: Db) => db`
  s.id, s.name, s.changes, s.horizon, s.created_by, s.source, s.created_at, s.last_period, s.data_version, s.result, s.idempotency_key`;

export async function insertScenario(
  db: Db,
  s: Omit<ScenarioRow, "id" | "createdAt"> & { at: Date },
): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into scenarios (name, changes, horizon, created_by, source, created_at, last_period, data_version, result, idempotency_key)
    values (${s.name}, ${db.json(s.changes as never)}, ${s.horizon}, ${s.createdBy}, ${s.source}, ${s.at},
            ${s.lastPeriod}, ${s.dataVersion}, ${db.json(s.result as never)}, ${s.idempotencyKey})
    returning id`;
  return row!.id;
}

export async function getScenarioByKey(db: Db, key: string): Promise<ScenarioRow | undefined> {
  const [row] = await db<
    ScenarioRow[]
  >`select ${columns(db)} from scenarios s where s.idempotency_key = ${key}`;
  return row;
}

export async function getScenario(db: Db, id: number): Promise<ScenarioRow | undefined> {
  const [row] = await db<ScenarioRow[]>`select ${columns(db)} from scenarios s where s.id = ${id}`;
  return row;
}

/** Newest first. */
export async function listScenarios(db: Db, q: { limit: number; offset: number }): Promise<ScenarioRow[]> {
  return db<ScenarioRow[]>`
    select ${columns(db)} from scenarios s order by s.id desc limit ${q.limit} offset ${q.offset}`;
}

export async function deleteScenario(db: Db, id: number): Promise<boolean> {
  const r = await db`delete from scenarios where id = ${id}`;
  return r.count > 0;
}

export interface Attachment {
  /** 'YYYY-MM-01' */
  cycle: string;
  step: string;
  scenarioId: number;
  attachedBy: string | null;
  attachedAt: Date;
}

export async function attachScenario(
  db: Db,
  a: { cycle: string; step: string; scenarioId: number; by: string | null; at: Date },
): Promise<boolean> {
  const r = await db`
    insert into step_scenarios (cycle, step, scenario_id, attached_by, attached_at)
    values (${a.cycle}, ${a.step}, ${a.scenarioId}, ${a.by}, ${a.at})
    on conflict do nothing`;
  return r.count > 0;
}

export async function detachScenario(
  db: Db,
  a: { cycle: string; step: string; scenarioId: number },
): Promise<boolean> {
  const r = await db`
    delete from step_scenarios where cycle = ${a.cycle} and step = ${a.step} and scenario_id = ${a.scenarioId}`;
  return r.count > 0;
}

/** Attachments of a scenario, or of a cycle step; oldest first. */
export async function listAttachments(
  db: Db,
  q: { scenarioId?: number; cycle?: string; step?: string },
): Promise<Attachment[]> {
  return db<Attachment[]>`
    select cycle, step, scenario_id, attached_by, attached_at from step_scenarios
    where ${q.scenarioId !== undefined ? db`scenario_id = ${q.scenarioId}` : db`true`}
      and ${q.cycle !== undefined ? db`cycle = ${q.cycle}` : db`true`}
      and ${q.step !== undefined ? db`step = ${q.step}` : db`true`}
    order by attached_at, scenario_id`;
}

/** Which of `refs` name open supply. */
export async function knownReferences(db: Db, refs: readonly string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await db<{ reference: string }[]>`
    select distinct reference from supply where reference = any(${db.array([...refs])}::text[])`;
  return new Set(rows.map((r) => r.reference));
}

/** Open supply references that start like `ref` (its first 3 characters), to suggest one. */
export async function similarReferences(db: Db, ref: string, limit: number): Promise<string[]> {
  const prefix = `${ref.slice(0, 3).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db<{ reference: string }[]>`
    select reference from supply where reference ilike ${prefix}
    group by reference order by reference limit ${limit}`;
  return rows.map((r) => r.reference);
}
