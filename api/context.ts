/** What every route receives: the dependencies wired by cli.ts, and the per-request variables. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Sql } from "../db/client.js";
import type { ChartRenderer } from "./charts/render.js";
import { BadRequestError } from "./errors.js";
import type { JobsControl } from "./services/jobs-control.js";

export interface AppDeps {
  sql: Sql;
  config: Config;
  logger: Logger;
  database: { kind: "server" | "embedded"; where: string };
  version: string;
  /** The clock; tests and `--at` runs pass a fixed one. */
  now: () => Date;
  /** Aborted when the server shuts down: long work (imports) stops and rolls back. */
  shutdownSignal?: AbortSignal;
  /** The demo company's loading progress, when it is being loaded at start-up. */
  demoProgress?: () => { state: "loading" | "loaded" | "failed"; step: string } | undefined;
  /** The Slack bot's request handler, mounted at POST /slack/events when the bot runs over HTTP. */
  slackEvents?: (request: Request) => Promise<Response>;
  /** The cadence jobs of this process (`/api/jobs`); absent where no scheduler is wired. */
  jobs?: () => JobsControl | undefined;
  /** Renders chart PNGs; the shared worker pool when absent (tests inject one without canvas). */
  chartRenderer?: Pick<ChartRenderer, "render">;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
  };
}

/** A router whose invalid requests are answered with a 400 naming each bad parameter. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const problems = result.error.issues.map((i) => ({
          parameter: i.path.join(".") || "(body)",
          message: i.message,
        }));
        throw new BadRequestError(problems.map((p) => `${p.parameter}: ${p.message}`).join("; "), {
          problems,
        });
      }
    },
  });
}
