/**
 * Builds, once per run, a migrated embedded database and dumps it: every test file then starts
 * its own PGlite from that dump in about half a second instead of running initdb and the
 * migrations again.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { embeddedDatabase } from "../db/client.js";
import { openEphemeral } from "../db/embedded/embedded.js";
import { loadMigrations, migrate } from "../db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const migrations = loadMigrations();
  const hash = createHash("sha256")
    .update(migrations.map((m) => m.checksum).join(","))
    .digest("hex")
    .slice(0, 16);
  const dir = path.resolve("node_modules/.cache/sop-test");
  const file = path.join(dir, `pglite-template-${hash}.tar`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const socketDir = mkdtempSync(path.join(tmpdir(), "sop-template-"));
    const embedded = await openEphemeral(socketDir);
    const db = embeddedDatabase(embedded, 1);
    await migrate(db.sql);
    await db.sql.end();
    const dump = await embedded.pglite.dumpDataDir("none");
    await embedded.close();
    rmSync(socketDir, { recursive: true, force: true });
    writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
    const { renameSync } = await import("node:fs");
    renameSync(`${file}.tmp`, file);
  }
  project.provide("pgliteTemplate", file);
}
