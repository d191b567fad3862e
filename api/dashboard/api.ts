/**
 * The dashboard reads every number through the API, in process (the typed client over
 * `app.request`, as the bot and the jobs do): the page shows exactly what the API answers, with
 * the same validation and the same 404 for an unknown family. No network hop, no JSON over a
 * socket, and the dashboard's own sign-in stands in front of it.
 */

import type { ChartName } from "../charts/index.js";
import { type ApiClient, createApiClient } from "../client.js";

type AppRequest = (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response>;

/** A client for one page request: carries the API token and the page's request id (one trail in the logs). */
export function pageApi(request: AppRequest, options: { token: string | undefined; requestId: string }) {
  return createApiClient(
    (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set("x-request-id", options.requestId);
      headers.set("x-sop-source", "dashboard");
      return request(input instanceof Request ? input : String(input), { ...init, headers });
    },
    { token: options.token },
  );
}

/** A non-2xx answer of the API, shown to the reader with its message (404 → "there is no family X"). */
export class ApiAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiAnswerError";
  }
}

type Answer = { status: number; json(): Promise<unknown> };
type Ok<R extends Answer> = Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>;

/** The 200 body of a typed client answer; throws ApiAnswerError on any other status. */
export async function ok<R extends Answer>(answer: R | Promise<R>): Promise<Ok<R>> {
  const res = await answer;
  const body = (await res.json().catch(() => null)) as unknown;
  if (res.status === 200) return body as Ok<R>;
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  throw new ApiAnswerError(
    res.status,
    error?.code ?? "error",
    error?.message ?? `the API answered ${res.status}`,
    error?.details,
  );
}

export interface ChartAnswer {
  /** A chart of the registry (GET /api/charts/NAME.json), or one a page builds from API answers. */
  name: ChartName | (string & {});
  title: string;
  config: unknown;
}

/** The query the chart route takes; all strings, as in a URL. */
export interface ChartQuery {
  sku?: string;
  family?: string;
  location?: string;
  lag?: string;
  horizon?: string;
  month?: string;
}

/**
 * A chart's Chart.js config for the browser (`target=dashboard`), or the reason it cannot be
 * drawn (e.g. no capacity imported): a chart that cannot be drawn must not take its page down.
 */
export async function chartFor(
  api: ApiClient,
  name: ChartName,
  query: ChartQuery,
): Promise<ChartAnswer | { name: ChartName; error: string }> {
  try {
    const body = await ok(
      api.api.charts[":file"].$get({
        param: { file: `${name}.json` },
        query: { ...query, target: "dashboard" },
      }),
    );
    return body as ChartAnswer;
  } catch (error) {
    if (error instanceof ApiAnswerError && error.status < 500) return { name, error: error.message };
    throw error;
  }
}

/** A write's answer: its status and body, or the API's error (status, code, message, details). */
export async function sent<R extends Answer>(
  answer: R | Promise<R>,
): Promise<{ ok: true; status: number; body: unknown } | { ok: false; error: ApiAnswerError }> {
  const res = await answer;
  const body = (await res.json().catch(() => null)) as unknown;
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, body };
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  return {
    ok: false,
    error: new ApiAnswerError(
      res.status,
      error?.code ?? "error",
      error?.message ?? `the API answered ${res.status}`,
      error?.details,
    ),
  };
}

/** The parameters an API error names (`details.problems`), e.g. a 400's bad fields. */
export function problemsOf(error: ApiAnswerError): { parameter: string; message: string }[] {
  const problems = (error.details as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(problems)) return [];
  return problems.filter(
    (p): p is { parameter: string; message: string } =>
      typeof p?.parameter === "string" && typeof p?.message === "string",
  );
}

/** Drops undefined and empty values and turns the rest into strings, for a client query. */
export function query<T extends Record<string, string | number | undefined | null>>(values: T): QueryOf<T> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== "") out[k] = String(v);
  return out as QueryOf<T>;
}

/** Strings stay (with their literal types, e.g. "consensus"), numbers become strings. */
type QueryOf<T> = {
  [K in keyof T]?: Exclude<T[K], null | undefined> extends string ? Exclude<T[K], null | undefined> : string;
};
