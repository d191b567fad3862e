/**
 * POST /slack/events from the outside: real signed requests to the running server, answers
 * seen on the fake Slack. Signatures (bad, missing, stale, future → 401 and nothing done),
 * ssl_check, url_verification, retries, rate limits and an API that fails.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inProcessClient } from "../../api/client.js";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import {
  SIGNING_SECRET,
  type SlackBotHarness,
  sign,
  startSlackBot,
  textOf,
  unreachableApi,
} from "../helpers/slack-bot.js";
import { validateBlocks, validateView } from "../helpers/slack-limits.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const MAYA = "U04JQ7T2M9K";
const now = () => Math.floor(Date.now() / 1000);

describe.each(engines)("POST /slack/events on %s", (engine) => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let slack: SlackBotHarness;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    fake = await startFakeSlack();
    slack = await startSlackBot(db, fake);
    const put = await slack.api.api.people[":slackUserId"].$put({
      param: { slackUserId: MAYA },
      json: { name: "Maya Okafor", roles: ["planner", "admin"] },
    });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await slack?.close();
    await fake?.close();
    await db?.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it("acks a signed /sop at once with an empty 200, then answers through the response_url", async () => {
    const sent = await slack.command("help", MAYA);
    expect(sent.status).toBe(200);
    expect(sent.body).toBe("");
    const answer = await sent.answer();
    expect(answer.status).toBe(200);
    expect(answer.args.response_type).toBe("ephemeral");
    expect(validateBlocks(answer.args.blocks, "message")).toEqual([]);
    const text = textOf(answer.args.blocks as unknown[]);
    for (const name of ["gaps", "accuracy", "turns", "risk", "excess", "sku", "status", "signoff"]) {
      expect(text).toContain(`/sop ${name}`);
    }
    expect(text).toContain("/sop gaps BOTTLES");
    expect(text).toContain("Open in dashboard");
  });

  describe("signatures", () => {
    /** Sends a bad request and a good one after it; the bad one must get 401 and no answer. */
    async function refused(options: Parameters<SlackBotHarness["command"]>[2]) {
      const bad = await slack.command("help", MAYA, options);
      expect(bad.status).toBe(401);
      const good = await slack.command("help", MAYA);
      expect(good.status).toBe(200);
      await good.answer();
      // The good request was answered; the refused one never reached a listener.
      expect(fake.responses(bad.responseId)).toEqual([]);
      expect(fake.calls.filter((c) => c.method === "response_url")).toHaveLength(1);
    }

    it("refuses a wrong signature", () => refused({ signature: "v0=deadbeef" }));
    it("refuses a request signed with another secret", () => refused({ secret: "0123456789abcdef0123" }));
    it("refuses a missing signature", () => refused({ signature: "" }));
    it("refuses a missing timestamp", () => refused({ noTimestamp: true }));
    it("refuses a stale timestamp (over 5 minutes old)", () => refused({ timestamp: now() - 301 }));
    it("refuses a timestamp more than 5 minutes in the future", () => refused({ timestamp: now() + 301 }));
    it("refuses a signature of another body", async () => {
      const { body } = slack.commandBody("help", MAYA);
      const ts = now();
      const res = await slack.post(body.replace("help", "status"), "application/x-www-form-urlencoded", {
        timestamp: ts,
        signature: sign(SIGNING_SECRET, ts, body),
      });
      expect(res.status).toBe(401);
    });
    it("accepts a clock a little off either way", async () => {
      for (const timestamp of [now() - 240, now() + 240]) {
        const sent = await slack.command("help", MAYA, { timestamp });
        expect(sent.status).toBe(200);
        await sent.answer();
      }
    });
  });

  it("answers ssl_check without a signature and acts on nothing smuggled with it", async () => {
    const res = await fetch(slack.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ssl_check=1&token=x",
    });
    expect(res.status).toBe(200);
    const { body, responseId } = slack.commandBody("help", MAYA);
    const smuggled = await fetch(slack.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `ssl_check=1&${body}`,
    });
    expect(smuggled.status).toBe(200);
    const good = await slack.command("help", MAYA);
    await good.answer();
    expect(fake.responses(responseId)).toEqual([]);
  });

  it("answers url_verification with the challenge, only when signed", async () => {
    const body = JSON.stringify({
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const ok = await slack.post(body, "application/json");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    const unsigned = await slack.post(body, "application/json", { signature: "" });
    expect(unsigned.status).toBe(401);
  });

  it("never processes a Slack retry twice", async () => {
    const event = {
      type: "app_home_opened",
      user: MAYA,
      channel: "D0MAYA0001",
      tab: "home",
      event_ts: `${now()}.000100`,
    };
    const first = await slack.event(event);
    expect(first.status).toBe(200);
    await fake.waitFor("views.publish");
    const retry1 = await slack.event(event, {
      eventId: first.eventId,
      retryNum: 1,
      retryReason: "http_timeout",
    });
    const retry2 = await slack.event(event, {
      eventId: first.eventId,
      retryNum: 2,
      retryReason: "http_timeout",
    });
    expect([retry1.status, retry2.status]).toEqual([200, 200]);
    // A different event afterwards is processed: once it is published, the retries had their chance.
    await slack.event({ ...event, user: "U0SOMEONE1" });
    await fake.waitFor((c) => c.method === "views.publish" && c.args.user_id === "U0SOMEONE1");
    expect(fake.callsTo("views.publish").filter((c) => c.args.user_id === MAYA)).toHaveLength(1);

    // A command redelivered with the same trigger_id is answered once.
    const sent = await slack.command("help", MAYA, { triggerId: "1234.5678.retried" });
    await sent.answer();
    const again = await slack.command("help", MAYA, {
      triggerId: "1234.5678.retried",
      responseId: sent.responseId,
      retryNum: 1,
      retryReason: "http_timeout",
    });
    expect(again.status).toBe(200);
    const other = await slack.command("help", MAYA);
    await other.answer();
    expect(fake.responses(sent.responseId)).toHaveLength(1);
  });

  it("publishes App Home within Slack's limits, even with no data and no cycle", async () => {
    await slack.event({
      type: "app_home_opened",
      user: MAYA,
      channel: "D0MAYA0001",
      tab: "home",
      event_ts: `${now()}.1`,
    });
    const call = await fake.waitFor("views.publish");
    expect(call.ok).toBe(true);
    expect(validateView(call.args.view, "home")).toEqual([]);
    const text = textOf((call.args.view as { blocks: unknown[] }).blocks);
    expect(text).toContain("No S&OP cycle is open right now");
    expect(text).toContain("Hi Maya");
  });

  it("waits out a 429 from Slack and publishes once", async () => {
    fake.rateLimit("views.publish", { times: 1, retryAfterSeconds: 1 });
    await slack.event({
      type: "app_home_opened",
      user: MAYA,
      channel: "D0MAYA0001",
      tab: "home",
      event_ts: `${now()}.2`,
    });
    const published = await fake.waitFor((c) => c.method === "views.publish" && c.ok, 10_000);
    const calls = fake.callsTo("views.publish");
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // Slack said to wait a second: the retry came no sooner.
    expect(published.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(fake.homeView(MAYA)).toBeDefined();
  });

  it("answers a question the data cannot answer yet with what to do, not an error", async () => {
    const gaps = await (await slack.command("gaps", MAYA)).answer();
    const text = textOf(gaps.args.blocks as unknown[]);
    expect(text).toContain("I couldn't answer that");
    expect(text).toMatch(/no sales history yet: import sales\.csv/i);
    const status = await (await slack.command("status", MAYA)).answer();
    expect(textOf(status.args.blocks as unknown[])).toContain("No S&OP cycle is open right now");
  });

  it("ignores what is not for it: other events, a bot's own events, unknown interactions", async () => {
    const res = await slack.event({
      type: "app_home_opened",
      user: MAYA,
      channel: "D0MAYA0001",
      tab: "messages",
      event_ts: "1.2",
    });
    expect(res.status).toBe(200);
    const payload = {
      type: "block_actions",
      user: { id: MAYA },
      trigger_id: "1.2.3",
      team: { id: "T0FAKE0001" },
      actions: [{ action_id: "someone.else", type: "button", action_ts: "1" }],
    };
    const click = await slack.interact(payload);
    expect(click.status).toBe(200);
    const good = await slack.command("help", MAYA);
    await good.answer();
    expect(fake.callsTo("views.publish")).toEqual([]);
  });
});

describe("an API that fails", () => {
  let db: TestDatabase;
  let fake: FakeSlack;

  beforeAll(async () => {
    db = await createTestDatabase("embedded");
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake?.close();
    await db?.close();
  });

  it("turns an unreachable API into a short message saying what to do", async () => {
    const slack = await startSlackBot(db, fake, { api: () => unreachableApi() });
    try {
      for (const question of ["gaps", "status", "sku BTL-S05-GLC", "signoff"]) {
        const answer = await (await slack.command(question, MAYA)).answer();
        expect(answer.status).toBe(200);
        const text = textOf(answer.args.blocks as unknown[]);
        expect(text).toContain("Something went wrong on sop's side");
        expect(text).toContain("Try again in a minute");
        expect(text).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+|TypeError|stack/);
      }
    } finally {
      await slack.close();
    }
  });

  it("says to check SOP_API_TOKEN when the API refuses the bot's token", async () => {
    const slack = await startSlackBot(db, fake, {
      env: { SOP_API_TOKEN: "the-real-api-token-123" },
      api: (app) => inProcessClient(app, { token: "not-the-api-token-456" }),
    });
    try {
      const answer = await (await slack.command("gaps", MAYA)).answer();
      const text = textOf(answer.args.blocks as unknown[]);
      expect(text).toContain("sop's API refused the bot");
      expect(text).toContain("SOP_API_TOKEN");
    } finally {
      await slack.close();
    }
  });
});
