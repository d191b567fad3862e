/**
 * The Block Kit builders as pure functions: hand-checked wording on small data, and Slack's
 * limits held whatever the data — 10,000 rows, names thousands of characters long full of
 * mrkdwn control characters — checked with the same validator the fake Slack uses.
 */
import { describe, expect, it } from "vitest";
import { accuracyAnswer } from "../../../bot/blocks/accuracy.js";
import { APPROVE_ACTION, approvalCard, parseCardRef, revisionOf } from "../../../bot/blocks/approval-card.js";
import { excessAnswer } from "../../../bot/blocks/excess.js";
import { gapsAnswer } from "../../../bot/blocks/gaps.js";
import { helpAnswer, unknownCommandAnswer } from "../../../bot/blocks/help.js";
import { homeView } from "../../../bot/blocks/home.js";
import { problemAnswer } from "../../../bot/blocks/problem.js";
import type { Message } from "../../../bot/blocks/render.js";
import { parseModalOrigin, requestChangesModal } from "../../../bot/blocks/request-changes-modal.js";
import { riskAnswer } from "../../../bot/blocks/risk.js";
import { skuAnswer } from "../../../bot/blocks/sku.js";
import { statusAnswer } from "../../../bot/blocks/status.js";
import { turnsAnswer } from "../../../bot/blocks/turns.js";
import { textOf } from "../../helpers/slack-bot.js";
import { LIMITS, validateBlocks, validateView } from "../../helpers/slack-limits.js";
import {
  accuracy,
  cycle,
  excess,
  gaps,
  hugeCycle,
  MAYA,
  RENDER,
  risk,
  sku,
  step,
  summary,
  turns,
  WILD,
} from "./data.js";

function expectValidMessage(m: Message) {
  expect(validateBlocks(m.blocks, "message")).toEqual([]);
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(LIMITS.messageText);
}

/** The "+N more" line of a message. */
const moreOf = (m: Message) => /\+([\d,]+) more[^·]*· <([^|]+)\|Open in dashboard>/.exec(textOf(m.blocks));

describe("answers on small data read as a planner expects", () => {
  it("gaps: totals first, each shortage with its order-by date (late when past), capacity by family", () => {
    const m = gapsAnswer(RENDER, gaps(2), {});
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain("*Value at risk*\n$17,800");
    expect(text).toContain("*Items short*\n2");
    expect(text).toContain("$8,900 at risk · 910 short · out in Jan 2027 · order by Nov 2 — *late*");
    expect(text).toContain("*BOTTLES* Dec 2026: 987 units over capacity");
    expect(text).toContain("Data through October 2026 · imported 3 h ago");
    expect(text).toContain("<https://sop.example.com/risk?horizon=6#gaps|Open in dashboard>");
    expect(moreOf(m)).toBeNull();
  });

  it("gaps with nothing short says so", () => {
    const m = gapsAnswer(RENDER, { ...gaps(0), capacity: [] }, { family: "FILTERS" });
    expect(textOf(m.blocks)).toContain("No shortages in the next 6 months ✅");
    expect(textOf(m.blocks)).toContain("Gaps · FILTERS · next 6 months");
  });

  it("accuracy: bias and FVA in words, the trend in points, tracking-signal flags", () => {
    const m = accuracyAnswer(RENDER, accuracy(2), { family: "BOTTLES" });
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain("*Accuracy*\n88.3% · ▲ 1.3 pts");
    expect(text).toContain("*WAPE*\n11.7%");
    expect(text).toContain("*Bias*\nover-forecast by 2.1%");
    expect(text).toContain("Statistical vs naive: cut the error by 5.0 pts");
    expect(text).toContain("Consensus vs statistical: added 2.0 pts of error");
    expect(text).toContain("⚠️ biased (TS −4.5)");
    expect(text).toContain("⚠️ biased (TS +5.2)");
    expect(text).toContain("2 SKU-locations of these have a tracking signal beyond ±4");
  });

  it("turns: each figure with its change against last month; families slowest first", () => {
    const text = textOf(turnsAnswer(RENDER, turns(3), {}).blocks);
    expect(text).toContain("*Turns*\n6.6 · ▲ 0.4 vs Sep 2026");
    expect(text).toContain("*Days of inventory*\n56 · ▼ 3 vs Sep 2026");
    expect(text).toContain("*Inventory value*\n$2,500 · ▼ $200 vs Sep 2026");
    expect(text.indexOf("*FAM-0*")).toBeLessThan(text.indexOf("*FAM-2*"));
  });

  it("risk, excess and sku read on a phone", () => {
    const r = textOf(riskAnswer(RENDER, risk(1), {}, "high").blocks);
    expect(r).toContain(
      "🔴 *SKU-00000* Item 0 · MAIN\n87.0% chance of a stock-out · 12 days of supply · order by Nov 2 — *late*",
    );
    const e = textOf(excessAnswer(RENDER, excess(1), {}).blocks);
    expect(e).toContain("$6,357 excess (549 units) · 1,350 on hand · 🐢 no sales in 6 months");
    const s = textOf(skuAnswer(RENDER, sku(2)).blocks);
    expect(s).toContain("*Cost / price*\n$4.50 / $10.00");
    expect(s).toContain("*Segment*\nAX · 41.0% of revenue");
    expect(s).toMatch(/```\n\s+actual\s+forecast\n/);
  });

  it("status: yours first, every step with who signed and who is missing", () => {
    const c = cycle([
      step("data", {
        name: "Data gathering",
        status: "signed",
        overdue: false,
        daysOverdue: 0,
        signedAt: "2026-11-04T15:00:00Z",
        missing: [],
        roles: ["planner"],
      }),
      step("pre"),
      step("execution", {
        name: "Execution",
        roles: [],
        overdue: false,
        missing: [],
        approvals: [],
        signoffs: [],
      }),
    ]);
    const text = textOf(statusAnswer(RENDER, c, "U03P8EJW1LS").blocks);
    expect(text).toContain(
      "*Waiting for you*\n🔴 *Pre-S&OP* (as finance) · 3 business days overdue (due Nov 17) · `/sop signoff pre`",
    );
    expect(text).toContain("✅ *Data gathering* · signed Nov 4 by Maya Okafor");
    expect(text).toContain("   planner ✓ Maya Okafor\n   waiting for finance (Grace Whitfield)");
    expect(text).toContain("➖ *Execution* · due Nov 17 · no sign-off");
    expect(text).toContain("Live as of Nov 20, 9:00 AM");
    expect(textOf(statusAnswer(RENDER, c, "U0NOBODY01").blocks)).not.toContain("Waiting for you");
  });

  it("the approval card: figures for the step, who signs, buttons carrying the revision", () => {
    const c = cycle([step("pre")]);
    const m = approvalCard(RENDER, { cycle: c, step: c.steps[0]!, summary: summary() });
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain("Sign-off · Pre-S&OP");
    expect(text).toContain("*Forecast accuracy*\n88.3% · ▲ 1.2 pts");
    expect(text).toContain("*Value at risk*\n$187,752");
    expect(text).toContain("✓ planner · Maya Okafor, Nov 18, 10:42 AM\n⏳ finance (Grace Whitfield)");
    const actions = m.blocks.find((b) => b.type === "actions") as {
      elements: { action_id: string; value: string }[];
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([APPROVE_ACTION, "sop.signoff.request_changes"]);
    expect(parseCardRef(actions.elements[0]!.value)).toEqual({
      m: "2026-11",
      s: "pre",
      r: revisionOf(c.steps[0]!),
    });
    expect(revisionOf(c.steps[0]!)).toBe(7);
    expect(parseCardRef('{"m":"2026-13","s":"pre","r":1}')).toBeUndefined();
    expect(parseCardRef("not json")).toBeUndefined();
  });

  it("a signed step's card has no buttons; a closed cycle's neither", () => {
    const signed = step("pre", {
      status: "signed",
      overdue: false,
      signedAt: "2026-11-19T16:00:00Z",
      missing: [],
    });
    const card = approvalCard(RENDER, { cycle: cycle([signed]), step: signed, summary: null });
    expect(card.blocks.some((b) => b.type === "actions")).toBe(false);
    expect(textOf(card.blocks)).toContain("✅ Signed Nov 19");
    const open = step("pre");
    const closed = approvalCard(RENDER, {
      cycle: cycle([open], { status: "closed" }),
      step: open,
      summary: null,
    });
    expect(closed.blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("problems and unknown words are short and say what to do next", () => {
    const p = problemAnswer({ title: "I can't find X", detail: "Did you mean Y?", next: "Try `/sop help`" });
    expectValidMessage(p);
    expect(textOf(p.blocks)).toBe("⚠️ *I can't find X*\nDid you mean Y?\nTry `/sop help`");
    const u = unknownCommandAnswer(RENDER, "gapz", [
      { name: "gaps", usage: "gaps", summary: "s", examples: [""] },
    ]);
    expect(textOf(u.blocks)).toContain("I don't know `gapz`. Did you mean `/sop gaps`?");
  });
});

describe("answers never exceed Slack's limits, whatever the data", () => {
  const cases: [string, () => Message, number][] = [
    ["gaps, 10,000 shortages", () => gapsAnswer(RENDER, gaps(10_000), {}), 9_990],
    ["gaps, 10,000 wild shortages", () => gapsAnswer(RENDER, gaps(10_000, true), { family: WILD }), 0],
    ["accuracy, 10,000 worst", () => accuracyAnswer(RENDER, accuracy(10_000, true), { sku: WILD }), 0],
    ["turns, 10,000 families", () => turnsAnswer(RENDER, turns(10_000, true), {}), 0],
    ["risk, 10,000 items", () => riskAnswer(RENDER, risk(10_000), {}, "medium"), 9_990],
    ["risk, 10,000 wild items", () => riskAnswer(RENDER, risk(10_000, true), {}, "high"), 0],
    ["excess, 10,000 items", () => excessAnswer(RENDER, excess(10_000, true), {}), 0],
    ["sku, 10,000 locations and receipts", () => skuAnswer(RENDER, sku(10_000, true)), 0],
    ["status, 10,000 steps", () => statusAnswer(RENDER, hugeCycle(10_000, 100), "U00000001"), 0],
    [
      "help, 10,000 commands",
      () =>
        helpAnswer(
          RENDER,
          Array.from({ length: 10_000 }, (_, i) => ({
            name: `c${i}`,
            usage: WILD,
            summary: WILD,
            examples: [WILD, WILD],
          })),
        ),
      0,
    ],
    [
      "approval card, 100 signers in 10 roles",
      () => {
        const c = hugeCycle(1, 100);
        return approvalCard(RENDER, { cycle: c, step: c.steps[0]!, summary: summary() });
      },
      0,
    ],
    [
      "a problem with a novel in it",
      () => problemAnswer({ title: WILD, detail: WILD.repeat(20), next: WILD }),
      0,
    ],
  ];

  it.each(cases)("%s", (_name, build, hidden) => {
    const m = build();
    expectValidMessage(m);
    if (hidden > 0) {
      const more = moreOf(m);
      expect(more, "a +N more line with a dashboard link").not.toBeNull();
      expect(Number(more![1]!.replace(/,/g, ""))).toBe(hidden);
      expect(more![2]).toMatch(/^https:\/\/sop\.example\.com\//);
    }
  });

  it("App Home with 10,000 steps stays within 100 blocks", () => {
    const view = homeView(RENDER, {
      companyName: WILD,
      userId: "U00000001",
      person: { ...MAYA, name: WILD },
      cycle: hugeCycle(10_000, 100),
      summary: summary(),
    });
    expect(validateView(view, "home")).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerView);
  });

  it("the request-changes modal stays valid with any step name and a long response_url", () => {
    const c = hugeCycle(1, 1);
    const view = requestChangesModal(RENDER, {
      cycle: c,
      step: c.steps[0]!,
      origin: {
        m: "2026-11",
        s: "pre",
        r: 3,
        c: "C0123",
        t: "1700000000.000100",
        u: `https://hooks.slack.com/${"x".repeat(1900)}`,
      },
    });
    expect(validateView(view, "modal")).toEqual([]);
    expect(parseModalOrigin(view.private_metadata)).toMatchObject({
      m: "2026-11",
      s: "pre",
      r: 3,
      c: "C0123",
    });
  });
});
