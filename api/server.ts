/**
 * The HTTP server: Hono on @hono/node-server, with a graceful shutdown that stops accepting,
 * lets in-flight requests finish (imports included), and only then aborts what is left.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, waits for in-flight requests up to `graceMs`, then aborts them. */
  close(graceMs: number): Promise<void>;
}

export async function startHttpServer(options: {
  /** The app's fetch; `env` carries the Node request (the peer address, for the dashboard's access rule). */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  port: number;
  host: string;
  logger: Logger;
  /** Aborted when the grace period is over: long requests roll back and answer 503. */
  abort: AbortController;
}): Promise<RunningServer> {
  let inFlight = 0;
  const fetch = async (request: Request, env?: unknown) => {
    inFlight++;
    try {
      return await options.fetch(request, env);
    } finally {
      inFlight--;
    }
  };
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch, port: options.port, hostname: options.host }, () => resolve(s as Server));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    async close(graceMs: number) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const within = (ms: number) =>
        Promise.race([
          closed.then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), ms).unref()),
        ]);
      // A connection becomes idle once its response is written: sweep those until all are gone.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      if (inFlight > 0) options.logger.info({ inFlight }, "waiting for in-flight requests to finish");
      if (!(await within(graceMs))) {
        options.logger.warn({ inFlight }, "grace period over: aborting in-flight requests");
        options.abort.abort();
        if (!(await within(10_000))) server.closeAllConnections();
      }
      clearInterval(sweep);
      await closed;
    },
  };
}
