import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { listAudit } from "../../db/repositories/audit.js";
import { type AppDeps, router } from "../context.js";
import { BadRequestError, ErrorBody } from "../errors.js";
import type { Origin } from "../services/settings.js";

/** Where a change came from, as the audit trail records it. */
export const SOURCES = ["api", "slack", "console", "dashboard", "demo", "cli", "jobs"] as const;

export const Actor = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .openapi({ description: "who does it (a Slack user id, or a name); else the X-Sop-Actor header" });

export const Source = z
  .enum(SOURCES)
  .openapi({ description: "where it comes from; else the X-Sop-Source header, else 'api'" });

/** Who does it and from where: the body's `actor`/`source`, else the X-Sop-Actor/X-Sop-Source headers. */
export function originOf(
  c: Context,
  deps: AppDeps,
  body: { actor?: string | undefined; source?: string | undefined },
): Origin {
  const header = (name: string) => c.req.header(name)?.trim() || undefined;
  const actor = body.actor ?? header("x-sop-actor") ?? null;
  if (actor !== null && actor.length > 200) {
    throw new BadRequestError("X-Sop-Actor: at most 200 characters", {
      problems: [{ parameter: "X-Sop-Actor", message: "at most 200 characters" }],
    });
  }
  const source = body.source ?? header("x-sop-source") ?? "api";
  if (!(SOURCES as readonly string[]).includes(source)) {
    throw new BadRequestError(`X-Sop-Source: must be one of ${SOURCES.join(", ")}`, {
      problems: [{ parameter: "X-Sop-Source", message: `must be one of ${SOURCES.join(", ")}` }],
    });
  }
  return { actor, source, at: deps.now() };
}

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().nullable(),
    action: z.string().openapi({ description: "e.g. signoff.approve, plan.locked, settings.updated" }),
    entity: z.string().openapi({ description: "cycle, person or settings" }),
    entityId: z
      .string()
      .nullable()
      .openapi({ description: "the cycle's month, the person's Slack user id…" }),
    source: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi("AuditEntry");

const listRoute = createRoute({
  method: "get",
  path: "/audit",
  tags: ["audit"],
  summary: "The audit trail, newest first",
  request: {
    query: z.object({
      entity: z.string().min(1).max(64).optional(),
      entityId: z.string().min(1).max(200).optional(),
      actor: z.string().min(1).max(200).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      before: z
        .string()
        .refine(
          (s) => /^\d{1,15}$/.test(s) || !Number.isNaN(Date.parse(s)),
          "an entry id or an ISO date-time",
        )
        .optional()
        .openapi({ description: "entries older than this: an entry id (to page) or an ISO date-time" }),
    }),
  },
  responses: {
    200: {
      description: "entries",
      content: { "application/json": { schema: z.object({ entries: z.array(AuditEntrySchema) }) } },
    },
    400: { description: "bad parameter", content: { "application/json": { schema: ErrorBody } } },
  },
});

export function auditRoutes(deps: AppDeps) {
  return router().openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const before =
      q.before === undefined
        ? undefined
        : /^\d+$/.test(q.before)
          ? { id: Number(q.before) }
          : { at: new Date(q.before) };
    const entries = await listAudit(deps.sql, {
      entity: q.entity,
      entityId: q.entityId,
      actor: q.actor,
      before,
      limit: q.limit,
    });
    return c.json({ entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) }, 200);
  });
}
