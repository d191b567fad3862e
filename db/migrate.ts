/**
 * Forward-only numbered SQL migrations (db/migrations/NNNN_name.sql), applied in one
 * transaction under an advisory lock, recorded with their checksum in schema_migrations.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { Sql } from "./client.js";
import { LOCK, lockXact } from "./repositories/locks.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

/** The migrations shipped with this build, in order. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return files.map((file) => {
    const sql = readFileSync(`${dir}/${file}`, "utf8");
    return {
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    };
  });
}

export interface MigrationStatus {
  current: number;
  latest: number;
  pending: number[];
}

export async function migrationStatus(sql: Sql, migrations = loadMigrations()): Promise<MigrationStatus> {
  const latest = migrations.at(-1)?.version ?? 0;
  const [exists] = await sql<{ ok: boolean }[]>`select to_regclass('schema_migrations') is not null as ok`;
  const applied = exists?.ok
    ? (await sql<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version)
    : [];
  const done = new Set(applied);
  return {
    current: Math.max(0, ...applied),
    latest,
    pending: migrations.filter((m) => !done.has(m.version)).map((m) => m.version),
  };
}

/** Applies every pending migration; returns the versions applied. Safe to run concurrently. */
export async function migrate(sql: Sql, logger?: Logger, migrations = loadMigrations()): Promise<number[]> {
  return sql.begin(async (tx) => {
    await lockXact(tx, LOCK.migrate);
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const applied = await tx<{ version: number; name: string; checksum: string }[]>`
      select version, name, checksum from schema_migrations order by version`;
    const known = new Map(applied.map((a) => [a.version, a]));
    for (const a of applied) {
      const m = migrations.find((x) => x.version === a.version);
      if (!m) {
        throw new Error(
          `the database has migration ${a.version} (${a.name}) that this version of sop does not know: it was made by a newer sop`,
        );
      }
      if (m.checksum !== a.checksum) {
        throw new Error(
          `migration ${a.version} (${a.name}) was changed after it was applied; migrations are forward-only, add a new one instead`,
        );
      }
    }
    const done: number[] = [];
    for (const m of migrations) {
      if (known.has(m.version)) continue;
      logger?.info({ version: m.version, name: m.name }, "applying migration");
      await tx.unsafe(m.sql);
      await tx`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
      done.push(m.version);
    }
    return done;
  });
}
