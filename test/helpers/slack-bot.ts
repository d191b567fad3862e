/**
 * The bot as Slack sees it: the API and the bot wired as `sop serve` wires them, on a real
 * listening server, its WebClient pointed at the fake Slack, and helpers that send the
 * requests Slack sends — signed with the signing secret the way Slack signs them (HMAC-SHA256
 * of "v0:<timestamp>:<body>"), in Slack's own payload shapes.
 */
import { createHmac, randomBytes } from "node:crypto";
import { createApp } from "../../api/app.js";
import { type ApiClient, createApiClient } from "../../api/client.js";
import { createLogger } from "../../api/logger.js";
import { type RunningServer, startHttpServer } from "../../api/server.js";
import { type Bot, createBot } from "../../bot/app.js";
import { coalescedInProcessClient } from "../../bot/coalesce.js";
import { type Config, loadConfig } from "../../config.js";
import type { FakeSlack, FakeSlackCall, StoredMessage } from "./fake-slack.js";
import type { TestDatabase } from "./test-db.js";

export const SIGNING_SECRET = "8f742231b10e8888abcd990000085a5e";
export const TEAM = "T0FAKE0001";
export const CHANNEL = "C0SOPCYCLE";

export interface SendOptions {
  /** Seconds since the epoch for X-Slack-Request-Timestamp (default: now). */
  timestamp?: number;
  /** Replaces the computed signature ("" leaves the header out). */
  signature?: string;
  /** Leave out X-Slack-Request-Timestamp. */
  noTimestamp?: boolean;
  /** X-Slack-Retry-Num / X-Slack-Retry-Reason. */
  retryNum?: number;
  retryReason?: string;
  /** Sign with this secret instead of the app's. */
  secret?: string;
}

export interface CommandSent {
  status: number;
  body: string;
  /** The response_url id given to the command. */
  responseId: string;
  triggerId: string;
  /** Resolves with the first post to the command's response_url. */
  answer(timeoutMs?: number): Promise<FakeSlackCall>;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

let counter = 0;
const id = (prefix: string) =>
  `${prefix}${Date.now().toString(36).toUpperCase()}${(counter++).toString(36).toUpperCase()}`;

export class SlackBotHarness {
  constructor(
    readonly fake: FakeSlack,
    readonly server: RunningServer,
    readonly bot: Bot,
    readonly app: ReturnType<typeof createApp>,
    readonly api: ApiClient,
    readonly config: Config,
  ) {}

  get eventsUrl(): string {
    return `${this.server.url}/slack/events`;
  }

  /** POSTs a raw body to /slack/events, signed unless told otherwise. */
  async post(body: string, contentType: string, options: SendOptions = {}): Promise<Response> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { "content-type": contentType };
    if (!options.noTimestamp) headers["x-slack-request-timestamp"] = String(timestamp);
    const signature = options.signature ?? sign(options.secret ?? SIGNING_SECRET, timestamp, body);
    if (signature) headers["x-slack-signature"] = signature;
    if (options.retryNum !== undefined) headers["x-slack-retry-num"] = String(options.retryNum);
    if (options.retryReason) headers["x-slack-retry-reason"] = options.retryReason;
    return fetch(this.eventsUrl, { method: "POST", headers, body });
  }

  /** The form body of a slash command, as Slack sends it. */
  commandBody(
    text: string,
    user: string,
    options: { channel?: string; responseId?: string; triggerId?: string } = {},
  ) {
    const responseId = options.responseId ?? id("R");
    const triggerId = options.triggerId ?? `${Date.now()}.${id("")}`;
    const body = new URLSearchParams({
      token: "legacy-verification-token",
      team_id: TEAM,
      team_domain: "fake-workspace",
      channel_id: options.channel ?? CHANNEL,
      channel_name: "sop-monthly",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/sop",
      text,
      api_app_id: "A0FAKEAPP1",
      is_enterprise_install: "false",
      response_url: this.fake.responseUrl(responseId),
      trigger_id: triggerId,
    }).toString();
    return { body, responseId, triggerId };
  }

  /** Sends `/sop <text>` as `user`; answer() waits for the post to its response_url. */
  async command(
    text: string,
    user: string,
    options: SendOptions & { channel?: string; responseId?: string; triggerId?: string } = {},
  ): Promise<CommandSent> {
    const { body, responseId, triggerId } = this.commandBody(text, user, options);
    const res = await this.post(body, "application/x-www-form-urlencoded", options);
    return {
      status: res.status,
      body: await res.text(),
      responseId,
      triggerId,
      answer: (timeoutMs = 10_000) =>
        this.fake.waitFor((c) => c.method === "response_url" && c.args.response_id === responseId, timeoutMs),
    };
  }

  /** The payload of a click on a button of a stored message, as Slack sends block_actions. */
  clickPayload(
    message: StoredMessage,
    actionId: string,
    user: string,
    options: { responseId?: string } = {},
  ) {
    const button = findButton(message.blocks ?? [], actionId);
    if (!button) throw new Error(`the message ${message.ts} has no button ${actionId}`);
    const responseId = options.responseId ?? id("R");
    const payload = {
      type: "block_actions",
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: "A0FAKEAPP1",
      token: "legacy-verification-token",
      container: {
        type: "message",
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: false,
      },
      trigger_id: `${Date.now()}.${id("")}`,
      team: { id: TEAM, domain: "fake-workspace" },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: message.channel, name: "sop-monthly" },
      message: { type: "message", ts: message.ts, text: message.text, blocks: message.blocks },
      state: { values: {} },
      response_url: this.fake.responseUrl(responseId),
      actions: [
        {
          action_id: actionId,
          block_id: button.blockId,
          text: button.text,
          value: button.value,
          type: "button",
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    return { payload, responseId };
  }

  /** Posts an interaction payload (block_actions, view_submission) as Slack does: a form field. */
  async interact(payload: unknown, options: SendOptions = {}): Promise<Response> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, "application/x-www-form-urlencoded", options);
  }

  /** Clicks a button of a stored message; returns the HTTP answer and the response_url id. */
  async click(message: StoredMessage, actionId: string, user: string, options: SendOptions = {}) {
    const { payload, responseId } = this.clickPayload(message, actionId, user);
    const res = await this.interact(payload, options);
    return { status: res.status, responseId, payload };
  }

  /** A modal submission for a view the bot opened, with `comment` typed in. */
  viewSubmission(view: { id: string; view: Record<string, unknown> }, user: string, comment: string | null) {
    return {
      type: "view_submission",
      team: { id: TEAM, domain: "fake-workspace" },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: "A0FAKEAPP1",
      token: "legacy-verification-token",
      trigger_id: `${Date.now()}.${id("")}`,
      view: {
        ...view.view,
        id: view.id,
        team_id: TEAM,
        hash: `${Math.floor(Date.now() / 1000)}.abc`,
        state: {
          values: { comment: { comment: { type: "plain_text_input", value: comment } } },
        },
      },
      response_urls: [],
      is_enterprise_install: false,
    };
  }

  /** A modal submission with plain-text inputs typed in: block id → value (the action id is the same). */
  formSubmission(
    view: { id: string; view: Record<string, unknown> },
    user: string,
    fields: Record<string, string | null>,
  ) {
    const submission = this.viewSubmission(view, user, null);
    const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
    for (const [block, value] of Object.entries(fields)) {
      values[block] = { [block]: { type: "plain_text_input", value } };
    }
    submission.view.state = { values } as never;
    return submission;
  }

  /**
   * An ephemeral answer (a post to a response_url) as the message the person sees, so its
   * buttons can be clicked: ephemeral messages have a ts but are not stored in a channel.
   */
  ephemeral(call: FakeSlackCall, channel = CHANNEL): StoredMessage {
    const blocks = (call.args.blocks as unknown[] | undefined) ?? [];
    const text = typeof call.args.text === "string" ? call.args.text : "";
    const ts = `${Math.floor(Date.now() / 1000)}.${String(counter++).padStart(6, "0")}`;
    return {
      channel,
      ts,
      threadTs: undefined,
      text,
      blocks,
      files: [],
      metadata: undefined,
      versions: [{ text, blocks, at: Date.now() }],
      editedAt: undefined,
    };
  }

  /** An Events API delivery (JSON), e.g. app_home_opened. */
  async event(event: Record<string, unknown>, options: SendOptions & { eventId?: string } = {}) {
    const eventId = options.eventId ?? id("Ev");
    const body = JSON.stringify({
      token: "legacy-verification-token",
      team_id: TEAM,
      api_app_id: "A0FAKEAPP1",
      event,
      type: "event_callback",
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM, user_id: this.fake.botUserId, is_bot: true }],
    });
    const res = await this.post(body, "application/json", options);
    return { status: res.status, eventId, text: await res.text() };
  }

  async close(): Promise<void> {
    await this.server.close(5000);
    await this.bot.stop();
  }
}

function findButton(blocks: unknown[], actionId: string) {
  for (const block of blocks as Record<string, unknown>[]) {
    if (block.type !== "actions") continue;
    for (const element of (block.elements as Record<string, unknown>[]) ?? []) {
      if (element.action_id === actionId) {
        return {
          blockId: block.block_id as string | undefined,
          text: element.text,
          value: element.value as string,
        };
      }
    }
  }
  return undefined;
}

/** The button action ids of a message's blocks. */
export function buttonsOf(message: { blocks?: unknown[] | undefined } | undefined): string[] {
  const out: string[] = [];
  for (const block of (message?.blocks ?? []) as Record<string, unknown>[]) {
    if (block.type !== "actions") continue;
    for (const e of (block.elements as Record<string, unknown>[]) ?? []) out.push(String(e.action_id));
  }
  return out;
}

/** All the text of some blocks, for assertions on what people read. */
export function textOf(blocks: unknown[] | undefined): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v !== "object" || v === null) return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (typeof o.text === "string") parts.push(o.text);
    for (const [k, x] of Object.entries(o)) if (k !== "text" || typeof x !== "string") walk(x);
  };
  walk(blocks ?? []);
  // What people read: Slack shows &amp; &lt; &gt; as & < >.
  return parts.join("\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Starts the API and the bot as `sop serve` does (the bot mounted at POST /slack/events) on
 * 127.0.0.1 with a free port, the bot's Web API at the fake.
 */
export async function startSlackBot(
  db: TestDatabase,
  fake: FakeSlack,
  options: {
    now?: () => Date;
    env?: Record<string, string>;
    api?: (app: ReturnType<typeof createApp>) => ApiClient;
  } = {},
): Promise<SlackBotHarness> {
  const config = loadConfig({
    LOG_LEVEL: "silent",
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    SOP_PUBLIC_URL: "https://sop.example.com",
    ...options.env,
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const now = options.now ?? (() => new Date());
  let bot: Bot | undefined;
  const app = createApp({
    sql: db.sql,
    config,
    logger,
    database: { kind: db.kind, where: db.where },
    version: "test",
    now,
    slackEvents: (request) =>
      bot ? bot.handle(request) : Promise.resolve(new Response(null, { status: 503 })),
  });
  // As `sop serve` builds it: concurrent identical reads shared.
  const api =
    options.api?.(app) ?? coalescedInProcessClient(app, { token: config.api.token, actor: "slack" });
  bot = await createBot({ slack: config.slack, publicUrl: config.server.publicUrl, api, logger, now });
  await bot.start();
  const server = await startHttpServer({
    fetch: app.fetch,
    port: 0,
    host: "127.0.0.1",
    logger,
    abort: new AbortController(),
  });
  return new SlackBotHarness(fake, server, bot, app, api, config);
}

/** A client whose API is a closed port: every call fails as when the API is unreachable. */
export function unreachableApi(): ApiClient {
  return createApiClient((input, init) => fetch(input, init), { baseUrl: "http://127.0.0.1:9" });
}

export const randomId = () => randomBytes(4).toString("hex");
