/**
 * Bolt on the Hono server: a Bolt Receiver that takes a fetch-style Request (POST
 * /slack/events: commands, interactivity and events on one URL) and answers with a Response.
 * It follows Bolt's HTTPReceiver step by step — ssl_check answered without a signature (and
 * nothing else read from it), Bolt's own verifySlackRequest for the signature and the 5-minute
 * window, url_verification answered, then the body handed to App.processEvent and the HTTP
 * answer sent as soon as a listener calls ack() — with one rule Bolt lacks: a timestamp more
 * than 5 minutes in the future is refused too.
 */
import { parse as parseQuery } from "node:querystring";
import { type App, type Receiver, type ReceiverEvent, verifySlackRequest } from "@slack/bolt";
import type { Logger } from "pino";

export interface FetchReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** The clock in milliseconds (tests set it). */
  now?: () => number;
  /** Slack waits 3 s for the HTTP answer: after this long without ack() we answer anyway. */
  ackTimeoutMs?: number;
  /** Largest body accepted, in bytes (Slack's payloads are a few kB). */
  bodyLimit?: number;
}

/** Seconds a request timestamp may differ from our clock, either way (Slack's 5 minutes). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

const empty = (status: number) => new Response(null, { status });

export class FetchReceiver implements Receiver {
  #app: App | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #now: () => number;
  readonly #ackTimeoutMs: number;
  readonly #bodyLimit: number;

  constructor(private readonly options: FetchReceiverOptions) {
    this.#now = options.now ?? Date.now;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 2500;
    this.#bodyLimit = options.bodyLimit ?? 1_000_000;
  }

  init(app: App): void {
    this.#app = app;
  }

  /** The HTTP server is the app's own: nothing to start. */
  async start(): Promise<void> {}

  /** Waits for the work listeners do after ack() (a graceful shutdown calls this). */
  async stop(): Promise<void> {
    await this.drain();
  }

  /** Resolves once no delivery is being worked on (work started meanwhile included). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Work still running after its ack. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Checks the signature headers; returns why a request is refused, or undefined when it is
   * Slack's. Bolt's verifySlackRequest does the HMAC and the staleness check.
   */
  verify(headers: Headers, body: string): string | undefined {
    const signature = headers.get("x-slack-signature");
    const timestamp = headers.get("x-slack-request-timestamp");
    if (!signature || !timestamp) return "missing signature headers";
    const ts = Number(timestamp);
    if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(ts)) return "bad timestamp";
    if (ts > Math.floor(this.#now() / 1000) + MAX_CLOCK_SKEW_SECONDS) return "timestamp in the future";
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body,
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": ts },
        nowMilliseconds: this.#now(),
      });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async handle(request: Request): Promise<Response> {
    const log = this.options.logger;
    const app = this.#app;
    if (!app) return empty(503);
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > this.#bodyLimit) return empty(413);
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > this.#bodyLimit) return empty(413);
    const body = raw.toString("utf8");
    const form = (request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded");

    // Slack's SSL check needs no signature; answer it and read nothing else from the body.
    if (form && parseQuery(body).ssl_check === "1") return empty(200);

    const refused = this.verify(request.headers, body);
    if (refused) {
      log.warn({ reason: refused }, "refused a request to /slack/events: not signed by Slack");
      return empty(401);
    }

    let parsed: Record<string, unknown>;
    try {
      parsed = parseBody(body, form);
    } catch {
      log.warn("a signed request to /slack/events had a body that is not JSON or a form");
      return empty(400);
    }
    if (parsed.type === "url_verification") {
      return Response.json({ challenge: typeof parsed.challenge === "string" ? parsed.challenge : "" });
    }

    let resolveAck!: (response: unknown) => void;
    const acked = new Promise<{ response: unknown }>((resolve) => {
      resolveAck = (response) => resolve({ response });
    });
    let isAcked = false;
    const event: ReceiverEvent = {
      body: parsed,
      ack: async (response?: unknown) => {
        if (isAcked) return;
        isAcked = true;
        resolveAck(response);
      },
      ...retryOf(request.headers),
    };
    const work = app
      .processEvent(event)
      .catch((error: unknown) => log.error({ err: error }, "a Slack listener failed"))
      .finally(() => {
        this.#inFlight.delete(work);
      });
    this.#inFlight.add(work);

    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      acked,
      // Nothing handles it (or the listener threw before ack): acknowledge so Slack shows no error.
      work.then(() => ({ response: undefined, unhandled: !isAcked })),
      new Promise<{ response: undefined; late: true }>((resolve) => {
        timer = setTimeout(() => resolve({ response: undefined, late: true }), this.#ackTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if ("late" in outcome) log.warn("a Slack listener did not ack() in time: answered 200 for it");
    return ackResponse(outcome.response);
  }
}

function parseBody(body: string, form: boolean): Record<string, unknown> {
  if (form) {
    const query = parseQuery(body);
    if (typeof query.payload === "string") return JSON.parse(query.payload) as Record<string, unknown>;
    return query as Record<string, unknown>;
  }
  const value: unknown = JSON.parse(body);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
  return value as Record<string, unknown>;
}

function retryOf(headers: Headers): Pick<ReceiverEvent, "retryNum" | "retryReason"> {
  const num = headers.get("x-slack-retry-num");
  const reason = headers.get("x-slack-retry-reason");
  return {
    ...(num !== null && /^\d+$/.test(num) ? { retryNum: Number(num) } : {}),
    ...(reason ? { retryReason: reason } : {}),
  };
}

/** What ack(response) becomes over HTTP, as Bolt's buildContentResponse does it. */
function ackResponse(response: unknown): Response {
  if (response === undefined || response === null || response === "") return empty(200);
  if (typeof response === "string") return new Response(response, { status: 200 });
  return Response.json(response);
}
