/**
 * The bot's view of the API: the typed client (the only way the bot reaches data), the shapes
 * of the answers it renders, and one way to turn a response into data or an `ApiError`.
 */
import type { InferResponseType } from "hono/client";
import type { ApiClient } from "../api/client.js";

export type { ApiClient } from "../api/client.js";

type Ok<F> = F extends (...args: never[]) => unknown ? InferResponseType<F, 200> : never;

export type Gaps = Ok<ApiClient["api"]["kpi"]["gaps"]["$get"]>;
export type Accuracy = Ok<ApiClient["api"]["kpi"]["accuracy"]["$get"]>;
export type Turns = Ok<ApiClient["api"]["kpi"]["turns"]["$get"]>;
export type Risk = Ok<ApiClient["api"]["kpi"]["risk"]["$get"]>;
export type Excess = Ok<ApiClient["api"]["kpi"]["excess"]["$get"]>;
export type Summary = Ok<ApiClient["api"]["kpi"]["summary"]["$get"]>;
export type Sku = Ok<ApiClient["api"]["skus"][":sku"]["$get"]>;
export type CycleBody = Ok<ApiClient["api"]["cycles"]["current"]["$get"]>;
export type Cycle = CycleBody["cycle"];
export type Step = Cycle["steps"][number];
export type Person = Ok<ApiClient["api"]["people"][":slackUserId"]["$get"]>["person"];
export type RiskItem = Risk["items"][number];
export type SignoffBody = InferResponseType<
  ApiClient["api"]["cycles"][":month"]["steps"][":step"]["signoffs"]["$post"],
  201
>;

export type OverrideResult = InferResponseType<ApiClient["api"]["overrides"]["$post"], 201>;
export type ConsensusPage = Ok<ApiClient["api"]["consensus"]["$get"]>;
export type ScenarioComparison = Ok<ApiClient["api"]["scenarios"]["$post"]>["comparison"];
export type SavedScenario = InferResponseType<ApiClient["api"]["scenarios"]["$post"], 201>["scenario"];
export type FvaReport = Ok<ApiClient["api"]["kpi"]["fva"]["$get"]>;

/** Freshness facts every KPI answer carries. */
export interface DataMeta {
  /** P, `YYYY-MM`: the latest month of sales history. */
  lastPeriod: string | null;
  /** When data was last imported, ISO 8601. */
  lastImportedAt: string | null;
}

/**
 * A refusal or failure from the API, or the API not answering at all (`status` 0). `code` and
 * `message` are the API's own (`{"error": {"code", "message", "details"}}`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface AnyResponse {
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}

/**
 * The body of a 2xx answer; any other answer becomes an ApiError carrying the API's code and
 * message (or a generic one when the body is not the API's error format).
 */
export async function data<R extends AnyResponse>(
  call: Promise<R> | R,
): Promise<Awaited<ReturnType<Extract<R, { status: 200 | 201 }>["json"]>>> {
  let res: R;
  try {
    res = await call;
  } catch (error) {
    throw new ApiError(0, "unreachable", `the API did not answer: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (res.ok) return body as Awaited<ReturnType<Extract<R, { status: 200 | 201 }>["json"]>>;
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  throw new ApiError(
    res.status,
    typeof error?.code === "string" ? error.code : `http_${res.status}`,
    typeof error?.message === "string" ? error.message : `the API answered ${res.status}`,
    error?.details,
  );
}

/** The status of a 2xx answer along with its body (the sign-off: 201 recorded, 200 replayed). */
export async function dataWithStatus<R extends AnyResponse>(
  call: Promise<R> | R,
): Promise<{ status: number; body: Awaited<ReturnType<Extract<R, { status: 200 | 201 }>["json"]>> }> {
  let status = 0;
  const body = await data(
    Promise.resolve(call).then((r) => {
      status = r.status;
      return r;
    }),
  );
  return { status, body };
}
