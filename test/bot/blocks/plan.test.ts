/**
 * The demand-planning builders as pure functions: overrides, what-if, FVA by contributor, the
 * approval card's scenarios, parse errors and the override form — wording checked by hand on
 * small data, and Slack's limits held on huge and hostile data with the fake Slack's validator.
 */
import { describe, expect, it } from "vitest";
import { parseOverride, parseWhatIf } from "../../../api/domain/plan-commands.js";
import type { FvaReport, OverrideResult, SavedScenario, ScenarioComparison } from "../../../bot/api.js";
import { approvalCard, scenarioHeadline } from "../../../bot/blocks/approval-card.js";
import { contributorSubject, fvaAnswer, valueAddedWords } from "../../../bot/blocks/fva.js";
import { cellKey, overrideAnswer, overrideModal, planLockedProblem } from "../../../bot/blocks/override.js";
import { caretLines, parseErrorProblem } from "../../../bot/blocks/parse-error.js";
import { problemAnswer } from "../../../bot/blocks/problem.js";
import type { Message } from "../../../bot/blocks/render.js";
import {
  parseWhatIfRef,
  WHATIF_ATTACH_ACTION,
  WHATIF_SAVE_ACTION,
  WHATIF_SHARE_ACTION,
  type WhatIfRef,
  whatifAnswer,
} from "../../../bot/blocks/whatif.js";
import { readOverrideForm } from "../../../bot/overrides.js";
import { buttonsOf, textOf } from "../../helpers/slack-bot.js";
import { LIMITS, validateBlocks, validateView } from "../../helpers/slack-limits.js";
import { cycle, RENDER, step, summary, WILD } from "./data.js";

function expectValidMessage(m: Message) {
  expect(validateBlocks(m.blocks, "message")).toEqual([]);
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(LIMITS.messageText);
}

function override(cells: number, wild = false): OverrideResult {
  const name = (i: number) => (wild ? `${WILD}${i}` : `BTL-${i}`);
  return {
    override: {
      id: 42,
      cycle: "2026-11",
      period: "2026-12",
      lag: 1,
      scope: cells > 1 ? "family" : "sku",
      sku: cells > 1 ? null : name(0),
      location: null,
      family: cells > 1 ? (wild ? WILD : "BOTTLES") : null,
      units: 1200,
      reason: wild ? WILD : "trade show order from REI",
      person: { slackUserId: "U03NRF6P2ZC", name: wild ? WILD : "Rachel Kim" },
      role: "sales",
      status: "accepted",
      source: "slack",
      createdAt: "2026-11-20T16:00:00Z",
      withdrawn: null,
    },
    cells: Array.from({ length: cells }, (_, i) => ({
      sku: name(i),
      location: wild ? WILD : "MAIN",
      before: 1000 + i,
      after: 1200 / cells,
      units: 1200 / cells,
      share: 1 / cells,
      basis: cells > 1 ? ("statistical" as const) : ("single" as const),
    })),
    consensus: { inserted: 0, updated: cells, deleted: 0 },
  };
}

const figures = (k: number): ScenarioComparison["base"] => ({
  shortageCount: 3 * k,
  shortageUnits: 910 * k,
  valueAtRisk: 8900 * k,
  risk: { high: 2 * k, medium: 1, low: 10 },
  capacityGapUnits: 987 * k,
  capacityGaps: [],
  inventory: [],
  inventoryEndValue: 25_000 / k,
  inventoryAverageValue: 30_000,
  excessValue: 6000 / k,
});

function comparison(lines: number, wild = false): ScenarioComparison {
  const base = figures(1);
  const scenario = figures(2);
  return {
    lastPeriod: "2026-10",
    horizon: 6,
    dataVersion: 7,
    changes: [
      {
        change: { type: "capacity", family: "BOTTLES", change: -0.2 },
        description: wild ? WILD : "capacity −20% for family BOTTLES",
        effect: { type: "capacity", months: 6, units: -1200 },
      },
      {
        change: { type: "delay", reference: "PO-7781", days: 30 },
        description: "PO-7781 delayed by 30 days",
        effect: { type: "delay", lines: 2, units: 900, moved: [] },
      },
    ],
    base,
    scenario,
    delta: {
      shortageCount: 3,
      shortageUnits: 910,
      valueAtRisk: 8900,
      highRisk: 2,
      capacityGapUnits: 987,
      inventoryEndValue: -12_500,
      inventoryAverageValue: 0,
      excessValue: -3000,
    },
    lines: Array.from({ length: lines }, (_, i) => ({
      sku: wild ? `${WILD}${i}` : `SKU-${i}`,
      name: wild ? WILD : `Item ${i}`,
      family: "BOTTLES",
      location: "MAIN",
      base: {
        risk: "low" as const,
        stockoutProbability: 0.1,
        firstStockoutPeriod: null,
        orderBy: null,
        shortageUnits: 0,
        valueAtRisk: 0,
        endBalance: 50,
      },
      scenario: {
        risk: "high" as const,
        stockoutProbability: 0.8,
        firstStockoutPeriod: "2027-01",
        orderBy: "2026-11-02",
        shortageUnits: 100,
        valueAtRisk: 1000 + i,
        endBalance: -100,
      },
    })),
    linesChanged: lines * 3,
    capacity: Array.from({ length: Math.min(lines, 5000) }, (_, i) => ({
      family: wild ? WILD : "BOTTLES",
      period: `2027-${String((i % 12) + 1).padStart(2, "0")}`,
      base: { demand: 1000, capacity: 900, gap: 100 },
      scenario: { demand: 1000, capacity: 720, gap: 280 },
    })),
  };
}

const REF: WhatIfRef = { t: "capacity BOTTLES -20%; delay PO-7781 30d", h: 6, n: "abcdef0123456789" };

function fva(contributors: number, wild = false): FvaReport {
  const figures = (fvaValue: number | null) => ({
    rows: 12,
    actualUnits: 1000,
    statisticalWape: 0.2,
    contributorWape: fvaValue === null ? null : 0.2 - fvaValue,
    fva: fvaValue,
    bias: 0.06,
  });
  return {
    lastPeriod: "2026-10",
    from: "2026-06",
    to: "2026-10",
    lag: 1,
    total: {
      rows: 400,
      actualUnits: 123_456,
      naiveWape: 0.3,
      statisticalWape: 0.2,
      consensusWape: 0.22,
      naiveToStatistical: 0.1,
      statisticalToConsensus: -0.02,
    },
    periods: ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"].map((period) => ({
      period,
      rows: 80,
      actualUnits: 24_000,
      naiveWape: 0.3,
      statisticalWape: 0.2,
      consensusWape: 0.22,
      naiveToStatistical: 0.1,
      statisticalToConsensus: -0.02,
    })),
    contributors: Array.from({ length: contributors }, (_, i) => ({
      kind: i === 1 ? ("source" as const) : ("person" as const),
      id: i === 1 ? "sales" : `U0PERSON${i}`,
      name: wild ? WILD : i === 0 ? "Rachel Kim" : i === 1 ? "Sales input (imported)" : `Person ${i}`,
      roles: ["sales"],
      overrides: 7,
      ...figures(i === 0 ? -0.031 : i === 1 ? 0.012 : null),
      periods: [],
    })),
  };
}

const saved = (i: number, wild = false): SavedScenario => ({
  id: i,
  name: wild ? WILD : `Supplier strike ${i}`,
  changes: [{ type: "delay", reference: "PO-7781", days: 30 }],
  horizon: 6,
  createdBy: "U04JQ7T2M9K",
  source: "slack",
  createdAt: "2026-11-19T10:00:00Z",
  lastPeriod: "2026-10",
  dataVersion: 7,
  stale: i % 2 === 1,
  delta: {
    shortageCount: 3,
    shortageUnits: 910,
    valueAtRisk: 6500,
    highRisk: 2,
    capacityGapUnits: 1200,
    inventoryEndValue: 0,
    inventoryAverageValue: 0,
    excessValue: 0,
  },
  attachments: [
    { cycle: "2026-11", step: "pre", attachedBy: "U04JQ7T2M9K", attachedAt: "2026-11-19T10:00:00Z" },
  ],
});

describe("override answers", () => {
  it("one SKU: statistical, before, after, who and why, and the plan link", () => {
    const stat = new Map([[cellKey("BTL-0", "MAIN"), 950]]);
    const m = overrideAnswer(RENDER, { result: override(1), statistical: stat });
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain("Override recorded · BTL-0 · Dec 2026");
    expect(text).toContain("*Rachel Kim* (sales): “trade show order from REI”");
    expect(text).toContain("1,200 units for December 2026 in the November 2026 plan");
    expect(text).toContain("*Statistical*\n950");
    expect(text).toContain("*Consensus before*\n1,000");
    expect(text).toContain("*Consensus now*\n1,200 · ▲ 200");
    expect(text).toContain("*Override*\n#42 · Nov 20, 9:00 AM");
    expect(text).not.toContain("Spread over");
    expect(text).toContain("<https://sop.example.com/plan?sku=BTL-0|Open the plan in the dashboard>");
    expect(m.text).toBe(
      "Override of BTL-0 for Dec 2026: consensus 1,000 → 1,200 (Rachel Kim: trade show order from REI)",
    );
  });

  it("a family: the spread, its basis and +N more; the statistical total only when every cell is known", () => {
    const r = override(4);
    const stat = new Map(r.cells.map((c) => [cellKey(c.sku, c.location), 100]));
    const text = textOf(overrideAnswer(RENDER, { result: r, statistical: stat }).blocks);
    expect(text).toContain("*Statistical*\n400");
    expect(text).toContain("*Spread over 4 SKU-locations* in proportion to the statistical forecast");
    expect(text).toContain("*BTL-1* · MAIN\nstat 100 · was 1,001 → *300*");
    const partial = textOf(overrideAnswer(RENDER, { result: r, statistical: new Map() }).blocks);
    expect(partial).toContain("*Statistical*\n–");
  });

  it("10,000 cells with hostile names stay within Slack's limits and end with +N more", () => {
    const m = overrideAnswer(RENDER, { result: override(10_000, true), statistical: new Map() });
    expectValidMessage(m);
    expect(textOf(m.blocks)).toMatch(/\+[\d,]+ more SKU-locations/);
  });

  it("the locked plan says by whom, when, and how to reopen it", () => {
    const p = planLockedProblem(
      RENDER,
      { cycle: "2026-11", byName: "Erik Haugen", at: "2026-11-20T16:00:00Z" },
      "/sop",
    );
    const text = textOf(problemAnswer(p).blocks);
    expect(text).toContain("The November 2026 plan is locked");
    expect(text).toContain(
      "The executive sign-off by Erik Haugen, Nov 20, 9:00 AM locked the consensus plan",
    );
    expect(text).toContain("Request changes on the executive step (`/sop signoff exec`)");
  });

  it("the form: four inputs, the cycle's month filled in, valid for Slack even with a long response_url", () => {
    const view = overrideModal(RENDER, {
      cycle: "2026-11",
      reply: { c: "C0SOP", u: `https://hooks.slack.com/${"x".repeat(1990)}` },
    });
    expect(validateView(view, "modal")).toEqual([]);
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual([
      "target",
      "period",
      "units",
      "reason",
    ]);
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"2026-11"');
  });

  it("the form's fields are read with the command's grammar; a problem lands on its field", () => {
    expect(
      readOverrideForm({ target: "family:BOTTLES", period: "2027-01", units: "5,000", reason: "summer" }),
    ).toEqual(parseOverride("family:BOTTLES 2027-01 5,000 summer"));
    expect(
      readOverrideForm({ target: "BTL@WEST", period: "2027-01", units: "3", reason: "x" }),
    ).toMatchObject({
      ok: true,
      value: { target: "BTL", location: "WEST", targetKind: "sku" },
    });
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ target: "BTL", period: "2027-13", units: "1", reason: "r" }, "period", /not a month/],
      [{ target: "BTL", period: "2027-01", units: "-4", reason: "r" }, "units", /negative/],
      [{ target: "BTL", period: "2027-01", units: "12x", reason: "r" }, "units", /not a number of units/],
      [{ target: "family:B@WEST", period: "2027-01", units: "1", reason: "r" }, "target", /every location/],
      [{ target: "BTL 100", period: "2027-01", units: "1", reason: "r" }, "target", /without spaces/],
      [{ target: "BTL", period: "2027-01", units: "1", reason: "  " }, "reason", /Say why/],
    ];
    for (const [values, field, message] of cases) {
      const r = readOverrideForm(values);
      expect(r.ok, JSON.stringify(values)).toBe(false);
      if (!r.ok) {
        expect(Object.keys(r.errors)).toEqual([field]);
        expect(r.errors[field as keyof typeof r.errors]).toMatch(message);
      }
    }
  });
});

describe("parse errors", () => {
  it("point at the column under the text, cut to a phone's width around it", () => {
    expect(caretLines("whatif delay PO-7781 thirty", 22)).toBe(
      `whatif delay PO-7781 thirty\n${" ".repeat(21)}^`,
    );
    const long = `whatif ${"demand +1% BOTTLES; ".repeat(10)}demand 5% X`;
    const parsed = parseWhatIf(long);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const [shown, caret] = caretLines(long, parsed.error.column).split("\n") as [string, string];
    expect(shown.length).toBeLessThanOrEqual(46);
    expect(shown.startsWith("…")).toBe(true);
    expect(shown[caret.length - 1]).toBe("5");
    const m = problemAnswer(parseErrorProblem(parsed.error, long, "/sop"));
    expectValidMessage(m);
    expect(textOf(m.blocks)).toContain("Say +5% or -5%: is 5% an increase or a decrease?");
    expect(textOf(m.blocks)).toContain(`(column ${parsed.error.column})`);
  });
});

describe("what-if answers", () => {
  it("side by side, one figure per field, the changes, the most affected, capacity and three buttons", () => {
    const m = whatifAnswer(RENDER, comparison(3), { ref: REF });
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain("What if… · next 6 months");
    expect(text).toContain("• capacity −20% for family BOTTLES — 6 months, −1,200 units");
    expect(text).toContain("• PO-7781 delayed by 30 days — 2 supply lines, 900 units moved");
    expect(text).toContain("*Base plan → scenario* · from October 2026 on");
    expect(text).toContain("*Value at risk*\n$8,900 → *$17,800*\n▲ $8,900");
    expect(text).toContain("*Units short*\n910 → *1,820*\n▲ 910");
    expect(text).toContain("*High risk*\n2 → *4*\n▲ 2");
    expect(text).toContain("*Capacity gap (units)*\n987 → *1,974*\n▲ 987");
    expect(text).toContain("*Inventory at the end*\n$25,000 → *$12,500*\n▼ $12,500");
    expect(text).toContain("*Average inventory*\n$30,000 → $30,000\nno change");
    expect(text).toContain("*Most affected* · 9 SKU-locations change");
    expect(text).toContain(
      "*SKU-0* Item 0 · MAIN\n$0 → *$1,000* at risk · out in Jan 2027 (was never) · 🟢 → 🔴 high risk",
    );
    expect(text).toContain("+6 more SKU-locations");
    expect(text).toContain("*BOTTLES* Jan 2027: 100 → *280* units over capacity");
    expect(buttonsOf(m)).toEqual([WHATIF_SAVE_ACTION, WHATIF_SHARE_ACTION, WHATIF_ATTACH_ACTION]);
    const value = (m.blocks.find((b) => b.type === "actions") as { elements: { value: string }[] })
      .elements[0]!.value;
    expect(parseWhatIfRef(value)).toEqual(REF);
  });

  it("the buttons follow the state: saved, shared, attached; the channel's copy has none", () => {
    const savedText = whatifAnswer(RENDER, comparison(1), {
      ref: { ...REF, s: 12 },
      saved: { id: 12, name: "Supplier strike" },
    });
    expect(buttonsOf(savedText)).toEqual([WHATIF_SHARE_ACTION, WHATIF_ATTACH_ACTION]);
    expect(textOf(savedText.blocks)).toContain("💾 Saved as #12 “Supplier strike”");
    const all = whatifAnswer(RENDER, comparison(1), { ref: { ...REF, s: 12, sh: 1, a: "2026-11" } });
    expect(buttonsOf(all)).toEqual([]);
    expect(textOf(all.blocks)).toContain(
      "📎 Attached to the pre-S&OP step of November 2026 · 📣 Shared in the channel",
    );
    const shared = whatifAnswer(RENDER, comparison(1), { sharedBy: "U04JQ7T2M9K" });
    expect(buttonsOf(shared)).toEqual([]);
    expect(textOf(shared.blocks)).toContain("Shared by <@U04JQ7T2M9K>");
    expect(textOf(whatifAnswer(RENDER, comparison(1), {}).blocks)).toContain("too long to save from Slack");
  });

  it("button values are validated: anything else is not ours", () => {
    expect(parseWhatIfRef(undefined)).toBeUndefined();
    expect(parseWhatIfRef("not json")).toBeUndefined();
    expect(parseWhatIfRef(JSON.stringify({ ...REF, h: 13 }))).toBeUndefined();
    expect(parseWhatIfRef(JSON.stringify({ ...REF, n: "short" }))).toBeUndefined();
    expect(parseWhatIfRef(JSON.stringify({ ...REF, x: 1 }))).toBeUndefined();
    expect(parseWhatIfRef(JSON.stringify({ ...REF, t: "x".repeat(1501) }))).toBeUndefined();
    expect(parseWhatIfRef(JSON.stringify({ ...REF, a: "2026-13" }))).toBeUndefined();
  });

  it("10,000 changed lines and capacity months with hostile names stay within Slack's limits", () => {
    const m = whatifAnswer(RENDER, comparison(10_000, true), {
      ref: { ...REF, t: "x".repeat(1500), s: 1 },
      saved: { id: 1, name: WILD },
    });
    expectValidMessage(m);
    expect(textOf(m.blocks)).toMatch(/\+[\d,]+ more SKU-locations/);
    expect(buttonsOf(m)).toHaveLength(2);
  });
});

describe("forecast value added by contributor", () => {
  it("accuracy of naive, statistical and consensus; each contributor in words, worst first", () => {
    const m = fvaAnswer(RENDER, fva(3), {});
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain(
      "Lag 1 · Jun 2026 – Oct 2026 · 400 forecasts with a statistical and a consensus number",
    );
    expect(text).toContain("*Statistical*\n80.0% accuracy · WAPE 20.0%");
    expect(text).toContain("*Consensus*\n78.0% accuracy · WAPE 22.0%");
    expect(text).toContain(
      "The statistical forecast made the plan 10.0 points better than the naive forecast (last known month).",
    );
    expect(text).toContain("The consensus made the plan 2.0 points worse than the statistical forecast.");
    expect(text).toContain(
      "*Rachel Kim's overrides* made the plan 3.1 points worse\n7 overrides (sales) · accuracy 76.9% vs 80.0% statistical on 12 cells · over-forecast by 6.0%",
    );
    expect(text).toContain("*Sales' imported numbers* made the plan 1.2 points better");
    expect(text).toContain("*Person 2's overrides* can't be judged yet");
    expect(text).toContain("Oct 2026 · naive 70.0% · statistical 80.0% · consensus 78.0%");
    expect(text).toContain(
      "<https://sop.example.com/accuracy?lag=1&from=2026-06&to=2026-10#fva|Open in dashboard>",
    );
  });

  it("words for a value added, and whose numbers", () => {
    expect(valueAddedWords(RENDER, 0.0004)).toBe("made no difference");
    expect(valueAddedWords(RENDER, -0.031)).toBe("made the plan 3.1 points worse");
    expect(contributorSubject({ kind: "person", id: "U1", name: "James" })).toBe("James' overrides");
    expect(contributorSubject({ kind: "source", id: "marketing", name: "x" })).toBe(
      "Marketing's imported numbers",
    );
  });

  it("10,000 contributors with hostile names stay within Slack's limits", () => {
    const m = fvaAnswer(RENDER, fva(10_000, true), { family: WILD });
    expectValidMessage(m);
    expect(textOf(m.blocks)).toMatch(/\+[\d,]+ more contributors/);
  });
});

describe("the approval card's scenarios", () => {
  it("lists the attached scenarios with their headline and a link", () => {
    const c = cycle([step("pre")]);
    const m = approvalCard(RENDER, {
      cycle: c,
      step: c.steps[0]!,
      summary: summary(),
      scenarios: [saved(2), saved(3)],
    });
    expectValidMessage(m);
    const text = textOf(m.blocks);
    expect(text).toContain("*What-if scenarios attached* (<https://sop.example.com/scenarios|open>)");
    expect(text).toContain(
      "• *<https://sop.example.com/scenarios/2|Supplier strike 2>*: value at risk ▲ $6,500 · 2 more high-risk · capacity gap ▲ 1,200 units",
    );
    expect(text).toContain(
      "• *<https://sop.example.com/scenarios/3|Supplier strike 3>*: value at risk ▲ $6,500",
    );
    expect(text).toContain("_(the plan has changed since)_");
    expect(scenarioHeadline(RENDER, { ...saved(2).delta, highRisk: -1, capacityGapUnits: 0 })).toBe(
      "value at risk ▲ $6,500 · 1 fewer high-risk",
    );
  });

  it("10,000 attached scenarios with hostile names keep the card valid", () => {
    const c = cycle([step("pre")]);
    const m = approvalCard(RENDER, {
      cycle: c,
      step: c.steps[0]!,
      summary: summary(),
      scenarios: Array.from({ length: 10_000 }, (_, i) => saved(i + 1, true)),
    });
    expectValidMessage(m);
    expect(textOf(m.blocks)).toContain("+9,995 more");
  });
});
