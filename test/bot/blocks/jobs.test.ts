/**
 * The cadence jobs' Block Kit builders stay within Slack's limits whatever the data (the fake
 * Slack's validator, the same one that answers invalid_blocks), and long lists end with "+N more"
 * and a link. The messages' wording is pinned by the jobs' tests on the demo company.
 */
import { describe, expect, it } from "vitest";
import { escalationDm, escalationPost } from "../../../bot/blocks/jobs/escalation.js";
import { kickoffMessage } from "../../../bot/blocks/jobs/kickoff.js";
import { monthlyPack } from "../../../bot/blocks/jobs/monthly-pack.js";
import { dueTodayPost, reminderDm } from "../../../bot/blocks/jobs/reminder.js";
import { varianceAlert } from "../../../bot/blocks/jobs/variance-alert.js";
import { weeklyDigest } from "../../../bot/blocks/jobs/weekly-digest.js";
import type { KnownBlock } from "../../../bot/blocks/kit.js";
import { validateBlocks } from "../../helpers/slack-limits.js";

const long = (n: number) => "Ω".repeat(n);
const people = Array.from({ length: 120 }, (_, i) => ({
  slackUserId: `U${String(i).padStart(9, "0")}`,
  name: `Person ${i} ${long(60)}`,
}));
const holders = [
  { role: "planner", people },
  { role: "finance", people: [] },
];
const url = "https://sop.example.com/cycle/2026-11";
const numbers = { locale: "en-US", currency: "USD" };

function valid(m: { text: string; blocks: KnownBlock[] }) {
  expect(validateBlocks(m.blocks, "message")).toEqual([]);
  expect(m.blocks.length).toBeLessThanOrEqual(50);
  expect(m.text.length).toBeLessThanOrEqual(40_000);
  return JSON.stringify(m.blocks);
}

describe("the jobs' messages stay within Slack's limits", () => {
  it("kickoff with 80 steps and 120 people per role", () => {
    const json = valid(
      kickoffMessage({
        company: long(300),
        month: "2026-12",
        timezone: "America/Denver",
        openedNow: true,
        steps: Array.from({ length: 80 }, (_, i) => ({
          name: `Step ${i} ${long(200)}`,
          dueDate: "2026-12-03",
          signers: holders,
        })),
        holidays: Array.from({ length: 40 }, (_, i) => ({ date: "2026-12-24", name: `Holiday ${i}` })),
        previous: {
          month: "2026-11",
          steps: Array.from({ length: 30 }, () => ({ name: "Old", dueDate: "2026-11-17", missing: holders })),
        },
        cycleUrl: url,
      }),
    );
    expect(json).toMatch(
      /\+\d+ more steps · <https:\/\/sop\.example\.com\/cycle\/2026-11\|Open in dashboard>/,
    );
  });

  it("reminders and the due-today post with 60 steps", () => {
    valid(
      reminderDm({
        person: people[0]!,
        items: Array.from({ length: 60 }, (_, i) => ({
          cycle: "2026-11",
          step: `Step ${i} ${long(300)}`,
          dueDate: "2026-11-17",
          businessDaysLeft: i % 3,
          roles: ["planner", "finance"],
          changesRequested: i % 2 === 0,
        })),
        cycleUrl: url,
      }),
    );
    valid(
      dueTodayPost({
        cycle: "2026-11",
        steps: Array.from({ length: 60 }, (_, i) => ({
          name: `Step ${i}`,
          dueDate: "2026-11-17",
          missing: holders,
          signed: [{ role: "sales", person: people[1]! }],
        })),
        cycleUrl: url,
      }),
    );
  });

  it("escalations with 60 overdue steps", () => {
    const input = {
      cycle: "2026-11",
      steps: Array.from({ length: 60 }, (_, i) => ({
        name: `Step ${i} ${long(100)}`,
        dueDate: "2026-11-17",
        daysOverdue: i + 1,
        missing: holders,
        changesRequested: true,
      })),
      executiveStep: { name: "Executive S&OP", dueDate: "2026-11-20" },
      executives: people.slice(0, 30),
      cycleUrl: url,
    };
    expect(valid(escalationPost(input))).toContain("more overdue steps");
    valid(escalationDm({ ...input, executive: people[0]! }));
  });

  it("the digest and the pack with long lists and names", () => {
    const shortages = Array.from({ length: 40 }, (_, i) => ({
      sku: `SKU-${i}-${long(60)}`,
      name: long(200),
      location: "MAIN",
      firstStockoutPeriod: "2027-01",
      orderBy: "2026-11-02",
      shortageUnits: 1234.5,
      valueAtRisk: 98765.4,
    }));
    const capacity = Array.from({ length: 40 }, (_, i) => ({
      family: `FAM-${i % 20}`,
      period: `2027-0${(i % 6) + 1}`,
      gap: 10 * i,
    }));
    const sales = {
      period: "2026-11",
      closed: false,
      elapsed: 0.5,
      daysInMonth: 30,
      hasActuals: true,
      actualUnits: 1200,
      planToDate: 1500,
      deviation: -0.2,
      threshold: 0.2,
      offPlan: Array.from({ length: 40 }, (_, i) => ({ family: `FAM-${i}`, deviation: i % 2 ? 0.3 : null })),
      lastClosed: null,
    };
    const cycle = {
      month: "2026-11",
      signed: 3,
      total: 5,
      planLocked: false,
      overdue: Array.from({ length: 30 }, () => ({ name: long(200), dueDate: "2026-11-17", daysOverdue: 3 })),
      next: { name: "Executive S&OP", dueDate: "2026-11-20", changesRequested: true },
    };
    valid(
      weeklyDigest({
        company: "Ridgeline",
        weekOf: "2026-11-16",
        today: "2026-11-16",
        sales,
        risk: { high: 9, valueAtRisk: 1e6, shortageCount: 40, daysOfInventory: 66, excessValue: 5e4 },
        shortages: shortages.slice(0, 3),
        capacity,
        cycle,
        dataThrough: "2026-10",
        salesImportedOn: "2026-11-03",
        charts: ["Forecast vs actual"],
        chartsNote: null,
        links: { overview: url, risk: url, cycle: url },
        numbers,
      }),
    );
    valid(
      monthlyPack({
        company: "Ridgeline",
        cycle: "2026-11",
        today: "2026-11-18",
        meeting: { name: "Executive S&OP", dueDate: "2026-11-20", businessDaysLeft: 2 },
        shortages,
        shortageCount: 40,
        valueAtRisk: 1e6,
        capacity,
        accuracy: {
          from: "2025-11",
          to: "2026-10",
          accuracy: 0.78,
          bias: 0.05,
          naiveToStatistical: 0.17,
          statisticalToConsensus: -0.02,
          families: Array.from({ length: 40 }, (_, i) => ({
            family: `FAM-${i}`,
            accuracy: i / 40,
            bias: 0.3,
            consensusFva: -0.05,
          })),
        },
        inventory: {
          turns: 5.6,
          turnsChange: 0.2,
          daysOfInventory: 66,
          inventoryValue: 760703,
          excessValue: 47102,
          slowMovingCount: 25,
          slowMovingValue: 30748,
        },
        sales: { ...sales, closed: true, elapsed: 1 },
        cycleStanding: cycle,
        charts: [],
        chartsNote: "Charts are unavailable on this server",
        links: { overview: url, accuracy: url, risk: url, inventory: url, cycle: url },
        numbers,
      }),
    );
  });

  it("a variance alert with 200 A-items", () => {
    const json = valid(
      varianceAlert({
        family: "COOLERS",
        period: "2026-10",
        threshold: 0.2,
        total: { actualUnits: 100, planUnits: 200, deviation: -0.5, flagged: true },
        items: Array.from({ length: 200 }, (_, i) => ({
          sku: `CLR-${i}`,
          name: long(100),
          actualUnits: 1,
          planUnits: 2,
          deviation: -0.5,
          flagged: true,
        })),
        unplannedUnits: 12,
        links: { accuracy: url, family: url },
        numbers,
      }),
    );
    expect(json).toContain("COOLERS* sold *−50.0%* below plan in October 2026: 100 units vs 200 planned.");
  });
});
