import { createRoute, z } from "@hono/zod-openapi";
import { FORECAST_SOURCES } from "../../db/import/kinds.js";
import { getItem } from "../../db/repositories/items.js";
import { kpiSnapshot } from "../../db/repositories/kpi.js";
import { segmentsOf } from "../../db/repositories/plan.js";
import { type AppDeps, router } from "../context.js";
import { addMonths, isPeriod, monthsBetween, type Period } from "../domain/periods.js";
import { BadRequestError, ErrorBody, NotFoundError } from "../errors.js";
import { accuracyReport } from "../services/accuracy.js";
import { currentCycle } from "../services/cycles.js";
import { accuracyAt, HEADLINE_KEYS, type Headline, headlineFigures } from "../services/headline.js";
import { computeCapacityGaps, excessPage, riskPage, shortagePage } from "../services/inventory-risk.js";
import type { ItemRisk } from "../services/item-risk.js";
import { checkScope, type KpiContext, kpiContext } from "../services/kpi-context.js";
import { turnsReport } from "../services/turns.js";

// ---------------------------------------------------------------- schemas

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");
const fraction = (description: string) =>
  z
    .number()
    .nullable()
    .openapi({ description: `${description} (a fraction)` });

export const Meta = {
  lastPeriod: period.nullable().openapi({ description: "P: the latest month in the sales history" }),
  lastImportedAt: z.string().nullable().openapi({ description: "when data was last imported (ISO 8601)" }),
  imports: z.record(z.string(), z.string()).openapi({ description: "when each kind was last imported" }),
};

const ScopeQuery = {
  sku: z.string().min(1).max(64).optional(),
  family: z.string().min(1).max(64).optional(),
  location: z.string().min(1).max(64).optional(),
};

const horizon = z.coerce.number().int().min(1).max(12).default(6).openapi({ description: "months (H)" });

const AccuracyFiguresSchema = {
  rows: z.number().int(),
  actualUnits: z.number(),
  forecastUnits: z.number(),
  absError: z.number().openapi({ description: "Σ|F − A|, units" }),
  wape: fraction("Σ|e| / ΣA"),
  accuracy: fraction("max(0, 1 − WAPE)"),
  bias: fraction("Σe / ΣA; positive = over-forecast"),
  mape: fraction("mean |e|/A over rows with A > 0"),
};

const FvaSchema = z
  .object({
    rows: z.number().int(),
    naiveWape: z.number().nullable(),
    statisticalWape: z.number().nullable(),
    consensusWape: z.number().nullable(),
    naiveToStatistical: fraction("WAPE(naive) − WAPE(statistical); positive = the step helped"),
    statisticalToConsensus: fraction("WAPE(statistical) − WAPE(consensus); positive = the step helped"),
  })
  .openapi("Fva");

const AccuracySchema = z
  .object({
    ...Meta,
    from: period,
    to: period,
    lag: z.number().int(),
    source: z.string(),
    ...AccuracyFiguresSchema,
    fva: FvaSchema,
    periods: z.array(z.object({ period, ...AccuracyFiguresSchema })),
    byFamily: z.array(z.object({ family: z.string(), ...AccuracyFiguresSchema, fva: FvaSchema })),
    worst: z.array(
      z.object({
        sku: z.string(),
        location: z.string(),
        family: z.string(),
        wape: z.number().nullable(),
        bias: z.number().nullable(),
        absError: z.number(),
        actualUnits: z.number(),
        forecastUnits: z.number(),
        trackingSignal: z.number().nullable(),
        biased: z.boolean().openapi({ description: "|tracking signal| > 4" }),
      }),
    ),
    previous: z.object({ from: period, to: period, ...AccuracyFiguresSchema }),
  })
  .openapi("Accuracy");

const TurnsFigures = {
  cogs: z.number().openapi({ description: "money" }),
  avgInventoryValue: z.number().nullable().openapi({ description: "money" }),
  turns: z.number().nullable(),
  daysOfInventory: z.number().nullable(),
  months: z.number().int().openapi({ description: "months with a snapshot" }),
  inventoryValue: z
    .number()
    .nullable()
    .openapi({ description: "month-end value of the window's last month, money" }),
};

const TurnsSchema = z
  .object({
    ...Meta,
    from: period,
    to: period,
    ...TurnsFigures,
    byFamily: z.array(z.object({ family: z.string(), ...TurnsFigures })),
    trend: z.array(
      z.object({
        period,
        inventoryValue: z.number().nullable(),
        cogs: z.number(),
        turns: z.number().nullable(),
      }),
    ),
    previous: z.object({ to: period, ...TurnsFigures }),
  })
  .openapi("Turns");

export const ProjectionRowSchema = z.object({
  period,
  demand: z.number(),
  supply: z.number(),
  balance: z.number(),
});

export const RiskItemSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    family: z.string(),
    location: z.string(),
    onHand: z.number(),
    asOf: z.string().nullable(),
    daysOfSupply: z.number().nullable(),
    safetyStock: z.number(),
    stockoutProbability: z.number(),
    risk: z.enum(["high", "medium", "low"]),
    firstStockoutPeriod: period.nullable(),
    orderBy: z.string().nullable(),
    shortageUnits: z.number(),
    valueAtRisk: z.number(),
    trackingSignal: z.number(),
    biased: z.boolean(),
    forwardDemand: z.number(),
    excessUnits: z.number(),
    excessValue: z.number(),
    slowMoving: z.boolean(),
    unitCost: z.number(),
    unitPrice: z.number(),
    leadTimeDays: z.number().int(),
    projection: z.array(ProjectionRowSchema),
  })
  .openapi("RiskItem");

const CapacityGapSchema = z
  .object({ family: z.string(), period, demand: z.number(), capacity: z.number(), gap: z.number() })
  .openapi("CapacityGap");

const RiskSchema = z
  .object({
    ...Meta,
    horizon: z.number().int(),
    total: z.number().int().openapi({ description: "items matching before the limit" }),
    counts: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
    items: z.array(RiskItemSchema),
  })
  .openapi("Risk");

const GapsSchema = z
  .object({
    ...Meta,
    horizon: z.number().int(),
    shortages: z.array(RiskItemSchema),
    shortageCount: z.number().int(),
    capacity: z.array(CapacityGapSchema),
    totals: z.object({ shortageUnits: z.number(), valueAtRisk: z.number(), capacityGapUnits: z.number() }),
  })
  .openapi("Gaps");

const ExcessSchema = z
  .object({
    ...Meta,
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        family: z.string(),
        location: z.string(),
        onHand: z.number(),
        forwardDemand: z.number(),
        daysOfSupply: z
          .number()
          .nullable()
          .openapi({ description: "on hand ÷ daily demand of the next 3 months; null without demand" }),
        excessUnits: z.number(),
        excessValue: z.number(),
        slowMoving: z.boolean(),
        onHandValue: z.number(),
      }),
    ),
    total: z.number().int(),
    totals: z.object({
      excessUnits: z.number(),
      excessValue: z.number(),
      slowMovingCount: z.number().int(),
      slowMovingValue: z.number(),
    }),
  })
  .openapi("Excess");

const SegmentsSchema = z
  .object({
    ...Meta,
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        family: z.string(),
        revenue: z.number(),
        revenueShare: z.number(),
        abc: z.enum(["A", "B", "C"]),
        cv: z.number().nullable(),
        xyz: z.enum(["X", "Y", "Z"]),
      }),
    ),
    matrix: z.record(z.string(), z.number().int()),
  })
  .openapi("Segments");

const Change = z.object({
  value: z.number().nullable(),
  previous: z.number().nullable().openapi({ description: "the same figure a month earlier (P − 1)" }),
  change: z.number().nullable().openapi({ description: "value − previous" }),
});

const SummarySchema = z
  .object({
    ...Meta,
    figures: z.object(
      Object.fromEntries(HEADLINE_KEYS.map((k) => [k, Change])) as Record<
        (typeof HEADLINE_KEYS)[number],
        typeof Change
      >,
    ),
    cycle: z
      .object({
        month: z.string(),
        status: z.enum(["open", "closed"]),
        signed: z.number().int(),
        total: z.number().int(),
        overdue: z.number().int(),
        planLocked: z.boolean(),
        nextStep: z
          .object({ key: z.string(), name: z.string(), dueDate: z.string(), overdue: z.boolean() })
          .nullable(),
      })
      .nullable()
      .openapi({ description: "the current cycle's status; null when no cycle is open" }),
  })
  .openapi("Summary");

// ---------------------------------------------------------------- routes

const ok = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { "application/json": { schema } } },
  400: { description: "bad parameter", content: { "application/json": { schema: ErrorBody } } },
  404: {
    description: "unknown SKU, family or location",
    content: { "application/json": { schema: ErrorBody } },
  },
});

const accuracyRoute = createRoute({
  method: "get",
  path: "/kpi/accuracy",
  tags: ["kpi"],
  summary: "Forecast accuracy, bias, MAPE, FVA, by period and family, worst SKU-locations",
  request: {
    query: z.object({
      ...ScopeQuery,
      from: period
        .optional()
        .openapi({ description: "first target month; default: `months` months ending at `to`" }),
      to: period.optional().openapi({ description: "last target month; default P" }),
      months: z.coerce.number().int().min(1).max(36).default(12),
      lag: z.coerce.number().int().min(0).max(23).default(1),
      source: z.enum(FORECAST_SOURCES).default("consensus"),
      worst: z.coerce.number().int().min(0).max(100).default(10),
    }),
  },
  responses: ok(AccuracySchema, "accuracy over the window"),
});

const turnsRoute = createRoute({
  method: "get",
  path: "/kpi/turns",
  tags: ["kpi"],
  summary: "Inventory turns and days of inventory over the trailing 12 months",
  request: {
    query: z.object({ ...ScopeQuery, to: period.optional().openapi({ description: "default P" }) }),
  },
  responses: ok(TurnsSchema, "turns"),
});

const riskRoute = createRoute({
  method: "get",
  path: "/kpi/risk",
  tags: ["kpi"],
  summary: "Stock-out risk per SKU-location, highest probability first, then value at risk",
  request: {
    query: z.object({
      ...ScopeQuery,
      horizon,
      risk: z.enum(["high", "medium", "low"]).optional().openapi({ description: "at least this risk" }),
      limit: z.coerce.number().int().min(1).max(10_000).default(50),
    }),
  },
  responses: ok(RiskSchema, "items at risk"),
});

const gapsRoute = createRoute({
  method: "get",
  path: "/kpi/gaps",
  tags: ["kpi"],
  summary: "Shortages by value at risk and capacity gaps by family and month",
  request: {
    query: z.object({
      ...ScopeQuery,
      horizon,
      limit: z.coerce.number().int().min(1).max(10_000).default(20),
    }),
  },
  responses: ok(GapsSchema, "gaps"),
});

const excessRoute = createRoute({
  method: "get",
  path: "/kpi/excess",
  tags: ["kpi"],
  summary: "Excess stock and slow movers by value",
  request: {
    query: z.object({ ...ScopeQuery, limit: z.coerce.number().int().min(1).max(10_000).default(50) }),
  },
  responses: ok(ExcessSchema, "excess"),
});

const segmentsRoute = createRoute({
  method: "get",
  path: "/kpi/segments",
  tags: ["kpi"],
  summary: "ABC (revenue) and XYZ (variability) per SKU, and the matrix",
  request: { query: z.object({ sku: ScopeQuery.sku, family: ScopeQuery.family }) },
  responses: ok(SegmentsSchema, "segments"),
});

const summaryRoute = createRoute({
  method: "get",
  path: "/kpi/summary",
  tags: ["kpi"],
  summary: "Headline figures with their change against the previous month",
  responses: ok(SummarySchema, "headline figures"),
});

function requirePeriod(ctx: KpiContext): Period {
  if (!ctx.lastPeriod) {
    throw new BadRequestError(
      "there is no sales history yet: import sales.csv (sop import sales FILE) first",
    );
  }
  return ctx.lastPeriod;
}

const round = (x: number | null, digits = 6) => (x === null ? null : Number(x.toFixed(digits)));

export function serialiseItem(i: ItemRisk) {
  return {
    sku: i.sku,
    name: i.name,
    family: i.family,
    location: i.location,
    onHand: i.onHand,
    asOf: i.asOf,
    daysOfSupply: i.daysOfSupply,
    safetyStock: i.safetyStock,
    stockoutProbability: i.stockoutProbability,
    risk: i.risk,
    firstStockoutPeriod: i.firstStockoutPeriod,
    orderBy: i.orderBy,
    shortageUnits: i.shortageUnits,
    valueAtRisk: i.valueAtRisk,
    trackingSignal: i.trackingSignal,
    biased: i.biased,
    forwardDemand: i.forwardDemand,
    excessUnits: i.excessUnits,
    excessValue: i.excessValue,
    slowMoving: i.slowMoving,
    unitCost: i.unitCost,
    unitPrice: i.unitPrice,
    leadTimeDays: i.leadTimeDays,
    projection: i.projection,
  };
}

export function kpiRoutes(deps: AppDeps) {
  const { sql } = deps;
  return router()
    .openapi(accuracyRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { sku: q.sku, family: q.family, location: q.location };
      const [ctx] = await Promise.all([kpiContext(sql), checkScope(sql, scope)]);
      const p = requirePeriod(ctx);
      const to = q.to ?? p;
      const from = q.from ?? addMonths(to, -(q.months - 1));
      if (!isPeriod(from) || from > to) throw new BadRequestError("from: must not be after to");
      if (monthsBetween(from, to) > 35) throw new BadRequestError("from: the window is at most 36 months");
      const report = await accuracyReport(sql, {
        from,
        to,
        lag: q.lag,
        source: q.source,
        scope,
        worst: q.worst,
        lastPeriod: p,
      });
      return c.json({ ...ctx.meta, ...report }, 200);
    })
    .openapi(turnsRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { sku: q.sku, family: q.family, location: q.location };
      const [ctx] = await Promise.all([kpiContext(sql), checkScope(sql, scope)]);
      const report = await turnsReport(sql, { to: q.to ?? requirePeriod(ctx), scope });
      return c.json({ ...ctx.meta, ...report }, 200);
    })
    .openapi(riskRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { sku: q.sku, family: q.family, location: q.location };
      const [ctx] = await Promise.all([kpiContext(sql), checkScope(sql, scope)]);
      const page = await riskPage(sql, {
        scope,
        horizon: q.horizon,
        minimum: q.risk,
        limit: q.limit,
        lastPeriod: requirePeriod(ctx),
        dataVersion: ctx.dataVersion,
      });
      return c.json(
        {
          ...ctx.meta,
          horizon: q.horizon,
          total: page.total,
          counts: page.counts,
          items: page.items.map(serialiseItem),
        },
        200,
      );
    })
    .openapi(gapsRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { sku: q.sku, family: q.family, location: q.location };
      const [ctx, item] = await Promise.all([
        kpiContext(sql),
        q.sku ? getItem(sql, q.sku) : undefined,
        checkScope(sql, scope),
      ]);
      const p = requirePeriod(ctx);
      // A family's capacity is shared by all its SKUs and locations: a SKU or location scope
      // shows its family's gaps (or every family's), computed from all locations.
      const family = q.family ?? item?.family;
      const [shortages, capacity] = await Promise.all([
        shortagePage(sql, {
          scope,
          horizon: q.horizon,
          limit: q.limit,
          lastPeriod: p,
          dataVersion: ctx.dataVersion,
        }),
        computeCapacityGaps(sql, family, q.horizon, p),
      ]);
      return c.json(
        {
          ...ctx.meta,
          horizon: q.horizon,
          shortages: shortages.items.map(serialiseItem),
          shortageCount: shortages.count,
          capacity,
          totals: {
            shortageUnits: shortages.shortageUnits,
            valueAtRisk: shortages.valueAtRisk,
            capacityGapUnits: capacity.reduce((s, g) => s + g.gap, 0),
          },
        },
        200,
      );
    })
    .openapi(excessRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { sku: q.sku, family: q.family, location: q.location };
      const [ctx] = await Promise.all([kpiContext(sql), checkScope(sql, scope)]);
      const page = await excessPage(sql, { scope, limit: q.limit, lastPeriod: requirePeriod(ctx) });
      return c.json(
        {
          ...ctx.meta,
          items: page.items.map((i) => ({
            sku: i.sku,
            name: i.name,
            family: i.family,
            location: i.location,
            onHand: i.onHand,
            forwardDemand: i.forwardDemand,
            daysOfSupply: i.daysOfSupply,
            excessUnits: i.excessUnits,
            excessValue: i.excessValue,
            slowMoving: i.slowMoving,
            onHandValue: i.onHand * i.unitCost,
          })),
          total: page.count,
          totals: {
            excessUnits: page.excessUnits,
            excessValue: page.excessValue,
            slowMovingCount: page.slowMovingCount,
            slowMovingValue: page.slowMovingValue,
          },
        },
        200,
      );
    })
    .openapi(segmentsRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { sku: q.sku, family: q.family };
      const [ctx] = await Promise.all([kpiContext(sql), checkScope(sql, scope)]);
      const items = await segmentsOf(sql, scope);
      const matrix: Record<string, number> = {};
      for (const a of ["A", "B", "C"]) for (const x of ["X", "Y", "Z"]) matrix[`${a}${x}`] = 0;
      for (const i of items) matrix[`${i.abc}${i.xyz}`] = (matrix[`${i.abc}${i.xyz}`] ?? 0) + 1;
      return c.json({ ...ctx.meta, items, matrix }, 200);
    })
    .openapi(summaryRoute, async (c) => {
      const ctx = await kpiContext(sql);
      const p = requirePeriod(ctx);
      const prevP = addMonths(p, -1);
      const [current, stored, history, cycle] = await Promise.all([
        headlineFigures(sql, p),
        kpiSnapshot(sql, `${prevP}-01`),
        previousFromHistory(deps, prevP),
        currentCycle(sql, deps.now()).catch((error) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        }),
      ]);
      const previous: Partial<Headline> = { ...(stored ?? {}), ...history };
      const figures = Object.fromEntries(
        HEADLINE_KEYS.map((k) => {
          const value = current[k];
          const prev = previous[k] ?? null;
          return [
            k,
            { value, previous: prev, change: value === null || prev === null ? null : round(value - prev) },
          ];
        }),
      ) as Record<
        (typeof HEADLINE_KEYS)[number],
        { value: number | null; previous: number | null; change: number | null }
      >;
      const next = cycle?.steps.find((st) => st.roles.length > 0 && st.status !== "signed");
      return c.json(
        {
          ...ctx.meta,
          figures,
          cycle: cycle
            ? {
                month: cycle.month,
                status: cycle.status,
                signed: cycle.progress.signed,
                total: cycle.progress.total,
                overdue: cycle.progress.overdue,
                planLocked: cycle.planLocked !== null,
                nextStep: next
                  ? { key: next.key, name: next.name, dueDate: next.dueDate, overdue: next.overdue }
                  : null,
              }
            : null,
        },
        200,
      );
    });
}

/** The history-based headline figures a month earlier (always computable from the fact base). */
async function previousFromHistory(deps: AppDeps, p: Period): Promise<Partial<Headline>> {
  const [acc, turns] = await Promise.all([
    accuracyAt(deps.sql, p),
    turnsReport(deps.sql, { to: p, scope: {} }),
  ]);
  return {
    accuracy: acc.accuracy,
    bias: acc.bias,
    turns: turns.turns,
    daysOfInventory: turns.daysOfInventory,
    inventoryValue: turns.inventoryValue,
  };
}
