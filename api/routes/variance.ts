import { createRoute, z } from "@hono/zod-openapi";
import { getCompany } from "../../db/repositories/settings.js";
import { type AppDeps, router } from "../context.js";
import { localDate } from "../domain/calendar.js";
import { DEFAULT_VARIANCE_THRESHOLD } from "../domain/variance.js";
import { BadRequestError, ErrorBody } from "../errors.js";
import { checkScope, kpiContext } from "../services/kpi-context.js";
import { varianceReport } from "../services/variance.js";
import { Meta } from "./kpi.js";

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");

const VarianceFigures = {
  actualUnits: z.number().openapi({ description: "units sold on SKU-locations with a plan" }),
  planUnits: z.number().openapi({ description: "the plan for the whole month, units" }),
  planToDate: z.number().openapi({ description: "planUnits × elapsed, units" }),
  deviation: z
    .number()
    .nullable()
    .openapi({ description: "actualUnits / planToDate − 1 (a fraction; positive = sold more than planned)" }),
  flagged: z.boolean().openapi({ description: "|deviation| > threshold, or sales against a plan of 0" }),
};

const VarianceSchema = z
  .object({
    ...Meta,
    period,
    closed: z.boolean().openapi({ description: "the month has ended in the company's time zone" }),
    elapsed: z.number().openapi({ description: "fraction of the month gone by (1 when closed)" }),
    threshold: z.number(),
    hasActuals: z.boolean().openapi({ description: "any sales are recorded for the month" }),
    total: z.object({ ...VarianceFigures, unplannedUnits: z.number() }),
    families: z.array(
      z.object({
        family: z.string(),
        ...VarianceFigures,
        unplannedUnits: z.number().openapi({ description: "units sold on SKU-locations without a plan" }),
        flaggedItems: z.number().int().openapi({ description: "A-items of the family beyond the threshold" }),
      }),
    ),
    items: z.array(
      z.object({ sku: z.string(), name: z.string(), family: z.string(), ...VarianceFigures }).openapi({
        description: "A-items beyond the threshold",
      }),
    ),
  })
  .openapi("Variance");

const route = createRoute({
  method: "get",
  path: "/kpi/variance",
  tags: ["kpi"],
  summary: "Sales against plan for a month: total, by family, and the A-items off plan",
  description:
    "The plan is the consensus forecast from the latest cycle before the month (else the statistical one). A month in progress is compared with the plan pro-rated to the days gone by in the company's time zone.",
  request: {
    query: z.object({
      period: period.optional().openapi({ description: "default P" }),
      threshold: z.coerce
        .number()
        .gt(0, "must be above 0")
        .max(10, "must be a fraction, at most 10 (1000%)")
        .default(DEFAULT_VARIANCE_THRESHOLD)
        .openapi({ description: "a fraction: 0.2 flags deviations beyond ±20%" }),
      family: z.string().min(1).max(64).optional(),
    }),
  },
  responses: {
    200: { description: "sales against plan", content: { "application/json": { schema: VarianceSchema } } },
    400: { description: "bad parameter", content: { "application/json": { schema: ErrorBody } } },
    404: { description: "unknown family", content: { "application/json": { schema: ErrorBody } } },
  },
});

export function varianceRoutes(deps: AppDeps) {
  return router().openapi(route, async (c) => {
    const q = c.req.valid("query");
    const [ctx, company] = await Promise.all([
      kpiContext(deps.sql),
      getCompany(deps.sql),
      checkScope(deps.sql, { family: q.family }),
    ]);
    const p = q.period ?? ctx.lastPeriod;
    if (!p) throw new BadRequestError("there is no sales history yet: import sales.csv first");
    const report = await varianceReport(deps.sql, {
      period: p,
      threshold: q.threshold,
      today: localDate(deps.now(), company.timezone),
      family: q.family,
    });
    return c.json({ ...ctx.meta, ...report }, 200);
  });
}
