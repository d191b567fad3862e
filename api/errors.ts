/**
 * Errors the API answers with: `{ "error": { "code", "message", "details"? } }`. PostgreSQL
 * errors are translated; anything else is a 500 that never shows a stack trace.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { z } from "zod";

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, "bad_request", message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "a valid API token is required: send Authorization: Bearer <SOP_API_TOKEN>") {
    super(401, "unauthorized", message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown) {
    super(403, "forbidden", message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string, details?: unknown) {
    super(404, "not_found", message, details);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, "conflict", message, details);
  }
}
export class UnprocessableError extends AppError {
  constructor(message: string, details?: unknown) {
    super(422, "unprocessable", message, details);
  }
}
export class UnavailableError extends AppError {
  constructor(message: string, details?: unknown) {
    super(503, "unavailable", message, details);
  }
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** PostgreSQL errors that are the caller's fault, as AppErrors; undefined for the rest. */
export function translateDatabaseError(error: unknown): AppError | undefined {
  const e = error as { code?: string; detail?: string; constraint_name?: string; message?: string };
  if (typeof e?.code !== "string" || e.code.length !== 5) return undefined;
  switch (e.code) {
    case "23505":
      return new ConflictError("that already exists", { constraint: e.constraint_name, detail: e.detail });
    case "23503":
      return new UnprocessableError("it refers to something that does not exist", {
        constraint: e.constraint_name,
        detail: e.detail,
      });
    case "23514":
    case "23502":
    case "22P02":
    case "22007":
    case "22008":
      return new UnprocessableError("a value is not allowed", {
        constraint: e.constraint_name,
        detail: e.message,
      });
    case "40001":
    case "40P01":
      return new AppError(503, "retry", "the database was busy; try again");
    default:
      return undefined;
  }
}

export function errorResponse(c: Context, error: AppError) {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  return c.json(body, error.status);
}

/** Hono's onError: known errors as they are, database errors translated, the rest a 500. */
export function handleError(logger: Logger) {
  return (error: Error, c: Context) => {
    const known = error instanceof AppError ? error : translateDatabaseError(error);
    if (known) return errorResponse(c, known);
    const status = (error as { status?: number }).status;
    if (status === 413)
      return errorResponse(c, new AppError(413, "too_large", "the request body is too large"));
    // Hono's own HTTPExceptions (a body that is not valid JSON, a wrong media type) are the
    // caller's fault: answer with their status, in our error format.
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 415 ? "unsupported_media_type" : "bad_request";
      return errorResponse(c, new AppError(error.status, code, error.message || "the request is not valid"));
    }
    logger.error({ err: error, path: c.req.path, requestId: c.get("requestId" as never) }, "request failed");
    return errorResponse(
      c,
      new AppError(500, "internal", "something went wrong on our side; it has been logged"),
    );
  };
}
