import { createRoute, z } from "@hono/zod-openapi";
import { getItem } from "../../db/repositories/items.js";
import { skuHistory } from "../../db/repositories/kpi.js";
import { openSupply, planLines, segmentsOf } from "../../db/repositories/plan.js";
import { type AppDeps, router } from "../context.js";
import { addMonths, type Period, periodIndex, periodRange } from "../domain/periods.js";
import { ErrorBody, NotFoundError } from "../errors.js";
import { itemRisk, supplyByLine } from "../services/item-risk.js";
import { kpiContext } from "../services/kpi-context.js";
import { ItemSchema } from "./items.js";
import { Meta, RiskItemSchema } from "./kpi.js";

const period = z.string();

const SkuSchema = z
  .object({
    ...Meta,
    item: ItemSchema,
    segment: z
      .object({
        revenue: z.number(),
        revenueShare: z.number(),
        abc: z.enum(["A", "B", "C"]),
        cv: z.number().nullable(),
        xyz: z.enum(["X", "Y", "Z"]),
      })
      .nullable(),
    locations: z.array(
      RiskItemSchema.extend({ demandBasis: z.array(z.enum(["consensus", "statistical", "actuals"])) }),
    ),
    history: z.array(
      z.object({
        period,
        actual: z
          .number()
          .nullable()
          .openapi({ description: "units sold (all locations in scope); null after P" }),
        forecasts: z
          .record(z.string(), z.number())
          .openapi({ description: "consensus forecast units by lag ('0'…'3') for that month" }),
        statistical: z.number().nullable().openapi({ description: "statistical forecast at lag 1" }),
        plan: z.number().nullable().openapi({ description: "demand plan for months after P" }),
      }),
    ),
    openSupply: z.array(
      z.object({
        location: z.string(),
        due: z.string(),
        units: z.number(),
        type: z.string(),
        reference: z.string(),
      }),
    ),
  })
  .openapi("Sku");

const route = createRoute({
  method: "get",
  path: "/skus/{sku}",
  tags: ["kpi"],
  summary: "One SKU: item, history with forecasts by lag, projection per location, open supply, segment",
  request: {
    params: z.object({ sku: z.string().min(1).max(64) }),
    query: z.object({
      location: z.string().min(1).max(64).optional(),
      horizon: z.coerce.number().int().min(1).max(12).default(6),
      months: z.coerce
        .number()
        .int()
        .min(1)
        .max(36)
        .default(12)
        .openapi({ description: "months of history" }),
    }),
  },
  responses: {
    200: { description: "the SKU", content: { "application/json": { schema: SkuSchema } } },
    404: { description: "unknown SKU", content: { "application/json": { schema: ErrorBody } } },
  },
});

const BASIS = { c: "consensus", s: "statistical", a: "actuals" } as const;

export function skuRoutes(deps: AppDeps) {
  const { sql } = deps;
  return router().openapi(route, async (c) => {
    const { sku } = c.req.valid("param");
    const q = c.req.valid("query");
    const [ctx, item] = await Promise.all([kpiContext(sql), getItem(sql, sku)]);
    if (!item) throw new NotFoundError(`there is no SKU ${sku}`, { sku });
    const p: Period | null = ctx.lastPeriod;
    const scope = { sku, location: q.location };
    const from = p ? addMonths(p, -(q.months - 1)) : null;
    const [lines, supply, segments, history] = await Promise.all([
      planLines(sql, scope),
      openSupply(sql, scope),
      segmentsOf(sql, { sku }),
      p && from
        ? skuHistory(sql, { sku, location: q.location, from: `${from}-01`, to: `${p}-01`, maxLag: 3 })
        : null,
    ]);
    const bySupply = supplyByLine(supply);
    const locations = p
      ? lines.map((l) => ({
          ...itemRisk(l, bySupply.get(`${l.sku}\t${l.location}`) ?? [], q.horizon, p),
          demandBasis: [...l.basis.slice(0, q.horizon)].map((b) => BASIS[b as keyof typeof BASIS]),
        }))
      : [];
    const rows: {
      period: Period;
      actual: number | null;
      forecasts: Record<string, number>;
      statistical: number | null;
      plan: number | null;
    }[] = [];
    if (p && from && history) {
      const first = periodIndex(from);
      for (const period of periodRange(from, addMonths(p, q.horizon))) {
        rows.push({ period, actual: period <= p ? 0 : null, forecasts: {}, statistical: null, plan: null });
      }
      const at = (month: string) => rows[periodIndex(month) - first];
      for (const a of history.actuals) {
        const r = at(a.period);
        if (r) r.actual = (r.actual ?? 0) + a.units;
      }
      for (const f of history.forecasts) {
        const r = at(f.period);
        if (!r) continue;
        if (f.source === "consensus")
          r.forecasts[String(f.lag)] = (r.forecasts[String(f.lag)] ?? 0) + f.units;
        else if (f.source === "statistical" && f.lag === 1) r.statistical = (r.statistical ?? 0) + f.units;
      }
      for (const l of lines) {
        const start = periodIndex(l.startPeriod);
        for (const r of rows) {
          const i = periodIndex(r.period) - start;
          if (r.period > p && i >= 0 && i < l.demand.length) r.plan = (r.plan ?? 0) + (l.demand[i] ?? 0);
        }
      }
    }
    const seg = segments[0];
    return c.json(
      {
        ...ctx.meta,
        item,
        segment: seg
          ? { revenue: seg.revenue, revenueShare: seg.revenueShare, abc: seg.abc, cv: seg.cv, xyz: seg.xyz }
          : null,
        locations,
        history: rows,
        openSupply: supply.map((s) => ({
          location: s.location,
          due: s.due,
          units: s.units,
          type: s.type,
          reference: s.reference,
        })),
      },
      200,
    );
  });
}
