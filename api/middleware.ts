/** Request ids, access logs and the API token check. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "./context.js";
import { UnauthorizedError } from "./errors.js";

let counter = 0;

/** A request id per request (X-Request-Id when the caller sends a sane one) and an access log line. */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id =
      given && /^[\w.-]{1,64}$/.test(given)
        ? given
        : `${Date.now().toString(36)}-${(counter++).toString(36)}`;
    const log = logger.child({ requestId: id });
    c.set("requestId", id);
    c.set("log", log);
    const started = performance.now();
    await next();
    c.header("X-Request-Id", id);
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** When a token is configured, `Authorization: Bearer <token>` is required (constant-time check). */
export function apiToken(token: string | undefined): MiddlewareHandler<AppEnv> {
  const expected = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (expected) {
      const header = c.req.header("authorization") ?? "";
      const m = /^Bearer\s+(.+)$/i.exec(header);
      if (!m || !timingSafeEqual(digest(m[1]!.trim()), expected)) throw new UnauthorizedError();
    }
    await next();
  };
}
