/**
 * Settings for transactions that write or join hundreds of thousands of rows at once (a
 * forecast run, a consensus rebuild). Transaction-local: they end with the transaction.
 */
import type { Db } from "../client.js";

/**
 * Tunes the transaction: memory to hash in (the 4 MB default spills to disk), no JIT, and no
 * nested loops. The last because the statistics of `forecasts` are stale right after a cycle's
 * rows are written (the embedded database has no autovacuum at all): estimated at 10 rows a
 * side, a self-join of a cycle's consensus and statistical rows became a nested loop over
 * 360,000 × 360,000 rows.
 */
export async function tuneBulkWrite(tx: Db): Promise<void> {
  await tx`
    select set_config('work_mem', '256MB', true), set_config('jit', 'off', true),
           set_config('enable_nestloop', 'off', true)`;
}

/**
 * Skips PostgreSQL's row-by-row re-check of foreign keys (a trigger per row and key) for the
 * rest of the transaction, where the connection may (a superuser: PGlite, the usual self-hosted
 * setup); true when skipped. Only for writes whose keys were read from the database in the same
 * run and that nothing deletes (items, locations): the CSV import's merge, a forecast run.
 */
export async function skipForeignKeyChecks(tx: Db): Promise<boolean> {
  const [r] = await tx<{ skipped: boolean }[]>`
    select set_config('session_replication_role', 'replica', true) = 'replica' as skipped
    where current_setting('is_superuser') = 'on'`;
  return r?.skipped ?? false;
}

/** Undoes {@link skipForeignKeyChecks}. */
export async function restoreForeignKeyChecks(tx: Db): Promise<void> {
  await tx`select set_config('session_replication_role', 'origin', true)`;
}
