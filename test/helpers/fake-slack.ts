/**
 * A fake Slack Web API on loopback, for testing the bot from the outside: the app's WebClient is
 * pointed at `fake.url` (SLACK_API_URL), every call is recorded, and Slack's auth, limits, error
 * shapes and rate limiting are enforced so a payload Slack would refuse fails the test too.
 *
 * How @slack/web-api talks to it (read from node_modules/@slack/web-api/dist/WebClient.js, v8):
 * - URLs are `${slackApiUrl}${method}` (a trailing "/" is added to slackApiUrl if missing), every
 *   call is a POST with `Authorization: Bearer <token>`, and arguments are form-urlencoded with
 *   objects/arrays (blocks, view, files) JSON-encoded; JSON bodies are accepted too, as Slack does.
 * - chat.postMessage takes a channel name ("#sop") as Slack does for public channels and answers
 *   with the channel's id; files.completeUploadExternal's channel_id must be an id.
 * - A 429 with a numeric Retry-After makes it pause its queue for that many seconds and retry
 *   (per retryConfig), or throw WebAPIRateLimitedError when rejectRateLimitedCalls is set.
 * - filesUploadV2 calls files.getUploadURLExternal (filename, length), POSTs the bytes to the
 *   returned upload_url as multipart/form-data (one file part named "body") and expects HTTP 200,
 *   then calls files.completeUploadExternal with files=[{id,title}], channel_id, initial_comment,
 *   thread_ts.
 * Bolt's respond() POSTs JSON to the response_url and throws on a non-2xx status.
 *
 * Socket Mode: apps.connections.open (with the app-level token only, as Slack) answers a ws://
 * URL on this server; the client connects, gets Slack's hello, and tests push envelopes with
 * sendEnvelope(), which resolves with the client's acknowledgement.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type BlockProblem,
  LIMITS,
  problemErrors,
  problemMessages,
  validateBlocks,
  validateView,
} from "./slack-limits.js";
import { ServerWebSocket } from "./websocket-server.js";

type Json = Record<string, unknown>;

export interface FakeSlackUser {
  id: string;
  name: string;
  real_name?: string;
  /** IANA zone, e.g. "Europe/Berlin" (Slack's `tz`). */
  tz?: string;
  email?: string;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface FakeSlackOptions {
  /** The only token accepted (default "xoxb-fake-bot-token"). Must be a bot token (xoxb-). */
  botToken?: string;
  /**
   * The app-level token apps.connections.open accepts (default "xapp-fake-app-token"); it opens
   * a Socket Mode connection to this fake (see `socketMode`).
   */
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** The user directory behind users.info. */
  users?: FakeSlackUser[];
  /**
   * Known channel ids. Unset (the default) any C…/D…/G… id is accepted, and U…/W… ids post to
   * the DM with that user; set, only these ids (and DMs) are valid and others get channel_not_found.
   */
  channels?: string[];
  /** Delay in ms before handling a method ("*" for every method, "upload", "response_url"). */
  latency?: Record<string, number>;
  /**
   * Channel names chat.postMessage accepts ("#sop" → "C0SOP"), as Slack resolves a public
   * channel's name; other names are channel_not_found. Methods that need an id
   * (files.completeUploadExternal's channel_id) never take a name.
   */
  channelNames?: Record<string, string>;
}

/** One request the fake received. */
export interface FakeSlackCall {
  /** Web API method ("chat.postMessage"), or "upload" / "response_url" for those endpoints. */
  method: string;
  /** Parsed arguments (form or JSON body, blocks/view/files decoded), without the token. */
  args: Json;
  /** The token used (Authorization header or `token` argument), if any. */
  token: string | undefined;
  /** Date.now() when the call was handled. */
  at: number;
  /** HTTP status the fake answered. */
  status: number;
  ok: boolean;
  /** Slack error code when ok is false. */
  error: string | undefined;
  /** The JSON body the fake answered with. */
  response: Json;
}

export interface MessageVersion {
  text: string | undefined;
  blocks: unknown[] | undefined;
  at: number;
}

/** A message in a channel, as it currently stands after updates. */
export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
  /** File ids shared with this message (files.completeUploadExternal). */
  files: string[];
  metadata: unknown;
  /** Every version, oldest first: the post, then one per chat.update / replace_original. */
  versions: MessageVersion[];
  /** ts-like marker of the last edit, like Slack's `edited.ts`. */
  editedAt: number | undefined;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  threadTs: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
}

export interface FakeView {
  id: string;
  type: "modal" | "home";
  /** Home tab owner (views.publish). */
  userId: string | undefined;
  triggerId: string | undefined;
  hash: string;
  view: Json;
  blocks: unknown[];
  /** "views.publish", "views.open", "views.push" or "views.update". */
  via: string;
}

export interface FakeFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText: string | undefined;
  /** The bytes POSTed to the upload URL (undefined until uploaded). */
  bytes: Buffer | undefined;
  /** Width and height read from the PNG header, when the bytes are a PNG. */
  png: { width: number; height: number } | undefined;
  completed: boolean;
  title: string | undefined;
  channel: string | undefined;
  initialComment: string | undefined;
  threadTs: string | undefined;
  /** ts of the message that shared it, when completed with a channel. */
  shareTs: string | undefined;
}

/** A Socket Mode acknowledgement: the envelope id and the response payload it carried. */
export interface SocketAck {
  envelopeId: string;
  payload: Json;
  at: number;
}

export interface FakeResponse {
  responseId: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  responseType: string | undefined;
  replaceOriginal: boolean;
  deleteOriginal: boolean;
  threadTs: string | undefined;
  body: Json;
  at: number;
}

interface Reply {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

interface Original {
  channel: string;
  ts: string;
}

type Handler = (args: Json) => Reply;

const ok = (body: Json = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: Json = {}): Reply => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** Arguments WebClient JSON-encodes inside a form body. */
const JSON_ARGS = new Set(["blocks", "attachments", "view", "files", "metadata", "file_uploads"]);

/** Slack's own answers for a bad block list: the error plus errors/response_metadata detail. */
function blocksFailure(error: string, problems: BlockProblem[]): Reply {
  return fail(error, {
    errors: problemErrors(problems),
    response_metadata: { messages: problemMessages(problems) },
  });
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === "true" || value === "1" || value === 1;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
}

/** Parses a multipart/form-data body with the platform's own parser (undici's Request). */
function multipartForm(contentType: string, body: Buffer): Promise<FormData> {
  return new Request("http://fake.invalid/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: new Uint8Array(body),
  }).formData();
}

/** Decodes a request body the way Slack does: form-urlencoded, JSON or multipart. */
async function parseArgs(req: IncomingMessage, body: Buffer, url: URL): Promise<Json> {
  const args: Json = Object.fromEntries(url.searchParams);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("application/json")) {
    const parsed: unknown = body.length ? JSON.parse(body.toString("utf8")) : {};
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    Object.assign(args, parsed);
    return args;
  }
  if (type.includes("multipart/form-data")) {
    const form = await multipartForm(req.headers["content-type"] ?? "", body);
    form.forEach((value, key) => {
      if (typeof value === "string") args[key] = value;
    });
  } else if (body.length) {
    for (const [key, value] of Object.entries(parseQuery(body.toString("utf8")))) {
      args[key] = Array.isArray(value) ? value[value.length - 1] : value;
    }
  }
  for (const key of JSON_ARGS) {
    const value = args[key];
    if (typeof value !== "string") continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as a string: the method answers invalid_blocks_format / invalid_arguments.
    }
  }
  return args;
}

/** Offset and label of a zone at the current time, for users.info's tz_offset / tz_label. */
function zoneInfo(tz: string): { offset: number; label: string } {
  try {
    const parts = (style: "longOffset" | "long") =>
      new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: style })
        .formatToParts(new Date())
        .find((p) => p.type === "timeZoneName")?.value ?? "";
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(parts("longOffset"));
    const offset = match
      ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60)
      : 0;
    return { offset, label: parts("long") };
  } catch {
    return { offset: 0, label: tz };
  }
}

export class FakeSlack {
  /** The slackApiUrl to give the WebClient: "http://127.0.0.1:<port>/api/". */
  readonly url: string;
  /** "http://127.0.0.1:<port>". */
  readonly origin: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;

  readonly #server: Server;
  readonly #users = new Map<string, FakeSlackUser>();
  readonly #channels: Set<string> | undefined;
  readonly #channelNames = new Map<string, string>();
  readonly #handlers: Record<string, Handler>;

  #calls: FakeSlackCall[] = [];
  #waiters: Array<{ predicate: (call: FakeSlackCall) => boolean; resolve: (call: FakeSlackCall) => void }> =
    [];
  #messages = new Map<string, StoredMessage[]>();
  #ephemerals: EphemeralMessage[] = [];
  #views: FakeView[] = [];
  #homes = new Map<string, FakeView>();
  #files = new Map<string, FakeFile>();
  #responses: FakeResponse[] = [];
  #responseUses = new Map<string, number>();
  #originals = new Map<string, Original>();
  #openedDms = new Set<string>();
  #usedTriggers = new Set<string>();
  #rateLimits = new Map<string, { times: number; retryAfterSeconds: number }>();
  #failures = new Map<string, Array<{ error: string; extra: Json }>>();
  #latency = new Map<string, number>();
  /** Never reset, so a ts is never handed out twice in the fake's lifetime. */
  #tsCounter = 0;
  #idCounter = 0;
  #sockets: ServerWebSocket[] = [];
  #socketWaiters: Array<() => void> = [];
  #envelopeAcks = new Map<string, (ack: SocketAck) => void>();
  #socketAcks: SocketAck[] = [];

  private constructor(server: Server, options: FakeSlackOptions) {
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.url = `${this.origin}/api/`;
    this.botToken = options.botToken ?? "xoxb-fake-bot-token";
    if (!this.botToken.startsWith("xoxb-"))
      throw new Error("FakeSlack: botToken must be a bot token (xoxb-…)");
    this.teamId = options.teamId ?? "T0FAKE0001";
    this.botUserId = options.botUserId ?? "U0FAKEBOT1";
    this.botId = options.botId ?? "B0FAKEBOT1";
    this.appToken = options.appToken ?? "xapp-fake-app-token";
    if (!this.appToken.startsWith("xapp-"))
      throw new Error("FakeSlack: appToken must be an app token (xapp-…)");
    for (const user of options.users ?? []) this.#users.set(user.id, user);
    this.#channels = options.channels ? new Set(options.channels) : undefined;
    for (const [name, id] of Object.entries(options.channelNames ?? {})) this.#channelNames.set(name, id);
    for (const [method, ms] of Object.entries(options.latency ?? {})) this.#latency.set(method, ms);
    this.#handlers = {
      "auth.test": () => this.#authTest(),
      "chat.postMessage": (a) => this.#postMessage(a),
      "chat.postEphemeral": (a) => this.#postEphemeral(a),
      "chat.update": (a) => this.#update(a),
      "chat.delete": (a) => this.#delete(a),
      "views.publish": (a) => this.#viewsPublish(a),
      "views.open": (a) => this.#viewsOpen(a, "views.open"),
      "views.push": (a) => this.#viewsOpen(a, "views.push"),
      "views.update": (a) => this.#viewsUpdate(a),
      "users.info": (a) => this.#usersInfo(a),
      "conversations.open": (a) => this.#conversationsOpen(a),
      "files.getUploadURLExternal": (a) => this.#getUploadUrl(a),
      "files.completeUploadExternal": (a) => this.#completeUpload(a),
    };
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      if (!fake) {
        res.writeHead(503).end();
        return;
      }
      fake.#route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
    server.on("upgrade", (req, socket) => {
      if (!fake) socket.destroy();
      else fake.#upgrade(req, socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    fake = new FakeSlack(server, options);
    return fake;
  }

  /** Stops the server (open keep-alive connections and Socket Mode connections included). */
  async close(): Promise<void> {
    for (const ws of this.#sockets) ws.destroy();
    await new Promise<void>((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      this.#server.closeAllConnections();
    });
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Every call recorded since start or the last reset(), oldest first. */
  get calls(): readonly FakeSlackCall[] {
    return this.#calls;
  }

  /** The calls to one method ("chat.postMessage", "upload", "response_url"). */
  callsTo(method: string): FakeSlackCall[] {
    return this.#calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first recorded call (already recorded ones included) matching `match`, a
   * method name or a predicate; rejects after timeoutMs. Use it instead of sleeping.
   */
  waitFor(match: string | ((call: FakeSlackCall) => boolean), timeoutMs = 5000): Promise<FakeSlackCall> {
    const predicate = typeof match === "string" ? (c: FakeSlackCall) => c.method === match : match;
    const found = this.#calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (call: FakeSlackCall) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        const seen = this.#calls.map((c) => `${c.method}${c.ok ? "" : `(${c.error})`}`).join(", ") || "none";
        reject(new Error(`FakeSlack.waitFor timed out after ${timeoutMs} ms; calls recorded: ${seen}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Messages in a channel (a U… id means the DM with that user), oldest first. */
  messages(channel: string): StoredMessage[] {
    return [...(this.#messages.get(this.#dmOrSelf(channel)) ?? [])];
  }

  /** One message by channel and ts, as it stands after updates. */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.#messages.get(this.#dmOrSelf(channel))?.find((m) => m.ts === ts);
  }

  /** Every stored message in every channel, in posting order. */
  allMessages(): StoredMessage[] {
    return [...this.#messages.values()].flat().sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  get ephemerals(): readonly EphemeralMessage[] {
    return this.#ephemerals;
  }

  /** Every view opened, pushed, updated or published, in order. */
  get views(): readonly FakeView[] {
    return this.#views;
  }

  /** The Home tab currently published for a user. */
  homeView(userId: string): FakeView | undefined {
    return this.#homes.get(userId);
  }

  /** Files announced with files.getUploadURLExternal, in order (uploaded or not). */
  get files(): FakeFile[] {
    return [...this.#files.values()];
  }

  file(id: string): FakeFile | undefined {
    return this.#files.get(id);
  }

  /**
   * A response_url on the fake. Pass the original message to let replace_original /
   * delete_original act on the message store, and response_type in_channel post to its channel.
   */
  responseUrl(id: string, original?: Original): string {
    if (original) this.#originals.set(id, original);
    return `${this.origin}/response/${encodeURIComponent(id)}`;
  }

  /** Accepted posts to response URLs, all or for one id. */
  responses(id?: string): FakeResponse[] {
    return this.#responses.filter((r) => id === undefined || r.responseId === id);
  }

  /** The id a channel name given in `channelNames` ("#sop") resolves to. */
  channelIdFor(name: string): string {
    const known = this.#channelNames.get(name);
    if (!known) throw new Error(`FakeSlack: ${name} is not in channelNames`);
    return known;
  }

  /** The DM channel id the fake uses for a user (what conversations.open answers). */
  dmChannelFor(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  // ---- Socket Mode ----------------------------------------------------------------------------

  /** Resolves when a Socket Mode client is connected (after its hello). */
  socketConnected(timeoutMs = 5000): Promise<void> {
    if (this.#sockets.some((s) => s.open)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no Socket Mode client connected in time")), timeoutMs);
      this.#socketWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Socket Mode connections open now. */
  get socketConnections(): number {
    return this.#sockets.filter((s) => s.open).length;
  }

  /** Every acknowledgement received over Socket Mode, in order. */
  get socketAcks(): readonly SocketAck[] {
    return this.#socketAcks;
  }

  /**
   * Sends an envelope over Socket Mode, as Slack does (`slash_commands`, `interactive`,
   * `events_api`), and resolves with the client's acknowledgement. Pass the same envelope id
   * with `retryAttempt` to redeliver it.
   */
  sendEnvelope(
    type: "slash_commands" | "interactive" | "events_api",
    payload: Json,
    options: { envelopeId?: string; retryAttempt?: number; retryReason?: string; timeoutMs?: number } = {},
  ): Promise<SocketAck> {
    const ws = this.#sockets.find((s) => s.open);
    if (!ws) return Promise.reject(new Error("no Socket Mode client is connected"));
    const envelopeId = options.envelopeId ?? `env-${this.#nextId("E")}`;
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      ...(type === "events_api"
        ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? "" }
        : {}),
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`envelope ${envelopeId} was not acknowledged`)),
        options.timeoutMs ?? 5000,
      );
      this.#envelopeAcks.set(`${envelopeId}:${options.retryAttempt ?? 0}`, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      ws.sendText(JSON.stringify(envelope));
    });
  }

  #upgrade(req: IncomingMessage, socket: Duplex): void {
    if (!(req.url ?? "").startsWith("/link")) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    const ws = ServerWebSocket.accept(req, socket);
    if (!ws) return;
    this.#sockets.push(ws);
    ws.onClose = () => {
      this.#sockets = this.#sockets.filter((s) => s !== ws);
    };
    ws.onText = (text) => {
      let message: { envelope_id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return;
      }
      if (typeof message.envelope_id !== "string") return;
      const ack: SocketAck = {
        envelopeId: message.envelope_id,
        payload: (message.payload as Json) ?? {},
        at: Date.now(),
      };
      this.#socketAcks.push(ack);
      // The first waiting delivery of that envelope (retries are keyed by attempt).
      const key = [...this.#envelopeAcks.keys()].find((k) => k.startsWith(`${ack.envelopeId}:`));
      if (key) {
        const resolve = this.#envelopeAcks.get(key)!;
        this.#envelopeAcks.delete(key);
        resolve(ack);
      }
    };
    ws.sendText(
      JSON.stringify({
        type: "hello",
        num_connections: this.#sockets.length,
        debug_info: { host: "fake-slack", approximate_connection_time: 18060 },
        connection_info: { app_id: "A0FAKEAPP1" },
      }),
    );
    for (const waiter of this.#socketWaiters.splice(0)) waiter();
  }

  // ---- behaviour ------------------------------------------------------------------------------

  /** The next `times` calls to `method` answer HTTP 429 with Retry-After and error "ratelimited". */
  rateLimit(method: string, options: { times?: number; retryAfterSeconds?: number } = {}): void {
    this.#rateLimits.set(method, {
      times: options.times ?? 1,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  /** The next call to `method` answers {ok:false, error, ...extra} (queued: call again for more). */
  failNext(method: string, error: string, extra: Json = {}): void {
    const queue = this.#failures.get(method) ?? [];
    queue.push({ error, extra });
    this.#failures.set(method, queue);
  }

  /** Delays handling of a method ("*" for all, "upload", "response_url"); null removes it. */
  setLatency(method: string, ms: number | null): void {
    if (ms === null) this.#latency.delete(method);
    else this.#latency.set(method, ms);
  }

  addUser(user: FakeSlackUser): void {
    this.#users.set(user.id, user);
  }

  /**
   * Forgets calls, messages, views, files, responses, used trigger ids, rate limits, injected
   * failures and latency. Users, tokens and the ts counter are kept.
   */
  reset(): void {
    this.#calls = [];
    this.#socketAcks = [];
    this.#messages.clear();
    this.#ephemerals = [];
    this.#views = [];
    this.#homes.clear();
    this.#files.clear();
    this.#responses = [];
    this.#responseUses.clear();
    this.#originals.clear();
    this.#openedDms.clear();
    this.#usedTriggers.clear();
    this.#rateLimits.clear();
    this.#failures.clear();
    this.#latency.clear();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const body = await readBody(req);
    const [, area, rawName] = url.pathname.split("/");
    const name = decodeURIComponent(rawName ?? "");
    if (area === "api" && name) return this.#api(name, req, body, url, res);
    if (area === "upload" && name && req.method === "POST") return this.#upload(name, req, body, res);
    if (area === "response" && name && req.method === "POST") return this.#response(name, body, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }

  async #api(
    method: string,
    req: IncomingMessage,
    body: Buffer,
    url: URL,
    res: ServerResponse,
  ): Promise<void> {
    await this.#delay(method);
    let args: Json;
    try {
      args = await parseArgs(req, body, url);
    } catch {
      return this.#send(res, { method, args: {}, token: undefined }, fail("invalid_json"));
    }
    const token = bearer(req) ?? str(args.token);
    delete args.token;
    const call = { method, args, token };
    if (!token) return this.#send(res, call, fail("not_authed"));
    // apps.connections.open takes the app-level token only; everything else the bot token.
    if (method === "apps.connections.open") {
      if (token.startsWith("xoxb-")) return this.#send(res, call, fail("not_allowed_token_type"));
      if (token !== this.appToken) return this.#send(res, call, fail("invalid_auth"));
      return this.#send(
        res,
        call,
        ok({ url: `${this.origin.replace(/^http/, "ws")}/link/?ticket=${this.#nextId("T")}` }),
      );
    }
    if (token !== this.botToken) return this.#send(res, call, fail("invalid_auth"));

    const limit = this.#rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      return this.#send(res, call, {
        status: 429,
        body: { ok: false, error: "ratelimited" },
        headers: { "retry-after": String(limit.retryAfterSeconds) },
      });
    }
    const failure = this.#failures.get(method)?.shift();
    if (failure) return this.#send(res, call, fail(failure.error, failure.extra));

    const handler = this.#handlers[method];
    const reply = handler ? handler(args) : fail("unknown_method", { req_method: method });
    return this.#send(res, call, reply);
  }

  async #delay(method: string): Promise<void> {
    const ms = this.#latency.get(method) ?? this.#latency.get("*");
    if (ms) await sleep(ms);
  }

  #send(res: ServerResponse, call: Pick<FakeSlackCall, "method" | "args" | "token">, reply: Reply): void {
    const recorded: FakeSlackCall = {
      ...call,
      at: Date.now(),
      status: reply.status,
      ok: reply.body.ok === true,
      error: typeof reply.body.error === "string" ? reply.body.error : undefined,
      response: reply.body,
    };
    this.#record(recorded);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  #record(call: FakeSlackCall): void {
    this.#calls.push(call);
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(call)) {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        waiter.resolve(call);
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  #nextTs(): string {
    this.#tsCounter += 1;
    const micros = this.#tsCounter * 100;
    const seconds = 1_700_000_000 + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  #nextId(prefix: string): string {
    this.#idCounter += 1;
    return `${prefix}0${String(this.#idCounter).padStart(9, "0")}`;
  }

  #dmOrSelf(channel: string): string {
    if (channel.startsWith("#")) return this.#channelNames.get(channel) ?? channel;
    return /^[UW][A-Z0-9]+$/.test(channel) ? this.dmChannelFor(channel) : channel;
  }

  /** A channel id a message can be posted to, or undefined (channel_not_found). */
  #resolveChannel(value: unknown, names = false): string | undefined {
    const id = str(value);
    if (!id) return undefined;
    if (id.startsWith("#")) return names ? this.#channelNames.get(id) : undefined;
    if (/^[UW][A-Z0-9]{2,}$/.test(id)) {
      const dm = this.dmChannelFor(id);
      this.#openedDms.add(dm);
      return dm;
    }
    if (this.#channels) return this.#channels.has(id) || this.#openedDms.has(id) ? id : undefined;
    return /^[CDG][A-Z0-9]{2,}$/.test(id) ? id : undefined;
  }

  /**
   * Slack's checks on message content: invalid_blocks_format (blocks not a JSON array), no_text
   * (neither text nor blocks), msg_too_long (text over 40,000 characters), invalid_blocks (a Block
   * Kit limit broken).
   */
  #checkContent(args: Json, required: boolean): Reply | undefined {
    const text = str(args.text);
    const blocks = args.blocks;
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
    if (blocks !== undefined && !Array.isArray(blocks)) return fail("invalid_blocks_format");
    if (required && !text && !hasBlocks && !hasAttachments) return fail("no_text");
    if (text !== undefined && text.length > LIMITS.messageText) return fail("msg_too_long");
    if (Array.isArray(blocks)) {
      const problems = validateBlocks(blocks, "message");
      if (problems.length) return blocksFailure("invalid_blocks", problems);
    }
    return undefined;
  }

  #store(message: Omit<StoredMessage, "versions" | "editedAt">): StoredMessage {
    const stored: StoredMessage = {
      ...message,
      versions: [{ text: message.text, blocks: message.blocks, at: Date.now() }],
      editedAt: undefined,
    };
    const list = this.#messages.get(message.channel) ?? [];
    list.push(stored);
    this.#messages.set(message.channel, list);
    return stored;
  }

  #edit(message: StoredMessage, text: string | undefined, blocks: unknown[] | undefined): void {
    // chat.update: "If you don't include [blocks], the message's previous blocks will be retained."
    if (text !== undefined) message.text = text;
    if (blocks !== undefined) message.blocks = blocks;
    message.editedAt = Date.now();
    message.versions.push({ text: message.text, blocks: message.blocks, at: message.editedAt });
  }

  #messageJson(m: StoredMessage): Json {
    return {
      type: "message",
      subtype: "bot_message",
      text: m.text ?? "",
      user: this.botUserId,
      bot_id: this.botId,
      team: this.teamId,
      ts: m.ts,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      ...(m.editedAt ? { edited: { user: this.botUserId, ts: (m.editedAt / 1000).toFixed(6) } } : {}),
    };
  }

  #viewJson(view: FakeView): Json {
    return {
      ...view.view,
      id: view.id,
      team_id: this.teamId,
      app_id: "A0FAKEAPP1",
      bot_id: this.botId,
      hash: view.hash,
      state: { values: {} },
      root_view_id: view.id,
    };
  }

  #checkView(view: unknown, expected: "modal" | "home"): Reply | undefined {
    // Slack answers invalid views with invalid_arguments plus the same json-pointer messages.
    const problems = validateView(view, expected);
    return problems.length ? blocksFailure("invalid_arguments", problems) : undefined;
  }

  // ---- methods ----------------------------------------------------------------------------

  #authTest(): Reply {
    return ok({
      url: "https://fake-workspace.slack.com/",
      team: "Fake Workspace",
      user: "sop",
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    });
  }

  #postMessage(args: Json): Reply {
    const channel = this.#resolveChannel(args.channel, true);
    if (!channel) return fail("channel_not_found");
    const bad = this.#checkContent(args, true);
    if (bad) return bad;
    const message = this.#store({
      channel,
      ts: this.#nextTs(),
      threadTs: str(args.thread_ts),
      text: str(args.text),
      blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
      files: [],
      metadata: args.metadata,
    });
    return ok({ channel, ts: message.ts, message: this.#messageJson(message) });
  }

  #postEphemeral(args: Json): Reply {
    const channel = this.#resolveChannel(args.channel);
    if (!channel) return fail("channel_not_found");
    const user = str(args.user);
    if (!user || !/^[UW][A-Z0-9]{2,}$/.test(user)) return fail("user_not_found");
    const bad = this.#checkContent(args, true);
    if (bad) return bad;
    const ts = this.#nextTs();
    this.#ephemerals.push({
      channel,
      user,
      ts,
      threadTs: str(args.thread_ts),
      text: str(args.text),
      blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
    });
    return ok({ message_ts: ts });
  }

  /** chat.update takes the channel the message is in: a DM's D… id, never a user id. */
  #findMessage(args: Json): StoredMessage | Reply {
    const channel = str(args.channel);
    const ts = str(args.ts);
    if (!channel || /^[UW]/.test(channel) || !this.#resolveChannel(channel)) return fail("channel_not_found");
    const message = ts ? this.#messages.get(channel)?.find((m) => m.ts === ts) : undefined;
    return message ?? fail("message_not_found");
  }

  #update(args: Json): Reply {
    const found = this.#findMessage(args);
    if (!("ts" in found)) return found;
    const bad = this.#checkContent(args, true);
    if (bad) return bad;
    this.#edit(found, str(args.text), Array.isArray(args.blocks) ? args.blocks : undefined);
    return ok({
      channel: found.channel,
      ts: found.ts,
      text: found.text ?? "",
      message: this.#messageJson(found),
    });
  }

  #delete(args: Json): Reply {
    const found = this.#findMessage(args);
    if (!("ts" in found)) return found;
    const list = this.#messages.get(found.channel) ?? [];
    this.#messages.set(
      found.channel,
      list.filter((m) => m !== found),
    );
    return ok({ channel: found.channel, ts: found.ts });
  }

  #viewsPublish(args: Json): Reply {
    const userId = str(args.user_id);
    if (!userId)
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: user_id"] },
      });
    const bad = this.#checkView(args.view, "home");
    if (bad) return bad;
    const current = this.#homes.get(userId);
    const hash = str(args.hash);
    if (hash && current && hash !== current.hash) return fail("hash_conflict");
    const view = args.view as Json;
    const published: FakeView = {
      id: current?.id ?? this.#nextId("V"),
      type: "home",
      userId,
      triggerId: undefined,
      hash: `${Math.floor(Date.now() / 1000)}.${this.#nextId("h")}`,
      view,
      blocks: view.blocks as unknown[],
      via: "views.publish",
    };
    this.#homes.set(userId, published);
    this.#views.push(published);
    return ok({ view: this.#viewJson(published) });
  }

  #viewsOpen(args: Json, via: string): Reply {
    const triggerId = str(args.trigger_id) ?? str(args.interactivity_pointer);
    if (!triggerId) {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: trigger_id"] },
      });
    }
    // A trigger_id can be exchanged for one view only.
    if (this.#usedTriggers.has(triggerId)) return fail("exchanged_trigger_id");
    const bad = this.#checkView(args.view, "modal");
    if (bad) return bad;
    this.#usedTriggers.add(triggerId);
    const view = args.view as Json;
    const opened: FakeView = {
      id: this.#nextId("V"),
      type: "modal",
      userId: undefined,
      triggerId,
      hash: `${Math.floor(Date.now() / 1000)}.${this.#nextId("h")}`,
      view,
      blocks: view.blocks as unknown[],
      via,
    };
    this.#views.push(opened);
    return ok({ view: this.#viewJson(opened) });
  }

  #viewsUpdate(args: Json): Reply {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    const existing = [...this.#views]
      .reverse()
      .find((v) => (viewId && v.id === viewId) || (externalId && v.view.external_id === externalId));
    if (!existing) return fail("not_found");
    const bad = this.#checkView(args.view, existing.type);
    if (bad) return bad;
    const hash = str(args.hash);
    if (hash && hash !== existing.hash) return fail("hash_conflict");
    const view = args.view as Json;
    const updated: FakeView = {
      ...existing,
      hash: `${Math.floor(Date.now() / 1000)}.${this.#nextId("h")}`,
      view,
      blocks: view.blocks as unknown[],
      via: "views.update",
    };
    this.#views.push(updated);
    if (updated.type === "home" && updated.userId) this.#homes.set(updated.userId, updated);
    return ok({ view: this.#viewJson(updated) });
  }

  #usersInfo(args: Json): Reply {
    const id = str(args.user);
    const user = id ? this.#users.get(id) : undefined;
    if (!user) return fail("user_not_found");
    const tz = user.tz ?? "America/Los_Angeles";
    const zone = zoneInfo(tz);
    return ok({
      user: {
        id: user.id,
        team_id: this.teamId,
        name: user.name,
        deleted: user.deleted ?? false,
        real_name: user.real_name ?? user.name,
        tz,
        tz_label: zone.label,
        tz_offset: zone.offset,
        is_bot: user.is_bot ?? false,
        is_admin: false,
        profile: {
          real_name: user.real_name ?? user.name,
          display_name: user.name,
          ...(user.email ? { email: user.email } : {}),
          team: this.teamId,
        },
      },
    });
  }

  #conversationsOpen(args: Json): Reply {
    const channel = str(args.channel);
    if (channel) {
      return this.#openedDms.has(channel) ? ok({ channel: { id: channel } }) : fail("channel_not_found");
    }
    const users = (str(args.users) ?? "")
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) return fail("users_list_not_supplied");
    if (users.some((u) => !/^[UW][A-Z0-9]{2,}$/.test(u))) return fail("user_not_found");
    const id =
      users.length === 1 ? this.dmChannelFor(users[0] ?? "") : `G${[...users].sort().join("").slice(1, 20)}`;
    const already = this.#openedDms.has(id);
    this.#openedDms.add(id);
    return ok({ channel: { id }, ...(already ? { no_op: true, already_open: true } : {}) });
  }

  #getUploadUrl(args: Json): Reply {
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length < 1) {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] filename and a positive integer length are required"] },
      });
    }
    const id = this.#nextId("F");
    this.#files.set(id, {
      id,
      filename,
      length,
      altText: str(args.alt_text) ?? str(args.alt_txt),
      bytes: undefined,
      png: undefined,
      completed: false,
      title: undefined,
      channel: undefined,
      initialComment: undefined,
      threadTs: undefined,
      shareTs: undefined,
    });
    return ok({ upload_url: `${this.origin}/upload/${id}`, file_id: id });
  }

  async #upload(fileId: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    await this.#delay("upload");
    const file = this.#files.get(fileId);
    // The upload URL is pre-signed and needs no token; WebClient sends its Authorization anyway.
    const token = bearer(req);
    const call = { method: "upload", args: { file_id: fileId } as Json, token };
    const record = (status: number, text: string) => {
      this.#record({
        ...call,
        args: { ...call.args, size: file?.bytes?.length },
        at: Date.now(),
        status,
        ok: status === 200,
        error: status === 200 ? undefined : text,
        response: { text },
      });
      res.writeHead(status, { "content-type": "text/plain" }).end(text);
    };
    if (!file) return record(404, "file_not_found");
    let bytes = body;
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (type.includes("multipart/form-data")) {
      const form = await multipartForm(req.headers["content-type"] ?? "", body);
      const part = [...form.values()].find((v): v is File => typeof v !== "string");
      if (!part) return record(400, "no_file_data");
      bytes = Buffer.from(await part.arrayBuffer());
    }
    file.bytes = bytes;
    file.png = pngSize(bytes);
    // What files.slack.com answers on success.
    return record(200, `OK - ${bytes.length}`);
  }

  #completeUpload(args: Json): Reply {
    const list = args.files;
    if (!Array.isArray(list) || list.length === 0) {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] missing required field: files"] },
      });
    }
    const entries: Array<{ file: FakeFile; title: string | undefined }> = [];
    for (const entry of list) {
      const id = typeof entry === "object" && entry !== null ? str((entry as Json).id) : undefined;
      const file = id ? this.#files.get(id) : undefined;
      if (!file?.bytes || file.completed) return fail("file_not_found");
      entries.push({ file, title: str((entry as Json).title) });
    }
    const rawChannel = args.channel_id ?? args.channels;
    const channel = rawChannel === undefined ? undefined : this.#resolveChannel(rawChannel);
    if (rawChannel !== undefined && !channel) return fail("channel_not_found");
    const initialComment = str(args.initial_comment);
    if (initialComment && initialComment.length > LIMITS.messageText) return fail("msg_too_long");
    if (args.blocks !== undefined) {
      if (!Array.isArray(args.blocks)) return fail("invalid_blocks_format");
      const problems = validateBlocks(args.blocks, "message");
      if (problems.length) return blocksFailure("invalid_blocks", problems);
    }
    const threadTs = str(args.thread_ts);
    // Sharing to a channel posts one message carrying the files (and the comment, if any).
    const share = channel
      ? this.#store({
          channel,
          ts: this.#nextTs(),
          threadTs,
          text: initialComment,
          blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
          files: entries.map((e) => e.file.id),
          metadata: undefined,
        })
      : undefined;
    const files = entries.map(({ file, title }) => {
      file.completed = true;
      file.title = title ?? file.filename;
      file.channel = channel;
      file.initialComment = initialComment;
      file.threadTs = threadTs;
      file.shareTs = share?.ts;
      const extension = file.filename.includes(".") ? (file.filename.split(".").pop() ?? "") : "";
      return {
        id: file.id,
        name: file.filename,
        title: file.title,
        filetype: extension,
        mimetype: file.png ? "image/png" : "application/octet-stream",
        size: file.bytes?.length ?? 0,
        user: this.botUserId,
        ...(file.png ? { original_w: file.png.width, original_h: file.png.height } : {}),
        shares:
          channel && share
            ? {
                [channel.startsWith("C") ? "public" : "private"]: {
                  [channel]: [{ ts: share.ts, ...(threadTs ? { thread_ts: threadTs } : {}) }],
                },
              }
            : {},
      };
    });
    return ok({ files });
  }

  // ---- response_url -------------------------------------------------------------------------

  /**
   * response_url posts, as Bolt's respond() sends them (JSON). Webhook-style URLs answer with HTTP
   * status codes rather than ok:false: 200 on success, 400 for a payload Slack refuses (same
   * error codes and json-pointer detail as chat.postMessage), 404 "used_url" after five uses
   * (Slack: a response_url can be used up to five times within 30 minutes).
   */
  async #response(id: string, body: Buffer, res: ServerResponse): Promise<void> {
    await this.#delay("response_url");
    const answer = (status: number, payload: Json, args: Json) => {
      this.#record({
        method: "response_url",
        args: { ...args, response_id: id },
        token: undefined,
        at: Date.now(),
        status,
        ok: status === 200,
        error: typeof payload.error === "string" ? payload.error : undefined,
        response: payload,
      });
      res
        .writeHead(status, { "content-type": "application/json; charset=utf-8" })
        .end(JSON.stringify(payload));
    };
    let args: Json;
    try {
      const parsed: unknown = JSON.parse(body.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      args = parsed as Json;
    } catch {
      return answer(400, { ok: false, error: "invalid_payload" }, {});
    }
    const uses = this.#responseUses.get(id) ?? 0;
    if (uses >= 5) return answer(404, { ok: false, error: "used_url" }, args);
    const deleteOriginal = bool(args.delete_original);
    const bad = this.#checkContent(args, !deleteOriginal);
    if (bad) return answer(400, bad.body, args);
    this.#responseUses.set(id, uses + 1);

    const text = str(args.text);
    const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
    const replaceOriginal = bool(args.replace_original);
    const responseType = str(args.response_type);
    const threadTs = str(args.thread_ts);
    const original = this.#originals.get(id);
    if (original) {
      const message = this.#messages.get(original.channel)?.find((m) => m.ts === original.ts);
      if (deleteOriginal && message) {
        this.#messages.set(
          original.channel,
          (this.#messages.get(original.channel) ?? []).filter((m) => m !== message),
        );
      } else if (replaceOriginal && message) {
        // Replacing the original sets both text and blocks, as a fresh message would.
        message.blocks = undefined;
        this.#edit(message, text ?? "", blocks ?? []);
      } else if (responseType === "in_channel") {
        this.#store({
          channel: original.channel,
          ts: this.#nextTs(),
          threadTs,
          text,
          blocks,
          files: [],
          metadata: undefined,
        });
      }
    }
    this.#responses.push({
      responseId: id,
      text,
      blocks,
      responseType,
      replaceOriginal,
      deleteOriginal,
      threadTs,
      body: args,
      at: Date.now(),
    });
    return answer(200, { ok: true }, args);
  }
}

/** Starts a fake Slack Web API on 127.0.0.1 (a free port); see FakeSlack. */
export function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(options);
}
