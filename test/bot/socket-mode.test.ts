/**
 * Socket Mode from the outside: with SLACK_APP_TOKEN the bot opens a connection with
 * apps.connections.open and a WebSocket to the fake Slack, takes envelopes from it, acks each
 * one, answers as over HTTP, and does not act twice on a redelivered envelope.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { CHANNEL, type SlackBotHarness, startSlackBot, TEAM, textOf } from "../helpers/slack-bot.js";
import { validateView } from "../helpers/slack-limits.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db.js";

const MAYA = "U04JQ7T2M9K";

describe("the bot over Socket Mode", () => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let slack: SlackBotHarness;

  beforeAll(async () => {
    db = await createTestDatabase("embedded");
    fake = await startFakeSlack();
    slack = await startSlackBot(db, fake, { env: { SLACK_APP_TOKEN: fake.appToken } });
    await fake.socketConnected();
  });
  afterAll(async () => {
    await slack?.close();
    await fake?.close();
    await db?.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it("connects with the app-level token and a WebSocket", async () => {
    expect(slack.bot.mode).toBe("socket");
    expect(fake.socketConnections).toBe(1);
    // Slack never calls the HTTP endpoint in Socket Mode: it is not served.
    const res = await fetch(slack.eventsUrl, { method: "POST", body: "x" });
    expect(res.status).toBe(404);
  });

  it("acks a slash command envelope, then answers through the response_url", async () => {
    const ack = await fake.sendEnvelope("slash_commands", {
      token: "legacy",
      team_id: TEAM,
      channel_id: CHANNEL,
      user_id: MAYA,
      command: "/sop",
      text: "help",
      response_url: fake.responseUrl("socket-help"),
      trigger_id: "1.2.socket",
    });
    expect(ack.payload).toEqual({});
    const answer = await fake.waitFor(
      (c) => c.method === "response_url" && c.args.response_id === "socket-help",
    );
    expect(textOf(answer.args.blocks as unknown[])).toContain("/sop gaps");
  });

  it("acks an event, publishes App Home once, and drops a redelivery of it", async () => {
    const payload = {
      token: "legacy",
      team_id: TEAM,
      api_app_id: "A0FAKEAPP1",
      type: "event_callback",
      event_id: "Ev0SOCKET01",
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: MAYA, channel: "D0MAYA0001", tab: "home", event_ts: "1.1" },
      authorizations: [{ team_id: TEAM, user_id: fake.botUserId, is_bot: true }],
    };
    await fake.sendEnvelope("events_api", payload, { envelopeId: "env-home" });
    const published = await fake.waitFor("views.publish");
    expect(validateView(published.args.view, "home")).toEqual([]);
    await fake.sendEnvelope("events_api", payload, {
      envelopeId: "env-home",
      retryAttempt: 1,
      retryReason: "timeout",
    });
    // Another event after it: once that one is published, the redelivery had its chance.
    await fake.sendEnvelope("events_api", {
      ...payload,
      event_id: "Ev0SOCKET02",
      event: { ...payload.event, user: "U0OTHER001" },
    });
    await fake.waitFor((c) => c.method === "views.publish" && c.args.user_id === "U0OTHER001");
    expect(fake.callsTo("views.publish").filter((c) => c.args.user_id === MAYA)).toHaveLength(1);
    expect(fake.socketAcks.map((a) => a.envelopeId)).toEqual(expect.arrayContaining(["env-home"]));
  });
});
