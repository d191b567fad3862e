/** pino, one child per module; silent in tests unless LOG_LEVEL says otherwise. */
import { pino } from "pino";

export type { Logger } from "pino";

export function createLogger(level: string, destination?: NodeJS.WritableStream): pino.Logger {
  return pino(
    {
      level,
      base: { service: "sop" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ["req.headers.authorization", "*.token", "*.password"], censor: "[redacted]" },
    },
    // Logs go to stderr so that command output on stdout stays clean to pipe.
    destination ?? pino.destination(2),
  );
}
