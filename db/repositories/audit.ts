/** The append-only audit trail: every decision and every change of settings, people and cycles. */
import type { Db } from "../client.js";

export interface AuditEntry {
  id: number;
  at: Date;
  /** Who did it: a Slack user id, or a free-text name for the CLI; null when unknown. */
  actor: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  source: string;
  details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, "id">;

export async function appendAudit(db: Db, entry: NewAuditEntry): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into audit_log (at, actor, action, entity, entity_id, source, details)
    values (${entry.at}, ${entry.actor}, ${entry.action}, ${entry.entity}, ${entry.entityId},
            ${entry.source}, ${db.json(entry.details as never)})
    returning id`;
  return row!.id;
}

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
  /** Entries older than this: an entry id (paging) or an instant. */
  before?: { id: number } | { at: Date } | undefined;
  limit: number;
}

/** Newest first: by id, the order in which entries were appended (clocks may be fixed or skewed). */
export async function listAudit(db: Db, filter: AuditFilter): Promise<AuditEntry[]> {
  const before = filter.before;
  return db<AuditEntry[]>`
    select id, at, actor, action, entity, entity_id, source, details
    from audit_log
    where ${filter.entity !== undefined ? db`entity = ${filter.entity}` : db`true`}
      and ${filter.entityId !== undefined ? db`entity_id = ${filter.entityId}` : db`true`}
      and ${filter.actor !== undefined ? db`actor = ${filter.actor}` : db`true`}
      and ${before === undefined ? db`true` : "id" in before ? db`id < ${before.id}` : db`at < ${before.at}`}
    order by id desc
    limit ${filter.limit}`;
}
