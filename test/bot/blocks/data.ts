/**
 * API answers built by hand for the Block Kit builders: small ones with figures to check the
 * wording, and huge ones (10,000 rows, absurdly long names full of mrkdwn control characters)
 * to check that nothing ever goes over Slack's limits.
 */
import type {
  Accuracy,
  Cycle,
  Excess,
  Gaps,
  Person,
  Risk,
  RiskItem,
  Sku,
  Step,
  Summary,
  Turns,
} from "../../../bot/api.js";
import type { Render } from "../../../bot/blocks/render.js";

export const RENDER: Render = {
  formats: { locale: "en-US", currency: "USD", timezone: "America/Denver" },
  now: new Date("2026-11-20T16:00:00Z"),
  publicUrl: "https://sop.example.com",
};

export const META = {
  lastPeriod: "2026-10",
  lastImportedAt: "2026-11-20T13:00:00Z",
  imports: { sales: "2026-11-20T13:00:00Z" },
};

/** A name no one would give, to stress every limit: long, with <, >, & and * in it. */
export const WILD = `<@U123> & *bold* ${"Very long name ".repeat(400)}`;

export function riskItem(i: number, overrides: Partial<RiskItem> = {}): RiskItem {
  return {
    sku: `SKU-${String(i).padStart(5, "0")}`,
    name: `Item ${i}`,
    family: "BOTTLES",
    location: "MAIN",
    onHand: 100,
    asOf: "2026-10-31",
    daysOfSupply: 12.4,
    safetyStock: 30,
    stockoutProbability: 0.87,
    risk: "high",
    firstStockoutPeriod: "2027-01",
    orderBy: "2026-11-02",
    shortageUnits: 910,
    valueAtRisk: 8900,
    trackingSignal: 4.08,
    biased: true,
    forwardDemand: 600,
    excessUnits: 0,
    excessValue: 0,
    slowMoving: false,
    unitCost: 4,
    unitPrice: 10,
    leadTimeDays: 60,
    projection: [
      { period: "2026-11", demand: 100, supply: 0, balance: 0 },
      { period: "2026-12", demand: 100, supply: 0, balance: -100 },
    ],
    ...overrides,
  };
}

export function gaps(n: number, wild = false): Gaps {
  return {
    ...META,
    horizon: 6,
    shortages: Array.from({ length: n }, (_, i) =>
      riskItem(i, wild ? { sku: WILD.slice(0, 200), name: WILD, location: WILD.slice(0, 100) } : {}),
    ),
    shortageCount: n,
    capacity: Array.from({ length: Math.min(n, 10_000) }, (_, i) => ({
      family: wild ? `${WILD.slice(0, 60)}${i}` : i === 0 ? "BOTTLES" : `FAM-${i}`,
      period: "2026-12",
      demand: 13187,
      capacity: 12200,
      gap: 987,
    })),
    totals: { shortageUnits: 910 * n, valueAtRisk: 8900 * n, capacityGapUnits: 987 * n },
  };
}

const figures = (over: Partial<Accuracy["previous"]> = {}) => ({
  rows: 33,
  actualUnits: 3835,
  forecastUnits: 3915,
  absError: 450,
  wape: 0.1173,
  accuracy: 0.8827,
  bias: 0.0209,
  mape: 0.15,
  ...over,
});

export function accuracy(worst: number, wild = false): Accuracy {
  const fva = {
    rows: 33,
    naiveWape: 0.2,
    statisticalWape: 0.15,
    consensusWape: 0.1173,
    naiveToStatistical: 0.05,
    statisticalToConsensus: -0.02,
  };
  return {
    ...META,
    from: "2025-11",
    to: "2026-10",
    lag: 1,
    source: "consensus",
    ...figures(),
    fva,
    periods: Array.from({ length: 12 }, (_, i) => ({
      period: `2026-${String(i + 1).padStart(2, "0")}`,
      ...figures(),
    })),
    byFamily: [{ family: "BOTTLES", ...figures(), fva }],
    worst: Array.from({ length: worst }, (_, i) => ({
      sku: wild ? WILD.slice(0, 300) : `SKU-${i}`,
      location: wild ? WILD : "MAIN",
      family: "BOTTLES",
      wape: 0.45,
      bias: 0.3,
      absError: 100,
      actualUnits: 200,
      forecastUnits: 260,
      trackingSignal: i % 2 ? 5.2 : -4.5,
      biased: true,
    })),
    previous: { from: "2024-11", to: "2025-10", ...figures({ accuracy: 0.87 }) },
  };
}

export function turns(families: number, wild = false): Turns {
  const t = {
    cogs: 16705,
    avgInventoryValue: 2548.33,
    turns: 6.555,
    daysOfInventory: 55.68,
    months: 12,
    inventoryValue: 2500,
  };
  return {
    ...META,
    from: "2025-11",
    to: "2026-10",
    ...t,
    byFamily: Array.from({ length: families }, (_, i) => ({
      family: wild ? WILD : `FAM-${i}`,
      ...t,
      turns: i,
    })),
    trend: [],
    previous: { to: "2026-09", ...t, turns: 6.2, daysOfInventory: 58.9, inventoryValue: 2700 },
  };
}

export function risk(n: number, wild = false): Risk {
  return {
    ...META,
    horizon: 6,
    total: n,
    counts: { high: n, medium: 0, low: 0 },
    items: Array.from({ length: n }, (_, i) =>
      riskItem(i, wild ? { sku: WILD, name: WILD, location: WILD } : {}),
    ),
  };
}

export function excess(n: number, wild = false): Excess {
  return {
    ...META,
    items: Array.from({ length: n }, (_, i) => ({
      sku: wild ? WILD : `SKU-${i}`,
      name: wild ? WILD : `Item ${i}`,
      family: "BOTTLES",
      location: "MAIN",
      onHand: 1350,
      forwardDemand: 801,
      daysOfSupply: 50.6,
      excessUnits: 549,
      excessValue: 6357,
      slowMoving: i % 2 === 0,
      onHandValue: 15000,
    })),
    total: n,
    totals: {
      excessUnits: 549 * n,
      excessValue: 6357 * n,
      slowMovingCount: Math.ceil(n / 2),
      slowMovingValue: 1000,
    },
  };
}

export function sku(rows: number, wild = false): Sku {
  return {
    ...META,
    item: {
      sku: wild ? WILD.slice(0, 64) : "BLT-100",
      name: wild ? WILD : "Belt",
      family: "BOTTLES",
      unitCost: 4.5,
      unitPrice: 10,
      leadTimeDays: 60,
      serviceLevel: 0.95,
    },
    segment: { revenue: 1000, revenueShare: 0.41, abc: "A", cv: 0.3, xyz: "X" },
    locations: Array.from({ length: rows }, (_, i) => ({
      ...riskItem(i, wild ? { location: WILD } : { location: `L${i}` }),
      demandBasis: ["consensus" as const],
    })),
    history: Array.from({ length: Math.min(rows, 48) }, (_, i) => ({
      period: `20${String(22 + Math.floor(i / 12)).padStart(2, "0")}-${String((i % 12) + 1).padStart(2, "0")}`,
      actual: i < 40 ? 100 + i : null,
      forecasts: { "1": 110 + i },
      statistical: 105,
      plan: i >= 40 ? 120 : null,
    })),
    openSupply: Array.from({ length: rows }, (_, i) => ({
      location: wild ? WILD : "MAIN",
      due: "2026-12-03",
      units: 259 + i,
      type: "production",
      reference: wild ? WILD : `MO-${i}`,
    })),
  };
}

const person = (i: number, wild = false) => ({
  slackUserId: `U${String(i).padStart(8, "0")}`,
  name: wild ? WILD : `Person ${i}`,
});

export function step(key: string, overrides: Partial<Step> = {}): Step {
  return {
    key,
    name: key === "pre" ? "Pre-S&OP" : key,
    description: "Mismatches resolved or escalated with options",
    position: 4,
    dueDate: "2026-11-17",
    roles: ["planner", "finance"],
    status: "open",
    signedAt: null,
    overdue: true,
    daysOverdue: 3,
    approvals: [
      {
        role: "planner",
        person: { slackUserId: "U04JQ7T2M9K", name: "Maya Okafor" },
        at: "2026-11-18T17:42:00Z",
      },
    ],
    missing: [{ role: "finance", people: [{ slackUserId: "U03P8EJW1LS", name: "Grace Whitfield" }] }],
    signoffs: [
      {
        id: 7,
        person: { slackUserId: "U04JQ7T2M9K", name: "Maya Okafor" },
        roles: ["planner"],
        decision: "approve",
        comment: null,
        at: "2026-11-18T17:42:00Z",
        source: "slack",
      },
    ],
    ...overrides,
  };
}

export function cycle(steps: Step[], overrides: Partial<Cycle> = {}): Cycle {
  return {
    month: "2026-11",
    status: "open",
    timezone: "America/Denver",
    openedAt: "2026-11-01T07:00:00Z",
    closedAt: null,
    planLocked: null,
    steps,
    progress: {
      signed: steps.filter((s) => s.status === "signed").length,
      total: steps.filter((s) => s.roles.length > 0).length,
      overdue: steps.filter((s) => s.overdue).length,
    },
    ...overrides,
  };
}

/** A cycle of `n` steps, each waiting for `people` people in 10 roles, with huge comments. */
export function hugeCycle(n: number, people: number, wild = true): Cycle {
  const roles = Array.from({ length: 10 }, (_, i) => `role-${i}`);
  // Shared between the steps: 10,000 steps must not need gigabytes to build.
  const everyone = Array.from({ length: people }, (_, j) => person(j, wild));
  const approvals = everyone.map((p, j) => ({ role: roles[j % 10]!, person: p, at: "2026-11-18T17:42:00Z" }));
  const missing = roles.map((role) => ({ role, people: everyone }));
  const signoffs = everyone.map((p, j) => ({
    id: j + 1,
    person: p,
    roles: [roles[j % 10]!],
    decision: j % 2 ? ("approve" as const) : ("request_changes" as const),
    comment: WILD,
    at: "2026-11-18T17:42:00Z",
    source: "slack",
  }));
  return cycle(
    Array.from({ length: n }, (_, i) =>
      step(`s${i}`, {
        name: wild ? WILD : `Step ${i}`,
        description: WILD,
        roles,
        status: i % 3 === 0 ? "changes_requested" : "open",
        approvals,
        missing,
        signoffs,
      }),
    ),
  );
}

export function summary(): Summary {
  const f = (value: number | null, previous: number | null) => ({
    value,
    previous,
    change: value === null || previous === null ? null : value - previous,
  });
  return {
    ...META,
    figures: {
      accuracy: f(0.8827, 0.8707),
      bias: f(0.0209, 0.04),
      turns: f(6.555, 6.2),
      daysOfInventory: f(55.7, 58.9),
      inventoryValue: f(760703, 923633),
      highRiskCount: f(9, 7),
      valueAtRisk: f(187752, null),
      shortageUnits: f(4679, 4000),
      excessValue: f(47102, 47102),
      capacityGapUnits: f(1711, 2000),
    },
    cycle: null,
  };
}

export const MAYA: Person = {
  slackUserId: "U04JQ7T2M9K",
  name: "Maya Okafor",
  email: null,
  roles: ["planner", "admin"],
  active: true,
};
