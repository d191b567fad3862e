import { createRoute, z } from "@hono/zod-openapi";
import { stream } from "hono/streaming";
import { FORECAST_SOURCES } from "../../db/import/kinds.js";
import { getForecastRun, listForecastRuns, listForecasts } from "../../db/repositories/forecast-runs.js";
import { type AppDeps, router } from "../context.js";
import { firstDayOfPeriod, toPeriod } from "../domain/periods.js";
import { ErrorBody, NotFoundError } from "../errors.js";
import { contributorFva } from "../services/contributor-fva.js";
import { forecastsCsv } from "../services/forecast-export.js";
import { beginForecastRun, forecastRunJson, MAX_HORIZON } from "../services/forecast-run.js";
import { checkScope, kpiContext } from "../services/kpi-context.js";
import { Actor, originOf, Source } from "./audit.js";

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM");
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(description, ErrorBody);

const ForecastRunSchema = z
  .object({
    id: z.number().int(),
    cycle: z.string().openapi({ description: "YYYY-MM" }),
    horizon: z.number().int(),
    status: z.enum(["running", "succeeded", "failed", "interrupted"]),
    source: z.string(),
    actor: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    historyTo: z.string().nullable().openapi({ description: "the last month of history the models saw" }),
    series: z.number().int().openapi({ description: "SKU-locations to forecast" }),
    done: z.number().int().openapi({ description: "SKU-locations forecast so far (progress)" }),
    rows: z.number().int().openapi({ description: "statistical rows written" }),
    workers: z.number().int().openapi({ description: "worker threads used (0: the API's own thread)" }),
    timings: z
      .record(z.string(), z.number())
      .openapi({ description: "seconds: history, forecast, write, total" }),
    models: z.record(z.string(), z.number()).openapi({ description: "series per chosen method" }),
    statistical: z
      .record(z.string(), z.number())
      .openapi({ description: "statistical rows inserted, updated and deleted" }),
    consensus: z
      .record(z.string(), z.number())
      .openapi({ description: "consensus rows inserted, updated and deleted by the rebuild" }),
    message: z.string().nullable(),
  })
  .openapi("ForecastRun");

const runRoute = createRoute({
  method: "post",
  path: "/forecasts/run",
  tags: ["forecasts"],
  summary: "Run the statistical forecast of a cycle",
  description:
    "Forecasts every SKU-location that sold something in the 12 months before the cycle, from the sales history before the cycle, choosing a model per series by rolling-origin backtest. Replaces the cycle's statistical rows (keeping each series' model and backtest error) and rebuilds its consensus (overrides and an imported consensus stay on top). One run at a time. With `wait: false` the answer is 202 at once; follow the run's progress at GET /api/forecasts/runs/{id}.",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z
            .object({
              cycle: Month.optional().openapi({ description: "default: the company's current month" }),
              horizon: z
                .number()
                .int()
                .min(1)
                .max(MAX_HORIZON)
                .default(12)
                .openapi({ description: "months" }),
              wait: z.boolean().default(true),
              actor: Actor.optional(),
              source: Source.optional(),
            })
            .strict(),
        },
      },
      required: false,
    },
  },
  responses: {
    200: json("the run, finished", z.object({ run: ForecastRunSchema })),
    202: json("the run, started", z.object({ run: ForecastRunSchema })),
    400: error("bad input"),
    409: error("the cycle's plan is locked or closed, or another run is in progress"),
    422: error("there is no sales history to forecast from"),
  },
});

const runsRoute = createRoute({
  method: "get",
  path: "/forecasts/runs",
  tags: ["forecasts"],
  summary: "Forecast runs, newest first",
  request: {
    query: z.object({
      cycle: Month.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(20),
    }),
  },
  responses: { 200: json("runs", z.object({ runs: z.array(ForecastRunSchema) })) },
});

const runGetRoute = createRoute({
  method: "get",
  path: "/forecasts/runs/{id}",
  tags: ["forecasts"],
  summary: "One forecast run, with its progress while it runs",
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: { 200: json("the run", z.object({ run: ForecastRunSchema })), 404: error("no such run") },
});

const ForecastRowSchema = z
  .object({
    sku: z.string(),
    location: z.string(),
    period: z.string().openapi({ description: "YYYY-MM" }),
    source: z.enum(FORECAST_SOURCES),
    cycle: z.string().openapi({ description: "YYYY-MM, the month the forecast was made" }),
    lag: z.number().int().openapi({ description: "period − cycle, months" }),
    units: z.number(),
  })
  .openapi("ForecastRow");

const filterQuery = {
  source: z.enum(FORECAST_SOURCES).optional(),
  cycle: Month.optional(),
  sku: z.string().min(1).max(64).optional(),
  family: z.string().min(1).max(64).optional(),
  location: z.string().min(1).max(64).optional(),
};

const listRoute = createRoute({
  method: "get",
  path: "/forecasts",
  tags: ["forecasts"],
  summary: "Forecast rows by source, cycle, SKU, family and location",
  request: {
    query: z.object({
      ...filterQuery,
      limit: z.coerce.number().int().min(1).max(10_000).default(1000),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: json(
      "a page of rows in cycle, source, SKU, location, period order",
      z.object({
        rows: z.array(ForecastRowSchema),
        total: z.number().int(),
        limit: z.number().int(),
        offset: z.number().int(),
      }),
    ),
    400: error("bad parameter"),
    404: error("unknown SKU, family or location"),
  },
});

const exportRoute = createRoute({
  method: "get",
  path: "/forecasts/export.csv",
  tags: ["forecasts"],
  summary: "One source's forecasts of one cycle as CSV in the import format",
  description: "The same file `sop export forecasts` writes; `POST /api/imports/forecasts` reads it back.",
  request: {
    query: z.object({ source: z.enum(FORECAST_SOURCES), cycle: Month }),
  },
  responses: {
    200: { description: "forecasts.csv", content: { "text/csv": { schema: z.string() } } },
    400: error("bad parameter"),
  },
});

const FvaFigures = {
  rows: z.number().int(),
  actualUnits: z.number(),
  naiveWape: z.number().nullable(),
  statisticalWape: z.number().nullable(),
  consensusWape: z.number().nullable(),
  naiveToStatistical: z
    .number()
    .nullable()
    .openapi({ description: "WAPE(naive) − WAPE(statistical); positive = the statistical forecast helped" }),
  statisticalToConsensus: z
    .number()
    .nullable()
    .openapi({ description: "WAPE(statistical) − WAPE(consensus); positive = the consensus step helped" }),
};

const ContributorFigures = {
  rows: z.number().int().openapi({ description: "cells the contributor changed, with an actual" }),
  actualUnits: z.number(),
  statisticalWape: z.number().nullable().openapi({ description: "the statistical forecast on those cells" }),
  contributorWape: z.number().nullable().openapi({ description: "the contributor's numbers on those cells" }),
  fva: z
    .number()
    .nullable()
    .openapi({ description: "WAPE(statistical) − WAPE(contributor); positive = the input helped" }),
  bias: z.number().nullable().openapi({ description: "Σ(contributor − A) / ΣA; positive = over-forecast" }),
};

const FvaContributorsSchema = z
  .object({
    lastPeriod: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    lag: z.number().int(),
    total: z.object(FvaFigures),
    periods: z.array(z.object({ period: z.string(), ...FvaFigures })),
    contributors: z.array(
      z.object({
        kind: z.enum(["person", "source"]).openapi({
          description: "a person's overrides, or an imported input (forecasts.csv source sales or marketing)",
        }),
        id: z.string().openapi({ description: "the Slack user id, or the source" }),
        name: z.string(),
        roles: z.array(z.string()),
        overrides: z.number().int().openapi({ description: "accepted overrides counted" }),
        ...ContributorFigures,
        periods: z.array(z.object({ period: z.string(), ...ContributorFigures })),
      }),
    ),
  })
  .openapi("FvaByContributor");

const fvaRoute = createRoute({
  method: "get",
  path: "/kpi/fva",
  tags: ["kpi"],
  summary: "Forecast value added by contributor, over time",
  description:
    "The accuracy of the naive, statistical and consensus forecasts by target month (DOMAIN.md's FVA), and for each contributor (each person who submitted overrides, each imported sales or marketing input): WAPE of the statistical forecast and of the contributor's numbers on the cells they changed, and the difference (positive = the input helped). Rows as in DOMAIN.md's FVA: forecasts at the lag whose target month lies in the window, that have a statistical and a consensus forecast from the same cycle and whose naive month is in the history.",
  request: {
    query: z.object({
      family: z.string().min(1).max(64).optional(),
      location: z.string().min(1).max(64).optional(),
      from: Month.optional().openapi({
        description: "first target month; default: `months` months ending at `to`",
      }),
      to: Month.optional().openapi({ description: "last target month; default P" }),
      months: z.coerce.number().int().min(1).max(36).default(12),
      lag: z.coerce.number().int().min(0).max(23).default(1),
    }),
  },
  responses: {
    200: json("FVA by contributor", FvaContributorsSchema),
    400: error("bad parameter"),
    404: error("unknown family or location"),
  },
});

export function forecastRoutes(deps: AppDeps) {
  const { sql } = deps;
  return router()
    .openapi(runRoute, async (c) => {
      // The body is optional: without one, the defaults.
      const b =
        (c.req.valid("json") as
          | { cycle?: string; horizon?: number; wait?: boolean; actor?: string; source?: string }
          | undefined) ?? {};
      const origin = originOf(c, deps, b);
      const started = await beginForecastRun(sql, {
        cycle: b.cycle,
        horizon: b.horizon ?? 12,
        source: origin.source,
        actor: origin.actor,
        now: deps.now(),
        logger: c.get("log"),
        signal: deps.shutdownSignal,
        copy: deps.database.kind === "server",
      });
      if (b.wait === false) {
        started.done.catch((err) => c.get("log").warn({ err, run: started.runId }, "forecast run failed"));
        const run = await getForecastRun(sql, started.runId);
        return c.json({ run: forecastRunJson(run!) }, 202);
      }
      return c.json({ run: await started.done }, 200);
    })
    .openapi(runsRoute, async (c) => {
      const q = c.req.valid("query");
      const runs = await listForecastRuns(sql, {
        cycle: q.cycle ? firstDayOfPeriod(q.cycle) : undefined,
        limit: q.limit,
      });
      return c.json({ runs: runs.map(forecastRunJson) }, 200);
    })
    .openapi(runGetRoute, async (c) => {
      const { id } = c.req.valid("param");
      const run = await getForecastRun(sql, id);
      if (!run) throw new NotFoundError(`there is no forecast run ${id}`);
      return c.json({ run: forecastRunJson(run) }, 200);
    })
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      await checkScope(sql, { sku: q.sku, family: q.family, location: q.location });
      const page = await listForecasts(sql, {
        ...q,
        cycle: q.cycle ? firstDayOfPeriod(q.cycle) : undefined,
      });
      return c.json(
        {
          rows: page.rows.map((r) => ({
            sku: r.sku,
            location: r.location,
            period: toPeriod(r.period),
            source: r.source as (typeof FORECAST_SOURCES)[number],
            cycle: toPeriod(r.cycle),
            lag: r.lag,
            units: r.units,
          })),
          total: page.total,
          limit: q.limit,
          offset: q.offset,
        },
        200,
      );
    })
    .openapi(exportRoute, async (c) => {
      const q = c.req.valid("query");
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="forecasts-${q.source}-${q.cycle}.csv"`);
      return stream(c, async (s) => {
        for await (const chunk of forecastsCsv(sql, q)) await s.write(chunk);
      }) as never;
    })
    .openapi(fvaRoute, async (c) => {
      const q = c.req.valid("query");
      const scope = { family: q.family, location: q.location };
      const [ctx] = await Promise.all([kpiContext(sql), checkScope(sql, scope)]);
      const report = await contributorFva(sql, { ...q, scope, lastPeriod: ctx.lastPeriod });
      return c.json({ lastPeriod: ctx.lastPeriod, ...report }, 200);
    });
}
