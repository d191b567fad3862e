import { createRoute, z } from "@hono/zod-openapi";
import { listOutbox, listRuns, type OutboxRow, outboxCounts } from "../../db/repositories/jobs.js";
import { type AppDeps, router } from "../context.js";
import { ErrorBody, NotFoundError, UnavailableError } from "../errors.js";
import type { JobsControl } from "../services/jobs-control.js";

const STATUSES = ["pending", "sending", "sent", "failed", "skipped"] as const;

const RunSchema = z
  .object({
    period: z.string(),
    target: z.string(),
    status: z.enum(["running", "done", "failed", "skipped"]),
    trigger: z.string(),
    scheduledFor: z.string(),
    finishedAt: z.string().nullable(),
    attempts: z.number().int(),
    error: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi("JobRun");

const JobSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    schedule: z.string().openapi({ description: "cron, in the company's time zone" }),
    when: z.string(),
    timezone: z.string(),
    channel: z.string().nullable(),
    lastRun: RunSchema.nullable(),
    nextRun: z.string().nullable(),
  })
  .openapi("Job");

const OutboxMessage = z
  .object({
    id: z.number().int(),
    job: z.string(),
    period: z.string(),
    target: z.string(),
    kind: z.enum(["message", "dm", "file"]),
    channel: z.string(),
    status: z.enum(STATUSES),
    summary: z.string(),
    text: z.string().nullable().openapi({ description: "the message's fallback text" }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    slackTs: z.string().nullable(),
  })
  .openapi("OutboxMessage");

const ComposedSchema = z.object({
  kind: z.enum(["message", "dm", "file"]),
  channel: z.string(),
  summary: z.string(),
  text: z.string(),
  readable: z.string().openapi({ description: "the message as plain text" }),
  blocks: z.array(z.unknown()),
  files: z.array(z.object({ filename: z.string(), title: z.string(), bytes: z.number().int() })),
});

const OutcomeSchema = z
  .object({
    job: z.string(),
    status: z.enum(["done", "already", "nothing", "failed", "dry-run"]),
    at: z.string(),
    period: z.string().nullable(),
    target: z.string().nullable(),
    reason: z.string().nullable(),
    messages: z.array(ComposedSchema),
    outbox: z
      .object({
        sent: z.number().int(),
        pending: z.number().int(),
        failed: z.number().int(),
        skipped: z.number().int(),
      })
      .nullable(),
  })
  .openapi("JobRunOutcome");

const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(description, ErrorBody);

const listRoute = createRoute({
  method: "get",
  path: "/jobs",
  tags: ["jobs"],
  summary: "The cadence jobs: schedule, last and next run",
  responses: {
    200: json("jobs", z.object({ jobs: z.array(JobSchema) })),
    503: error("no scheduler is wired into this process"),
  },
});

const outboxRoute = createRoute({
  method: "get",
  path: "/jobs/outbox",
  tags: ["jobs"],
  summary: "Messages the jobs composed, newest first, with their sending status",
  request: {
    query: z.object({
      status: z.enum(STATUSES).optional(),
      job: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: {
    200: json(
      "the outbox",
      z.object({
        counts: z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int()])) as never),
        messages: z.array(OutboxMessage),
      }),
    ),
  },
});

const runsRoute = createRoute({
  method: "get",
  path: "/jobs/runs",
  tags: ["jobs"],
  summary: "The run ledger, newest first",
  request: {
    query: z.object({
      job: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: { 200: json("runs", z.object({ runs: z.array(RunSchema.extend({ job: z.string() })) })) },
});

const runRoute = createRoute({
  method: "post",
  path: "/jobs/{name}/run",
  tags: ["jobs"],
  summary: "Run a job now (or as at a time); a dry run composes without recording or sending",
  description:
    "Runs the job's occurrence at `at` (default now): the run key (job + period + target) is claimed once, so a second run of the same period answers `already` and posts nothing.",
  request: {
    params: z.object({ name: z.string().min(1).max(64) }),
    body: {
      content: {
        "application/json": {
          schema: z
            .object({
              at: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601 instant" }),
              dryRun: z.boolean().default(false),
            })
            .strict(),
        },
      },
      required: false,
    },
  },
  responses: {
    200: json("what the run did", OutcomeSchema),
    400: error("bad body"),
    404: error("no such job"),
    503: error("no scheduler is wired into this process"),
  },
});

function control(deps: AppDeps): JobsControl {
  const jobs = deps.jobs?.();
  if (!jobs) {
    throw new UnavailableError(
      "the cadence jobs are not running in this process: start `sop serve` (with SOP_JOBS on), or use `sop jobs run NAME`",
    );
  }
  return jobs;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function outboxJson(r: OutboxRow) {
  const text = typeof r.payload.text === "string" ? r.payload.text : null;
  return {
    id: r.id,
    job: r.job,
    period: r.period,
    target: r.target,
    kind: r.kind,
    channel: r.channel,
    status: r.status,
    summary: r.summary,
    text:
      text ?? (typeof r.payload.initialComment === "string" ? (r.payload.initialComment as string) : null),
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    sentAt: iso(r.sentAt),
    expiresAt: iso(r.expiresAt),
    slackTs: r.slackTs,
  };
}

export function jobRoutes(deps: AppDeps) {
  return router()
    .openapi(listRoute, async (c) => c.json({ jobs: await control(deps).list() }, 200))
    .openapi(outboxRoute, async (c) => {
      const q = c.req.valid("query");
      const [counts, rows] = await Promise.all([
        outboxCounts(deps.sql),
        listOutbox(deps.sql, { status: q.status, job: q.job, limit: q.limit }),
      ]);
      return c.json({ counts, messages: rows.map(outboxJson) }, 200);
    })
    .openapi(runsRoute, async (c) => {
      const q = c.req.valid("query");
      const runs = await listRuns(deps.sql, { job: q.job, limit: q.limit });
      return c.json(
        {
          runs: runs.map((r) => ({
            job: r.job,
            period: r.period,
            target: r.target,
            status: r.status,
            trigger: r.trigger,
            scheduledFor: r.scheduledFor.toISOString(),
            finishedAt: iso(r.finishedAt),
            attempts: r.attempts,
            error: r.error,
            details: r.details,
          })),
        },
        200,
      );
    })
    .openapi(runRoute, async (c) => {
      const { name } = c.req.valid("param");
      const body = c.req.valid("json") ?? { dryRun: false };
      const jobs = control(deps);
      if (!jobs.names().includes(name)) {
        throw new NotFoundError(`there is no job ${name}: the jobs are ${jobs.names().join(", ")}`);
      }
      const outcome = await jobs.run(name, {
        ...(body.at ? { at: new Date(body.at) } : {}),
        dryRun: body.dryRun,
        trigger: "api",
      });
      return c.json(outcome, 200);
    });
}
