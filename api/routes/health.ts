import { createRoute, z } from "@hono/zod-openapi";
import { migrationStatus } from "../../db/migrate.js";
import { type AppDeps, router } from "../context.js";

const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    database: z.object({
      kind: z.enum(["server", "embedded"]),
      reachable: z.boolean(),
      migrations: z.object({ current: z.number().int(), latest: z.number().int() }).nullable(),
      error: z.string().optional(),
    }),
    demo: z
      .object({ state: z.enum(["loading", "loaded", "failed"]), step: z.string() })
      .optional()
      .openapi({ description: "present while the demo company loads at start-up" }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["health"],
  summary: "Liveness and readiness: database reachable, migrations current",
  responses: {
    200: { description: "healthy", content: { "application/json": { schema: Health } } },
    503: { description: "unhealthy", content: { "application/json": { schema: Health } } },
  },
});

export function healthRoutes(deps: AppDeps) {
  return router().openapi(route, async (c) => {
    try {
      const m = await migrationStatus(deps.sql);
      const ok = m.pending.length === 0;
      const demo = deps.demoProgress?.();
      const body = {
        status: ok ? ("ok" as const) : ("degraded" as const),
        version: deps.version,
        database: {
          kind: deps.database.kind,
          reachable: true,
          migrations: { current: m.current, latest: m.latest },
        },
        ...(demo ? { demo } : {}),
      };
      return ok ? c.json(body, 200) : c.json(body, 503);
    } catch (error) {
      c.get("log").warn({ err: error }, "health check: database unreachable");
      return c.json(
        {
          status: "degraded" as const,
          version: deps.version,
          database: {
            kind: deps.database.kind,
            reachable: false,
            migrations: null,
            error: "the database does not answer",
          },
        },
        503,
      );
    }
  });
}
