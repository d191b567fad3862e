/** Bolt's Logger interface on top of our pino logger, so Bolt's messages join ours. */
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "pino";

const fmt = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");

export function slackLogger(logger: Logger): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...msg) => logger.debug(fmt(msg)),
    info: (...msg) => logger.info(fmt(msg)),
    warn: (...msg) => logger.warn(fmt(msg)),
    error: (...msg) => logger.error(fmt(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
