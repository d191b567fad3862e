import { createRoute, z } from "@hono/zod-openapi";
import { type AppDeps, router } from "../context.js";
import { firstDayOfPeriod } from "../domain/periods.js";
import { ErrorBody } from "../errors.js";
import {
  consensusPage,
  consensusSummary,
  listOverridesJson,
  overrideDetail,
  planningCycle,
  provenance,
  submitOverride,
  withdrawOverride,
} from "../services/consensus.js";
import { checkScope } from "../services/kpi-context.js";
import { SLACK_USER_ID } from "../services/people.js";
import { Source } from "./audit.js";

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM");
const Code = z.string().trim().min(1).max(64);
const Person = z.string().regex(SLACK_USER_ID, "must be a Slack user id such as U0123ABCD");
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(description, ErrorBody);

const OverrideSchema = z
  .object({
    id: z.number().int(),
    cycle: z.string().openapi({ description: "YYYY-MM" }),
    period: z.string().openapi({ description: "YYYY-MM" }),
    lag: z.number().int(),
    scope: z.enum(["sku", "family"]),
    sku: z.string().nullable(),
    location: z.string().nullable(),
    family: z.string().nullable(),
    units: z
      .number()
      .openapi({ description: "the SKU's (or SKU-location's) or the family's units for the month" }),
    reason: z.string(),
    person: z.object({ slackUserId: z.string(), name: z.string() }),
    role: z.enum(["sales", "marketing"]),
    status: z.enum(["accepted", "withdrawn"]),
    source: z.string(),
    createdAt: z.string(),
    withdrawn: z
      .object({ at: z.string(), by: z.string().nullable(), reason: z.string().nullable() })
      .nullable(),
  })
  .openapi("Override");

const Basis = z
  .enum(["statistical", "actuals", "even", "single"])
  .openapi({ description: "what the cell's share was taken from" });

const CellChangeSchema = z
  .object({
    sku: z.string(),
    location: z.string(),
    before: z.number().nullable().openapi({ description: "consensus units before" }),
    after: z.number().nullable().openapi({ description: "consensus units after" }),
    units: z.number().openapi({ description: "the override's units for this cell" }),
    share: z.number().openapi({ description: "the cell's share of the override (a fraction)" }),
    basis: Basis,
  })
  .openapi("OverrideCellChange");

const Counts = z.object({ inserted: z.number().int(), updated: z.number().int(), deleted: z.number().int() });
const resultBody = z.object({
  override: OverrideSchema,
  cells: z.array(CellChangeSchema),
  consensus: Counts,
});

const OverrideInput = z
  .object({
    cycle: Month.optional().openapi({
      description:
        "the cycle whose plan changes; default: the current cycle (as GET /api/cycles/current), else this month",
    }),
    period: Month.openapi({ description: "the month whose units change (from the cycle month on)" }),
    family: Code.optional(),
    sku: Code.optional(),
    target: Code.optional().openapi({
      description: "a family code or a SKU (a family first), e.g. from a Slack command",
    }),
    location: Code.optional().openapi({
      description: "one location of the SKU; default: spread over its locations",
    }),
    units: z.number().min(0).max(1e12),
    reason: z.string().trim().min(1, "is required: say why the number should change").max(1000),
    person: Person.openapi({ description: "who submits it: a person holding the sales or marketing role" }),
    role: z.enum(["sales", "marketing"]).optional().openapi({ description: "when the person holds both" }),
    source: Source.default("api"),
    idempotencyKey: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .openapi({ description: "the same key again (a retry, a double click) answers the first record" }),
  })
  .strict()
  .refine((v) => [v.family, v.sku, v.target].filter((x) => x !== undefined).length === 1, {
    message: "name exactly one of family, sku or target",
    path: ["target"],
  })
  .openapi("OverrideInput");

const postRoute = createRoute({
  method: "post",
  path: "/overrides",
  tags: ["consensus"],
  summary: "Override the consensus plan of a SKU or a family for a month",
  description:
    "A SKU's units are spread over its locations, a family's over its SKU-locations, in proportion to the cycle's statistical forecast for the month (when that is 0 everywhere: in proportion to the last 12 months' sales; when those are 0 too: evenly), in whole units when the units are whole, so the cells add up exactly. The latest accepted override of a cell decides its consensus. Refused with 409 once the executive sign-off has locked the cycle's plan.",
  request: { body: { content: { "application/json": { schema: OverrideInput } }, required: true } },
  responses: {
    200: json("the same idempotency key again: the first record", resultBody),
    201: json("accepted: the consensus changed", resultBody),
    400: error("bad input, e.g. no reason or a month outside the cycle's plan"),
    403: error("the person holds neither the sales nor the marketing role"),
    404: error("unknown SKU, family or location"),
    409: error("the plan is locked or the cycle closed or past, or an idempotency key reused"),
    422: error("a family with nothing to spread over, or a code that is both a SKU and a family"),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/overrides",
  tags: ["consensus"],
  summary: "Overrides, newest first",
  request: {
    query: z.object({
      cycle: Month.optional(),
      sku: Code.optional().openapi({ description: "overrides of the SKU or of its family" }),
      family: Code.optional().openapi({ description: "overrides of the family or of its SKUs" }),
      person: Person.optional(),
      status: z.enum(["accepted", "withdrawn"]).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: {
    200: json("overrides", z.object({ overrides: z.array(OverrideSchema) })),
    404: error("unknown SKU or family"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/overrides/{id}",
  tags: ["consensus"],
  summary: "One override and the units it puts in each cell",
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: {
    200: json(
      "the override",
      z.object({
        override: OverrideSchema,
        cells: z.array(
          z.object({
            sku: z.string(),
            location: z.string(),
            units: z.number(),
            share: z.number(),
            basis: Basis,
          }),
        ),
      }),
    ),
    404: error("no such override"),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/overrides/{id}",
  tags: ["consensus"],
  summary: "Withdraw an override",
  description:
    "By its submitter, a planner or an admin. The cells it decided go back to what lies beneath (an earlier override, the imported consensus or the statistical forecast); the record stays, marked withdrawn. 409 once the plan is locked.",
  request: {
    params: z.object({ id: z.coerce.number().int().min(1) }),
    body: {
      content: {
        "application/json": {
          schema: z
            .object({
              person: Person,
              reason: z.string().trim().max(1000).optional(),
              source: Source.default("api"),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    200: json("withdrawn", resultBody),
    403: error("not the submitter, a planner or an admin"),
    404: error("no such override"),
    409: error("already withdrawn, or the plan is locked"),
  },
});

const ConsensusLineSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    family: z.string(),
    location: z.string(),
    method: z.string().nullable().openapi({ description: "the statistical model (or 'ensemble')" }),
    backtestError: z.number().nullable().openapi({ description: "its backtest WAPE, a fraction" }),
    months: z.array(
      z.object({
        period: z.string(),
        statistical: z.number().nullable(),
        consensus: z.number().nullable(),
        basis: z.enum(["statistical", "import", "override"]),
        overrideId: z.number().int().nullable(),
      }),
    ),
  })
  .openapi("ConsensusLine");

const consensusRoute = createRoute({
  method: "get",
  path: "/consensus",
  tags: ["consensus"],
  summary: "A cycle's plan: statistical and consensus side by side per SKU-location and month",
  request: {
    query: z.object({
      cycle: Month.optional().openapi({ description: "default: the current cycle" }),
      sku: Code.optional(),
      family: Code.optional(),
      location: Code.optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: json(
      "SKU-locations by SKU and location",
      z.object({
        cycle: z.string(),
        lines: z.array(ConsensusLineSchema),
        total: z.number().int(),
        limit: z.number().int(),
        offset: z.number().int(),
      }),
    ),
    404: error("unknown SKU, family or location"),
  },
});

const summaryRoute = createRoute({
  method: "get",
  path: "/consensus/summary",
  tags: ["consensus"],
  summary: "A cycle's plan summed per family, SKU or location and month",
  description:
    "The statistical forecast and the consensus summed over the SKU-locations of each group, and how many of those cells an accepted override decides: the plan by family, drilling down to a family's SKUs or a SKU's locations.",
  request: {
    query: z.object({
      cycle: Month.optional().openapi({ description: "default: the current cycle" }),
      by: z.enum(["family", "sku", "location"]).default("family"),
      sku: Code.optional(),
      family: Code.optional(),
      location: Code.optional(),
    }),
  },
  responses: {
    200: json(
      "groups by key, months ascending",
      z.object({
        cycle: z.string(),
        by: z.enum(["family", "sku", "location"]),
        groups: z.array(
          z.object({
            key: z.string(),
            name: z.string().nullable().openapi({ description: "the SKU's name, grouped by SKU" }),
            family: z.string().nullable(),
            months: z.array(
              z.object({
                period: z.string(),
                statistical: z.number().nullable(),
                consensus: z.number().nullable(),
                overridden: z.number().int().openapi({ description: "cells an accepted override decides" }),
              }),
            ),
          }),
        ),
      }),
    ),
    404: error("unknown SKU, family or location"),
  },
});

const ProvenanceSchema = z
  .object({
    cycle: z.string(),
    sku: z.string(),
    location: z.string(),
    period: z.string(),
    consensus: z.number().nullable(),
    decidedBy: z.object({
      kind: z.enum(["override", "import", "statistical", "none"]),
      overrideId: z.number().int().optional(),
      importRunId: z.number().int().nullable().optional(),
      runId: z.number().int().nullable().optional(),
    }),
    statistical: z
      .object({
        units: z.number(),
        method: z.string().nullable(),
        members: z.array(z.string()),
        backtestError: z.number().nullable(),
        run: z
          .object({
            id: z.number().int(),
            finishedAt: z.string().nullable(),
            actor: z.string().nullable(),
            source: z.string(),
          })
          .nullable(),
      })
      .nullable(),
    imported: z
      .object({
        units: z.number(),
        importRunId: z.number().int().nullable(),
        fileName: z.string().nullable(),
        at: z.string().nullable(),
      })
      .nullable(),
    overrides: z.array(
      OverrideSchema.extend({
        cellUnits: z.number().nullable(),
        share: z.number().nullable(),
        basis: z.string().nullable(),
        effective: z.boolean().openapi({ description: "this override decides the number" }),
      }),
    ),
  })
  .openapi("Provenance");

const provenanceRoute = createRoute({
  method: "get",
  path: "/consensus/provenance",
  tags: ["consensus"],
  summary: "Who and why behind one consensus number",
  request: {
    query: z.object({
      cycle: Month.optional().openapi({ description: "default: the current cycle" }),
      sku: Code,
      location: Code.default("MAIN"),
      period: Month,
    }),
  },
  responses: {
    200: json("the number and everything behind it", ProvenanceSchema),
    404: error("unknown SKU"),
  },
});

export function overrideRoutes(deps: AppDeps) {
  const { sql } = deps;
  return router()
    .openapi(postRoute, async (c) => {
      const b = c.req.valid("json");
      const result = await submitOverride(sql, b, deps.now());
      const body = { override: result.override, cells: result.cells, consensus: result.consensus };
      return result.status === 201 ? c.json(body, 201) : c.json(body, 200);
    })
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      await checkScope(sql, { sku: q.sku, family: q.family });
      const overrides = await listOverridesJson(sql, {
        ...q,
        cycle: q.cycle ? firstDayOfPeriod(q.cycle) : undefined,
      });
      return c.json({ overrides }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await overrideDetail(sql, id), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid("param");
      const b = c.req.valid("json");
      const result = await withdrawOverride(
        sql,
        id,
        { person: b.person, reason: b.reason ?? null, source: b.source },
        deps.now(),
      );
      return c.json(result, 200);
    })
    .openapi(consensusRoute, async (c) => {
      const q = c.req.valid("query");
      await checkScope(sql, { sku: q.sku, family: q.family, location: q.location });
      const cycle = q.cycle ?? (await planningCycle(sql, deps.now()));
      const page = await consensusPage(sql, { ...q, cycle });
      return c.json({ cycle, ...page, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(summaryRoute, async (c) => {
      const q = c.req.valid("query");
      await checkScope(sql, { sku: q.sku, family: q.family, location: q.location });
      const cycle = q.cycle ?? (await planningCycle(sql, deps.now()));
      const groups = await consensusSummary(sql, { ...q, cycle });
      return c.json({ cycle, by: q.by, groups }, 200);
    })
    .openapi(provenanceRoute, async (c) => {
      const q = c.req.valid("query");
      const cycle = q.cycle ?? (await planningCycle(sql, deps.now()));
      return c.json(await provenance(sql, { ...q, cycle }), 200);
    });
}
