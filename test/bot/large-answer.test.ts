/**
 * A 10,000-row answer from the outside: a company of 10,000 SKUs, every one of them short, so
 * /sop gaps and /sop risk have 10,000 rows behind them. The fake Slack refuses anything over
 * Slack's limits; the answers must pass and end with "+N more" and the dashboard link.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { type SlackBotHarness, startSlackBot, textOf } from "../helpers/slack-bot.js";
import { validateBlocks } from "../helpers/slack-limits.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const SKUS = 10_000;
const NOW = new Date("2026-11-20T16:00:00Z");
const MAYA = "U04JQ7T2M9K";
const sku = (i: number) => `SKU-${String(i).padStart(5, "0")}`;
const family = (i: number) => `FAM-${String(i % 40).padStart(2, "0")}`;

function csv(header: string, rows: (i: number) => string[]): string {
  const lines = [header];
  for (let i = 0; i < SKUS; i++) lines.push(...rows(i));
  return `${lines.join("\n")}\n`;
}

describe.each(engines)("a 10,000-row answer on %s", (engine) => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let slack: SlackBotHarness;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    fake = await startFakeSlack();
    slack = await startSlackBot(db, fake, { now: () => NOW });
    const files: [string, string][] = [
      [
        "items",
        csv("sku,name,family,unit_cost,unit_price,lead_time_days", (i) => [
          `${sku(i)},Item ${i},${family(i)},2,5,30`,
        ]),
      ],
      // Three months of 10 units each: the demand plan is 10 a month for every SKU.
      [
        "sales",
        csv("sku,period,units", (i) => ["2026-08", "2026-09", "2026-10"].map((p) => `${sku(i)},${p},10`)),
      ],
      // Nothing on hand anywhere: every SKU is short from the first month.
      ["inventory", csv("sku,as_of,on_hand", (i) => [`${sku(i)},2026-10-31,0`])],
    ];
    for (const [kind, body] of files) {
      const res = await slack.app.request(`/api/imports/${kind}`, {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body,
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    }
  }, 300_000);
  afterAll(async () => {
    await slack?.close();
    await fake?.close();
    await db?.close();
  });

  it("/sop gaps: 10,000 shortages, ten shown, the rest counted and linked", async () => {
    const sent = await slack.command("gaps", MAYA);
    const answer = await sent.answer(60_000);
    expect(answer.status, JSON.stringify(answer.response)).toBe(200);
    expect(validateBlocks(answer.args.blocks, "message")).toEqual([]);
    const text = textOf(answer.args.blocks as unknown[]);
    expect(text).toContain("*Items short*\n10,000");
    expect(text).toContain(
      "+9,990 more shortages · <https://sop.example.com/risk?horizon=6#gaps|Open in dashboard>",
    );
  });

  it("/sop risk: 10,000 items at high risk, within the limits", async () => {
    const answer = await (await slack.command("risk high", MAYA)).answer(60_000);
    expect(answer.status).toBe(200);
    expect(validateBlocks(answer.args.blocks, "message")).toEqual([]);
    const text = textOf(answer.args.blocks as unknown[]);
    expect(text).toContain("*🔴 High*\n10,000");
    expect(text).toContain("+9,990 more items");
  });

  it("/sop gaps for one family of 250 SKUs", async () => {
    const answer = await (await slack.command("gaps fam-07", MAYA)).answer(60_000);
    const text = textOf(answer.args.blocks as unknown[]);
    expect(text).toContain("Gaps · FAM-07");
    expect(text).toContain("*Items short*\n250");
    expect(text).toContain("+240 more shortages");
  });
});
