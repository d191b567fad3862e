import {
  type Logger,
  LogLevel,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from "@slack/web-api";
import { createCanvas } from "canvas";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, pngSize, startFakeSlack } from "./fake-slack.js";
import { limitCases } from "./slack-limits-cases.js";

const TOKEN = "xoxb-test-token";
const ALICE = {
  id: "U0ALICE001",
  name: "alice",
  real_name: "Alice Planner",
  tz: "Europe/Berlin",
  email: "alice@example.com",
};

const silent: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

let fake: FakeSlack;

function client(options: WebClientOptions = {}, token: string | null = TOKEN): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: fake.url,
    logger: silent,
    retryConfig: { retries: 0 },
    ...options,
  });
}

/** The Slack error a call failed with (the WebClient's WebAPIPlatformError data). */
async function slackError(call: Promise<unknown>): Promise<WebAPIPlatformError["data"]> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WebAPIPlatformError) return error.data;
    throw error;
  }
  throw new Error("expected the Slack call to fail");
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

beforeAll(async () => {
  fake = await startFakeSlack({ botToken: TOKEN, users: [ALICE] });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

describe("server and auth", () => {
  it("listens on loopback and serves the Web API under /api/", async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client().auth.test();
    expect(result).toMatchObject({
      ok: true,
      user_id: fake.botUserId,
      team_id: fake.teamId,
      bot_id: fake.botId,
    });
    expect(fake.calls).toEqual([
      expect.objectContaining({ method: "auth.test", token: TOKEN, status: 200, ok: true }),
    ]);
  });

  it("answers not_authed without a token and invalid_auth for any other token", async () => {
    expect(await slackError(client({}, null).auth.test())).toMatchObject({ ok: false, error: "not_authed" });
    expect(await slackError(client({}, "xoxb-wrong").auth.test())).toMatchObject({ error: "invalid_auth" });
    expect(await slackError(client({}, "xoxp-user-token").auth.test())).toMatchObject({
      error: "invalid_auth",
    });
    expect(fake.calls.map((c) => c.error)).toEqual(["not_authed", "invalid_auth", "invalid_auth"]);
  });

  it("accepts the token as a form argument and keeps it out of the recorded args", async () => {
    const response = await fetch(`${fake.url}auth.test`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${TOKEN}`,
    });
    expect(await response.json()).toMatchObject({ ok: true });
    expect(fake.calls[0]).toMatchObject({ token: TOKEN, args: {} });
  });

  it("answers unknown_method for methods it does not implement", async () => {
    expect(await slackError(client().apiCall("reactions.add", { channel: "C1", name: "x" }))).toMatchObject({
      error: "unknown_method",
    });
  });
});

describe("chat", () => {
  it("posts, records the parsed args and stores the message with a Slack-like ts", async () => {
    const web = client();
    const blocks = [section("*Plan* ready")];
    const first = await web.chat.postMessage({ channel: "C0PLANNING", text: "Plan ready", blocks });
    const second = await web.chat.postMessage({ channel: "C0PLANNING", text: "again", thread_ts: first.ts });

    expect(first).toMatchObject({ ok: true, channel: "C0PLANNING", message: { text: "Plan ready", blocks } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(fake.callsTo("chat.postMessage")[0]?.args).toEqual({
      channel: "C0PLANNING",
      text: "Plan ready",
      blocks,
    });
    expect(fake.messages("C0PLANNING")).toEqual([
      expect.objectContaining({ ts: first.ts, text: "Plan ready", blocks, threadTs: undefined }),
      expect.objectContaining({ ts: second.ts, text: "again", threadTs: first.ts }),
    ]);
  });

  it("parses JSON bodies as well as form bodies", async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        channel: "C0PLANNING",
        text: "json",
        blocks: [section("json")],
        unfurl_links: false,
      }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: "C0PLANNING" });
    expect(fake.calls[0]?.args).toEqual({
      channel: "C0PLANNING",
      text: "json",
      blocks: [section("json")],
      unfurl_links: false,
    });
  });

  it("updates a message in place and keeps every version", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C0PLANNING", text: "v1", blocks: [section("v1")] });
    const ts = posted.ts ?? "";
    const updated = await web.chat.update({ channel: "C0PLANNING", ts, text: "v2", blocks: [section("v2")] });
    expect(updated).toMatchObject({ ok: true, channel: "C0PLANNING", ts, text: "v2" });

    // Blocks left out of chat.update are kept; an empty list removes them (Slack's documented rule).
    await web.chat.update({ channel: "C0PLANNING", ts, text: "v3" });
    expect(fake.message("C0PLANNING", ts)).toMatchObject({ text: "v3", blocks: [section("v2")] });
    await web.chat.update({ channel: "C0PLANNING", ts, text: "v4", blocks: [] });

    const message = fake.message("C0PLANNING", ts);
    expect(message).toMatchObject({ text: "v4", blocks: [] });
    expect(message?.versions.map((v) => v.text)).toEqual(["v1", "v2", "v3", "v4"]);
    expect(fake.messages("C0PLANNING")).toHaveLength(1);
  });

  it("answers message_not_found for an unknown ts and channel_not_found for a user id", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: ALICE.id, text: "hi" });
    expect(posted.channel).toBe(fake.dmChannelFor(ALICE.id));
    expect(
      await slackError(
        web.chat.update({ channel: posted.channel ?? "", ts: "1700000000.999999", text: "x" }),
      ),
    ).toMatchObject({ error: "message_not_found" });
    expect(
      await slackError(web.chat.update({ channel: "C0OTHER", ts: posted.ts ?? "", text: "x" })),
    ).toMatchObject({
      error: "message_not_found",
    });
    // chat.update wants the DM's D… id, not the user id.
    expect(
      await slackError(web.chat.update({ channel: ALICE.id, ts: posted.ts ?? "", text: "x" })),
    ).toMatchObject({
      error: "channel_not_found",
    });
  });

  it("deletes messages", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C0PLANNING", text: "bye" });
    await web.chat.delete({ channel: "C0PLANNING", ts: posted.ts ?? "" });
    expect(fake.messages("C0PLANNING")).toEqual([]);
  });

  it("posts DMs to the channel conversations.open returns", async () => {
    const web = client();
    const opened = await web.conversations.open({ users: ALICE.id });
    const posted = await web.chat.postMessage({ channel: ALICE.id, text: "Your forecast is due" });
    expect(opened.channel?.id).toBe(posted.channel);
    expect(fake.messages(ALICE.id)).toEqual([expect.objectContaining({ text: "Your forecast is due" })]);
    expect(fake.messages(opened.channel?.id ?? "")).toHaveLength(1);
    expect(await web.conversations.open({ users: ALICE.id })).toMatchObject({ already_open: true });
    expect(await slackError(web.conversations.open({ users: "alice" }))).toMatchObject({
      error: "user_not_found",
    });
  });

  it("records ephemeral messages apart from the channel", async () => {
    const result = await client().chat.postEphemeral({
      channel: "C0PLANNING",
      user: ALICE.id,
      text: "only you",
    });
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals).toEqual([
      expect.objectContaining({ channel: "C0PLANNING", user: ALICE.id, text: "only you" }),
    ]);
    expect(fake.messages("C0PLANNING")).toEqual([]);
  });

  it("answers no_text, msg_too_long and channel_not_found like Slack", async () => {
    const web = client();
    expect(await slackError(web.chat.postMessage({ channel: "C0PLANNING", text: "" }))).toMatchObject({
      error: "no_text",
    });
    expect(
      await slackError(web.chat.postMessage({ channel: "C0PLANNING", text: "x".repeat(40_001) })),
    ).toMatchObject({
      error: "msg_too_long",
    });
    await expect(
      web.chat.postMessage({ channel: "C0PLANNING", text: "x".repeat(40_000) }),
    ).resolves.toMatchObject({
      ok: true,
    });
    expect(await slackError(web.chat.postMessage({ channel: "#general", text: "hi" }))).toMatchObject({
      error: "channel_not_found",
    });
    expect(fake.messages("C0PLANNING")).toHaveLength(1);
  });

  it("rejects malformed blocks with invalid_blocks_format", async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ channel: "C0PLANNING", blocks: "[{not json" }).toString(),
    });
    expect(await response.json()).toMatchObject({ ok: false, error: "invalid_blocks_format" });
  });

  it("only accepts known channels when given a channel directory", async () => {
    const strict = await startFakeSlack({ botToken: TOKEN, channels: ["C0KNOWN"] });
    try {
      const web = new WebClient(TOKEN, {
        slackApiUrl: strict.url,
        logger: silent,
        retryConfig: { retries: 0 },
      });
      await expect(web.chat.postMessage({ channel: "C0KNOWN", text: "ok" })).resolves.toMatchObject({
        ok: true,
      });
      await expect(web.chat.postMessage({ channel: ALICE.id, text: "dm" })).resolves.toMatchObject({
        ok: true,
      });
      expect(await slackError(web.chat.postMessage({ channel: "C0UNKNOWN", text: "no" }))).toMatchObject({
        error: "channel_not_found",
      });
    } finally {
      await strict.close();
    }
  });

  it("resolves a channel name given in channelNames for chat.postMessage, never for an upload's channel_id", async () => {
    const named = await startFakeSlack({ botToken: TOKEN, channelNames: { "#sop": "C0SOP" } });
    try {
      const web = new WebClient(TOKEN, {
        slackApiUrl: named.url,
        logger: silent,
        retryConfig: { retries: 0 },
      });
      await expect(web.chat.postMessage({ channel: "#sop", text: "hi" })).resolves.toMatchObject({
        ok: true,
        channel: "C0SOP",
      });
      expect(named.messages("#sop")).toHaveLength(1);
      expect(named.messages("C0SOP")).toHaveLength(1);
      expect(await slackError(web.chat.postMessage({ channel: "#elsewhere", text: "no" }))).toMatchObject({
        error: "channel_not_found",
      });
      const upload = web.filesUploadV2({ channel_id: "#sop", file: Buffer.from("x"), filename: "x.txt" });
      await expect(upload).rejects.toMatchObject({ data: { error: "channel_not_found" } });
    } finally {
      await named.close();
    }
  });
});

describe("Block Kit limits through chat.postMessage and views.publish", () => {
  const messageCases = limitCases.filter((c) => c.surface === "message");
  const viewCases = limitCases.filter((c) => c.surface === "home");

  it.each(messageCases)("invalid_blocks: $name", async ({ broken, pointer }) => {
    const data = await slackError(
      client().chat.postMessage({ channel: "C0PLANNING", text: "t", blocks: broken as never }),
    );
    expect(data.error).toBe("invalid_blocks");
    expect(data.response_metadata?.messages).toContainEqual(
      expect.stringMatching(/^\[ERROR\] .+ \[json-pointer:.+\]$/),
    );
    expect(data.response_metadata?.messages?.some((m) => m.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
    expect((data as { errors?: unknown }).errors).toEqual(expect.any(Array));
    expect(fake.messages("C0PLANNING")).toEqual([]);
  });

  it.each(messageCases)("at the limit, posted: $name", async ({ atLimit }) => {
    await expect(
      client().chat.postMessage({ channel: "C0PLANNING", text: "t", blocks: atLimit as never }),
    ).resolves.toMatchObject({ ok: true });
  });

  it.each(viewCases)("invalid_arguments for views: $name", async ({ broken, pointer }) => {
    const data = await slackError(
      client().views.publish({ user_id: ALICE.id, view: { type: "home", blocks: broken as never } }),
    );
    expect(data).toMatchObject({ error: "invalid_arguments" });
    expect(data.response_metadata?.messages).toContain(
      `[ERROR] no more than 100 items allowed [json-pointer:/view${pointer}]`,
    );
  });

  it("checks blocks on chat.update and postEphemeral too", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C0PLANNING", text: "v1" });
    const tooMany = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect(
      await slackError(
        web.chat.update({ channel: "C0PLANNING", ts: posted.ts ?? "", text: "v2", blocks: tooMany }),
      ),
    ).toMatchObject({ error: "invalid_blocks" });
    expect(
      await slackError(
        web.chat.postEphemeral({ channel: "C0PLANNING", user: ALICE.id, text: "e", blocks: tooMany }),
      ),
    ).toMatchObject({ error: "invalid_blocks" });
    expect(fake.message("C0PLANNING", posted.ts ?? "")?.text).toBe("v1");
  });
});

describe("views", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => section(`row ${i}`));

  it("publishes a Home tab of 100 blocks and keeps the latest per user", async () => {
    const web = client();
    const first = await web.views.publish({ user_id: ALICE.id, view: { type: "home", blocks: rows(100) } });
    expect(first.view).toMatchObject({
      type: "home",
      id: expect.stringMatching(/^V/),
      hash: expect.any(String),
    });
    await web.views.publish({ user_id: ALICE.id, view: { type: "home", blocks: rows(2) } });
    expect(fake.homeView(ALICE.id)?.blocks).toHaveLength(2);
    expect(fake.homeView(ALICE.id)?.id).toBe(first.view?.id);
    expect(
      await slackError(
        web.views.publish({ user_id: ALICE.id, hash: "stale", view: { type: "home", blocks: rows(1) } }),
      ),
    ).toMatchObject({ error: "hash_conflict" });
  });

  it("opens a modal of 100 blocks, once per trigger_id", async () => {
    const web = client();
    const view = {
      type: "modal" as const,
      title: { type: "plain_text" as const, text: "Approve plan" },
      blocks: rows(100),
    };
    const opened = await web.views.open({ trigger_id: "111.222.abc", view });
    expect(opened.view).toMatchObject({ type: "modal", title: view.title });
    expect(fake.views).toEqual([
      expect.objectContaining({ type: "modal", triggerId: "111.222.abc", via: "views.open" }),
    ]);
    expect(await slackError(web.views.open({ trigger_id: "111.222.abc", view }))).toMatchObject({
      error: "exchanged_trigger_id",
    });

    const updated = await web.views.update({
      view_id: opened.view?.id ?? "",
      view: { ...view, blocks: rows(1) },
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(fake.views.at(-1)).toMatchObject({ via: "views.update", blocks: rows(1) });
  });

  it("rejects an invalid modal with invalid_arguments", async () => {
    const web = client();
    const data = await slackError(
      web.views.open({
        trigger_id: "333.444.def",
        view: { type: "modal", title: { type: "plain_text", text: "t".repeat(25) }, blocks: rows(101) },
      }),
    );
    expect(data).toMatchObject({ error: "invalid_arguments" });
    expect(data.response_metadata?.messages).toEqual([
      "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]",
      "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
    ]);
    // A refused view does not use up the trigger.
    await expect(
      web.views.open({
        trigger_id: "333.444.def",
        view: { type: "modal", title: { type: "plain_text", text: "ok" }, blocks: rows(1) },
      }),
    ).resolves.toMatchObject({ ok: true });
  });
});

describe("users.info", () => {
  it("answers from the user directory", async () => {
    const result = await client().users.info({ user: ALICE.id });
    expect(result.user).toMatchObject({
      id: ALICE.id,
      name: "alice",
      real_name: "Alice Planner",
      tz: "Europe/Berlin",
      profile: { email: "alice@example.com", real_name: "Alice Planner" },
    });
    expect([3600, 7200]).toContain(result.user?.tz_offset);
    expect(await slackError(client().users.info({ user: "U0NOBODY01" }))).toMatchObject({
      error: "user_not_found",
    });
  });
});

describe("files upload v2", () => {
  it("takes a PNG through getUploadURLExternal, the upload URL and completeUploadExternal", async () => {
    const canvas = createCanvas(37, 23);
    const context = canvas.getContext("2d");
    context.fillStyle = "#1f77b4";
    context.fillRect(0, 0, 37, 23);
    const png = canvas.toBuffer("image/png");

    const web = client();
    const parent = await web.chat.postMessage({ channel: "C0PLANNING", text: "March S&OP" });
    const result = await web.filesUploadV2({
      channel_id: "C0PLANNING",
      thread_ts: parent.ts ?? "",
      file: png,
      filename: "forecast.png",
      title: "Forecast vs actual",
      initial_comment: "Forecast chart",
    });
    expect(result.ok).toBe(true);

    expect(fake.calls.map((c) => `${c.method}:${c.status}`)).toEqual([
      "chat.postMessage:200",
      "files.getUploadURLExternal:200",
      "upload:200",
      "files.completeUploadExternal:200",
    ]);
    expect(fake.callsTo("files.getUploadURLExternal")[0]?.args).toMatchObject({
      filename: "forecast.png",
      length: String(png.length),
    });
    const [file] = fake.files;
    expect(file).toMatchObject({
      filename: "forecast.png",
      length: png.length,
      title: "Forecast vs actual",
      channel: "C0PLANNING",
      initialComment: "Forecast chart",
      threadTs: parent.ts,
      completed: true,
      png: { width: 37, height: 23 },
    });
    expect(file?.bytes?.equals(png)).toBe(true);
    expect(pngSize(file?.bytes ?? Buffer.alloc(0))).toEqual({ width: 37, height: 23 });
    // Sharing posts one message carrying the file, in the thread.
    expect(fake.messages("C0PLANNING").at(-1)).toMatchObject({
      text: "Forecast chart",
      threadTs: parent.ts,
      files: [file?.id],
      ts: file?.shareTs,
    });
  });

  it("accepts raw bytes on the upload URL and refuses completing a file never uploaded", async () => {
    const web = client();
    const first = await web.files.getUploadURLExternal({ filename: "a.csv", length: 3 });
    const response = await fetch(first.upload_url ?? "", { method: "POST", body: "a,b" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("OK - 3");
    expect(fake.file(first.file_id ?? "")).toMatchObject({ png: undefined });
    expect(fake.file(first.file_id ?? "")?.bytes?.toString()).toBe("a,b");

    const second = await web.files.getUploadURLExternal({ filename: "b.csv", length: 3 });
    expect(
      await slackError(
        web.files.completeUploadExternal({ files: [{ id: second.file_id ?? "" }], channel_id: "C0PLANNING" }),
      ),
    ).toMatchObject({ error: "file_not_found" });
    expect(await slackError(web.apiCall("files.getUploadURLExternal", { filename: "c.csv" }))).toMatchObject({
      error: "invalid_arguments",
    });
  });
});

describe("rate limiting, injected failures and latency", () => {
  it("answers 429 with Retry-After, which WebClient honours before retrying", async () => {
    fake.rateLimit("chat.postMessage", { times: 1, retryAfterSeconds: 1 });
    const web = client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    await expect(
      web.chat.postMessage({ channel: "C0PLANNING", text: "after the wait" }),
    ).resolves.toMatchObject({
      ok: true,
    });
    const [limited, retried] = fake.callsTo("chat.postMessage");
    expect(limited).toMatchObject({ status: 429, ok: false, error: "ratelimited" });
    expect(retried).toMatchObject({ status: 200, ok: true });
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(fake.messages("C0PLANNING")).toHaveLength(1);
  });

  it("sends Slack's 429 shape", async () => {
    fake.rateLimit("chat.postMessage", { times: 2, retryAfterSeconds: 7 });
    const post = () =>
      fetch(`${fake.url}chat.postMessage`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ channel: "C0PLANNING", text: "x" }),
      });
    for (let i = 0; i < 2; i++) {
      const response = await post();
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("7");
      expect(await response.json()).toEqual({ ok: false, error: "ratelimited" });
    }
    expect((await post()).status).toBe(200);
  });

  it("lets rejectRateLimitedCalls see the retry delay", async () => {
    fake.rateLimit("users.info", { retryAfterSeconds: 30 });
    const error = await client({ rejectRateLimitedCalls: true })
      .users.info({ user: ALICE.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(30);
  });

  it("fails the next call once with an injected error", async () => {
    fake.failNext("chat.postMessage", "not_in_channel");
    const web = client();
    expect(await slackError(web.chat.postMessage({ channel: "C0PLANNING", text: "1" }))).toMatchObject({
      error: "not_in_channel",
    });
    await expect(web.chat.postMessage({ channel: "C0PLANNING", text: "2" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("delays a slow method without holding up the others", async () => {
    fake.setLatency("auth.test", 300);
    const web = client();
    const order: string[] = [];
    const slow = web.auth.test().then(() => order.push("auth.test"));
    const fast = web.users.info({ user: ALICE.id }).then(() => order.push("users.info"));
    await Promise.all([slow, fast]);
    expect(order).toEqual(["users.info", "auth.test"]);
  });
});

describe("waitFor", () => {
  it("resolves when a matching call arrives", async () => {
    const waiting = fake.waitFor((c) => c.method === "chat.postMessage" && c.args.text === "late");
    void client().chat.postMessage({ channel: "C0PLANNING", text: "early" });
    void client().chat.postMessage({ channel: "C0PLANNING", text: "late" });
    const call = await waiting;
    expect(call.args.text).toBe("late");
    // Calls already recorded match at once.
    await expect(fake.waitFor("chat.postMessage")).resolves.toMatchObject({ method: "chat.postMessage" });
  });

  it("rejects after the timeout, naming the calls it saw", async () => {
    await client().auth.test();
    await expect(fake.waitFor("views.publish", 50)).rejects.toThrow(
      /timed out after 50 ms; calls recorded: auth\.test/,
    );
  });
});

describe("response_url", () => {
  const respond = (url: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("records JSON posts per response id", async () => {
    const url = fake.responseUrl("cmd-1");
    expect(url.startsWith(`${fake.origin}/response/`)).toBe(true);
    const response = await respond(url, { text: "Working on it", response_type: "ephemeral" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(fake.responses("cmd-1")).toEqual([
      expect.objectContaining({
        responseId: "cmd-1",
        text: "Working on it",
        responseType: "ephemeral",
        replaceOriginal: false,
      }),
    ]);
    expect(fake.responses("other")).toEqual([]);
    await expect(
      fake.waitFor((c) => c.method === "response_url" && c.args.response_id === "cmd-1"),
    ).resolves.toMatchObject({
      status: 200,
    });
  });

  it("validates blocks and text like chat.postMessage, answering with HTTP errors", async () => {
    const url = fake.responseUrl("cmd-2");
    const tooMany = await respond(url, { blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({
      ok: false,
      error: "invalid_blocks",
      response_metadata: { messages: ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"] },
    });
    expect((await respond(url, { response_type: "ephemeral" })).status).toBe(400);
    expect((await respond(url, { text: "x".repeat(40_001) })).status).toBe(400);
    expect(fake.responses("cmd-2")).toEqual([]);
  });

  it("replaces or deletes the original message and allows five uses", async () => {
    const web = client();
    const posted = await web.chat.postMessage({
      channel: "C0PLANNING",
      text: "Approve?",
      blocks: [section("Approve?")],
    });
    const ts = posted.ts ?? "";
    const url = fake.responseUrl("action-1", { channel: "C0PLANNING", ts });

    await respond(url, { replace_original: true, text: "Approved by Alice", blocks: [section("Approved")] });
    expect(fake.message("C0PLANNING", ts)).toMatchObject({
      text: "Approved by Alice",
      blocks: [section("Approved")],
    });
    await respond(url, { response_type: "in_channel", text: "Plan locked" });
    expect(fake.messages("C0PLANNING").map((m) => m.text)).toEqual(["Approved by Alice", "Plan locked"]);
    await respond(url, { delete_original: true });
    expect(fake.message("C0PLANNING", ts)).toBeUndefined();

    await respond(url, { text: "4" });
    await respond(url, { text: "5" });
    const sixth = await respond(url, { text: "6" });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: "used_url" });
    expect(fake.responses("action-1")).toHaveLength(5);
  });
});

describe("reset", () => {
  it("forgets calls, messages, files, responses and injected behaviour but keeps ts increasing", async () => {
    const web = client();
    const before = await web.chat.postMessage({ channel: "C0PLANNING", text: "a" });
    await web.files.getUploadURLExternal({ filename: "a.png", length: 1 });
    await respond(fake.responseUrl("r"), { text: "r" });
    fake.failNext("auth.test", "fatal_error");
    fake.rateLimit("users.info", { times: 5 });
    fake.reset();

    expect(fake.calls).toEqual([]);
    expect(fake.allMessages()).toEqual([]);
    expect(fake.files).toEqual([]);
    expect(fake.responses()).toEqual([]);
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(web.users.info({ user: ALICE.id })).resolves.toMatchObject({ ok: true });
    const after = await web.chat.postMessage({ channel: "C0PLANNING", text: "b" });
    expect(Number(after.ts)).toBeGreaterThan(Number(before.ts));
  });

  const respond = (url: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
});
