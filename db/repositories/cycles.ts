/** Monthly S&OP cycles and their steps. Months travel as the database's 'YYYY-MM-01'. */
import type { Db } from "../client.js";

export interface CycleRow {
  /** 'YYYY-MM-01' */
  month: string;
  status: "open" | "closed";
  /** The company time zone when the cycle was opened: its due dates are local dates there. */
  timezone: string;
  openedAt: Date;
  openedBy: string | null;
  closedAt: Date | null;
  planLockedAt: Date | null;
  planLockedBy: string | null;
  planLockedByName: string | null;
}

export interface CycleStepRow {
  /** 'YYYY-MM-01' */
  cycle: string;
  key: string;
  position: number;
  name: string;
  description: string;
  /** 'YYYY-MM-DD' */
  dueDate: string;
  roles: string[];
  signedAt: Date | null;
}

export interface NewCycleStep {
  key: string;
  position: number;
  name: string;
  description: string;
  dueDate: string;
  roles: string[];
}

/** Inserts the cycle unless it exists; returns false when it already existed. */
export async function insertCycle(
  db: Db,
  cycle: { month: string; timezone: string; openedAt: Date; openedBy: string | null },
): Promise<boolean> {
  const rows = await db`
    insert into cycles (month, timezone, opened_at, opened_by)
    values (${cycle.month}, ${cycle.timezone}, ${cycle.openedAt}, ${cycle.openedBy})
    on conflict (month) do nothing
    returning month`;
  return rows.length > 0;
}

export async function insertCycleSteps(db: Db, month: string, steps: NewCycleStep[]): Promise<void> {
  for (const s of steps) {
    await db`
      insert into cycle_steps (cycle, key, position, name, description, due_date, roles)
      values (${month}, ${s.key}, ${s.position}, ${s.name}, ${s.description}, ${s.dueDate},
              ${db.array(s.roles)}::text[])`;
  }
}

const cycleColumns = (db: Db) => db`
  c.month, c.status, c.timezone, c.opened_at, c.opened_by, c.closed_at, c.plan_locked_at,
  c.plan_locked_by, lp.name as plan_locked_by_name`;

export async function getCycle(db: Db, month: string): Promise<CycleRow | undefined> {
  const [row] = await db<CycleRow[]>`
    select ${cycleColumns(db)}
    from cycles c left join people lp on lp.slack_user_id = c.plan_locked_by
    where c.month = ${month}`;
  return row;
}

/** Locks the cycle row until the transaction ends: decisions on one cycle run one at a time. */
export async function lockCycle(db: Db, month: string): Promise<CycleRow | undefined> {
  const [locked] = await db`select month from cycles where month = ${month} for update`;
  return locked ? getCycle(db, month) : undefined;
}

/** Newest first. */
export async function listCycles(db: Db, options: { limit: number }): Promise<CycleRow[]> {
  return db<CycleRow[]>`
    select ${cycleColumns(db)}
    from cycles c left join people lp on lp.slack_user_id = c.plan_locked_by
    order by c.month desc
    limit ${options.limit}`;
}

/** The latest open cycle whose month is before `month`. */
export async function latestOpenCycleBefore(db: Db, month: string): Promise<string | undefined> {
  const [row] = await db<{ month: string }[]>`
    select month from cycles where status = 'open' and month < ${month} order by month desc limit 1`;
  return row?.month;
}

export async function listCycleSteps(db: Db, months: string[]): Promise<CycleStepRow[]> {
  if (months.length === 0) return [];
  return db<CycleStepRow[]>`
    select cycle, key, position, name, description, due_date, roles, signed_at
    from cycle_steps where cycle = any(${db.array(months)}::date[])
    order by cycle desc, position`;
}

/** Locks the step row until the transaction ends: decisions on one step are serialised. */
export async function lockCycleStep(db: Db, month: string, key: string): Promise<CycleStepRow | undefined> {
  const [row] = await db<CycleStepRow[]>`
    select cycle, key, position, name, description, due_date, roles, signed_at
    from cycle_steps where cycle = ${month} and key = ${key}
    for update`;
  return row;
}

export async function setStepSignedAt(db: Db, month: string, key: string, at: Date | null): Promise<void> {
  await db`update cycle_steps set signed_at = ${at} where cycle = ${month} and key = ${key}`;
}

/** Locks (at and by given) or unlocks (null) the cycle's consensus plan. */
export async function setPlanLock(
  db: Db,
  month: string,
  lock: { at: Date; by: string } | null,
): Promise<void> {
  await db`
    update cycles set plan_locked_at = ${lock?.at ?? null}, plan_locked_by = ${lock?.by ?? null}
    where month = ${month}`;
}

export async function closeCycle(db: Db, month: string, at: Date): Promise<void> {
  await db`update cycles set status = 'closed', closed_at = ${at} where month = ${month}`;
}
