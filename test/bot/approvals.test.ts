/**
 * Approvals from the outside, on the demo company: the card posted by `/sop signoff`, clicks on
 * its buttons as Slack sends them, the modal for requesting changes, and the sign-offs the API
 * records. Double clicks, racing clicks and Slack retries record exactly one sign-off; someone
 * without the role is refused with the names of who can sign; the comment is required.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadDemoCompany } from "../../api/demo-company.js";
import { createLogger } from "../../api/logger.js";
import { type Cycle, data } from "../../bot/api.js";
import { APPROVE_ACTION, REQUEST_CHANGES_ACTION } from "../../bot/blocks/approval-card.js";
import { type FakeSlack, type StoredMessage, startFakeSlack } from "../helpers/fake-slack.js";
import { buttonsOf, CHANNEL, type SlackBotHarness, startSlackBot, textOf } from "../helpers/slack-bot.js";
import { validateBlocks, validateView } from "../helpers/slack-limits.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const NOW = new Date("2026-11-20T16:00:00Z");
const MAYA = "U04JQ7T2M9K"; // planner, admin
const TOM = "U04CYA1G7NB"; // operations
const GRACE = "U03P8EJW1LS"; // finance, executive
const ERIK = "U01GX5NB3QD"; // executive

describe.each(engines)("approval cards on %s", (engine) => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let slack: SlackBotHarness;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    fake = await startFakeSlack();
    slack = await startSlackBot(db, fake, { now: () => NOW });
    await loadDemoCompany(db, slack.app, createLogger("silent"), { anchor: "2026-11", now: NOW });
  }, 300_000);
  afterAll(async () => {
    await slack?.close();
    await fake?.close();
    await db?.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  const cycle = async (): Promise<Cycle> => (await data(slack.api.api.cycles.current.$get())).cycle;
  const signoffs = async (step: string) => (await cycle()).steps.find((s) => s.key === step)!.signoffs;

  /** `/sop signoff STEP` and the card it posted in the channel. */
  async function postCard(step: string, user = MAYA): Promise<StoredMessage> {
    const sent = await slack.command(`signoff ${step}`, user);
    expect(sent.status).toBe(200);
    await fake.waitFor("chat.postMessage");
    await slack.bot.idle();
    const card = fake.messages(CHANNEL).at(-1)!;
    expect(validateBlocks(card.blocks, "message")).toEqual([]);
    return card;
  }

  /** The card as first posted (a copy someone still has on screen). */
  const asPosted = (card: StoredMessage): StoredMessage => ({ ...card, blocks: card.versions[0]!.blocks });

  /** The card as it stands after every redraw. */
  const current = (card: StoredMessage) => fake.message(CHANNEL, card.ts)!;

  it("the card shows the step, due date, key figures and who must sign, with two buttons", async () => {
    const card = await postCard("pre");
    const text = textOf(card.blocks);
    const pre = (await cycle()).steps.find((s) => s.key === "pre")!;
    expect(text).toContain("Sign-off · Pre-S&OP");
    expect(text).toMatch(/\*November 2026 cycle\* · 🔴 \d business days? overdue \(due Nov 17\)/);
    expect(text).toContain("*Forecast accuracy*");
    expect(text).toContain("*Value at risk*");
    expect(text).toContain("*Who signs*");
    for (const m of pre.missing) for (const p of m.people) expect(text).toContain(p.name);
    expect(buttonsOf(card)).toEqual([APPROVE_ACTION, REQUEST_CHANGES_ACTION]);
    expect(text).toContain("<https://sop.example.com/cycle/2026-11|Open in dashboard>");
  });

  it("someone without the role is refused, told who can sign, and nothing is recorded", async () => {
    const card = await postCard("pre");
    const before = await signoffs("pre");
    const click = await slack.click(card, APPROVE_ACTION, TOM);
    expect(click.status).toBe(200);
    const answer = await fake.waitFor(
      (c) => c.method === "response_url" && c.args.response_id === click.responseId,
    );
    expect(answer.args.response_type).toBe("ephemeral");
    expect(answer.args.replace_original).toBe(false);
    const text = textOf(answer.args.blocks as unknown[]);
    expect(text).toContain("You can't sign this step: it needs");
    const pre = (await cycle()).steps.find((s) => s.key === "pre")!;
    for (const m of pre.missing) for (const p of m.people) expect(text).toContain(`${p.name}`);
    expect(await signoffs("pre")).toEqual(before);
    // Request changes refuses the same way, without opening the modal.
    const rc = await slack.click(card, REQUEST_CHANGES_ACTION, TOM);
    const refusal = await fake.waitFor(
      (c) => c.method === "response_url" && c.args.response_id === rc.responseId,
    );
    expect(textOf(refusal.args.blocks as unknown[])).toContain("You can't sign this step");
    await slack.bot.idle();
    expect(fake.callsTo("views.open")).toEqual([]);
  });

  it("a double click, racing clicks and a Slack retry record one sign-off; the card shows who and when", async () => {
    const card = await postCard("pre");
    const pre = (await cycle()).steps.find((s) => s.key === "pre")!;
    const role = pre.missing.find((m) => m.people.some((p) => p.slackUserId === MAYA));
    expect(role?.role).toBe("planner");
    const before = (await signoffs("pre")).length;
    // Slack rate-limits the first redraw: the bot waits as told and the card still ends right.
    fake.rateLimit("chat.update", { times: 1, retryAfterSeconds: 1 });

    // Double click: two clicks on the same drawing, the second before the first is answered.
    const first = slack.clickPayload(card, APPROVE_ACTION, MAYA);
    const second = slack.clickPayload(card, APPROVE_ACTION, MAYA);
    // Five more at the same moment, and Slack retrying the first delivery.
    const racing = Array.from({ length: 5 }, () => slack.clickPayload(card, APPROVE_ACTION, MAYA));
    const statuses = await Promise.all([
      slack.interact(first.payload),
      slack.interact(second.payload),
      ...racing.map((r) => slack.interact(r.payload)),
      slack.interact(first.payload, { retryNum: 1, retryReason: "http_timeout" }),
    ]);
    expect(statuses.map((r) => r.status)).toEqual(Array(8).fill(200));
    await slack.bot.idle();

    const after = await signoffs("pre");
    expect(after).toHaveLength(before + 1);
    const mine = after.at(-1)!;
    expect(mine).toMatchObject({
      person: { slackUserId: MAYA },
      decision: "approve",
      roles: ["planner"],
      source: "slack",
    });
    const updated = current(card);
    expect(updated.versions.length).toBeGreaterThan(1);
    expect(textOf(updated.blocks)).toMatch(/✓ planner · Maya Okafor, Nov 20, 9:00 AM/);
    expect(validateBlocks(updated.blocks, "message")).toEqual([]);
    // Nobody was told off for the repeats; nothing was posted twice.
    expect(fake.callsTo("response_url")).toEqual([]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    const updates = fake.callsTo("chat.update");
    expect(updates[0]?.status).toBe(429);
    expect(updates.slice(1).every((u) => u.ok)).toBe(true);
  });

  it("the last signature signs the step: the card loses its buttons and says who signed when", async () => {
    const card = await postCard("pre");
    const pre = (await cycle()).steps.find((s) => s.key === "pre")!;
    expect(pre.missing.map((m) => m.role)).toEqual(["finance"]);
    await slack.click(card, APPROVE_ACTION, GRACE);
    await slack.bot.idle();
    const signed = (await cycle()).steps.find((s) => s.key === "pre")!;
    expect(signed.status).toBe("signed");
    const updated = current(card);
    expect(buttonsOf(updated)).toEqual([]);
    const text = textOf(updated.blocks);
    expect(text).toContain("✅ Signed Nov 20");
    expect(text).toContain("✓ finance · Grace Whitfield, Nov 20, 9:00 AM");
    // A click on a stale copy of the card is refused and the card redrawn, nothing recorded.
    const count = signed.signoffs.length;
    const late = await slack.click(asPosted(card), APPROVE_ACTION, MAYA);
    const answer = await fake.waitFor(
      (c) => c.method === "response_url" && c.args.response_id === late.responseId,
    );
    expect(textOf(answer.args.blocks as unknown[])).toMatch(/Pre-S&OP \(pre\) of 2026-11 is already signed/);
    await slack.bot.idle();
    expect((await signoffs("pre")).length).toBe(count);
  });

  it("Request changes opens a modal that requires a comment, then reopens the step with it", async () => {
    const card = await postCard("exec");
    const before = (await signoffs("exec")).length;
    const click = await slack.click(card, REQUEST_CHANGES_ACTION, ERIK);
    expect(click.status).toBe(200);
    const opened = await fake.waitFor("views.open");
    expect(opened.ok).toBe(true);
    expect(validateView(opened.args.view, "modal")).toEqual([]);
    const view = fake.views.at(-1)!;
    expect(textOf(view.blocks)).toContain("What should change before *Executive S&OP*");

    // An empty or blank comment keeps the modal open with the reason, and records nothing.
    for (const blank of [null, "", "   \n  "]) {
      const res = await slack.interact(slack.viewSubmission(view, ERIK, blank));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        response_action: "errors",
        errors: { comment: "Say what should change, so the team can act on it." },
      });
    }
    await slack.bot.idle();
    expect((await signoffs("exec")).length).toBe(before);

    const comment = "Hold the plan: the COOLERS over-forecast needs a second look.";
    const submitted = await slack.interact(slack.viewSubmission(view, ERIK, comment));
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toBe("");
    // The same modal submitted again (a double submit) records nothing more.
    await slack.interact(slack.viewSubmission(view, ERIK, comment));
    await slack.bot.idle();
    const after = await signoffs("exec");
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({
      decision: "request_changes",
      comment,
      person: { slackUserId: ERIK },
    });
    const text = textOf(current(card).blocks);
    expect(text).toContain(`↩️ Changes requested by Erik Haugen, Nov 20, 9:00 AM: “${comment}”`);
    expect(buttonsOf(current(card))).toEqual([APPROVE_ACTION, REQUEST_CHANGES_ACTION]);

    // The same drawing submitted with another comment: the first decision stands.
    await slack.interact(slack.viewSubmission(view, ERIK, "Something else entirely"));
    await slack.bot.idle();
    expect(await signoffs("exec")).toHaveLength(before + 1);
  });

  it("two executives approving at once record one approval; the plan locks; the card shows it", async () => {
    const card = await postCard("exec");
    const before = (await signoffs("exec")).length;
    await Promise.all([slack.click(card, APPROVE_ACTION, ERIK), slack.click(card, APPROVE_ACTION, GRACE)]);
    await slack.bot.idle();
    const exec = (await cycle()).steps.find((s) => s.key === "exec")!;
    expect(exec.status).toBe("signed");
    expect(exec.signoffs).toHaveLength(before + 1);
    const c = await cycle();
    expect(c.planLocked).not.toBeNull();
    const updated = current(card);
    expect(buttonsOf(updated)).toEqual([]);
    expect(textOf(updated.blocks)).toContain("🔒 The consensus plan is locked by");
    // The one who lost the race was told why, and only them.
    const told = fake.callsTo("response_url");
    expect(told).toHaveLength(1);
    expect(textOf(told[0]!.args.blocks as unknown[])).toMatch(
      /already (approved|signed)|plan of 2026-11 is locked/,
    );
  });

  it("waits out Slack's 429 on chat.postMessage and posts the card once", async () => {
    fake.rateLimit("chat.postMessage", { times: 1, retryAfterSeconds: 1 });
    const sent = await slack.command("signoff demand", MAYA);
    expect(sent.status).toBe(200);
    await fake.waitFor((c) => c.method === "chat.postMessage" && c.ok, 10_000);
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
    expect(fake.messages(CHANNEL)).toHaveLength(1);
    const card = fake.messages(CHANNEL)[0]!;
    expect(textOf(card.blocks)).toContain("Sign-off · Demand review");
    // Demand review is signed already: the card is information, without buttons.
    expect(buttonsOf(card)).toEqual([]);
  });
});
