/**
 * The only reader of process.env. One zod schema turns the environment into a typed, nested
 * configuration object; a bad value stops start-up with one message naming every bad variable.
 */
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Empty strings count as unset: `FOO= npm start` should mean "no FOO", not "FOO is ''". */
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const booleanFlag = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], {
      error: "must be one of true/false, 1/0, yes/no, on/off",
    })
    .transform((v) => ["1", "true", "yes", "on"].includes(v))
    .optional(),
);

const port = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .optional(),
);

const url = (what: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((s) => URL.canParse(s), `must be ${what}`)
      .optional(),
  );

const envSchema = z.object({
  DATABASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine(
        (s) => URL.canParse(s) && /^postgres(ql)?:$/.test(new URL(s).protocol),
        "must be a postgres:// or postgresql:// URL",
      )
      .optional(),
  ),
  SOP_DATA_DIR: optionalString,
  PORT: port,
  HOST: optionalString,
  LOG_LEVEL: z.preprocess(
    (v) => (v === "" ? undefined : typeof v === "string" ? v.toLowerCase() : v),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  ),
  SOP_TIMEZONE: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().refine(isIanaTimeZone, "must be an IANA time zone such as Europe/Berlin").optional(),
  ),
  SOP_DEMO: booleanFlag,
  SOP_API_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(16, "must be at least 16 characters long").optional(),
  ),
  SOP_PUBLIC_URL: url("an absolute URL such as https://sop.example.com"),
  SOP_DB_POOL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 100")
      .max(100, "must be between 1 and 100")
      .optional(),
  ),
  SOP_SHUTDOWN_TIMEOUT_MS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ error: "must be a number" }).int().min(0, "must be 0 or more").optional(),
  ),
  SLACK_BOT_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^[0-9a-f]{16,}$/i, "must be the app's signing secret (hexadecimal)")
      .optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().startsWith("xapp-", "must be an app-level token (xapp-…) for Socket Mode").optional(),
  ),
  SLACK_API_URL: url("an absolute URL such as https://slack.com/api/"),
  SOP_CHANNEL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^(#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{2,30})$/, "must be a channel name (#sop) or id (C0123ABCD)")
      .optional(),
  ),
  SOP_JOB_CHANNELS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(
        /^[a-z-]+=(#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{2,30})(,[a-z-]+=(#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{2,30}))*$/,
        "must be job=channel pairs, e.g. weekly-digest=#sop-exec,monthly-pack=C0123ABCD",
      )
      .optional(),
  ),
  SOP_JOBS: booleanFlag,
  SOP_VARIANCE_THRESHOLD: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^\d+(\.\d+)?%?$/, "must be a fraction (0.2) or a percentage (20%)")
      .transform((v) => (v.endsWith("%") ? Number(v.slice(0, -1)) / 100 : Number(v)))
      .refine((v) => v > 0 && v <= 10, "must be above 0 and at most 10 (1000%)")
      .optional(),
  ),
  // https://no-color.org: any non-empty value turns colour off in terminal output.
  NO_COLOR: optionalString,
  SOP_DASHBOARD_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(16, "must be at least 16 characters long").optional(),
  ),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  database: {
    /** PostgreSQL server URL; undefined means the embedded database (PGlite). */
    url: string | undefined;
    /** Where the embedded database keeps its files. */
    dataDir: string;
    /** Connections in the postgres.js pool. */
    poolMax: number;
  };
  server: {
    port: number;
    host: string;
    /** Base URL for links to the dashboard (Slack answers, digests). */
    publicUrl: string;
    /** How long a graceful shutdown waits for in-flight work, in milliseconds. */
    shutdownTimeoutMs: number;
  };
  log: { level: (typeof LOG_LEVELS)[number] };
  /**
   * The company time zone from SOP_TIMEZONE: it seeds the settings of a new database (the
   * settings, editable through the API, are the source of truth afterwards).
   */
  company: { timezone: string | undefined };
  /** Load the demo company into an empty database at start-up. */
  demo: boolean;
  api: { token: string | undefined };
  slack: {
    /** On when both the bot token and the signing secret are set. */
    enabled: boolean;
    botToken: string | undefined;
    signingSecret: string | undefined;
    /** Socket Mode instead of HTTP when set. */
    appToken: string | undefined;
    /** The Web API base URL (tests point it at a fake). */
    apiUrl: string | undefined;
  };
  jobs: {
    /** Run the cadence jobs on their schedules inside `sop serve` (default on). */
    enabled: boolean;
    /** Where jobs post, unless overridden per job; falls back to the company settings' channel. */
    channel: string | undefined;
    /** Per-job channel overrides: job name → channel. */
    channels: Record<string, string>;
    /** Variance alerts fire beyond this deviation from plan, a fraction (default 0.2). */
    varianceThreshold: number;
  };
  dashboard: {
    /** The dashboard's sign-in secret (falls back to the API token). */
    secret: string | undefined;
  };
  /** Terminal output of the CLI (console, ask). */
  terminal: { color: boolean };
}

/** A configuration that cannot start: `problems` names every bad variable and why. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string; value?: string }[]) {
    super(
      `Invalid configuration:\n${problems
        .map(
          (p) =>
            `  - ${p.variable}${p.value !== undefined ? `=${JSON.stringify(p.value)}` : ""}: ${p.message}`,
        )
        .join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Reads the configuration from `env` (process.env by default). Throws ConfigError. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "?");
      const raw = env[variable];
      // Secrets never end up in logs or error messages.
      const secret = /TOKEN|SECRET|PASSWORD/.test(variable) || variable === "DATABASE_URL";
      return { variable, message: issue.message, value: secret ? undefined : raw };
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const embedded = e.DATABASE_URL === undefined;
  const port = e.PORT ?? 3000;
  const host = e.HOST ?? "127.0.0.1";
  const publicHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    database: {
      url: e.DATABASE_URL,
      dataDir: e.SOP_DATA_DIR ?? "./.sop",
      poolMax: e.SOP_DB_POOL ?? (embedded ? 4 : 10),
    },
    server: {
      port,
      host,
      publicUrl: (
        e.SOP_PUBLIC_URL ?? `http://${publicHost.includes(":") ? `[${publicHost}]` : publicHost}:${port}`
      ).replace(/\/+$/, ""),
      shutdownTimeoutMs: e.SOP_SHUTDOWN_TIMEOUT_MS ?? 30_000,
    },
    log: { level: e.LOG_LEVEL ?? "info" },
    company: { timezone: e.SOP_TIMEZONE },
    demo: e.SOP_DEMO ?? embedded,
    api: { token: e.SOP_API_TOKEN },
    slack: {
      enabled: e.SLACK_BOT_TOKEN !== undefined && e.SLACK_SIGNING_SECRET !== undefined,
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    jobs: {
      enabled: e.SOP_JOBS ?? true,
      channel: e.SOP_CHANNEL,
      channels: Object.fromEntries(
        (e.SOP_JOB_CHANNELS ?? "")
          .split(",")
          .filter(Boolean)
          .map((pair) => pair.split("=") as [string, string]),
      ),
      varianceThreshold: e.SOP_VARIANCE_THRESHOLD ?? 0.2,
    },
    dashboard: { secret: e.SOP_DASHBOARD_SECRET ?? e.SOP_API_TOKEN },
    terminal: { color: e.NO_COLOR === undefined },
  };
}
