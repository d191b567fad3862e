import { createRoute, z } from "@hono/zod-openapi";
import { chartNames, charts, isChartName, renderChartPng } from "../charts/index.js";
import { type AppDeps, router } from "../context.js";
import { BadRequestError, ErrorBody } from "../errors.js";
import { chartInput } from "../services/chart-data.js";
import { checkScope, kpiContext } from "../services/kpi-context.js";

const File = z
  .string()
  .regex(
    new RegExp(`^(${chartNames.join("|")})\\.(png|json)$`),
    `must be one of ${chartNames.map((n) => `${n}.png|json`).join(", ")}`,
  )
  .openapi({ param: { name: "file", in: "path" }, example: "forecast-vs-actual.png" });

const route = createRoute({
  method: "get",
  path: "/charts/{file}",
  tags: ["charts"],
  summary: "A chart as PNG (for Slack) or as its Chart.js config (JSON, for the browser)",
  description: `Charts: ${chartNames.join(", ")}. The same filters as the KPIs. PNGs are rendered at twice the pixel density off the main thread; 503 when the server cannot render (canvas missing).`,
  request: {
    params: z.object({ file: File }),
    query: z.object({
      sku: z.string().min(1).max(64).optional(),
      family: z.string().min(1).max(64).optional(),
      location: z.string().min(1).max(64).optional(),
      lag: z.coerce.number().int().min(0).max(11).default(1),
      horizon: z.coerce.number().int().min(1).max(12).default(6),
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM")
        .optional()
        .openapi({ description: "the cycle, for cycle-timeline" }),
      target: z.enum(["slack", "dashboard"]).default("slack"),
    }),
  },
  responses: {
    200: {
      description: "the chart",
      content: {
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
        "application/json": {
          schema: z.object({ name: z.string(), title: z.string(), config: z.unknown() }),
        },
      },
    },
    400: { description: "bad parameter", content: { "application/json": { schema: ErrorBody } } },
    404: {
      description: "unknown SKU, family, location or cycle",
      content: { "application/json": { schema: ErrorBody } },
    },
    503: {
      description: "PNG rendering is not available here",
      content: { "application/json": { schema: ErrorBody } },
    },
  },
});

export function chartRoutes(deps: AppDeps) {
  return router().openapi(route, async (c) => {
    const { file } = c.req.valid("param");
    const q = c.req.valid("query");
    const [name, ext] = file.split(".") as [string, "png" | "json"];
    if (!isChartName(name)) throw new BadRequestError(`file: unknown chart ${name}`);
    const scope = { sku: q.sku, family: q.family, location: q.location };
    const [ctx] = await Promise.all([kpiContext(deps.sql), checkScope(deps.sql, scope)]);
    if (!ctx.lastPeriod) throw new BadRequestError("there is no sales history yet: import sales.csv first");
    const input = await chartInput(
      deps.sql,
      name,
      { scope, lag: q.lag, horizon: q.horizon, month: q.month, now: deps.now() },
      ctx.lastPeriod,
      ctx.dataVersion,
    );
    const config = charts[name].build(input as never, { target: q.target });
    if (ext === "json") {
      return c.json({ name, title: charts[name].title, config }, 200, { "cache-control": "no-store" });
    }
    const png = await (deps.chartRenderer?.render(config, { size: q.target }) ??
      renderChartPng(config, { size: q.target }));
    return c.body(new Uint8Array(png), 200, { "content-type": "image/png", "cache-control": "no-store" });
  });
}
