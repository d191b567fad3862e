/**
 * The embedded database: PGlite persisted in a data directory, owned by one process at a time
 * and shared with every other `sop` process through a Unix socket in that directory.
 *
 * The first process to claim `server.lock` (created with O_EXCL) opens PGlite and serves it;
 * later processes find the owner's pid alive and connect to its socket. A lock left by a dead
 * process is taken over. A long-running process (`sop serve`) that started as a client takes
 * the database over when its owner (say, a `sop import` that was already running) exits.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "pino";
import { type SocketServer, serveOverSocket } from "./socket-server.js";

export interface EmbeddedDatabase {
  /** Full path of the Unix socket that serves the database. */
  readonly socketPath: string;
  /** Whether this process opened PGlite (owner) or connects to another process (client). */
  role(): "owner" | "client";
  close(): Promise<void>;
}

interface LockContent {
  pid: number;
  socketPath: string;
  startedAt: string;
}

const SOCKET_NAME = ".s.PGSQL.5432";
// sun_path is 108 bytes on Linux; leave room for the terminating NUL.
const MAX_SOCKET_PATH = 100;

/** Where the socket for a data directory lives: inside it when the path is short enough. */
export function socketPathFor(dataDir: string): string {
  const inside = path.join(dataDir, SOCKET_NAME);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  const hash = createHash("sha1").update(dataDir).digest("hex").slice(0, 16);
  return path.join(tmpdir(), `sop-${hash}`, SOCKET_NAME);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(lockPath: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, "utf8")) as LockContent;
  } catch {
    return undefined;
  }
}

function tryClaim(lockPath: string, content: LockContent): boolean {
  try {
    writeFileSync(lockPath, JSON.stringify(content), { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

async function openOwned(
  dataDir: string,
  socketPath: string,
  logger: Logger | undefined,
): Promise<{ db: PGlite; server: SocketServer }> {
  const pgdata = path.join(dataDir, "pgdata");
  const fresh = !existsSync(path.join(pgdata, "PG_VERSION"));
  if (fresh) logger?.info({ dataDir }, "creating the embedded database");
  const db = await PGlite.create({ dataDir: pgdata });
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  rmSync(socketPath, { force: true });
  const server = await serveOverSocket(db, { path: socketPath }, (error) =>
    logger?.error({ err: error }, "embedded database socket error"),
  );
  return { db, server };
}

/**
 * Opens (as owner) or joins (as client) the embedded database in `dataDir`.
 * @param options.takeover keep watching and become the owner if the owning process exits
 */
export async function openEmbedded(
  dataDir: string,
  options: { logger?: Logger; takeover?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(dir, "server.lock");
  const socketPath = socketPathFor(dir);
  const { logger } = options;

  let owned: { db: PGlite; server: SocketServer } | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const claim = async (): Promise<boolean> => {
    const mine: LockContent = { pid: process.pid, socketPath, startedAt: new Date().toISOString() };
    if (!tryClaim(lockPath, mine)) {
      const held = readLock(lockPath);
      if (held && held.pid !== process.pid && pidAlive(held.pid)) return false;
      // A lock from a process that is gone (or unreadable): take it over.
      logger?.warn({ lock: held }, "removing a stale embedded-database lock");
      rmSync(lockPath, { force: true });
      if (!tryClaim(lockPath, mine)) return false;
    }
    try {
      owned = await openOwned(dir, socketPath, logger);
    } catch (error) {
      rmSync(lockPath, { force: true });
      throw error;
    }
    return true;
  };

  if (!(await claim())) {
    logger?.info(
      { socketPath, owner: readLock(lockPath)?.pid },
      "joining the embedded database of another sop process",
    );
    await waitForSocket(socketPath, 60_000);
    if (options.takeover) {
      timer = setInterval(() => {
        const held = readLock(lockPath);
        if (closed || owned || (held && pidAlive(held.pid))) return;
        void claim()
          .then((ok) => ok && logger?.info({ dataDir: dir }, "took over the embedded database"))
          .catch((error) => logger?.error({ err: error }, "could not take over the embedded database"));
      }, 500);
      timer.unref();
    }
  }

  return {
    socketPath,
    role: () => (owned ? "owner" : "client"),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      if (!owned) return;
      const { db, server } = owned;
      owned = undefined;
      await server.close();
      await db.close();
      rmSync(socketPath, { force: true });
      if (readLock(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
    },
  };
}

/** An in-memory PGlite served on its own socket: for tests and benchmarks. */
export async function openEphemeral(
  socketDir: string,
  options: { loadDataDir?: Blob | File } = {},
): Promise<EmbeddedDatabase & { pglite: PGlite }> {
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  const socketPath = socketPathFor(path.resolve(socketDir));
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  rmSync(socketPath, { force: true });
  const db = await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const server = await serveOverSocket(db, { path: socketPath });
  return {
    socketPath,
    pglite: db,
    role: () => "owner",
    async close() {
      await server.close();
      await db.close();
      rmSync(socketPath, { force: true });
    },
  };
}

async function waitForSocket(socketPath: string, timeoutMs: number): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(socketPath);
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`the embedded database at ${socketPath} did not answer in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
