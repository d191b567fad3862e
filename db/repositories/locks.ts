/**
 * PostgreSQL advisory locks, all in one namespace so no two purposes ever share a key.
 * Transaction-level locks only: the embedded database multiplexes every client onto one
 * session, where session-level locks would not exclude anyone.
 */
import type { Db } from "../client.js";

/** "sop" in ASCII: the first key of every lock of ours. */
const NAMESPACE = 0x736f70;

export const LOCK = {
  migrate: 1,
  import: 2,
  plan: 3,
  jobs: 4,
  /** Rebuilding a cycle's consensus: forecast runs and overrides. */
  consensus: 20,
  /** Summing a cycle's plan into consensus_totals. */
  consensusTotals: 21,
} as const;

/** Waits for the lock; released when the transaction ends. */
export async function lockXact(tx: Db, lock: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(${NAMESPACE}::int, ${lock}::int)`;
}

/** Takes the lock if it is free; released when the transaction ends. */
export async function tryLockXact(tx: Db, lock: number): Promise<boolean> {
  const [r] = await tx<
    { ok: boolean }[]
  >`select pg_try_advisory_xact_lock(${NAMESPACE}::int, ${lock}::int) as ok`;
  return r?.ok ?? false;
}
