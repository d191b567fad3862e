import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createRoute, z } from "@hono/zod-openapi";
import { ImportAbortedError, importCsv } from "../../db/import/import.js";
import { IMPORT_KINDS } from "../../db/import/kinds.js";
import { getImportRun, listImportRuns } from "../../db/repositories/imports.js";
import { type AppDeps, router } from "../context.js";
import { AppError, ConflictError, ErrorBody, NotFoundError, UnprocessableError } from "../errors.js";
import { ensurePlan } from "../services/plan-refresh.js";

const Kind = z.enum(IMPORT_KINDS).openapi({ description: "what the file holds" });

const RowErrorSchema = z
  .object({
    line: z.number().int().openapi({ description: "1-based line in the file; 1 is the header" }),
    column: z.string().nullable(),
    value: z.string().nullable(),
    reason: z.string(),
  })
  .openapi("RowError");

const ImportSummary = z
  .object({
    runId: z.number().int(),
    kind: Kind,
    status: z.enum(["succeeded", "failed"]),
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    deleted: z.number().int(),
    seconds: z.number(),
  })
  .openapi("ImportSummary");

const ImportRunSchema = z
  .object({
    id: z.number().int(),
    kind: Kind,
    fileName: z.string().nullable(),
    source: z.string(),
    status: z.enum(["running", "succeeded", "failed", "interrupted"]),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    deleted: z.number().int(),
    errorCount: z.number().int(),
    errors: z.array(RowErrorSchema),
    message: z.string().nullable(),
  })
  .openapi("ImportRun");

const postRoute = createRoute({
  method: "post",
  path: "/imports/{kind}",
  tags: ["imports"],
  summary: "Import a CSV file (all-or-nothing)",
  description:
    "The body is the CSV file (text/csv). A file with any bad row writes nothing and is answered with 422 and every bad row (line, column, value, reason; the first 100, then the count).",
  request: {
    params: z.object({ kind: Kind }),
    query: z.object({ fileName: z.string().max(255).optional() }),
    body: { content: { "text/csv": { schema: z.string() } }, required: true },
  },
  responses: {
    200: {
      description: "imported",
      content: { "application/json": { schema: z.object({ import: ImportSummary }) } },
    },
    409: {
      description: "the consensus plan is locked",
      content: { "application/json": { schema: ErrorBody } },
    },
    422: {
      description: "bad rows; nothing was written",
      content: { "application/json": { schema: ErrorBody } },
    },
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/imports",
  tags: ["imports"],
  summary: "Import history, newest first",
  request: {
    query: z.object({
      kind: Kind.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "import runs",
      content: { "application/json": { schema: z.object({ runs: z.array(ImportRunSchema) }) } },
    },
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/imports/{id}",
  tags: ["imports"],
  summary: "One import run with its errors",
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: {
    200: {
      description: "the run",
      content: { "application/json": { schema: z.object({ run: ImportRunSchema }) } },
    },
    404: { description: "no such run", content: { "application/json": { schema: ErrorBody } } },
  },
});

type RunRow = Awaited<ReturnType<typeof getImportRun>> & {};
const serialiseRun = (r: RunRow) => ({
  ...r,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

export function importRoutes(deps: AppDeps) {
  return router()
    .openapi(postRoute, async (c) => {
      const { kind } = c.req.valid("param");
      const { fileName } = c.req.valid("query");
      const body = c.req.raw.body;
      if (!body) throw new UnprocessableError("the request has no body: send the CSV file as text/csv");
      const signals = [c.req.raw.signal, deps.shutdownSignal].filter(
        (s): s is AbortSignal => s !== undefined,
      );
      let result: Awaited<ReturnType<typeof importCsv>>;
      try {
        result = await importCsv(deps.sql, kind, Readable.fromWeb(body as NodeReadableStream), {
          fileName: fileName ?? null,
          source: "api",
          copy: deps.database.kind === "server",
          signal: AbortSignal.any(signals),
          logger: c.get("log"),
        });
      } catch (error) {
        if (error instanceof ImportAbortedError) throw new AppError(503, "interrupted", error.message);
        throw error;
      }
      if (result.conflict) throw new ConflictError(result.conflict, { runId: result.runId });
      if (result.status === "failed") {
        throw new UnprocessableError(
          `${kind}.csv has ${result.errorCount} bad row${result.errorCount === 1 ? "" : "s"}; nothing was written`,
          { runId: result.runId, errorCount: result.errorCount, errors: result.errors },
        );
      }
      if (result.inserted + result.updated + result.deleted > 0 && !deps.shutdownSignal?.aborted) {
        // The plan and the KPI cells are recomputed now, in the background, rather than by the
        // first KPI request after the import (seconds at 10,000 SKUs); a KPI request meanwhile
        // waits for this refresh instead of starting its own.
        const log = c.get("log");
        ensurePlan(deps.sql).then(
          (plan) =>
            log.info({ seconds: plan.seconds, refreshed: plan.refreshed }, "plan refreshed after the import"),
          (err) =>
            log.warn({ err }, "the plan could not be refreshed after the import; the next KPI request will"),
        );
      }
      const { errors: _e, errorCount: _c, conflict: _x, ...summary } = result;
      return c.json({ import: { ...summary, status: "succeeded" as const } }, 200);
    })
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      const runs = await listImportRuns(deps.sql, { kind: q.kind, limit: q.limit, offset: q.offset });
      return c.json({ runs: runs.map(serialiseRun) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid("param");
      const run = await getImportRun(deps.sql, id);
      if (!run) throw new NotFoundError(`there is no import run ${id}`);
      return c.json({ run: serialiseRun(run) }, 200);
    });
}
