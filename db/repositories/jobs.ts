/**
 * The cadence jobs' run ledger and outbox. A run key (job + period + target) is claimed once, in
 * a short transaction under the jobs advisory lock; every outgoing message is an outbox row
 * before it is sent, leased while it is being sent and marked sent after. Liveness (heartbeats,
 * leases) runs on the database's clock, so processes on different machines agree on it;
 * business time (expiry) is the caller's clock, so runs at a fixed time behave the same.
 */
import type { Db, Sql } from "../client.js";
import { LOCK, lockXact } from "./locks.js";

export interface RunKey {
  job: string;
  /** The period the run covers: a local date, an ISO week, a month. */
  period: string;
  /** What within the period: '' for the whole run, or e.g. `import:42`. */
  target: string;
}

export type RunStatus = "running" | "done" | "failed" | "skipped";
export type RunTrigger = "schedule" | "catch-up" | "manual" | "api" | "import" | "resume";

export interface JobRunRow extends RunKey {
  status: RunStatus;
  trigger: RunTrigger;
  scheduledFor: Date;
  claimedAt: Date;
  claimedBy: string;
  finishedAt: Date | null;
  attempts: number;
  heartbeatAt: Date;
  composed: boolean;
  error: string | null;
  details: Record<string, unknown>;
  /** The heartbeat is older than the stale limit given to the query (database clock). */
  stale?: boolean;
}

export type ClaimResult =
  | { claimed: true; resumed: boolean; run: JobRunRow }
  | { claimed: false; run: JobRunRow };

export interface ClaimOptions {
  scheduledFor: Date;
  trigger: RunTrigger;
  /** Who claims: host, pid and a random part (see jobs/scheduler.ts). */
  claimant: string;
  /** A running row whose heartbeat is older than this belongs to a dead process. */
  staleAfterSeconds: number;
  /** A running row claimed by a process known to be dead is taken over at once. */
  isDead?: (claimant: string) => boolean;
  /** Failed runs are claimed again up to this many attempts in all. */
  maxAttempts: number;
}

/**
 * Claims a run key: a new key is inserted as running; a running one whose process died (stale
 * heartbeat, or `isDead`) and a failed one with attempts left are taken over; anything else is
 * left alone (`claimed: false`, with the row that holds the key).
 */
export async function claimRun(sql: Sql, key: RunKey, o: ClaimOptions): Promise<ClaimResult> {
  return sql.begin(async (tx) => {
    await lockXact(tx, LOCK.jobs);
    const [row] = await tx<JobRunRow[]>`
      select *, heartbeat_at < now() - make_interval(secs => ${o.staleAfterSeconds}) as stale
      from job_runs where job = ${key.job} and period = ${key.period} and target = ${key.target}`;
    if (!row) {
      const [inserted] = await tx<JobRunRow[]>`
        insert into job_runs (job, period, target, status, trigger, scheduled_for, claimed_by)
        values (${key.job}, ${key.period}, ${key.target}, 'running', ${o.trigger}, ${o.scheduledFor},
                ${o.claimant})
        returning *`;
      return { claimed: true, resumed: false, run: inserted! };
    }
    const abandoned =
      row.status === "running" &&
      row.claimedBy !== o.claimant &&
      (row.stale === true || (o.isDead?.(row.claimedBy) ?? false));
    const retry = row.status === "failed" && row.attempts < o.maxAttempts;
    if (!abandoned && !retry) return { claimed: false, run: row };
    const [taken] = await tx<JobRunRow[]>`
      update job_runs set status = 'running', claimed_by = ${o.claimant}, claimed_at = now(),
             heartbeat_at = now(), attempts = attempts + 1, finished_at = null, error = null,
             trigger = ${abandoned ? "resume" : o.trigger}
      where job = ${key.job} and period = ${key.period} and target = ${key.target}
      returning *`;
    return { claimed: true, resumed: abandoned, run: taken! };
  });
}

/** Records a key as skipped (a missed run no longer worth doing) unless it is in the ledger. */
export async function skipRun(
  sql: Sql,
  key: RunKey,
  o: { scheduledFor: Date; claimant: string; reason: string },
): Promise<boolean> {
  const rows = await sql`
    insert into job_runs (job, period, target, status, trigger, scheduled_for, claimed_by, finished_at, details)
    values (${key.job}, ${key.period}, ${key.target}, 'skipped', 'catch-up', ${o.scheduledFor}, ${o.claimant},
            now(), ${sql.json({ reason: o.reason })})
    on conflict do nothing
    returning 1`;
  return rows.length > 0;
}

/** Bumps the heartbeat of a run this claimant holds; false when it no longer holds it. */
export async function heartbeat(sql: Db, key: RunKey, claimant: string): Promise<boolean> {
  const rows = await sql`
    update job_runs set heartbeat_at = now()
    where job = ${key.job} and period = ${key.period} and target = ${key.target}
      and claimed_by = ${claimant} and status = 'running'
    returning 1`;
  return rows.length > 0;
}

export async function finishRun(
  sql: Db,
  key: RunKey,
  claimant: string,
  result: { status: "done" | "failed"; details: Record<string, unknown>; error?: string | null },
): Promise<void> {
  await sql`
    update job_runs set status = ${result.status}, finished_at = now(), heartbeat_at = now(),
           details = ${sql.json(result.details as never)}, error = ${result.error ?? null}
    where job = ${key.job} and period = ${key.period} and target = ${key.target}
      and claimed_by = ${claimant}`;
}

export async function getRun(sql: Db, key: RunKey): Promise<JobRunRow | undefined> {
  const [row] = await sql<JobRunRow[]>`
    select * from job_runs where job = ${key.job} and period = ${key.period} and target = ${key.target}`;
  return row;
}

/** Running rows whose process died: a stale heartbeat, or a claimant `isDead` says is gone. */
export async function abandonedRuns(
  sql: Db,
  staleAfterSeconds: number,
  isDead: (claimant: string) => boolean,
): Promise<JobRunRow[]> {
  const rows = await sql<JobRunRow[]>`
    select *, heartbeat_at < now() - make_interval(secs => ${staleAfterSeconds}) as stale
    from job_runs where status = 'running' order by claimed_at`;
  return rows.filter((r) => r.stale || isDead(r.claimedBy));
}

/** Failed runs with attempts left that failed at least `minAgeSeconds` ago: worth another try. */
export async function retryableRuns(
  sql: Db,
  maxAttempts: number,
  minAgeSeconds: number,
): Promise<JobRunRow[]> {
  return sql<JobRunRow[]>`
    select * from job_runs
    where status = 'failed' and attempts < ${maxAttempts}
      and finished_at < now() - make_interval(secs => ${minAgeSeconds})
    order by finished_at`;
}

/** The latest runs of each job (newest first), for `sop jobs list`. */
export async function latestRuns(sql: Db, perJob = 1): Promise<JobRunRow[]> {
  return sql<JobRunRow[]>`
    select * from (
      select *, row_number() over (partition by job order by claimed_at desc) as n from job_runs
    ) r where n <= ${perJob}
    order by job, claimed_at desc`;
}

/** Runs newest first, optionally of one job. */
export async function listRuns(
  sql: Db,
  o: { job?: string | undefined; limit: number },
): Promise<JobRunRow[]> {
  return sql<JobRunRow[]>`
    select * from job_runs where ${o.job ? sql`job = ${o.job}` : sql`true`}
    order by claimed_at desc limit ${o.limit}`;
}

// ---------------------------------------------------------------- outbox

export type OutboxKind = "message" | "dm" | "file";
export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "skipped";

export interface OutboxFile {
  filename: string;
  title: string;
  altText: string;
  content: Buffer;
}

export interface NewOutboxRow {
  dedupeKey: string;
  channel: string;
  kind: OutboxKind;
  /** message/dm: { text, blocks }; file: { initialComment }. */
  payload: Record<string, unknown>;
  summary: string;
  position: number;
  expiresAt: Date | null;
  /** Rows that must not be sent (no channel configured) go in as skipped with this reason. */
  skipReason?: string | undefined;
  files?: OutboxFile[];
}

export interface OutboxRow extends RunKey {
  id: number;
  dedupeKey: string;
  channel: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  slackTs: string | null;
  channelId: string | null;
  summary: string;
  position: number;
  createdAt: Date;
  sentAt: Date | null;
  expiresAt: Date | null;
  nextAttemptAt: Date | null;
  leaseUntil: Date | null;
  sentBy: string | null;
}

/**
 * postgres.js's camel transform renames the keys inside JSON values too (action_id → actionId):
 * Slack payloads are read as text and parsed here, untouched.
 */
type RawOutboxRow = OutboxRow & { payloadText: string };

function outboxRow(r: RawOutboxRow): OutboxRow {
  const { payloadText, ...row } = r;
  return { ...row, payload: JSON.parse(payloadText) as Record<string, unknown> };
}

/**
 * Writes a run's messages and marks the run composed, in one transaction: a row whose dedupe
 * key exists already (an earlier run sent that alert) is left as it is. Returns the ids
 * inserted.
 */
export async function writeOutbox(
  sql: Sql,
  key: RunKey,
  claimant: string,
  rows: readonly NewOutboxRow[],
): Promise<number[]> {
  return sql.begin(async (tx) => {
    const ids: number[] = [];
    for (const r of rows) {
      const [inserted] = await tx<{ id: number }[]>`
        insert into outbox (job, period, target, dedupe_key, channel, kind, payload, summary, position,
                            expires_at, status, last_error)
        values (${key.job}, ${key.period}, ${key.target}, ${r.dedupeKey}, ${r.channel}, ${r.kind},
                ${tx.json(r.payload as never)}, ${r.summary}, ${r.position}, ${r.expiresAt},
                ${r.skipReason ? "skipped" : "pending"}, ${r.skipReason ?? null})
        on conflict (dedupe_key) do nothing
        returning id`;
      if (!inserted) continue;
      ids.push(inserted.id);
      for (const [i, f] of (r.files ?? []).entries()) {
        await tx`
          insert into outbox_files (outbox_id, position, filename, title, alt_text, content)
          values (${inserted.id}, ${i}, ${f.filename}, ${f.title}, ${f.altText}, ${f.content})`;
      }
    }
    await tx`
      update job_runs set composed = true, heartbeat_at = now()
      where job = ${key.job} and period = ${key.period} and target = ${key.target}
        and claimed_by = ${claimant}`;
    return ids;
  });
}

/**
 * Leases the next row to send: pending and due, or sending with an expired lease (its sender
 * died), in position order; of one run when `key` is given. Null when there is none.
 */
export async function leaseNext(
  sql: Sql,
  o: { key?: RunKey | undefined; claimant: string; leaseSeconds: number; now: Date },
): Promise<OutboxRow | null> {
  const run = o.key
    ? sql`job = ${o.key.job} and period = ${o.key.period} and target = ${o.key.target}`
    : sql`true`;
  const [row] = await sql<RawOutboxRow[]>`
    update outbox set status = 'sending', sent_by = ${o.claimant}, attempts = attempts + 1,
           lease_until = now() + make_interval(secs => ${o.leaseSeconds})
    where id = (
      select id from outbox o
      where ${run}
        and ((status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${o.now}))
             or (status = 'sending' and lease_until < now()))
        -- In order within a run and channel: charts go after the message they illustrate.
        and not exists (
          select 1 from outbox e
          where e.job = o.job and e.period = o.period and e.target = o.target and e.channel = o.channel
            and e.position < o.position and e.status in ('pending', 'sending'))
      order by job, period, target, position, id
      limit 1
      for update skip locked)
    returning *, payload::text as payload_text`;
  return row ? outboxRow(row) : null;
}

/**
 * Returns the rows a dead process had leased to pending, so they go out without waiting for the
 * lease to run out. A row leased during the very call to Slack may have been posted: this is the
 * one place a crash can cause a repeat, and it needs the crash inside that call.
 */
export async function releaseLeases(sql: Db, claimant: string): Promise<number> {
  const rows = await sql`
    update outbox set status = 'pending', lease_until = null
    where sent_by = ${claimant} and status = 'sending'
    returning 1`;
  return rows.length;
}

export async function outboxFiles(sql: Db, outboxId: number): Promise<OutboxFile[]> {
  return sql<OutboxFile[]>`
    select filename, title, alt_text, content from outbox_files
    where outbox_id = ${outboxId} order by position`;
}

/** The channel id an earlier message of the run was posted to, for a channel given by name. */
export async function resolvedChannelId(sql: Db, key: RunKey, channel: string): Promise<string | null> {
  const [row] = await sql<{ channelId: string }[]>`
    select channel_id from outbox
    where job = ${key.job} and period = ${key.period} and target = ${key.target}
      and channel = ${channel} and channel_id is not null
    limit 1`;
  return row?.channelId ?? null;
}

export async function markSent(
  sql: Db,
  id: number,
  claimant: string,
  sent: { ts: string | null; channelId: string | null },
): Promise<void> {
  await sql`
    update outbox set status = 'sent', sent_at = now(), slack_ts = ${sent.ts}, channel_id = ${sent.channelId},
           lease_until = null, last_error = null
    where id = ${id} and sent_by = ${claimant} and status = 'sending'`;
}

/**
 * Records a failed attempt: `retryAt` set → pending again until then; otherwise failed for
 * good (or `skipped` for a row that should not be retried, e.g. expired).
 */
export async function markUnsent(
  sql: Db,
  id: number,
  claimant: string,
  o: { error: string; status: "pending" | "failed" | "skipped"; retryAt?: Date | null },
): Promise<void> {
  await sql`
    update outbox set status = ${o.status}, last_error = ${o.error}, lease_until = null,
           next_attempt_at = ${o.retryAt ?? null}
    where id = ${id} and sent_by = ${claimant} and status = 'sending'`;
}

/** Unsent rows that expired before `now`: skipped, since they would be stale. Returns them. */
export async function expireOutbox(sql: Db, now: Date): Promise<OutboxRow[]> {
  const rows = await sql<RawOutboxRow[]>`
    update outbox set status = 'skipped', lease_until = null,
           last_error = 'expired before it could be sent (' || coalesce(last_error, 'never attempted') || ')'
    where status = 'pending' and expires_at is not null and expires_at < ${now}
    returning *, payload::text as payload_text`;
  return rows.map(outboxRow);
}

export interface OutboxFilter {
  status?: OutboxStatus | undefined;
  job?: string | undefined;
  limit: number;
}

/** Outbox rows newest first, without their payloads' files. */
export async function listOutbox(sql: Db, f: OutboxFilter): Promise<OutboxRow[]> {
  const rows = await sql<RawOutboxRow[]>`
    select *, payload::text as payload_text from outbox
    where ${f.status ? sql`status = ${f.status}` : sql`true`}
      and ${f.job ? sql`job = ${f.job}` : sql`true`}
    order by created_at desc, id desc
    limit ${f.limit}`;
  return rows.map(outboxRow);
}

/** Counts per status, for the outbox's headline. */
export async function outboxCounts(sql: Db): Promise<Record<OutboxStatus, number>> {
  const rows = await sql<{ status: OutboxStatus; n: number }[]>`
    select status, count(*)::int as n from outbox group by status`;
  const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** The rows of one run, in sending order. */
export async function runOutbox(sql: Db, key: RunKey): Promise<OutboxRow[]> {
  const rows = await sql<RawOutboxRow[]>`
    select *, payload::text as payload_text from outbox
    where job = ${key.job} and period = ${key.period} and target = ${key.target}
    order by position, id`;
  return rows.map(outboxRow);
}
