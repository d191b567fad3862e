import { createRoute, z } from "@hono/zod-openapi";
import { type AppDeps, router } from "../context.js";
import { ScenarioChange, ScenarioChanges } from "../domain/scenario.js";
import { ErrorBody } from "../errors.js";
import {
  attachToStep,
  compareScenario,
  detachFromStep,
  listSavedScenarios,
  removeScenario,
  savedScenario,
  savedWithKey,
  saveScenario,
  stepScenarios,
} from "../services/scenarios.js";
import { Actor, originOf, Source } from "./audit.js";

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM");
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(description, ErrorBody);
const Risk = z.enum(["high", "medium", "low"]);

const ChangeSchema = ScenarioChange;

const CapacityGapSchema = z.object({
  family: z.string(),
  period: z.string(),
  demand: z.number(),
  capacity: z.number(),
  gap: z.number(),
});

const FiguresSchema = z
  .object({
    shortageCount: z.number().int(),
    shortageUnits: z.number(),
    valueAtRisk: z.number().openapi({ description: "money" }),
    risk: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
    capacityGapUnits: z.number(),
    capacityGaps: z.array(CapacityGapSchema),
    inventory: z.array(z.object({ period: z.string(), units: z.number(), value: z.number() })).openapi({
      description: "projected inventory by month: positive balances, units and at unit cost",
    }),
    inventoryEndValue: z.number().openapi({ description: "at the end of the horizon, money" }),
    inventoryAverageValue: z.number().openapi({ description: "mean over the horizon, money" }),
    excessValue: z.number().openapi({ description: "money" }),
  })
  .openapi("ScenarioFigures");

const LineSnapshot = z.object({
  risk: Risk,
  stockoutProbability: z.number(),
  firstStockoutPeriod: z.string().nullable(),
  orderBy: z.string().nullable(),
  shortageUnits: z.number(),
  valueAtRisk: z.number(),
  endBalance: z.number(),
});

const ComparisonSchema = z
  .object({
    lastPeriod: z.string(),
    horizon: z.number().int(),
    dataVersion: z.number().int(),
    changes: z.array(
      z.object({
        change: ChangeSchema,
        description: z.string(),
        effect: z.record(z.string(), z.unknown()).openapi({
          description:
            "what the change touched: SKU-locations and units (demand), supply lines moved (delay), capacity months (capacity)",
        }),
      }),
    ),
    base: FiguresSchema,
    scenario: FiguresSchema,
    delta: z.object({
      shortageCount: z.number().int(),
      shortageUnits: z.number(),
      valueAtRisk: z.number(),
      highRisk: z.number().int(),
      capacityGapUnits: z.number(),
      inventoryEndValue: z.number(),
      inventoryAverageValue: z.number(),
      excessValue: z.number(),
    }),
    lines: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        family: z.string(),
        location: z.string(),
        base: LineSnapshot,
        scenario: LineSnapshot,
      }),
    ),
    linesChanged: z.number().int(),
    capacity: z.array(
      z.object({
        family: z.string(),
        period: z.string(),
        base: z.object({ demand: z.number(), capacity: z.number().nullable(), gap: z.number() }),
        scenario: z.object({ demand: z.number(), capacity: z.number().nullable(), gap: z.number() }),
      }),
    ),
  })
  .openapi("ScenarioComparison");

const SavedSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    changes: z.array(ChangeSchema),
    horizon: z.number().int(),
    createdBy: z.string().nullable(),
    source: z.string(),
    createdAt: z.string(),
    lastPeriod: z.string().nullable(),
    dataVersion: z.number().int(),
    stale: z.boolean().openapi({ description: "the plan has changed since it was computed" }),
    delta: ComparisonSchema.shape.delta,
    attachments: z.array(
      z.object({
        cycle: z.string(),
        step: z.string(),
        attachedBy: z.string().nullable(),
        attachedAt: z.string(),
      }),
    ),
  })
  .openapi("SavedScenario");

const postRoute = createRoute({
  method: "post",
  path: "/scenarios",
  tags: ["scenarios"],
  summary: "What if…? Gaps, risk and inventory value under changes, beside the base plan",
  description:
    "Computed in memory from the plan's inputs with the KPIs' own functions: nothing is written unless `save` is true, and the plan is never changed. Changes apply in order.",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z
            .object({
              changes: ScenarioChanges,
              horizon: z.number().int().min(1).max(12).default(6).openapi({ description: "months (H)" }),
              lines: z.number().int().min(0).max(1000).default(20).openapi({
                description: "SKU-locations to list among those that change",
              }),
              save: z.boolean().default(false),
              name: z.string().trim().min(1).max(200).optional(),
              idempotencyKey: z.string().min(1).max(255).optional().openapi({
                description:
                  "with save: the same key again (a retry, a double click) answers the scenario saved the first time (200)",
              }),
              actor: Actor.optional(),
              source: Source.optional(),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    200: json(
      "the comparison (not saved); or, for an idempotency key already used, the scenario saved then",
      z.object({ comparison: ComparisonSchema, scenario: SavedSchema.optional() }),
    ),
    201: json("saved", z.object({ scenario: SavedSchema, comparison: ComparisonSchema })),
    400: error("bad change"),
    404: error("unknown family or SKU"),
    409: error("an idempotency key already used to save other changes"),
    422: error("a change that changes nothing: an unknown supply reference, a family without capacity"),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/scenarios",
  tags: ["scenarios"],
  summary: "Saved scenarios, newest first",
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: { 200: json("saved scenarios", z.object({ scenarios: z.array(SavedSchema) })) },
});

const Id = z.object({ id: z.coerce.number().int().min(1) });

const getRoute = createRoute({
  method: "get",
  path: "/scenarios/{id}",
  tags: ["scenarios"],
  summary: "A saved scenario with its comparison",
  request: {
    params: Id,
    query: z.object({
      fresh: z
        .enum(["true", "false"])
        .default("false")
        .openapi({ description: "compute again on the current plan instead of the saved figures" }),
    }),
  },
  responses: {
    200: json("the scenario", z.object({ scenario: SavedSchema, comparison: ComparisonSchema })),
    404: error("no such scenario"),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/scenarios/{id}",
  tags: ["scenarios"],
  summary: "Delete a saved scenario",
  request: { params: Id },
  responses: {
    200: json("deleted", z.object({ deleted: z.number().int() })),
    404: error("no such scenario"),
    409: error("attached to a cycle step: detach it first"),
  },
});

const StepParams = z.object({ month: Month, step: z.string().min(1).max(32) });

const attachRoute = createRoute({
  method: "put",
  path: "/cycles/{month}/steps/{step}/scenarios/{id}",
  tags: ["scenarios"],
  summary: "Attach a saved scenario to a cycle step (e.g. the pre-S&OP approval)",
  request: {
    params: StepParams.extend({ id: z.coerce.number().int().min(1) }),
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
    200: json("already attached", z.object({ scenarios: z.array(SavedSchema) })),
    201: json("attached", z.object({ scenarios: z.array(SavedSchema) })),
    404: error("no such cycle, step or scenario"),
  },
});

const detachRoute = createRoute({
  method: "delete",
  path: "/cycles/{month}/steps/{step}/scenarios/{id}",
  tags: ["scenarios"],
  summary: "Detach a scenario from a cycle step",
  request: { params: StepParams.extend({ id: z.coerce.number().int().min(1) }) },
  responses: {
    200: json("detached", z.object({ scenarios: z.array(SavedSchema) })),
    404: error("not attached, or no such cycle or step"),
  },
});

const stepListRoute = createRoute({
  method: "get",
  path: "/cycles/{month}/steps/{step}/scenarios",
  tags: ["scenarios"],
  summary: "The saved scenarios attached to a cycle step",
  request: { params: StepParams },
  responses: {
    200: json("attached scenarios", z.object({ scenarios: z.array(SavedSchema) })),
    404: error("no such cycle or step"),
  },
});

export function scenarioRoutes(deps: AppDeps) {
  const { sql } = deps;
  return router()
    .openapi(postRoute, async (c) => {
      const b = c.req.valid("json");
      if (b.save && b.idempotencyKey) {
        const earlier = await savedWithKey(sql, b.idempotencyKey, b);
        if (earlier) return c.json(earlier, 200);
      }
      const comparison = await compareScenario(sql, b.changes, b.horizon, { lineLimit: b.lines });
      if (!b.save) return c.json({ comparison }, 200);
      const origin = originOf(c, deps, b);
      const saved = await saveScenario(sql, comparison, {
        name: b.name,
        createdBy: origin.actor,
        source: origin.source,
        at: origin.at,
        idempotencyKey: b.idempotencyKey,
      });
      const body = { scenario: saved.scenario, comparison: saved.comparison };
      return saved.created ? c.json(body, 201) : c.json(body, 200);
    })
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      return c.json({ scenarios: await listSavedScenarios(sql, q) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { fresh } = c.req.valid("query");
      return c.json(await savedScenario(sql, id, fresh === "true"), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid("param");
      await removeScenario(sql, id);
      return c.json({ deleted: id }, 200);
    })
    .openapi(attachRoute, async (c) => {
      const { month, step, id } = c.req.valid("param");
      const b = (c.req.valid("json") as { actor?: string; source?: string } | undefined) ?? {};
      const origin = originOf(c, deps, b);
      const added = await attachToStep(sql, {
        cycle: month,
        step,
        scenarioId: id,
        by: origin.actor,
        at: origin.at,
      });
      const scenarios = await stepScenarios(sql, month, step);
      return added ? c.json({ scenarios }, 201) : c.json({ scenarios }, 200);
    })
    .openapi(detachRoute, async (c) => {
      const { month, step, id } = c.req.valid("param");
      await detachFromStep(sql, { cycle: month, step, scenarioId: id });
      return c.json({ scenarios: await stepScenarios(sql, month, step) }, 200);
    })
    .openapi(stepListRoute, async (c) => {
      const { month, step } = c.req.valid("param");
      return c.json({ scenarios: await stepScenarios(sql, month, step) }, 200);
    });
}
