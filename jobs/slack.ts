/**
 * The Slack Web API as the jobs use it: post a message, share files with the upload v2 flow.
 * WebClient honours 429 Retry-After itself (it pauses its queue for that long and retries);
 * other failures are classified here as worth retrying later or not.
 */
import {
  LogLevel,
  type Logger as SlackLogger,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from "@slack/web-api";
import type { Logger } from "pino";

export interface UploadFile {
  filename: string;
  title: string;
  altText: string;
  content: Buffer;
}

export interface SlackPort {
  /** chat.postMessage; answers the channel id Slack posted to (a name or user id resolves). */
  postMessage(m: {
    channel: string;
    text: string;
    blocks: unknown[];
  }): Promise<{ channel: string; ts: string }>;
  /** filesUploadV2: the files, shared to the channel (an id) as one message with the comment. */
  uploadFiles(m: {
    channelId: string;
    initialComment: string;
    files: UploadFile[];
  }): Promise<{ fileIds: string[]; ts: string | null }>;
}

export interface SlackOptions {
  token: string;
  /** The Web API base URL (tests point it at the fake). */
  apiUrl?: string | undefined;
  logger: Logger;
  /** Retries of a failed call (network, 5xx, 429) within one attempt. Default 3. */
  retries?: number;
  /** Per call, in ms. Default 30 s. */
  timeoutMs?: number;
}

/** pino behind the logger interface WebClient expects. */
function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => logger.debug(m.map(String).join(" ")),
    info: (...m: unknown[]) => logger.info(m.map(String).join(" ")),
    warn: (...m: unknown[]) => logger.warn(m.map(String).join(" ")),
    error: (...m: unknown[]) => logger.error(m.map(String).join(" ")),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** The ts of the message a completed upload was shared in, when Slack says. */
function shareTs(files: unknown): string | null {
  for (const completion of Array.isArray(files) ? files : []) {
    const list = (completion as { files?: unknown[] }).files ?? [];
    for (const f of list) {
      const shares = (f as { shares?: Record<string, Record<string, { ts?: string }[]>> }).shares ?? {};
      for (const where of Object.values(shares)) {
        for (const posts of Object.values(where)) {
          const ts = posts[0]?.ts;
          if (ts) return ts;
        }
      }
    }
  }
  return null;
}

export function createSlackPort(o: SlackOptions): SlackPort {
  const client = new WebClient(o.token, {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    logger: slackLogger(o.logger),
    retryConfig: { retries: o.retries ?? 3, factor: 2, minTimeout: 250, maxTimeout: 4000 },
    timeout: o.timeoutMs ?? 30_000,
  });
  return {
    async postMessage(m) {
      const res = await client.chat.postMessage({
        channel: m.channel,
        text: m.text,
        blocks: m.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { channel: String(res.channel ?? m.channel), ts: String(res.ts ?? "") };
    },
    async uploadFiles(m) {
      const res = await client.filesUploadV2({
        channel_id: m.channelId,
        initial_comment: m.initialComment,
        file_uploads: m.files.map((f) => ({
          file: f.content,
          filename: f.filename,
          title: f.title,
          alt_text: f.altText,
        })),
      });
      const completed = (res as { files?: { files?: { id?: string }[] }[] }).files ?? [];
      return {
        fileIds: completed.flatMap((c) => (c.files ?? []).map((f) => String(f.id))),
        ts: shareTs(completed),
      };
    },
  };
}

/** Slack error codes that a later attempt may get past. */
const TRANSIENT = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "account_inactive",
]);

/** Why a send failed, and whether trying again later could help. */
export function classifySlackError(error: unknown): { transient: boolean; message: string } {
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const detail = (error.data.response_metadata as { messages?: string[] } | undefined)?.messages?.join(
      "; ",
    );
    return {
      transient: TRANSIENT.has(code),
      message: `Slack refused it: ${code}${detail ? ` (${detail})` : ""}`,
    };
  }
  if (error instanceof WebAPIRateLimitedError) {
    return { transient: true, message: `rate limited by Slack (retry after ${error.retryAfter} s)` };
  }
  if (error instanceof WebAPIHTTPError) {
    return { transient: error.statusCode >= 500, message: `Slack answered HTTP ${error.statusCode}` };
  }
  if (error instanceof WebAPIRequestError) {
    return { transient: true, message: `could not reach Slack: ${error.original.message}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  // WebClient gives up on repeated 429s and network errors with a plain Error.
  return { transient: true, message };
}
