/**
 * Demand planning in Slack, from the outside, on the demo company: signed slash commands and
 * clicks to the running server, answers read from the fake Slack, and every effect checked
 * through the API — overrides change the consensus (a command or the form, refused after the
 * executive sign-off), what-if answers put the API's figures side by side and their buttons
 * save, share and attach (once, however often clicked), and FVA by contributor after a
 * forecast run. The last test is issue 7's "done when", step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoCompany } from "../../api/demo-company.js";
import { parseWhatIf } from "../../api/domain/plan-commands.js";
import { createLogger } from "../../api/logger.js";
import { type ApiClient, data } from "../../bot/api.js";
import { WHATIF_ATTACH_ACTION, WHATIF_SAVE_ACTION, WHATIF_SHARE_ACTION } from "../../bot/blocks/whatif.js";
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from "../helpers/fake-slack.js";
import { buttonsOf, CHANNEL, type SlackBotHarness, startSlackBot, textOf } from "../helpers/slack-bot.js";
import { validateBlocks, validateView } from "../helpers/slack-limits.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const NOW = new Date("2026-11-20T16:00:00Z");
const MAYA = "U04JQ7T2M9K"; // planner, admin
const RACHEL = "U03NRF6P2ZC"; // sales
const PRIYA = "U02TZM8Q5VE"; // marketing
const TOM = "U04CYA1G7NB"; // operations
const GRACE = "U03P8EJW1LS"; // finance, executive
const ERIK = "U01GX5NB3QD"; // executive
const SKU = "BTL-S05-GLC";
const money = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
const units = (v: number) => Math.round(v).toLocaleString("en-US");
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Σ consensus and Σ statistical of the cycle's plan for a SKU or family and a month. */
async function planOf(api: ApiClient, filter: { sku?: string; family?: string }, period: string) {
  const page = await data(api.api.consensus.$get({ query: { cycle: "2026-11", ...filter, limit: "1000" } }));
  let consensus = 0;
  let statistical = 0;
  for (const l of page.lines) {
    const m = l.months.find((x) => x.period === period);
    consensus += m?.consensus ?? 0;
    statistical += m?.statistical ?? 0;
  }
  return { consensus, statistical, lines: page.lines.length };
}

describe.each(engines)("demand planning in Slack on %s", (engine) => {
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
  async function ask(text: string, user: string): Promise<{ call: FakeSlackCall; text: string }> {
    const sent = await slack.command(text, user);
    expect(sent.status).toBe(200);
    const call = await sent.answer(30_000);
    expect(call.status, JSON.stringify(call.response)).toBe(200);
    expect(validateBlocks(call.args.blocks, "message")).toEqual([]);
    return { call, text: textOf(call.args.blocks as unknown[]) };
  }

  /** The answer to a click, posted to its response_url (the nth post, from 0). */
  const clickAnswers = async (responseId: string, count: number) => {
    await slack.bot.idle();
    const posts = fake.callsTo("response_url").filter((c) => c.args.response_id === responseId);
    expect(posts).toHaveLength(count);
    for (const p of posts) expect(validateBlocks(p.args.blocks, "message")).toEqual([]);
    return posts;
  };

  it("override a SKU: the consensus changes, and the answer shows statistical, before, after, who and why", async () => {
    const before = await planOf(slack.api, { sku: SKU }, "2026-12");
    const { call, text } = await ask(`override ${SKU} 2026-12 1200 trade show order from REI`, RACHEL);
    expect(call.args.response_type).toBe("ephemeral");
    const after = await planOf(slack.api, { sku: SKU }, "2026-12");
    expect(after.consensus).toBe(1200);
    expect(text).toContain(`Override recorded · ${SKU} · Dec 2026`);
    expect(text).toContain("*Rachel Kim* (sales): “trade show order from REI”");
    expect(text).toContain(`*Statistical*\n${units(before.statistical)}`);
    expect(text).toContain(`*Consensus before*\n${units(before.consensus)}`);
    expect(text).toContain(`*Consensus now*\n1,200`);
    expect(text).toContain("<https://sop.example.com/plan?sku=BTL-S05-GLC|Open the plan in the dashboard>");
    // Who and why are kept behind the number.
    const where = (await data(slack.api.api.consensus.$get({ query: { cycle: "2026-11", sku: SKU } })))
      .lines[0]!;
    const prov = await data(
      slack.api.api.consensus.provenance.$get({
        query: { cycle: "2026-11", sku: SKU, location: where.location, period: "2026-12" },
      }),
    );
    expect(prov.decidedBy.kind).toBe("override");
    expect(prov.overrides.find((o) => o.effective)).toMatchObject({
      person: { slackUserId: RACHEL },
      reason: "trade show order from REI",
      source: "slack",
    });
  });

  it("a family override is spread over its SKU-locations; the answer lists them", async () => {
    const { text } = await ask("override family:BOTTLES 2027-01 5,000 summer campaign", PRIYA);
    const after = await planOf(slack.api, { family: "BOTTLES" }, "2027-01");
    expect(after.consensus).toBe(5000);
    expect(text).toContain("Override recorded · family BOTTLES · Jan 2027");
    expect(text).toContain("*Priya Natarajan* (marketing): “summer campaign”");
    expect(text).toContain(`*Consensus now*\n5,000`);
    expect(text).toContain(
      `*Spread over ${after.lines} SKU-locations* in proportion to the statistical forecast`,
    );
    expect(text).toMatch(
      /\+\d+ more SKU-locations · <https:\/\/sop\.example\.com\/plan\?family=BOTTLES\|Open/,
    );
  });

  it("a typo is answered with the column, a caret and the usage; someone without the role is refused", async () => {
    const before = await planOf(slack.api, { sku: SKU }, "2026-12");
    const typo = await ask(`override ${SKU} 2026-13 1200 late order`, RACHEL);
    expect(typo.text).toContain("'2026-13' is not a month: write YYYY-MM, e.g. 2026-03 (column 22)");
    expect(typo.text).toContain(`\`\`\`override ${SKU} 2026-13 1200 late order\n${" ".repeat(21)}^\`\`\``);
    expect(typo.text).toContain("Usage: `/sop override SKU|FAMILY YYYY-MM UNITS reason…");
    const tom = await ask(`override ${SKU} 2026-12 10 ops knows best`, TOM);
    expect(tom.text).toContain("Only sales and marketing override the plan");
    expect(tom.text).toContain("Tom Lindqvist (U04CYA1G7NB) holds neither the sales nor the marketing role");
    expect(tom.text).toContain("Rachel Kim (sales)");
    expect(await planOf(slack.api, { sku: SKU }, "2026-12")).toEqual(before);
  });

  it("`/sop override` alone opens the form; it checks each field and records one override", async () => {
    const sent = await slack.command("override", RACHEL);
    expect(sent.status).toBe(200);
    const opened = await fake.waitFor(
      (c) => c.method === "views.open" && c.args.trigger_id === sent.triggerId,
    );
    expect(opened.ok).toBe(true);
    expect(validateView(opened.args.view, "modal")).toEqual([]);
    const view = fake.views.find((v) => v.triggerId === sent.triggerId)!;
    expect(textOf(view.blocks)).toContain("The consensus plan of the November 2026 cycle");
    const submit = async (fields: Record<string, string | null>) => {
      const res = await slack.interact(slack.formSubmission(view, RACHEL, fields));
      expect(res.status).toBe(200);
      const body = await res.text();
      return body ? (JSON.parse(body) as { response_action: string; errors: Record<string, string> }) : null;
    };
    const blank = await submit({ target: "", period: "", units: " ", reason: null });
    expect(blank?.response_action).toBe("errors");
    expect(Object.keys(blank!.errors).sort()).toEqual(["period", "reason", "target", "units"]);
    expect(blank!.errors.reason).toContain("Say why");
    const badMonth = await submit({ target: SKU, period: "2027-13", units: "800", reason: "retailer reset" });
    expect(badMonth).toEqual({
      response_action: "errors",
      errors: { period: "'2027-13' is not a month: write YYYY-MM, e.g. 2026-03" },
    });
    const badUnits = await submit({
      target: SKU,
      period: "2027-02",
      units: "lots",
      reason: "retailer reset",
    });
    expect(Object.keys(badUnits!.errors)).toEqual(["units"]);
    const unknown = await submit({
      target: "NOPE-1",
      period: "2027-02",
      units: "800",
      reason: "retailer reset",
    });
    expect(Object.keys(unknown!.errors)).toEqual(["target"]);
    expect(unknown!.errors.target).toContain("NOPE-1");
    const count = async () =>
      (await data(slack.api.api.overrides.$get({ query: { person: RACHEL, sku: SKU, limit: "1000" } })))
        .overrides.length;
    const overrides = await count();

    expect(
      await submit({ target: SKU, period: "2027-02", units: "800", reason: "retailer reset" }),
    ).toBeNull();
    // Submitted twice (a double click): one override.
    await submit({ target: SKU, period: "2027-02", units: "800", reason: "retailer reset" });
    await slack.bot.idle();
    expect(await count()).toBe(overrides + 1);
    expect((await planOf(slack.api, { sku: SKU }, "2027-02")).consensus).toBe(800);
    // The answer went where the command was typed, privately.
    const answers = fake.callsTo("response_url").filter((c) => c.args.response_id === sent.responseId);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers[0]!.args.response_type).toBe("ephemeral");
    expect(textOf(answers[0]!.args.blocks as unknown[])).toContain(`Override recorded · ${SKU} · Feb 2027`);
  });

  it("whatif: the base plan and the scenario side by side, with the API's figures", async () => {
    const typed = "whatif capacity BOTTLES -20%; demand +15% BOTTLES from 2026-12";
    const parsed = parseWhatIf(typed);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const api = (
      await data(slack.api.api.scenarios.$post({ json: { changes: parsed.value, horizon: 6, lines: 10 } }))
    ).comparison;
    const { call, text } = await ask(typed, MAYA);
    expect(call.args.response_type).toBe("ephemeral");
    expect(text).toContain("What if… · next 6 months");
    expect(text).toContain("• capacity −20% for family BOTTLES");
    expect(text).toContain("• demand +15% for family BOTTLES from 2026-12");
    const b = api.base;
    const s = api.scenario;
    expect(text).toContain(`*Value at risk*\n${money(b.valueAtRisk)} → *${money(s.valueAtRisk)}*`);
    expect(text).toContain(`*Units short*\n${units(b.shortageUnits)} → *${units(s.shortageUnits)}*`);
    expect(text).toContain(
      `*Capacity gap (units)*\n${units(b.capacityGapUnits)} → *${units(s.capacityGapUnits)}*`,
    );
    expect(text).toContain(`*High risk*\n${units(b.risk.high)} → `);
    expect(text).toContain(`*Excess*\n${money(b.excessValue)} → `);
    expect(text).toContain(`*Inventory at the end*\n${money(b.inventoryEndValue)} → `);
    // The base column is what /sop gaps says.
    const gaps = await data(slack.api.api.kpi.gaps.$get({ query: {} }));
    expect(b.valueAtRisk).toBeCloseTo(gaps.totals.valueAtRisk, 6);
    const top = api.lines[0]!;
    expect(text).toContain(`*Most affected* · ${api.linesChanged} SKU-locations change`);
    expect(text).toContain(`*${top.sku}*`);
    expect(text).toContain(`${money(top.base.valueAtRisk)} → *${money(top.scenario.valueAtRisk)}* at risk`);
    expect(text).toContain("*BOTTLES* ");
    expect(buttonsOf(call.args)).toEqual([WHATIF_SAVE_ACTION, WHATIF_SHARE_ACTION, WHATIF_ATTACH_ACTION]);
    expect(text).toContain("<https://sop.example.com/scenarios|Open in dashboard>");

    const typo = await ask("whatif delay PO-7781 thirty", MAYA);
    expect(typo.text).toContain("'thirty' is not a number of days: write e.g. 30d, -10d or 4w (column 22)");
    expect(typo.text).toContain("Usage: `/sop whatif demand +15% BOTTLES from 2026-03`");
  });

  it("Save, Share in channel and Attach to pre-S&OP act once however often clicked", async () => {
    const scenarios = async () => (await data(slack.api.api.scenarios.$get({ query: {} }))).scenarios;
    const saved = (await scenarios()).length;
    const { call } = await ask("whatif demand -25% COOLERS", MAYA);
    const answer = slack.ephemeral(call);

    // Save, clicked twice at once: one scenario, the answer redrawn in place without Save.
    const [a, b] = [
      slack.clickPayload(answer, WHATIF_SAVE_ACTION, MAYA),
      slack.clickPayload(answer, WHATIF_SAVE_ACTION, MAYA),
    ];
    await Promise.all([slack.interact(a.payload), slack.interact(b.payload)]);
    await slack.bot.idle();
    const savedNow = await scenarios();
    expect(savedNow).toHaveLength(saved + 1);
    const scenario = savedNow[0]!;
    expect(scenario).toMatchObject({
      name: "demand −25% for family COOLERS",
      createdBy: MAYA,
      source: "slack",
    });
    const redrawn = (await clickAnswers(a.responseId, 1))[0]!;
    expect(redrawn.args.replace_original).toBe(true);
    expect(textOf(redrawn.args.blocks as unknown[])).toContain(
      `💾 Saved as #${scenario.id} “demand −25% for family COOLERS”`,
    );
    expect(buttonsOf(redrawn.args)).toEqual([WHATIF_SHARE_ACTION, WHATIF_ATTACH_ACTION]);

    // Share, double-clicked: one post in the channel, with who shared it.
    const afterSave = slack.ephemeral(redrawn);
    const posted = fake.messages(CHANNEL).length;
    const s1 = slack.clickPayload(afterSave, WHATIF_SHARE_ACTION, MAYA);
    const s2 = slack.clickPayload(afterSave, WHATIF_SHARE_ACTION, MAYA);
    await Promise.all([slack.interact(s1.payload), slack.interact(s2.payload)]);
    await slack.bot.idle();
    expect(fake.messages(CHANNEL)).toHaveLength(posted + 1);
    const shared = fake.messages(CHANNEL).at(-1)!;
    expect(validateBlocks(shared.blocks, "message")).toEqual([]);
    expect(textOf(shared.blocks)).toContain(`Shared by <@${MAYA}>`);
    expect(textOf(shared.blocks)).toContain("*Value at risk*");
    expect(buttonsOf(shared)).toEqual([]);
    const afterShare = [...fake.callsTo("response_url")]
      .reverse()
      .find((c) => c.args.response_id === s1.responseId || c.args.response_id === s2.responseId)!;
    expect(afterShare.args.replace_original).toBe(true);
    expect(textOf(afterShare.args.blocks as unknown[])).toContain("📣 Shared in the channel");
    expect(buttonsOf(afterShare.args)).toEqual([WHATIF_ATTACH_ACTION]);

    // Attach, twice: attached once to November's pre-S&OP step; the approval card lists it.
    const at1 = await slack.click(slack.ephemeral(afterShare), WHATIF_ATTACH_ACTION, MAYA);
    const at2 = await slack.click(slack.ephemeral(afterShare), WHATIF_ATTACH_ACTION, MAYA);
    await slack.bot.idle();
    const onPre = await data(
      slack.api.api.cycles[":month"].steps[":step"].scenarios.$get({
        param: { month: "2026-11", step: "pre" },
      }),
    );
    expect(onPre.scenarios.map((x) => x.id)).toEqual([scenario.id]);
    expect(onPre.scenarios[0]!.attachments).toEqual([
      expect.objectContaining({ cycle: "2026-11", step: "pre", attachedBy: MAYA }),
    ]);
    expect((await scenarios()).length).toBe(saved + 1);
    for (const r of [at1, at2]) {
      const [post] = await clickAnswers(r.responseId, 1);
      expect(textOf(post!.args.blocks as unknown[])).toContain(
        "📎 Attached to the pre-S&OP step of November 2026",
      );
    }
    await slack.command("signoff pre", MAYA);
    await fake.waitFor(
      (c) =>
        c.method === "chat.postMessage" && textOf(c.args.blocks as unknown[]).includes("Sign-off · Pre-S&OP"),
    );
    const card = fake.messages(CHANNEL).at(-1)!;
    const cardText = textOf(card.blocks);
    expect(cardText).toContain("*What-if scenarios attached* (<https://sop.example.com/scenarios|open>)");
    expect(cardText).toMatch(
      /• \*<https:\/\/sop\.example\.com\/scenarios\/\d+\|demand −25% for family COOLERS>\*: value at risk (▲|▼) \$[\d,]+/,
    );
  });

  it("Attach is refused once the pre-S&OP step is signed", async () => {
    const { call } = await ask("whatif capacity BOTTLES -10%", MAYA);
    for (const [person, key] of [
      [MAYA, "plan-test-pre-maya"],
      [GRACE, "plan-test-pre-grace"],
    ] as const) {
      await data(
        slack.api.api.cycles[":month"].steps[":step"].signoffs.$post({
          param: { month: "2026-11", step: "pre" },
          json: { person, decision: "approve", comment: null, idempotencyKey: key, source: "api" },
        }),
      );
    }
    const saved = (await data(slack.api.api.scenarios.$get({ query: {} }))).scenarios.length;
    const click = await slack.click(slack.ephemeral(call), WHATIF_ATTACH_ACTION, MAYA);
    const [post] = await clickAnswers(click.responseId, 1);
    expect(post!.args.replace_original).toBe(false);
    expect(textOf(post!.args.blocks as unknown[])).toContain(
      "The pre-S&OP step of November 2026 is already signed",
    );
    expect((await data(slack.api.api.scenarios.$get({ query: {} }))).scenarios.length).toBe(saved);
  });

  it("issue 7 done: a forecast run shows in /sop accuracy fva; an override changes the consensus, then is refused after the executive sign-off; /sop whatif answers side by side", async () => {
    // `sop forecast run` (POST /api/forecasts/run) for the cycles whose lag-1 months are closed.
    const before = await data(slack.api.api.kpi.fva.$get({ query: { months: "5" } }));
    for (const cycle of ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]) {
      const { run } = await data(slack.api.api.forecasts.run.$post({ json: { cycle } }));
      expect(run.status).toBe("succeeded");
      expect(run.series).toBeGreaterThan(100);
    }
    const fva = await data(slack.api.api.kpi.fva.$get({ query: { months: "5" } }));
    expect(fva.total.statisticalWape).not.toBe(before.total.statisticalWape);
    const acc = await ask("accuracy fva months 5", MAYA);
    expect(acc.text).toContain("Forecast value added");
    expect(acc.text).toContain("Lag 1 · Jun 2026 – Oct 2026");
    expect(acc.text).toContain(
      `*Statistical*\n${pct(Math.max(0, 1 - fva.total.statisticalWape!))} accuracy · WAPE ${pct(fva.total.statisticalWape!)}`,
    );
    expect(acc.text).toContain(
      `*Consensus*\n${pct(Math.max(0, 1 - fva.total.consensusWape!))} accuracy · WAPE ${pct(fva.total.consensusWape!)}`,
    );
    const points = Math.abs(fva.total.statisticalToConsensus! * 100).toFixed(1);
    expect(acc.text).toContain(
      `The consensus made the plan ${points} points ${fva.total.statisticalToConsensus! > 0 ? "better" : "worse"} than the statistical forecast.`,
    );
    for (const c of fva.contributors.slice(0, 3))
      expect(acc.text).toContain(c.kind === "person" ? `${c.name}'s overrides` : "imported numbers");
    expect(acc.text).toContain(
      "<https://sop.example.com/accuracy?lag=1&from=2026-06&to=2026-10#fva|Open in dashboard>",
    );

    // An override in Slack changes the consensus.
    await ask(`override ${SKU} 2026-12 1500 REI doubled the order`, RACHEL);
    expect((await planOf(slack.api, { sku: SKU }, "2026-12")).consensus).toBe(1500);

    // The executive sign-off locks the plan: the same override is refused, nothing changes.
    await data(
      slack.api.api.cycles[":month"].steps[":step"].signoffs.$post({
        param: { month: "2026-11", step: "exec" },
        json: {
          person: ERIK,
          decision: "approve",
          comment: null,
          idempotencyKey: "plan-test-exec",
          source: "api",
        },
      }),
    );
    const refused = await ask(`override ${SKU} 2026-12 2000 even more`, RACHEL);
    expect(refused.text).toContain("The November 2026 plan is locked");
    expect(refused.text).toMatch(
      /The executive sign-off by Erik Haugen, Nov 20, 9:00 AM locked the consensus plan: nothing was changed\./,
    );
    expect(refused.text).toContain("Request changes on the executive step (`/sop signoff exec`)");
    expect((await planOf(slack.api, { sku: SKU }, "2026-12")).consensus).toBe(1500);
    // The form is refused the same way (answered privately once the form has closed).
    const form = await slack.command("override", PRIYA);
    await fake.waitFor((c) => c.method === "views.open" && c.args.trigger_id === form.triggerId);
    const view = fake.views.find((v) => v.triggerId === form.triggerId)!;
    const res = await slack.interact(
      slack.formSubmission(view, PRIYA, { target: SKU, period: "2026-12", units: "10", reason: "late idea" }),
    );
    expect(await res.text()).toBe("");
    await slack.bot.idle();
    const told = fake.callsTo("response_url").filter((c) => c.args.response_id === form.responseId)[0]!;
    expect(textOf(told.args.blocks as unknown[])).toContain("The November 2026 plan is locked");
    expect((await planOf(slack.api, { sku: SKU }, "2026-12")).consensus).toBe(1500);

    // /sop whatif answers with the side-by-side comparison.
    const whatif = await ask("whatif demand +15% BOTTLES from 2026-12", MAYA);
    expect(whatif.text).toContain("*Base plan → scenario*");
    expect(whatif.text).toMatch(/\*Value at risk\*\n\$[\d,]+ → \*\$[\d,]+\*/);
  });
});
