/**
 * Reading answers of the typed API client in the jobs: the 200 body, or an error that says
 * which call failed and what the API answered.
 */

/** The API answered something other than 200 to a call a job needs. */
export class ApiCallError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${what}: the API answered ${status}${code ? ` ${code}` : ""}: ${detail}`);
    this.name = "ApiCallError";
  }
}

interface TypedResponse {
  status: number;
  json(): Promise<unknown>;
}

async function failure(res: TypedResponse, what: string): Promise<ApiCallError> {
  let code: string | undefined;
  let detail = "";
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code;
    detail = body.error?.message ?? JSON.stringify(body).slice(0, 300);
  } catch {
    detail = "(no JSON body)";
  }
  return new ApiCallError(what, res.status, code, detail);
}

/** The body of a 200 answer; throws ApiCallError naming `what` otherwise. */
export async function expectOk<R extends TypedResponse>(
  res: R,
  what: string,
): Promise<Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>> {
  if (res.status !== 200) throw await failure(res, what);
  return (await res.json()) as Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>>;
}

/** The body of a 200 answer, or null for one of the `absent` statuses (e.g. 404: no cycle). */
export async function okOrNull<R extends TypedResponse>(
  res: R,
  what: string,
  absent: number[] = [404],
): Promise<Awaited<ReturnType<Extract<R, { status: 200 }>["json"]>> | null> {
  if (absent.includes(res.status)) return null;
  return expectOk(res, what);
}
