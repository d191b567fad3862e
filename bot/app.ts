/**
 * The Slack bot: a Bolt app reading data only through the API client. Over HTTP it is mounted
 * on the API's own server at POST /slack/events (see receiver.ts); with an app-level token it
 * connects over Socket Mode instead. Listeners ack() first, then work; a Slack retry of a
 * delivery already taken is acknowledged and dropped.
 */
import { App, type Authorize, SocketModeReceiver } from "@slack/bolt";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { registerApprove } from "./actions/approve.js";
import { registerOverrideModal } from "./actions/override-modal.js";
import { registerRequestChanges } from "./actions/request-changes.js";
import { registerWhatIf } from "./actions/whatif.js";
import type { ApiClient } from "./api.js";
import { registerAppHome } from "./app-home.js";
import { DEFAULT_FORMATS, type Formats } from "./blocks/format.js";
import { type CommandRouter, createRouter } from "./commands/router.js";
import { CompanyCache } from "./company.js";
import { DeliveryLog, deliveryKey } from "./dedupe.js";
import { FetchReceiver } from "./receiver.js";
import { type BotRuntime, CardRedrawer, createRender } from "./runtime.js";
import { slackLogger } from "./slack-logger.js";
import { registerSlashCommand } from "./slash-command.js";

export interface BotDeps {
  /** config.slack: the tokens, the signing secret and the Web API address. */
  slack: Config["slack"];
  /** SOP_PUBLIC_URL, for "Open in dashboard". */
  publicUrl: string;
  api: ApiClient;
  logger: Logger;
  now?: () => Date;
  /** Locale and currency of the answers (the time zone is the company's). */
  formats?: Omit<Formats, "timezone">;
  /** The slash command as configured in the Slack app. */
  command?: string;
  /** Clock for signature checks, in ms (tests). */
  clockMs?: () => number;
}

export interface Bot {
  mode: "http" | "socket";
  /** POST /slack/events: the HTTP endpoint (404 in Socket Mode, where Slack never calls it). */
  handle(request: Request): Promise<Response>;
  /** Checks the token with Slack (auth.test) and, in Socket Mode, connects. */
  start(): Promise<{ team: string | undefined; botUserId: string | undefined }>;
  /** Disconnects and waits for work started by deliveries already acknowledged. */
  stop(): Promise<void>;
  /** Resolves when no HTTP delivery is being worked on (tests and shutdown). */
  idle(): Promise<void>;
  router: CommandRouter;
  app: App;
}

/** The Web API's base address with the trailing slash the WebClient expects. */
function apiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}

export async function createBot(deps: BotDeps): Promise<Bot> {
  const { botToken, signingSecret, appToken } = deps.slack;
  if (!botToken || !signingSecret) {
    throw new Error("the Slack bot needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET");
  }
  const logger = deps.logger;
  const boltLogger = slackLogger(logger.child({ module: "bolt" }));
  const slackApiUrl = apiUrl(deps.slack.apiUrl);
  const clientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    // Rate limits: wait as Slack says (Retry-After) and try again, a few times at most.
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
  };

  const mode = appToken ? "socket" : "http";
  const http =
    mode === "http"
      ? new FetchReceiver({
          signingSecret,
          logger: logger.child({ module: "slack-http" }),
          ...(deps.clockMs ? { now: deps.clockMs } : {}),
        })
      : undefined;
  const socket = appToken
    ? new SocketModeReceiver({
        appToken,
        logger: boltLogger,
        installerOptions: { clientOptions },
      })
    : undefined;

  // One auth.test for the life of the process (Bolt's own would run on every event when
  // token verification is off, or fail unhandled at construction when it is on).
  let identity: Promise<{ botUserId: string; botId: string; teamId: string | undefined }> | undefined;
  let app: App;
  const whoAmI = () => {
    identity ??= app.client.auth.test({ token: botToken }).then(
      (r) => ({ botUserId: String(r.user_id ?? ""), botId: String(r.bot_id ?? ""), teamId: r.team_id }),
      (error: unknown) => {
        identity = undefined;
        throw error;
      },
    );
    return identity;
  };
  const authorize: Authorize<boolean> = async () => {
    const me = await whoAmI();
    return { botToken, botUserId: me.botUserId, botId: me.botId, teamId: me.teamId };
  };

  app = new App({
    receiver: (http ?? socket)!,
    authorize,
    logger: boltLogger,
    clientOptions,
  });

  // A delivery Slack sends again (a retry, or a Socket Mode redelivery) is acknowledged, not redone.
  const deliveries = new DeliveryLog();
  app.use(async ({ body, next, ...args }) => {
    const key = deliveryKey(body);
    if (key && !deliveries.claim(key)) {
      logger.info(
        { key, retry: args.context.retryNum },
        "Slack delivered this again: acknowledged, not redone",
      );
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await next();
  });
  app.error(async (error) => {
    logger.error({ err: error }, "the Slack bot failed to handle a delivery");
  });

  const router = await createRouter(logger.child({ module: "commands" }));
  const api = deps.api;
  const company = new CompanyCache(api);
  const now = deps.now ?? (() => new Date());
  const render = createRender(company, {
    formats: deps.formats ?? { locale: DEFAULT_FORMATS.locale, currency: DEFAULT_FORMATS.currency },
    now,
    publicUrl: deps.publicUrl,
  });
  const rt: BotRuntime = {
    api,
    router,
    company,
    logger,
    command: deps.command ?? "/sop",
    cards: new CardRedrawer(api, render, logger),
    render,
  };
  registerSlashCommand(app, rt);
  registerApprove(app, rt);
  registerRequestChanges(app, rt);
  registerOverrideModal(app, rt);
  registerWhatIf(app, rt);
  registerAppHome(app, rt);

  return {
    mode,
    router,
    app,
    handle: (request) => (http ? http.handle(request) : Promise.resolve(new Response(null, { status: 404 }))),
    async start() {
      const me = await whoAmI();
      if (socket) await app.start();
      return { team: me.teamId, botUserId: me.botUserId };
    },
    async stop() {
      if (socket) await app.stop();
      await http?.stop();
    },
    async idle() {
      await http?.drain();
    },
  };
}
