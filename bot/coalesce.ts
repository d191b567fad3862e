/**
 * Identical reads in flight at the same moment share one answer: when a digest goes out and
 * twenty people type `/sop gaps` together, the API computes it once. Only requests that overlap
 * in time are shared — nothing is kept after the answer — so no answer is older than a request
 * started at the same time would have been. Writes always go through on their own.
 */

import { type ApiClient, type ApiClientOptions, createApiClient } from "../api/client.js";

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response>;

interface Shared {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

function headerKey(init: RequestInit | undefined, request: Request | undefined): string {
  const headers = new Headers(request?.headers);
  new Headers(init?.headers).forEach((v, k) => {
    headers.set(k, v);
  });
  return [...headers.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${v}`)
    .join("\n");
}

/** Wraps `fetch` so that concurrent identical GETs share one underlying request. */
export function coalesceGets(fetch: Fetch): Fetch {
  const inFlight = new Map<string, Promise<Shared>>();
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    if (method !== "GET" || init?.body) return fetch(input, init);
    const url = request ? request.url : String(input);
    const key = `${url}\n${headerKey(init, request)}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = (async () => {
        const res = await fetch(input, init);
        return {
          status: res.status,
          statusText: res.statusText,
          headers: [...res.headers.entries()],
          body: await res.arrayBuffer(),
        };
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    const s = await shared;
    return new Response(s.status === 204 || s.status === 304 ? null : s.body.slice(0), {
      status: s.status,
      statusText: s.statusText,
      headers: s.headers,
    });
  };
}

/** The bot's client of an in-process API (`app.request`), with concurrent identical reads shared. */
export function coalescedInProcessClient(
  app: { request: (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response> },
  options: Omit<ApiClientOptions, "baseUrl"> = {},
): ApiClient {
  return createApiClient(
    coalesceGets((input, init) => app.request(input instanceof Request ? input : String(input), init)),
    options,
  );
}
