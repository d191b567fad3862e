import { createRoute, z } from "@hono/zod-openapi";
import { type AppDeps, router } from "../context.js";
import { ErrorBody } from "../errors.js";
import { closeCycle, currentCycle, listCycles, loadCycle, openCycle } from "../services/cycles.js";
import { SLACK_USER_ID } from "../services/people.js";
import { decide } from "../services/signoffs.js";
import { Actor, originOf, Source } from "./audit.js";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const Month = z.string().regex(MONTH, "must be a month, YYYY-MM");

const PersonRef = z.object({ slackUserId: z.string(), name: z.string() }).openapi("PersonRef");
const StepStatus = z.enum(["signed", "open", "changes_requested"]);
const Decision = z.enum(["approve", "request_changes"]);

const SignoffSchema = z
  .object({
    id: z.number().int(),
    person: PersonRef,
    roles: z.array(z.string()).openapi({ description: "the step's required roles this decision speaks for" }),
    decision: Decision,
    comment: z.string().nullable(),
    at: z.string(),
    source: z.string(),
  })
  .openapi("Signoff");

const StepSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string(),
    position: z.number().int(),
    dueDate: z.string().openapi({ description: "YYYY-MM-DD, a local date in the cycle's time zone" }),
    roles: z.array(z.string()),
    status: StepStatus,
    signedAt: z.string().nullable(),
    overdue: z.boolean().openapi({ description: "not signed and past its due date (open cycles only)" }),
    daysOverdue: z
      .number()
      .int()
      .openapi({ description: "business days past the due date; 0 unless overdue" }),
    approvals: z.array(z.object({ role: z.string(), person: PersonRef, at: z.string() })),
    missing: z.array(z.object({ role: z.string(), people: z.array(PersonRef) })),
    signoffs: z.array(SignoffSchema),
  })
  .openapi("CycleStep");

const PlanLocked = z
  .object({ at: z.string(), by: z.string(), byName: z.string().nullable() })
  .nullable()
  .openapi({ description: "set by the executive approval: the consensus plan cannot change" });

const Progress = z.object({
  signed: z.number().int(),
  total: z.number().int().openapi({ description: "steps that need a sign-off" }),
  overdue: z.number().int(),
});

const CycleSchema = z
  .object({
    month: z.string(),
    status: z.enum(["open", "closed"]),
    timezone: z.string(),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    planLocked: PlanLocked,
    steps: z.array(StepSchema),
    progress: Progress,
  })
  .openapi("Cycle");

const CycleSummarySchema = z
  .object({
    month: z.string(),
    status: z.enum(["open", "closed"]),
    timezone: z.string(),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    planLocked: PlanLocked,
    progress: Progress,
    nextStep: z
      .object({
        key: z.string(),
        name: z.string(),
        dueDate: z.string(),
        status: StepStatus,
        overdue: z.boolean(),
      })
      .nullable(),
  })
  .openapi("CycleSummary");

const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(description, ErrorBody);
const cycleBody = z.object({ cycle: CycleSchema });

const listRoute = createRoute({
  method: "get",
  path: "/cycles",
  tags: ["cycles"],
  summary: "The cycles, newest first, each with its progress",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(240).default(24) }) },
  responses: { 200: json("cycles", z.object({ cycles: z.array(CycleSummarySchema) })) },
});

const openRoute = createRoute({
  method: "post",
  path: "/cycles",
  tags: ["cycles"],
  summary: "Open the cycle of a month",
  description:
    "One step per step definition, due on its business day of the month in the company's time zone, with the holidays.",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z.object({ month: Month, actor: Actor.optional(), source: Source.optional() }).strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    201: json("opened", cycleBody),
    400: error("bad month"),
    409: error("the cycle exists"),
  },
});

const currentRoute = createRoute({
  method: "get",
  path: "/cycles/current",
  tags: ["cycles"],
  summary: "The current cycle",
  description:
    "The cycle of the current month in the company's time zone, else the latest open cycle of an earlier month.",
  responses: { 200: json("the cycle", cycleBody), 404: error("no cycle is open") },
});

const getRoute = createRoute({
  method: "get",
  path: "/cycles/{month}",
  tags: ["cycles"],
  summary: "One cycle with its steps and sign-offs",
  request: { params: z.object({ month: Month }) },
  responses: { 200: json("the cycle", cycleBody), 400: error("bad month"), 404: error("no such cycle") },
});

const closeRoute = createRoute({
  method: "post",
  path: "/cycles/{month}/close",
  tags: ["cycles"],
  summary: "Close a cycle (an admin or a planner)",
  request: {
    params: z.object({ month: Month }),
    body: {
      content: {
        "application/json": {
          schema: z.object({ actor: Actor.optional(), source: Source.optional() }).strict(),
        },
      },
      required: false,
    },
  },
  responses: {
    200: json("closed", cycleBody),
    400: error("no actor"),
    403: error("the actor is not an admin or a planner"),
    404: error("no such cycle"),
    409: error("already closed"),
  },
});

const SignoffInput = z
  .object({
    person: z.string().regex(SLACK_USER_ID, "must be a Slack user id such as U0123ABCD"),
    decision: Decision,
    comment: z.string().max(3000).nullable().optional(),
    idempotencyKey: z
      .string()
      .min(1)
      .max(255)
      .openapi({ description: "the same key again (a retry, a double click) answers the first record" }),
    source: z.enum(["api", "slack", "console", "dashboard", "demo"]).default("api"),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === "request_changes" && !v.comment?.trim()) {
      ctx.addIssue({
        code: "custom",
        path: ["comment"],
        message: "required when requesting changes: say what should change",
      });
    }
  })
  .openapi("SignoffInput");

const signoffBody = z.object({ signoff: SignoffSchema, step: StepSchema, cycle: CycleSchema });

const signoffRoute = createRoute({
  method: "post",
  path: "/cycles/{month}/steps/{step}/signoffs",
  tags: ["cycles"],
  summary: "Approve a step or request changes",
  description:
    "A decision speaks for every required role of the step the person holds. The step is signed when each required role has an approval after the latest request for changes; a request for changes reopens it. The executive approval locks the consensus plan; an executive's request for changes on that step unlocks it.",
  request: {
    params: z.object({ month: Month, step: z.string().min(1).max(32) }),
    body: { content: { "application/json": { schema: SignoffInput } }, required: true },
  },
  responses: {
    200: json("the same idempotency key again: the first record", signoffBody),
    201: json("recorded", signoffBody),
    400: error("bad input, e.g. request_changes without a comment"),
    403: error("the person holds none of the step's roles (the error names who can sign)"),
    404: error("no such cycle or step"),
    409: error("closed cycle, locked plan, already approved or signed, or an idempotency key reused"),
    422: error("the step needs no sign-off"),
  },
});

export function cyclesRoutes(deps: AppDeps) {
  return router()
    .openapi(listRoute, async (c) => {
      const { limit } = c.req.valid("query");
      return c.json({ cycles: await listCycles(deps.sql, deps.now(), limit) }, 200);
    })
    .openapi(openRoute, async (c) => {
      const body = c.req.valid("json");
      const cycle = await openCycle(deps.sql, body.month, originOf(c, deps, body));
      return c.json({ cycle }, 201);
    })
    .openapi(currentRoute, async (c) => c.json({ cycle: await currentCycle(deps.sql, deps.now()) }, 200))
    .openapi(getRoute, async (c) => {
      const { month } = c.req.valid("param");
      return c.json({ cycle: await loadCycle(deps.sql, month, deps.now()) }, 200);
    })
    .openapi(closeRoute, async (c) => {
      const { month } = c.req.valid("param");
      const body = c.req.valid("json");
      const cycle = await closeCycle(deps.sql, month, originOf(c, deps, body));
      return c.json({ cycle }, 200);
    })
    .openapi(signoffRoute, async (c) => {
      const { month, step } = c.req.valid("param");
      const body = c.req.valid("json");
      const result = await decide(
        deps.sql,
        month,
        step,
        {
          person: body.person,
          decision: body.decision,
          comment: body.comment ?? null,
          idempotencyKey: body.idempotencyKey,
          source: body.source,
        },
        deps.now(),
      );
      const payload = { signoff: result.signoff, step: result.step, cycle: result.cycle };
      return result.status === 201 ? c.json(payload, 201) : c.json(payload, 200);
    });
}
