/**
 * The Hono application: the single source of truth for data and decisions. The bot, the jobs
 * and the dashboard are its clients.
 */
import { type AppDeps, router } from "./context.js";
import { dashboardRoutes } from "./dashboard/index.js";
import { errorResponse, handleError, NotFoundError } from "./errors.js";
import { apiToken, requestContext } from "./middleware.js";
import { auditRoutes } from "./routes/audit.js";
import { chartRoutes } from "./routes/charts.js";
import { cyclesRoutes } from "./routes/cycles.js";
import { familyRoutes } from "./routes/families.js";
import { forecastRoutes } from "./routes/forecasts.js";
import { healthRoutes } from "./routes/health.js";
import { importRoutes } from "./routes/imports.js";
import { itemRoutes } from "./routes/items.js";
import { jobRoutes } from "./routes/jobs.js";
import { kpiRoutes } from "./routes/kpi.js";
import { overrideRoutes } from "./routes/overrides.js";
import { peopleRoutes } from "./routes/people.js";
import { scenarioRoutes } from "./routes/scenarios.js";
import { settingsRoutes } from "./routes/settings.js";
import { skuRoutes } from "./routes/skus.js";
import { varianceRoutes } from "./routes/variance.js";

export type { AppDeps } from "./context.js";

export function createApp(deps: AppDeps) {
  const app = router();
  app.use("*", requestContext(deps.logger));
  app.use("/api/*", apiToken(deps.config.api.token));
  app.onError(handleError(deps.logger));
  app.notFound((c) => errorResponse(c, new NotFoundError(`there is nothing at ${c.req.path}`)));
  // The Slack bot's HTTP endpoint (commands, interactivity and events), when it is enabled. It
  // lives on the same server but is not part of the API: Slack's signature is its auth.
  const slackEvents = deps.slackEvents;
  if (slackEvents) app.post("/slack/events", (c) => slackEvents(c.req.raw));

  const routes = app
    .route("/", healthRoutes(deps))
    .route("/api", itemRoutes(deps))
    .route("/api", familyRoutes(deps))
    .route("/api", importRoutes(deps))
    .route("/api", kpiRoutes(deps))
    .route("/api", varianceRoutes(deps))
    .route("/api", skuRoutes(deps))
    .route("/api", settingsRoutes(deps))
    .route("/api", peopleRoutes(deps))
    .route("/api", cyclesRoutes(deps))
    .route("/api", auditRoutes(deps))
    .route("/api", chartRoutes(deps))
    .route("/api", forecastRoutes(deps))
    .route("/api", overrideRoutes(deps))
    .route("/api", scenarioRoutes(deps))
    .route("/api", jobRoutes(deps));

  routes.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "sop API",
      version: deps.version,
      description: "Sales & Operations Planning: the fact base, KPIs, cycles and sign-offs.",
    },
    servers: [{ url: deps.config.server.publicUrl }],
  });
  // The dashboard reads through the API in process; it is not part of AppType (not an API).
  app.route(
    "/",
    dashboardRoutes(deps, (input, init) => routes.request(input, init)),
  );
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
