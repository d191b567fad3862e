/**
 * The cadence jobs on the demo company (Ridgeline Hydration Co., Denver, cycle 2026-11) with a
 * fixed clock against the fake Slack: who is reminded, when and with what; escalations; the
 * weekly digest and the monthly pack with real chart PNGs through the upload v2 flow; the
 * kickoff; variance alerts; exactly once (a second run, a second replica); catch-up after
 * downtime; a holiday and the end of DST; Slack not configured; 429s and pacing.
 *
 * The demo is loaded as at Fri 2026-11-20 09:00 in Denver: data, demand and supply are signed,
 * Pre-S&OP (due Tue Nov 17) is left overdue, Executive S&OP is due that Friday.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChartRenderingUnavailableError } from "../../api/charts/render.js";
import { inProcessClient } from "../../api/client.js";
import { loadDemoCompany } from "../../api/demo-company.js";
import { createLogger } from "../../api/logger.js";
import { pixelStats, pngSize } from "../api/charts/helpers.js";
import { testApp } from "../helpers/app.js";
import { type FakeSlack, type StoredMessage, startFakeSlack } from "../helpers/fake-slack.js";
import { clearJobs, denver, jobsHarness, memoryLogger, secondPool } from "../helpers/jobs.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const LOADED_AT = denver("2026-11-20T09:00");
const CHANNEL = "C0SOPMONTHLY";
const ERIK = "U01GX5NB3QD"; // CEO: executive
const GRACE = "U03P8EJW1LS"; // CFO: finance, executive
const MAYA = "U04JQ7T2M9K"; // planner, admin
const DIEGO = "U05B3XKD81R"; // planner
const AISHA = "U05KD2VR6HX"; // operations, planner
/** User ids in the order dmRecipients() lists them. */
const ids = (...users: string[]) => [...users].sort();
const PRE_SIGNERS = ids(AISHA, DIEGO, GRACE, MAYA);

/** Every text object's text in blocks, in order (mrkdwn entities decoded). */
function blockTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(blockTexts);
  if (typeof value !== "object" || value === null) return [];
  const o = value as Record<string, unknown>;
  if ((o.type === "mrkdwn" || o.type === "plain_text") && typeof o.text === "string") {
    return [o.text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")];
  }
  return Object.values(o).flatMap(blockTexts);
}

/** A message's fallback text and its blocks' text, one piece a line, for matching. */
function textOf(m: StoredMessage | undefined): string {
  if (!m) return "";
  return [m.text ?? "", ...blockTexts(m.blocks ?? [])].join("\n");
}

describe.each(engines)("the cadence jobs on the demo company (%s)", (engine) => {
  let db: TestDatabase;
  let fake: FakeSlack;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const { app } = testApp(db, { now: () => LOADED_AT });
    await loadDemoCompany(db, app, createLogger("silent"), { anchor: "2026-11", now: LOADED_AT });
    fake = await startFakeSlack({ channelNames: { "#sop-monthly": CHANNEL } });
  }, 300_000);
  afterAll(async () => {
    await fake?.close();
    await db?.close();
  });
  beforeEach(async () => {
    await clearJobs(db.sql);
    fake.reset();
  });

  /** Users who got a direct message, sorted. */
  const dmRecipients = () =>
    fake
      .allMessages()
      .filter((m) => m.channel.startsWith("D"))
      .map((m) => `U${m.channel.slice(1)}`)
      .sort();
  const at = (local: string) => ({ at: denver(local), trigger: "schedule" as const });

  it("reminders: the pre-S&OP signers get one DM each the day before; on the due day the channel hears who is missing", async () => {
    const { scheduler } = jobsHarness(db, { clock: denver("2026-11-16T09:00"), slack: fake });
    const monday = await scheduler.run("reminders", at("2026-11-16T09:00"));
    expect(monday).toMatchObject({ status: "done", period: "2026-11-16" });
    // Pre-S&OP (due Tue Nov 17) waits for the planners and finance; the executive S&OP (due
    // Fri Nov 20) is 4 business days away: not yet.
    expect(dmRecipients()).toEqual(PRE_SIGNERS);
    expect(fake.messages(CHANNEL)).toHaveLength(0);
    const grace = fake.messages(GRACE);
    expect(grace).toHaveLength(1);
    expect(grace[0]?.text).toBe("Your sign-off is needed: Pre-S&OP is due Tue Nov 17.");
    expect(textOf(grace[0])).toContain("*Pre-S&OP* as Finance — due next business day (Tue Nov 17)");
    expect(textOf(fake.messages(AISHA)[0])).toContain("as Planner");
    expect(textOf(grace[0])).toContain("<https://sop.example.com/cycle/2026-11|Review and sign> ›");

    fake.reset();
    const tuesday = await scheduler.run("reminders", at("2026-11-17T09:00"));
    expect(tuesday.status).toBe("done");
    expect(dmRecipients()).toEqual(PRE_SIGNERS);
    const post = fake.messages(CHANNEL);
    expect(post).toHaveLength(1);
    expect(post[0]?.text).toMatch(/^Due today: Pre-S&OP — waiting for /);
    for (const id of PRE_SIGNERS) expect(textOf(post[0])).toContain(`<@${id}>`);
    expect(textOf(post[0])).not.toContain(`<@${ERIK}>`);

    fake.reset();
    // Wednesday: Pre-S&OP is overdue (escalations' business); the executive S&OP is 2 days out.
    await scheduler.run("reminders", at("2026-11-18T09:00"));
    expect(dmRecipients()).toEqual(ids(ERIK, GRACE));
    expect(fake.messages(ERIK)[0]?.text).toBe("Your sign-off is needed: Executive S&OP is due Fri Nov 20.");
    expect(fake.messages(CHANNEL)).toHaveLength(0);

    fake.reset();
    const saturday = await scheduler.run("reminders", at("2026-11-21T09:00"));
    expect(saturday).toMatchObject({
      status: "nothing",
      reason: "2026-11-21 is not a business day in America/Denver",
    });
    expect(fake.calls).toHaveLength(0);
  });

  it("escalations: a step overdue by a business day or more goes to the channel with who is missing, and to each executive", async () => {
    const { scheduler } = jobsHarness(db, { clock: denver("2026-11-20T10:00"), slack: fake });
    const dueDay = await scheduler.run("escalations", at("2026-11-17T10:00"));
    expect(dueDay).toMatchObject({ status: "done", messages: [] });
    expect(fake.calls).toHaveLength(0);

    const friday = await scheduler.run("escalations", at("2026-11-20T10:00"));
    expect(friday.status).toBe("done");
    const post = fake.messages(CHANNEL);
    expect(post).toHaveLength(1);
    expect(post[0]?.text).toBe(
      "Overdue in the November 2026 cycle: Pre-S&OP (3 business days late, missing Planner, Finance).",
    );
    expect(textOf(post[0])).toContain("Overdue: 1 step in the November 2026 cycle");
    for (const id of PRE_SIGNERS) expect(textOf(post[0])).toContain(`<@${id}>`);
    expect(textOf(post[0])).toContain("Executive S&OP is due Fri Nov 20");
    expect(dmRecipients()).toEqual(ids(ERIK, GRACE));
    expect(fake.messages(ERIK)[0]?.text).toBe(
      "The November 2026 S&OP cycle is behind: Pre-S&OP is 3 business days late.",
    );
    // The DM names people rather than mentioning them: they are not in that conversation.
    expect(textOf(fake.messages(ERIK)[0])).toContain("Finance: Grace Whitfield");
  });

  it("weekly digest: one check-in a week, with three real chart PNGs shared through the upload v2 flow", async () => {
    const { scheduler } = jobsHarness(db, { clock: denver("2026-11-16T09:00"), slack: fake });
    const run = await scheduler.run("weekly-digest", at("2026-11-16T09:00"));
    expect(run).toMatchObject({
      status: "done",
      period: "2026-W47",
      outbox: { sent: 2, pending: 0, failed: 0 },
    });
    const posts = fake.messages(CHANNEL);
    expect(posts).toHaveLength(2);
    const digest = textOf(posts[0]);
    expect(digest).toContain("Weekly S&OP check-in · week of Nov 16");
    expect(digest).toContain("no November sales imported yet");
    expect(digest).toContain("October 2026 closed at");
    expect(digest).toContain("*Top gaps*");
    expect(digest).toContain("November 2026 cycle* — 3 of 5 steps signed");
    expect(digest).toContain("Next: Pre-S&OP, due Tue Nov 17");

    // upload v2: get an upload URL per file, POST the bytes, complete into the channel by id.
    expect(fake.callsTo("files.getUploadURLExternal")).toHaveLength(3);
    expect(fake.callsTo("upload").every((c) => c.ok)).toBe(true);
    const complete = fake.callsTo("files.completeUploadExternal");
    expect(complete).toHaveLength(1);
    expect(complete[0]?.args.channel_id).toBe(CHANNEL);
    expect(posts[1]?.files).toHaveLength(3);
    expect(fake.files.map((f) => f.filename)).toEqual([
      "forecast-vs-actual.png",
      "value-at-risk.png",
      "cycle-timeline.png",
    ]);
    for (const f of fake.files) {
      expect(f.completed).toBe(true);
      expect(f.png).toEqual({ width: 1600, height: 800 });
      const bytes = f.bytes!;
      expect(pngSize(bytes)).toEqual({ width: 1600, height: 800 });
      const stats = await pixelStats(bytes);
      expect(stats.inked / stats.pixels).toBeGreaterThan(0.02);
      expect(stats.colours).toBeGreaterThan(4);
    }
    // The digest and its charts go out together: a burst of two is within Slack's pace.
    expect(complete[0]!.at - fake.callsTo("chat.postMessage")[0]!.at).toBeLessThan(950);

    // Once a week: again on Monday, or on Tuesday, posts nothing.
    const calls = fake.calls.length;
    expect(await scheduler.run("weekly-digest", at("2026-11-16T09:30"))).toMatchObject({ status: "already" });
    expect(await scheduler.run("weekly-digest", at("2026-11-17T09:00"))).toMatchObject({
      status: "nothing",
      reason: "the week's check-in goes out on 2026-11-16, its first business day",
    });
    expect(fake.calls).toHaveLength(calls);
  });

  it("monthly pack: two business days before the executive S&OP, the pre-read with four charts, once", async () => {
    const { scheduler } = jobsHarness(db, { clock: denver("2026-11-18T09:00"), slack: fake });
    expect(await scheduler.run("monthly-pack", at("2026-11-17T09:00"))).toMatchObject({
      status: "nothing",
      reason: "the 2026-11 pre-read goes out on 2026-11-18",
    });
    const run = await scheduler.run("monthly-pack", at("2026-11-18T09:00"));
    expect(run).toMatchObject({ status: "done", period: "2026-11", outbox: { sent: 2 } });
    const [pack, charts] = fake.messages(CHANNEL);
    const text = textOf(pack);
    expect(text).toContain("Executive S&OP pre-read · November 2026");
    expect(text).toContain("*Executive S&OP* is due *Fri Nov 20* (in 2 business days)");
    expect(text).toContain("*Decisions needed*");
    expect(text).toContain("*Capacity shortfalls*");
    expect(text).toMatch(/\*BOTTLES\* short [\d,]+ units/);
    // COOLERS is the demo's over-forecast family: its bias and negative consensus FVA are flagged.
    expect(text).toMatch(
      /\*COOLERS\* [\d.]+% accurate · bias \+[\d.]+% · consensus FVA −[\d.]+ pts :warning:/,
    );
    expect(text).toContain("*Turns*");
    expect(charts?.files).toHaveLength(4);
    expect(fake.files.map((f) => f.filename)).toEqual([
      "capacity-vs-demand.png",
      "value-at-risk.png",
      "forecast-vs-actual.png",
      "inventory-trend.png",
    ]);
    expect(await scheduler.run("monthly-pack", at("2026-11-19T09:00"))).toMatchObject({ status: "already" });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("variance alerts: one alert per family off plan in the last closed month, never twice", async () => {
    const { scheduler, apiAt } = jobsHarness(db, {
      clock: denver("2026-11-16T07:30"),
      slack: fake,
      paceMs: 100,
    });
    const report = await (
      await apiAt(denver("2026-11-16T07:30")).api.kpi.variance.$get({ query: {} })
    ).json();
    if (!("families" in report)) throw new Error("no variance report");
    expect(report.period).toBe("2026-10");
    const expected = report.families.filter((f) => f.flagged || f.flaggedItems > 0).map((f) => f.family);
    expect(expected.length).toBeGreaterThan(0);

    const run = await scheduler.run("variance-alerts", at("2026-11-16T07:30"));
    expect(run.status).toBe("done");
    const posts = fake.messages(CHANNEL);
    // Paced in the channel: two at once, then one per interval (100 ms here, a second in production).
    const times = fake.callsTo("chat.postMessage").map((c) => c.at);
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 2) * 100 - 10);
    expect(posts.map((p) => /\*([A-Z]+)\*/.exec(blockTexts(p.blocks).join("\n"))?.[1])).toEqual(expected);
    for (const p of posts) expect(textOf(p)).toContain("October 2026");

    // The next day's run finds every alert sent already.
    fake.reset();
    expect(await scheduler.run("variance-alerts", at("2026-11-17T07:30"))).toMatchObject({
      status: "done",
      outbox: { sent: 0 },
    });
    expect(fake.calls).toHaveLength(0);
  });

  it("without Slack the jobs still run and fill the outbox; once Slack is there the sweep sends what is still current", async () => {
    const offline = jobsHarness(db, { clock: denver("2026-11-16T09:00") });
    const run = await offline.scheduler.run("reminders", at("2026-11-16T09:00"));
    expect(run).toMatchObject({ status: "done", outbox: { sent: 0, pending: 4 } });
    expect(fake.calls).toHaveLength(0);
    const outbox = await (
      await offline.apiAt(denver("2026-11-16T09:00")).api.jobs.outbox.$get({ query: { status: "pending" } })
    ).json();
    expect(outbox.counts).toMatchObject({ pending: 4, sent: 0 });
    expect(outbox.messages.map((m) => m.summary).sort()).toEqual([
      "reminder to Aisha Mensah: Pre-S&OP",
      "reminder to Diego Alvarez: Pre-S&OP",
      "reminder to Grace Whitfield: Pre-S&OP",
      "reminder to Maya Okafor: Pre-S&OP",
    ]);
    expect(outbox.messages[0]).toMatchObject({ kind: "dm", status: "pending", attempts: 0 });

    const online = jobsHarness(db, { clock: denver("2026-11-16T11:00"), slack: fake });
    expect(await online.scheduler.sweep()).toEqual({ sent: 4, retrying: 0, failed: 0 });
    expect(dmRecipients()).toEqual(PRE_SIGNERS);

    // Tuesday's reminders, queued while Slack was away, are stale by Wednesday: not sent.
    fake.reset();
    await offline.scheduler.run("reminders", at("2026-11-17T09:00"));
    const late = jobsHarness(db, { clock: denver("2026-11-18T08:00"), slack: fake });
    expect(await late.scheduler.sweep()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(fake.calls).toHaveLength(0);
    const skipped = await (
      await late.apiAt(denver("2026-11-18T08:00")).api.jobs.outbox.$get({ query: { status: "skipped" } })
    ).json();
    expect(skipped.messages).toHaveLength(5);
    expect(skipped.messages[0]?.lastError).toMatch(/^expired before it could be sent/);
  });

  it("a 429 is retried after Retry-After, and the message arrives once", async () => {
    fake.rateLimit("chat.postMessage", { times: 1, retryAfterSeconds: 1 });
    const { scheduler } = jobsHarness(db, { clock: denver("2026-11-20T10:00"), slack: fake });
    const run = await scheduler.run("escalations", at("2026-11-20T10:00"));
    expect(run).toMatchObject({ status: "done", outbox: { sent: 3, failed: 0 } });
    const calls = fake.callsTo("chat.postMessage");
    expect(calls[0]).toMatchObject({ status: 429, error: "ratelimited" });
    expect(calls[1]?.ok).toBe(true);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(fake.messages(CHANNEL)).toHaveLength(1);
    expect(dmRecipients()).toEqual(ids(ERIK, GRACE));
  });

  it("channels: SOP_JOB_CHANNELS before SOP_CHANNEL before the company's; with none, channel posts are skipped and say why", async () => {
    const t = denver("2026-11-20T10:00");
    const routed = jobsHarness(db, {
      clock: t,
      slack: fake,
      env: { SOP_CHANNEL: "C0OPS", SOP_JOB_CHANNELS: "weekly-digest=C0EXEC" },
    });
    await routed.scheduler.run("escalations", { at: t, trigger: "schedule" });
    expect(fake.messages("C0OPS")).toHaveLength(1);
    expect(fake.messages(CHANNEL)).toHaveLength(0);
    const list = await routed.scheduler.list();
    expect(list.find((j) => j.name === "weekly-digest")?.channel).toBe("C0EXEC");
    expect(list.find((j) => j.name === "reminders")?.channel).toBe("C0OPS");

    await clearJobs(db.sql);
    fake.reset();
    const { scheduler, apiAt } = jobsHarness(db, { clock: t, slack: fake });
    const api = apiAt(t);
    expect((await api.api.settings.$put({ json: { company: { channel: null } } })).status).toBe(200);
    try {
      const run = await scheduler.run("escalations", { at: t, trigger: "schedule" });
      expect(run).toMatchObject({ status: "done", outbox: { sent: 2, skipped: 1 } });
      // The executives still hear about it directly.
      expect(dmRecipients()).toEqual(ids(ERIK, GRACE));
      const skipped = await (await api.api.jobs.outbox.$get({ query: { status: "skipped" } })).json();
      expect(skipped.messages[0]).toMatchObject({ kind: "message", channel: "" });
      expect(skipped.messages[0]?.lastError).toMatch(
        /^no channel is configured for this job: set SOP_CHANNEL/,
      );
    } finally {
      await api.api.settings.$put({ json: { company: { channel: "#sop-monthly" } } });
    }
  });

  it("two schedulers on one database (two replicas) post once, and their sweeps send each message once", async () => {
    const other = secondPool(db);
    try {
      const t = denver("2026-11-16T09:00");
      const a = jobsHarness(db, { clock: t, slack: fake, claimant: "replica-a" });
      const b = jobsHarness(db, { clock: t, slack: fake, claimant: "replica-b", sql: other });
      const outcomes = await Promise.all([
        a.scheduler.run("reminders", { at: t, trigger: "schedule" }),
        b.scheduler.run("reminders", { at: t, trigger: "schedule" }),
        a.scheduler.run("weekly-digest", { at: t, trigger: "schedule" }),
        b.scheduler.run("weekly-digest", { at: t, trigger: "schedule" }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(["already", "already", "done", "done"]);
      expect(dmRecipients()).toEqual(PRE_SIGNERS);
      expect(fake.callsTo("chat.postMessage")).toHaveLength(5);
      expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(1);

      // Messages written while Slack was off, swept by both replicas at once.
      await clearJobs(db.sql);
      fake.reset();
      await jobsHarness(db, { clock: t }).scheduler.run("reminders", { at: t, trigger: "schedule" });
      const swept = await Promise.all([a.scheduler.sweep(), b.scheduler.sweep()]);
      expect(swept[0].sent + swept[1].sent).toBe(4);
      expect(dmRecipients()).toEqual(PRE_SIGNERS);
    } finally {
      await other.end();
    }
  });

  it("catch-up at start-up: what was missed while down runs if still relevant, else is skipped with a log line", async () => {
    // Down from Friday until Tuesday 08:00: Monday's reminders and escalations are stale, the
    // week's check-in is not (same week), October's pre-read is long gone.
    const { logger, lines } = memoryLogger();
    // (Pacing is the weekly digest test's subject; here it would only add seconds.)
    const tuesday = jobsHarness(db, { clock: denver("2026-11-17T08:00"), slack: fake, logger, paceMs: 100 });
    const results = await tuesday.scheduler.catchUp();
    const byJob = Object.fromEntries(results.map((r) => [r.job, r]));
    expect(byJob.reminders).toMatchObject({ action: "skipped", period: "2026-11-16" });
    expect(byJob.escalations).toMatchObject({ action: "skipped", period: "2026-11-16" });
    expect(byJob["weekly-digest"]).toMatchObject({
      action: "ran",
      period: "2026-W47",
      outcome: { status: "done" },
    });
    expect(byJob["monthly-pack"]).toMatchObject({ action: "skipped", period: "2026-10" });
    expect(byJob["cycle-open"]).toMatchObject({ action: "ran", period: "2026-11" });
    // Tuesday's 07:30 variance run was missed an half hour ago: still today, so it runs.
    expect(byJob["variance-alerts"]).toMatchObject({ action: "ran", period: "2026-11-17" });
    expect(
      lines.find((l) =>
        l.msg.startsWith("skipped reminders for 2026-11-16: missed while sop was not running"),
      ),
    ).toMatchObject({ level: 40, job: "reminders", missedAt: denver("2026-11-16T09:00").toISOString() });
    const digests = fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith("Weekly"));
    expect(digests).toHaveLength(1);
    // Skipped runs are in the ledger: a second start finds nothing to do.
    expect((await tuesday.scheduler.catchUp()).map((r) => r.action)).toEqual(Array(6).fill("none"));

    // Down on Wednesday morning, back at noon: that day's reminders go out late rather than never.
    await clearJobs(db.sql);
    fake.reset();
    const wednesday = jobsHarness(db, { clock: denver("2026-11-18T12:00"), slack: fake, paceMs: 100 });
    const again = Object.fromEntries((await wednesday.scheduler.catchUp()).map((r) => [r.job, r]));
    expect(again.reminders).toMatchObject({
      action: "ran",
      period: "2026-11-18",
      missedAt: denver("2026-11-18T09:00").toISOString(),
    });
    expect(again["monthly-pack"]).toMatchObject({ action: "ran", period: "2026-11" });
    expect(again["weekly-digest"]).toMatchObject({ action: "ran", period: "2026-W47" });
    // The reminders (executive S&OP due Friday) and the escalations (Pre-S&OP a day late).
    expect(dmRecipients()).toEqual(ids(ERIK, ERIK, GRACE, GRACE));
    expect(again.escalations).toMatchObject({ action: "ran", period: "2026-11-18" });
  });

  it("a holiday in the company calendar: no reminders that day, due dates count past it, the digest moves to Tuesday", async () => {
    const { scheduler, apiAt } = jobsHarness(db, { clock: denver("2026-11-16T09:00"), slack: fake });
    const api = apiAt(denver("2026-11-16T09:00"));
    const put = async (holidays: { date: string; name: string }[]) =>
      expect((await api.api.settings.$put({ json: { holidays } })).status).toBe(200);
    await put([
      { date: "2026-11-16", name: "Offsite" },
      { date: "2026-11-18", name: "Founders' day" },
    ]);
    try {
      expect(await scheduler.run("reminders", at("2026-11-18T09:00"))).toMatchObject({
        status: "nothing",
        reason: "2026-11-18 is not a business day in America/Denver",
      });
      expect(await scheduler.run("weekly-digest", at("2026-11-16T09:00"))).toMatchObject({
        status: "nothing",
      });
      expect(await scheduler.run("weekly-digest", at("2026-11-17T09:00"))).toMatchObject({
        status: "done",
        period: "2026-W47",
      });
      fake.reset();
      // Tuesday: with Wednesday off, Friday's executive S&OP is two business days away.
      await scheduler.run("reminders", at("2026-11-17T09:00"));
      expect(dmRecipients()).toEqual(ids(AISHA, DIEGO, ERIK, GRACE, MAYA));
      expect(textOf(fake.messages(ERIK)[0])).toContain(
        "*Executive S&OP* as Executive — due in 2 business days",
      );
      expect(textOf(fake.messages(GRACE)[0])).toContain("as Finance");
      expect(textOf(fake.messages(GRACE)[0])).toContain("as Executive");
    } finally {
      await put([]);
    }
  });

  it("the end of DST in Denver: the 09:00 jobs move from 15:00 to 16:00 UTC and keep their local keys", async () => {
    const monday = new Date("2026-11-02T16:00:00Z"); // 09:00 MST, the first Monday after the change
    const { scheduler } = jobsHarness(db, { clock: monday, slack: fake });
    expect(await scheduler.run("reminders", { at: monday, trigger: "schedule" })).toMatchObject({
      status: "done",
      period: "2026-11-02",
    });
    expect(await scheduler.run("weekly-digest", { at: monday, trigger: "schedule" })).toMatchObject({
      status: "done",
      period: "2026-W45",
    });
    expect(textOf(fake.messages(CHANNEL)[0])).toContain("week of Nov 2");
    const list = await jobsHarness(db, { clock: new Date("2026-10-30T15:30:00Z") }).scheduler.list();
    expect(list.find((j) => j.name === "reminders")?.nextRun).toBe("2026-11-02T16:00:00.000Z");
    const friday = await jobsHarness(db, { clock: new Date("2026-10-29T16:00:00Z") }).scheduler.list();
    expect(friday.find((j) => j.name === "reminders")?.nextRun).toBe("2026-10-30T15:00:00.000Z");
  });

  it("where charts cannot be drawn the PNG endpoint answers 503 and the digest goes out without images", async () => {
    const missing = {
      render: () => Promise.reject(new ChartRenderingUnavailableError("Cannot find module 'canvas'")),
    };
    const { scheduler, apiAt } = jobsHarness(db, {
      clock: denver("2026-11-16T09:00"),
      slack: fake,
      chartRenderer: missing,
    });
    const api = apiAt(denver("2026-11-16T09:00"));
    const png = await api.api.charts[":file"].$get({ param: { file: "value-at-risk.png" }, query: {} });
    expect(png.status).toBe(503);
    const body = (await png.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("charts_unavailable");
    expect(body.error.message).toMatch(/apt-get install .*libcairo2-dev/);
    expect(
      (await api.api.charts[":file"].$get({ param: { file: "value-at-risk.json" }, query: {} })).status,
    ).toBe(200);
    const run = await scheduler.run("weekly-digest", at("2026-11-16T09:00"));
    expect(run).toMatchObject({ status: "done", outbox: { sent: 1 } });
    expect(fake.files).toHaveLength(0);
    expect(textOf(fake.messages(CHANNEL)[0])).toContain("Charts are unavailable on this server");
  });

  it("the API: the job list, a dry run, a run, the same run again, the outbox", async () => {
    const t = denver("2026-11-16T09:00");
    const { apiAt } = jobsHarness(db, { clock: t, slack: fake });
    const api = apiAt(t);
    const list = await (await api.api.jobs.$get()).json();
    if (!("jobs" in list)) throw new Error("no job list");
    expect(list.jobs.map((j) => j.name)).toEqual([
      "variance-alerts",
      "cycle-open",
      "reminders",
      "weekly-digest",
      "monthly-pack",
      "escalations",
    ]);
    expect(list.jobs.find((j) => j.name === "weekly-digest")).toMatchObject({
      schedule: "0 9 * * 1-5",
      when: "Weekdays at 09:00",
      timezone: "America/Denver",
      channel: "#sop-monthly",
      lastRun: null,
    });

    const run = (json: { at?: string; dryRun?: boolean }) =>
      api.api.jobs[":name"].run.$post({ param: { name: "weekly-digest" }, json: json as never });
    const dry = await (await run({ at: t.toISOString(), dryRun: true })).json();
    expect(dry).toMatchObject({ status: "dry-run", period: "2026-W47" });
    if (!("messages" in dry)) throw new Error("no dry run");
    expect(dry.messages.map((m) => m.kind)).toEqual(["message", "file"]);
    expect(dry.messages[0]?.readable).toContain("Weekly S&OP check-in · week of Nov 16");
    expect(dry.messages[1]?.files.map((f) => f.filename)).toEqual([
      "forecast-vs-actual.png",
      "value-at-risk.png",
      "cycle-timeline.png",
    ]);
    expect(fake.calls).toHaveLength(0);

    expect(await (await run({ at: t.toISOString() })).json()).toMatchObject({ status: "done" });
    expect(await (await run({ at: t.toISOString() })).json()).toMatchObject({ status: "already" });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    const unknown = await api.api.jobs[":name"].run.$post({ param: { name: "nope" }, json: {} as never });
    expect(unknown.status).toBe(404);
    const outbox = await (await api.api.jobs.outbox.$get({ query: {} })).json();
    expect(outbox.counts).toMatchObject({ sent: 2, pending: 0 });
    const noJobs = inProcessClient(testApp(db).app);
    expect((await noJobs.api.jobs.$get()).status).toBe(503);
  });

  it("cycle opening: on the first business day of December the cycle opens, the kickoff lists the calendar and November's unsigned steps", async () => {
    const { scheduler, apiAt } = jobsHarness(db, { clock: denver("2026-12-01T08:00"), slack: fake });
    const run = await scheduler.run("cycle-open", at("2026-12-01T08:00"));
    expect(run).toMatchObject({ status: "done", period: "2026-12" });
    const cycle = await apiAt(denver("2026-12-01T08:00")).api.cycles[":month"].$get({
      param: { month: "2026-12" },
    });
    expect(cycle.status).toBe(200);
    const kickoff = fake.messages(CHANNEL);
    expect(kickoff).toHaveLength(1);
    expect(kickoff[0]?.text).toBe(
      "December 2026 S&OP cycle is open: 5 steps to sign, executive S&OP due Mon Dec 21. 2 steps of November 2026 still unsigned.",
    );
    const text = textOf(kickoff[0]);
    expect(text).toContain("*1. Data gathering* — due Thu Dec 3");
    expect(text).toContain("Still unsigned from November 2026");
    expect(text).toContain("*Pre-S&OP* (due Tue Nov 17)");
    expect(text).toContain("*6. Execution & monitoring* — through Thu Dec 31");
    expect(await scheduler.run("cycle-open", at("2026-12-02T08:00"))).toMatchObject({ status: "already" });
    expect(fake.messages(CHANNEL)).toHaveLength(1);
  });

  it("a run that failed (the API had a bad moment) is tried again a few minutes later while still relevant", async () => {
    const t = denver("2026-11-16T09:00");
    const broken = jobsHarness(db, { clock: t, slack: fake, failPaths: /\/api\/kpi\/gaps$/ });
    const failed = await broken.scheduler.run("weekly-digest", { at: t, trigger: "schedule" });
    expect(failed).toMatchObject({ status: "failed", period: "2026-W47" });
    expect(failed.reason).toBe("reading the gaps: the API answered 500 internal: the database went away");
    expect(fake.calls).toHaveLength(0);

    const healthy = jobsHarness(db, { clock: denver("2026-11-16T09:10"), slack: fake });
    expect(await healthy.scheduler.resume()).toEqual([]); // failed a moment ago: not yet
    await db.sql`update job_runs set finished_at = finished_at - interval '10 minutes' where job = 'weekly-digest'`;
    const again = await healthy.scheduler.resume();
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ status: "done", period: "2026-W47", outbox: { sent: 2 } });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    const [run] = await db.sql<{ attempts: number; status: string; trigger: string }[]>`
      select attempts, status, trigger from job_runs where job = 'weekly-digest'`;
    expect(run).toEqual({ attempts: 2, status: "done", trigger: "resume" });

    // A failure whose occurrence has passed stays failed: the next week does not get last week's digest.
    await clearJobs(db.sql);
    fake.reset();
    await broken.scheduler.run("weekly-digest", { at: t, trigger: "schedule" });
    await db.sql`update job_runs set finished_at = finished_at - interval '10 minutes' where job = 'weekly-digest'`;
    const nextWeek = jobsHarness(db, { clock: denver("2026-11-23T09:10"), slack: fake });
    expect(await nextWeek.scheduler.resume()).toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });

  it("after a sales import the variance alerts run at once: a family newly off plan is alerted, the others are not again", async () => {
    const t = denver("2026-11-16T07:30");
    const daily = jobsHarness(db, { clock: t, slack: fake, paceMs: 100 });
    await daily.scheduler.run("variance-alerts", { at: t, trigger: "schedule" });
    const report = await (await daily.apiAt(t).api.kpi.variance.$get({ query: {} })).json();
    if (!("families" in report)) throw new Error("no variance report");
    const quiet = report.families.find((f) => !f.flagged && f.flaggedItems === 0);
    if (!quiet) throw new Error("every family was alerted: nothing left to test with");

    // Corrected October sales: the quiet family sold twice what was recorded.
    const rows = await db.sql<{ sku: string; location: string; units: number }[]>`
      select s.sku, s.location, s.units from sales s join items i on i.sku = s.sku
      where i.family = ${quiet.family} and s.period = '2026-10-01'`;
    const csv = `sku,location,period,units\n${rows.map((r) => `${r.sku},${r.location},2026-10,${r.units * 2}`).join("\n")}\n`;
    const imported = await testApp(db).app.request("/api/imports/sales", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: csv,
    });
    expect(imported.status).toBe(200);
    const { import: run } = (await imported.json()) as { import: { runId: number } };

    fake.reset();
    // The scheduler looks for new imports every minute; here, once, on the real clock.
    const live = jobsHarness(db, { clock: () => new Date(), slack: fake, paceMs: 100 });
    const outcomes = await live.scheduler.checkImports();
    // This import, and the demo's own sales import of a few minutes ago (nothing new in it).
    expect(outcomes.map((o) => o.target)).toContain(`import:${run.runId}`);
    expect(outcomes.every((o) => o.job === "variance-alerts" && o.status === "done")).toBe(true);
    const posts = fake.messages(CHANNEL);
    expect(posts).toHaveLength(1);
    expect(textOf(posts[0])).toContain(`*${quiet.family}* sold *+`);
    expect(textOf(posts[0])).toContain("above plan in October 2026");
    expect(await live.scheduler.checkImports()).toEqual([]);
  });
});
