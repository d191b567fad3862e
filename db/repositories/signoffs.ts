/** Sign-off decisions on cycle steps. Months travel as the database's 'YYYY-MM-01'. */
import type { Db } from "../client.js";

export type Decision = "approve" | "request_changes";

export interface SignoffRow {
  id: number;
  /** 'YYYY-MM-01' */
  cycle: string;
  step: string;
  slackUserId: string;
  personName: string;
  /** The step's required roles this decision speaks for. */
  roles: string[];
  decision: Decision;
  comment: string | null;
  source: string;
  idempotencyKey: string;
  createdAt: Date;
}

export interface NewSignoff {
  cycle: string;
  step: string;
  slackUserId: string;
  roles: string[];
  decision: Decision;
  comment: string | null;
  source: string;
  idempotencyKey: string;
  at: Date;
}

const columns = (db: Db) => db`
  s.id, s.cycle, s.step, s.slack_user_id, p.name as person_name, s.roles, s.decision, s.comment,
  s.source, s.idempotency_key, s.created_at`;

/** The decisions on the given cycles, in the order they were made (by id, as clocks may be fixed). */
export async function listSignoffs(db: Db, months: string[]): Promise<SignoffRow[]> {
  if (months.length === 0) return [];
  return db<SignoffRow[]>`
    select ${columns(db)}
    from signoffs s join people p on p.slack_user_id = s.slack_user_id
    where s.cycle = any(${db.array(months)}::date[])
    order by s.id`;
}

export async function listStepSignoffs(db: Db, month: string, step: string): Promise<SignoffRow[]> {
  return db<SignoffRow[]>`
    select ${columns(db)}
    from signoffs s join people p on p.slack_user_id = s.slack_user_id
    where s.cycle = ${month} and s.step = ${step}
    order by s.id`;
}

export async function getSignoffByKey(db: Db, idempotencyKey: string): Promise<SignoffRow | undefined> {
  const [row] = await db<SignoffRow[]>`
    select ${columns(db)}
    from signoffs s join people p on p.slack_user_id = s.slack_user_id
    where s.idempotency_key = ${idempotencyKey}`;
  return row;
}

export async function insertSignoff(db: Db, s: NewSignoff): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into signoffs (cycle, step, slack_user_id, roles, decision, comment, source, idempotency_key, created_at)
    values (${s.cycle}, ${s.step}, ${s.slackUserId}, ${db.array(s.roles)}::text[], ${s.decision}, ${s.comment},
            ${s.source}, ${s.idempotencyKey}, ${s.at})
    returning id`;
  return row!.id;
}
