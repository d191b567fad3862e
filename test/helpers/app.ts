/** The Hono app wired to a test database, called in-process (app.request) as the bot and jobs do. */
import { createApp } from "../../api/app.js";
import { createLogger } from "../../api/logger.js";
import { type Config, loadConfig } from "../../config.js";
import type { TestDatabase } from "./test-db.js";

export function testApp(
  db: TestDatabase,
  options: { env?: Record<string, string>; now?: () => Date } = {},
): { app: ReturnType<typeof createApp>; config: Config } {
  const config = loadConfig({ LOG_LEVEL: "silent", ...options.env });
  const app = createApp({
    sql: db.sql,
    config,
    logger: createLogger("silent"),
    database: { kind: db.kind, where: db.where },
    version: "test",
    now: options.now ?? (() => new Date()),
  });
  return { app, config };
}
