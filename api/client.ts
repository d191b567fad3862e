/**
 * The typed client of the API (Hono RPC). The bot and the jobs reach data through nothing
 * else. In one process its fetch is `app.request`: no network hop, yet every middleware,
 * validation and auth check still runs.
 */
import { hc } from "hono/client";
import type { AppType } from "./app.js";

export type ApiClient = ReturnType<typeof hc<AppType>>;

export interface ApiClientOptions {
  /** The API's base URL; any origin works in-process. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …` when set (SOP_API_TOKEN). */
  token?: string | undefined;
  /** Who is acting, for the audit trail (`X-Sop-Actor`). */
  actor?: string;
}

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response>;

export function createApiClient(fetch: Fetch, options: ApiClientOptions = {}): ApiClient {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.actor) headers["x-sop-actor"] = options.actor;
  return hc<AppType>(options.baseUrl ?? "http://sop.local", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
    headers,
  });
}

/** A client that calls `app.request` directly (one process). */
export function inProcessClient(
  app: { request: (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response> },
  options: Omit<ApiClientOptions, "baseUrl"> = {},
): ApiClient {
  return createApiClient(
    (input, init) => app.request(input instanceof Request ? input : String(input), init),
    options,
  );
}
