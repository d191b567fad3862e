/**
 * A fresh database per test file, on each engine: the embedded one always (PGlite started from
 * the migrated template), and the PostgreSQL server when TEST_DATABASE_URL is set (a new
 * database created for the file and dropped after it).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { inject } from "vitest";
import { type Database, embeddedDatabase, openDatabase } from "../../db/client.js";
import { openEphemeral } from "../../db/embedded/embedded.js";
import { migrate } from "../../db/migrate.js";

export type Engine = "embedded" | "server";

/** The server tests run against, or undefined (then only the embedded engine is tested). */
export const serverUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined;

/** The engines to test on: embedded always, the server when TEST_DATABASE_URL is set. */
export const engines: Engine[] = serverUrl ? ["embedded", "server"] : ["embedded"];

export interface TestDatabase extends Database {
  engine: Engine;
  /** A connection URL other processes can use (server), or the socket path (embedded). */
  url: string;
}

export async function createTestDatabase(
  engine: Engine,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (engine === "embedded") {
    const socketDir = mkdtempSync(path.join(tmpdir(), "sop-test-"));
    const template =
      options.migrate === false ? undefined : new Blob([readFileSync(inject("pgliteTemplate"))]);
    const embedded = await openEphemeral(socketDir, template ? { loadDataDir: template } : {});
    const db = embeddedDatabase(embedded, 4);
    return {
      ...db,
      engine,
      url: embedded.socketPath,
      async close() {
        await db.close();
        rmSync(socketDir, { recursive: true, force: true });
      },
    };
  }
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `sop_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), dataDir: "", poolMax: 10 });
  if (options.migrate !== false) await migrate(db.sql);
  return {
    ...db,
    engine,
    url: url.toString(),
    async close() {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
