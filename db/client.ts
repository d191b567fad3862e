/**
 * One postgres.js `sql` per process, on a PostgreSQL server (DATABASE_URL) or on the embedded
 * database (PGlite served over a socket), so the same driver, SQL and migrations run on both.
 */

import type { Logger } from "pino";
import postgres from "postgres";
import { type EmbeddedDatabase, openEmbedded } from "./embedded/embedded.js";

// biome-ignore lint/complexity/noBannedTypes: postgres.js's own spelling of "no custom types".
type NoTypes = {};
export type Sql = postgres.Sql<NoTypes>;
/** A transaction or the pool: repositories accept either. */
export type Db = Sql | postgres.TransactionSql<NoTypes>;

export interface Database {
  sql: Sql;
  kind: "server" | "embedded";
  /** Where the data lives, without credentials. */
  where: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  dataDir: string;
  poolMax: number;
  logger?: Logger;
  /** Embedded only: become the owner if the owning process exits (for `sop serve`). */
  takeover?: boolean;
}

const NUMERIC = 1700;
const INT8 = 20;
const DATE = 1082;

/** Driver options shared by both engines: numbers as JS numbers, dates as 'YYYY-MM-DD'. */
export function driverOptions(logger?: Logger): postgres.Options<NoTypes> {
  return {
    transform: postgres.camel,
    onnotice: (notice) => logger?.debug({ notice: notice.message }, "postgres notice"),
    // postgres.js prepares every statement; after five runs PostgreSQL may switch a statement to
    // a generic plan that ignores the parameters' values. For one SKU's FVA that plan scans all
    // forecasts (3 s instead of 90 ms at 10,000 SKUs). Our queries are few and heavy: planning
    // each with its values costs far less than one bad plan.
    // JIT compiles each large statement before running it: 40 ms of the 670 ms of one import
    // chunk's merge, and sop's statements (at most a few seconds, most far less) never earn it
    // back. PGlite has no JIT; the setting is accepted there and does nothing.
    connection: { application_name: "sop", plan_cache_mode: "force_custom_plan", jit: "off" },
    types: {
      numeric: {
        to: NUMERIC,
        from: [NUMERIC],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => Number(x),
      },
      bigint: {
        to: INT8,
        from: [INT8],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => Number(x),
      },
      date: {
        to: DATE,
        from: [DATE],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => x,
      },
    },
  } as postgres.Options<NoTypes>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const sql = postgres(options.url, { ...driverOptions(options.logger), max: options.poolMax });
    const u = new URL(options.url);
    return {
      sql,
      kind: "server",
      where: `${u.hostname}:${u.port || 5432}${u.pathname}`,
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const embedded = await openEmbedded(options.dataDir, {
    ...(options.logger ? { logger: options.logger } : {}),
    takeover: options.takeover ?? false,
  });
  return embeddedDatabase(embedded, options.poolMax, options.logger, options.dataDir);
}

/** postgres.js over the socket of an embedded database. */
export function embeddedDatabase(
  embedded: EmbeddedDatabase,
  poolMax: number,
  logger?: Logger,
  where = "memory",
): Database {
  const sql = postgres({
    ...driverOptions(logger),
    path: embedded.socketPath,
    user: "postgres",
    database: "postgres",
    max: poolMax,
    // PGlite has one session shared by every connection: named prepared statements from two
    // connections would collide, so use the unnamed statement (still the extended protocol).
    prepare: false,
  });
  return {
    sql,
    kind: "embedded",
    where,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.close();
    },
  };
}
