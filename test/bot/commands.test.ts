/**
 * Every /sop command on the demo company, from the outside: signed slash commands to the
 * running server, answers read from the fake Slack's response_url. Figures are checked against
 * the API's own answers, and every answer must be valid Block Kit, state how fresh the data is
 * and link to the same view in the dashboard.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoCompany } from "../../api/demo-company.js";
import { createLogger } from "../../api/logger.js";
import { data } from "../../bot/api.js";
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from "../helpers/fake-slack.js";
import { CHANNEL, type SlackBotHarness, startSlackBot, textOf } from "../helpers/slack-bot.js";
import { validateBlocks, validateView } from "../helpers/slack-limits.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

// 2026-11-20 09:00 in Denver: the pre-S&OP step (due the 17th) is overdue, exec (the 20th) is not.
const NOW = new Date("2026-11-20T16:00:00Z");
const MAYA = "U04JQ7T2M9K";
const GRACE = "U03P8EJW1LS";
const money = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
const units = (v: number) => Math.round(v).toLocaleString("en-US");

describe.each(engines)("/sop on the demo company (%s)", (engine) => {
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

  /** Asks and returns the answer posted to the response_url, checked against Slack's rules. */
  async function ask(text: string, user = MAYA): Promise<{ call: FakeSlackCall; text: string }> {
    const sent = await slack.command(text, user);
    expect(sent.status).toBe(200);
    const call = await sent.answer();
    expect(call.status, JSON.stringify(call.response)).toBe(200);
    expect(validateBlocks(call.args.blocks, "message")).toEqual([]);
    expect(String(call.args.text ?? "").length).toBeGreaterThan(0);
    return { call, text: textOf(call.args.blocks as unknown[]) };
  }

  /** Every answer says how fresh its data is and links to the dashboard view. */
  function expectFreshAndLinked(text: string, path: string) {
    expect(text).toMatch(/Data through October 2026 · imported|Live as of Nov 20, 9:00 AM/);
    expect(text).toContain(`<https://sop.example.com${path}|Open in dashboard>`);
  }

  it("gaps: totals, top shortages with stock-out month and order-by date, capacity gaps", async () => {
    const api = await data(slack.api.api.kpi.gaps.$get({ query: { limit: "10" } }));
    const { call, text } = await ask("gaps");
    expect(call.args.response_type).toBe("ephemeral");
    expect(text).toContain("Gaps · next 6 months");
    expect(text).toContain(`*Value at risk*\n${money(api.totals.valueAtRisk)}`);
    expect(text).toContain(`*Capacity gap*\n${units(api.totals.capacityGapUnits)} units`);
    const top = api.shortages[0]!;
    expect(text).toContain(`*${top.sku}*`);
    expect(text).toContain(`${money(top.valueAtRisk)} at risk · ${units(top.shortageUnits)} short`);
    expect(text).toMatch(/out in [A-Z][a-z]{2} 20\d\d · order by [A-Z][a-z]{2} \d+/);
    expect(text).toContain("*BOTTLES*");
    expect(text).toContain(`+${api.shortageCount - api.shortages.length} more shortages`);
    expectFreshAndLinked(text, "/risk?horizon=6#gaps");
  });

  it("gaps for a family (any case) and a horizon; for one SKU", async () => {
    const api = await data(slack.api.api.kpi.gaps.$get({ query: { family: "BOTTLES", horizon: "3" } }));
    const { text } = await ask("gaps bottles horizon 3");
    expect(text).toContain("Gaps · BOTTLES · next 3 months");
    expect(text).toContain(money(api.totals.valueAtRisk));
    expectFreshAndLinked(text, "/risk?family=BOTTLES&horizon=3#gaps");
    const sku = (await ask("gaps btl-s05-glc")).text;
    expect(sku).toContain("Gaps · BTL-S05-GLC");
  });

  it("accuracy: accuracy, WAPE, bias in words, FVA, trend and worst SKUs with tracking flags", async () => {
    const api = await data(slack.api.api.kpi.accuracy.$get({ query: { family: "COOLERS" } }));
    const { text } = await ask("accuracy COOLERS");
    expect(text).toContain("Forecast accuracy · COOLERS");
    expect(text).toContain(`${(api.accuracy! * 100).toFixed(1)}%`);
    expect(text).toContain(`over-forecast by ${(api.bias! * 100).toFixed(1)}%`);
    expect(text).toContain("Statistical vs naive:");
    expect(text).toMatch(/Consensus vs statistical: added \d+\.\d pts of error/);
    expect(text).toContain(api.worst[0]!.sku);
    if (api.worst.some((w) => w.biased)) expect(text).toMatch(/⚠️ biased \(TS [+−]\d+\.\d\)/);
    expectFreshAndLinked(
      text,
      `/accuracy?family=COOLERS&lag=1&from=${api.from}&to=${api.to}&source=consensus`,
    );
    const lag = (await ask("accuracy BOTTLES lag 2 months 6")).text;
    expect(lag).toContain("lag 2");
    expect(lag).toContain("(6 months)");
  });

  it("turns: turns, days, value and the change against last month", async () => {
    const api = await data(slack.api.api.kpi.turns.$get({ query: {} }));
    const { text } = await ask("turns");
    expect(text).toContain(`*Turns*\n${api.turns!.toFixed(1)}`);
    expect(text).toContain("vs Sep 2026");
    expect(text).toContain(money(api.inventoryValue!));
    expect(text).toContain("By family, slowest first");
    expectFreshAndLinked(text, "/inventory?to=2026-10");
    expect((await ask("turns FILTERS")).text).toContain("Inventory turns · FILTERS");
  });

  it("risk: items at risk with probability, days of supply and order-by date", async () => {
    const api = await data(slack.api.api.kpi.risk.$get({ query: { risk: "high", limit: "10" } }));
    const { text } = await ask("risk high");
    expect(text).toContain(`*🔴 High*\n${api.counts.high}`);
    for (const item of api.items.slice(0, 3)) expect(text).toContain(`*${item.sku}*`);
    expect(text).toMatch(/\d+\.\d% chance of a stock-out · \d+ days of supply · order by/);
    expectFreshAndLinked(text, "/risk?horizon=6&risk=high");
    expect((await ask("risk")).text).toContain("Items at medium or high risk");
  });

  it("excess: excess and slow movers by value", async () => {
    const api = await data(slack.api.api.kpi.excess.$get({ query: {} }));
    const { text } = await ask("excess");
    expect(text).toContain(`*Excess value*\n${money(api.totals.excessValue)}`);
    expect(text).toContain(`*Slow movers*\n${api.totals.slowMovingCount}`);
    expect(text).toContain("🐢 no sales in 6 months");
    expectFreshAndLinked(text, "/inventory#excess");
  });

  it("sku: the item's card with history, projection, locations and open supply", async () => {
    const api = await data(slack.api.api.skus[":sku"].$get({ param: { sku: "BTL-S05-GLC" }, query: {} }));
    const { text } = await ask("sku btl-s05-glc");
    expect(text).toContain(`BTL-S05-GLC · ${api.item.name}`);
    expect(text).toContain("Actual vs forecast");
    expect(text).toContain("Plan and projected balance");
    for (const l of api.locations) expect(text).toContain(`*${l.location}* ${units(l.onHand)} on hand`);
    if (api.segment) expect(text).toContain(`${api.segment.abc}${api.segment.xyz}`);
    expectFreshAndLinked(text, "/skus/BTL-S05-GLC");
  });

  it("status: steps, due dates, who signed and who is missing by name, overdue, and yours", async () => {
    const { cycle } = await data(slack.api.api.cycles.current.$get());
    const overdue = cycle.steps.find((s) => s.overdue)!;
    expect(overdue.key).toBe("pre");
    const waiting = overdue.missing.flatMap((m) => m.people);
    expect(waiting.length).toBeGreaterThan(0);
    const { text } = await ask("status", waiting[0]!.slackUserId);
    expect(text).toContain("S&OP cycle · November 2026");
    expect(text).toContain(`${cycle.progress.signed} of ${cycle.progress.total} steps signed · 1 overdue`);
    expect(text).toMatch(/🔴 \*Pre-S&OP\* · \d business days? overdue \(due Nov 17\)/);
    for (const p of waiting) expect(text).toContain(p.name);
    const signed = cycle.steps.find((s) => s.status === "signed")!;
    expect(text).toContain(`✅ *${signed.name}* · signed`);
    expect(text).toContain("*Waiting for you*");
    expect(text).toContain("`/sop signoff pre`");
    expectFreshAndLinked(text, "/cycle/2026-11");
    // Someone with nothing pending sees no "Waiting for you".
    const rachel = (await ask("status", "U03NRF6P2ZC")).text;
    expect(rachel).not.toContain("Waiting for you");
  });

  it("signoff: posts the approval card in the channel, not as an answer", async () => {
    const before = fake.messages(CHANNEL).length;
    const sent = await slack.command("signoff", MAYA);
    expect(sent.status).toBe(200);
    const post = await fake.waitFor(
      (c) => c.method === "chat.postMessage" && c.args.channel === CHANNEL && c.at >= 0,
    );
    expect(post.ok).toBe(true);
    const card = fake.messages(CHANNEL)[before]!;
    const text = textOf(card.blocks);
    expect(text).toContain("Sign-off · Pre-S&OP");
    expect(text).toContain("Who signs");
    expect(validateBlocks(card.blocks, "message")).toEqual([]);
  });

  it("share as the last word posts the answer in the channel", async () => {
    const { call } = await ask("turns share");
    expect(call.args.response_type).toBe("in_channel");
    const { call: own } = await ask("turns");
    expect(own.args.response_type).toBe("ephemeral");
  });

  it("help lists everything with examples; help gaps shows one command", async () => {
    const all = (await ask("help")).text;
    for (const c of ["gaps", "accuracy", "turns", "risk", "excess", "sku", "status", "signoff"]) {
      expect(all).toContain(`/sop ${c}`);
    }
    expect(all).toContain("`/sop accuracy BOTTLES lag 2 months 6`");
    const one = (await ask("help gaps")).text;
    expect(one).toContain("/sop gaps [FAMILY|SKU] [horizon N]");
    expect(one).not.toContain("/sop turns");
    expect((await ask("")).text).toContain("what you can ask");
  });

  it("an unknown word, SKU or family gets a did-you-mean, not an error", async () => {
    const word = (await ask("gapz")).text;
    expect(word).toContain("I don't know `gapz`");
    expect(word).toContain("Did you mean `/sop gaps`?");
    const family = (await ask("gaps BOTLES")).text;
    expect(family).toContain("I can't find a family or SKU called BOTLES");
    expect(family).toContain("`BOTTLES`");
    const sku = (await ask("sku NOPE-123")).text;
    expect(sku).toContain("I can't find a SKU called NOPE-123");
    const partial = (await ask("sku BTL-S05")).text;
    expect(partial).toContain("`BTL-S05-");
    const arg = (await ask("gaps horizon 99")).text;
    expect(arg).toContain("`horizon` needs a whole number from 1 to 12, not `99`");
    const typo = (await ask("accuracy lagg 2")).text;
    expect(typo).toContain("did you mean `lag`?");
    const step = (await ask("signoff demnd")).text;
    expect(step).toContain("did you mean `demand`?");
  });

  it("App Home: the cycle, the viewer's pending sign-offs and the headline KPIs", async () => {
    await slack.event({
      type: "app_home_opened",
      user: GRACE,
      channel: "D0GRACE001",
      tab: "home",
      event_ts: "1.1",
    });
    const call = await fake.waitFor((c) => c.method === "views.publish" && c.args.user_id === GRACE);
    expect(call.ok).toBe(true);
    expect(validateView(call.args.view, "home")).toEqual([]);
    const text = textOf((call.args.view as { blocks: unknown[] }).blocks);
    const summary = await data(slack.api.api.kpi.summary.$get());
    expect(text).toContain("S&OP · Ridgeline Hydration Co.");
    expect(text).toContain("Hi Grace.");
    expect(text).toContain("The November 2026 cycle:");
    expect(text).toContain("*Waiting for you*");
    expect(text).toContain("Headline figures");
    expect(text).toContain(`*Forecast accuracy*\n${(summary.figures.accuracy.value! * 100).toFixed(1)}%`);
    expect(text).toContain(`*Value at risk*\n${money(summary.figures.valueAtRisk.value!)}`);
  });
});
