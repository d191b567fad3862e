/**
 * Serves one PGlite instance over the PostgreSQL wire protocol on a Unix socket (or loopback
 * TCP), so postgres.js, and other `sop` processes, talk to the embedded database exactly as
 * they talk to a PostgreSQL server.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { SessionQueue } from "./session-queue.js";

export interface SocketServer {
  /** The Unix socket path, or undefined when listening on TCP. */
  readonly path: string | undefined;
  /** The TCP port, or undefined when listening on a Unix socket. */
  readonly port: number | undefined;
  connections(): number;
  close(): Promise<void>;
}

export async function serveOverSocket(
  db: PGlite,
  where: { path: string } | { host: string; port: number },
  onError: (error: unknown) => void = () => {},
): Promise<SocketServer> {
  const queue = new SessionQueue(db, onError);
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket: Socket) => {
    const handler = new PGLiteSocketHandler({
      // SessionQueue implements the public surface of pglite-socket's queue manager.
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    handler.attach(socket).catch((error) => {
      forget();
      onError(error);
      socket.destroy();
    });
  });
  server.on("error", onError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const done = () => {
      server.off("error", reject);
      resolve();
    };
    if ("path" in where) server.listen(where.path, done);
    else server.listen(where.port, where.host, done);
  });
  const address = server.address();
  return {
    path: "path" in where ? where.path : undefined,
    port: typeof address === "object" && address ? address.port : undefined,
    connections: () => handlers.size,
    async close() {
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
