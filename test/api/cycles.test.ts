import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

/** Friday 2026-11-20, 11:00 in Berlin. */
const NOW = new Date("2026-11-20T10:00:00Z");

/*
 * November 2026 in Europe/Berlin with holidays on Mon 2 Nov and Wed 18 Nov. Business days:
 *   1 Tue 3, 2 Wed 4, 3 Thu 5, 4 Fri 6, 5 Mon 9, 6 Tue 10, 7 Wed 11, 8 Thu 12, 9 Fri 13,
 *   10 Mon 16, 11 Tue 17, (18 holiday), 12 Thu 19, 13 Fri 20, 14 Mon 23, 15 Tue 24
 * so data (3rd) is due on the 5th (the 4th without the holiday on the 2nd), demand (6th) on
 * the 10th, supply (9th) on the 13th, pre (12th) on the 19th (17th + the holiday), exec (15th)
 * on the 24th, execution (end of month) on the 30th.
 * At the clock (Fri 20 Nov), business days past due: data 6,9,10,11,12,13,16,17,19,20 = 10;
 * demand 11,12,13,16,17,19,20 = 7; supply 16,17,19,20 = 4; pre 20 = 1; exec not due yet.
 */
const NOVEMBER_DUE = {
  data: "2026-11-05",
  demand: "2026-11-10",
  supply: "2026-11-13",
  pre: "2026-11-19",
  exec: "2026-11-24",
  execution: "2026-11-30",
};

interface Step {
  key: string;
  dueDate: string;
  overdue: boolean;
  daysOverdue: number;
  status: string;
  missing: { role: string; people: { slackUserId: string; name: string }[] }[];
}

describe.each(engines)("cycles on %s", (engine) => {
  let db: TestDatabase;
  let app: ReturnType<typeof testApp>["app"];
  const at = (iso: string) => testApp(db, { now: () => new Date(iso) }).app;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = async (path: string, on = app) => {
    const res = await on.request(path);
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const person = async (id: string, name: string, roles: string[]) => {
    const res = await send("PUT", `/api/people/${id}`, { name, roles });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    ({ app } = testApp(db, { now: () => NOW }));
    const res = await send("PUT", "/api/settings", {
      company: { timezone: "Europe/Berlin" },
      holidays: [
        { date: "2026-11-02", name: "Company offsite" },
        { date: "2026-11-18", name: "Buß- und Bettag" },
      ],
    });
    expect(res.status).toBe(200);
    await person("U0PLAN", "Paula Planner", ["planner"]);
    await person("U0SAM", "Sam Sales", ["sales"]);
    await person("U0MIA", "Mia Marketing", ["marketing"]);
    await person("U0ADA", "Ada Admin", ["admin"]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("GET /api/cycles/current answers 404 saying how to open one when there is none", async () => {
    const res = await app.request("/api/cycles/current");
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toMatch(/no cycle is open for 2026-11 \(Europe\/Berlin\).*POST \/api\/cycles/);
    expect((await get("/api/cycles")).cycles).toEqual([]);
  });

  it("POST /api/cycles opens a cycle with due dates from the calendar in the company time zone", async () => {
    const res = await send("POST", "/api/cycles", { month: "2026-11" }, { "X-Sop-Actor": "U0PLAN" });
    expect(res.status).toBe(201);
    const { cycle } = await res.json();
    expect(cycle).toMatchObject({
      month: "2026-11",
      status: "open",
      timezone: "Europe/Berlin",
      openedAt: NOW.toISOString(),
      closedAt: null,
      planLocked: null,
    });
    expect(Object.fromEntries(cycle.steps.map((s: Step) => [s.key, s.dueDate]))).toEqual(NOVEMBER_DUE);
    expect(cycle.steps[1]).toEqual({
      key: "demand",
      name: "Demand review",
      description: "Statistical forecast + sales/marketing input → consensus demand plan",
      position: 2,
      dueDate: "2026-11-10",
      roles: ["sales", "marketing"],
      status: "open",
      signedAt: null,
      overdue: true,
      daysOverdue: 7,
      approvals: [],
      missing: [
        { role: "sales", people: [{ slackUserId: "U0SAM", name: "Sam Sales" }] },
        { role: "marketing", people: [{ slackUserId: "U0MIA", name: "Mia Marketing" }] },
      ],
      signoffs: [],
    });
    const [audit] = (await get("/api/audit?entity=cycle&entityId=2026-11")).entries;
    expect(audit).toMatchObject({
      action: "cycle.opened",
      actor: "U0PLAN",
      source: "api",
      at: NOW.toISOString(),
      details: {
        timezone: "Europe/Berlin",
        steps: expect.arrayContaining([{ key: "data", dueDate: "2026-11-05", roles: ["planner"] }]),
      },
    });
  });

  it("answers 409 when the cycle exists and 400 for a bad month", async () => {
    const again = await send("POST", "/api/cycles", { month: "2026-11" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toMatch(/2026-11 already exists/);
    for (const month of ["2026-13", "2026-1", "november"]) {
      const res = await send("POST", "/api/cycles", { month });
      expect(res.status).toBe(400);
      expect((await res.json()).error.details.problems[0].parameter).toBe("month");
    }
    expect((await send("POST", "/api/cycles", {})).status).toBe(400);
    expect((await app.request("/api/cycles/2026-13")).status).toBe(400);
  });

  it("flags overdue steps with business days late at the fixed clock", async () => {
    const { cycle } = await get("/api/cycles/2026-11");
    const flags = cycle.steps.map((s: Step) => [s.key, s.overdue, s.daysOverdue]);
    expect(flags).toEqual([
      ["data", true, 10],
      ["demand", true, 7],
      ["supply", true, 4],
      ["pre", true, 1],
      ["exec", false, 0],
      ["execution", false, 0],
    ]);
    expect(cycle.progress).toEqual({ signed: 0, total: 5, overdue: 4 });
  });

  it("reads 'past due' in the company time zone, not in UTC", async () => {
    // 23:30 UTC on the 19th is already the 20th in Berlin: pre (due the 19th) is overdue...
    const late = await get("/api/cycles/2026-11", at("2026-11-19T23:30:00Z"));
    const pre = late.cycle.steps.find((s: Step) => s.key === "pre");
    expect([pre.overdue, pre.daysOverdue]).toEqual([true, 1]);
    // ...but not at 22:59 UTC, which is still the 19th there.
    const early = await get("/api/cycles/2026-11", at("2026-11-19T22:59:00Z"));
    expect(early.cycle.steps.find((s: Step) => s.key === "pre").overdue).toBe(false);
    // Saturday after a Friday due date: overdue, but no business day lost yet.
    const sat = await get("/api/cycles/2026-11", at("2026-11-14T09:00:00Z"));
    const supply = sat.cycle.steps.find((s: Step) => s.key === "supply");
    expect([supply.overdue, supply.daysOverdue]).toEqual([true, 0]);
  });

  it("GET /api/cycles/current is this month's cycle, else the latest open earlier one", async () => {
    expect((await get("/api/cycles/current")).cycle.month).toBe("2026-11");
    // 1 December in Berlin (still 30 November in UTC): no December cycle, so November.
    const dec = await at("2026-11-30T23:30:00Z").request("/api/cycles/current");
    expect(dec.status).toBe(200);
    expect((await dec.json()).cycle.month).toBe("2026-11");
    // A month before any cycle: nothing open earlier.
    const res = await at("2026-10-15T10:00:00Z").request("/api/cycles/current");
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/POST \/api\/cycles \{"month": "2026-10"\}/);
  });

  it("GET /api/cycles/:month is 404 for an unknown cycle", async () => {
    const res = await app.request("/api/cycles/2025-01");
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/no cycle for 2025-01/);
  });

  it("a new calendar applies to cycles opened later; existing cycles keep their due dates", async () => {
    const settings = await get("/api/settings");
    const steps = settings.steps.map((s: { key: string; dueBusinessDay: number | null }) =>
      s.key === "data" ? { ...s, dueBusinessDay: 1 } : s,
    );
    const put = await send("PUT", "/api/settings", {
      steps,
      holidays: [...settings.holidays, { date: "2026-12-01", name: "New holiday" }],
    });
    expect(put.status).toBe(200);
    const nov = (await get("/api/cycles/2026-11")).cycle;
    expect(Object.fromEntries(nov.steps.map((s: Step) => [s.key, s.dueDate]))).toEqual(NOVEMBER_DUE);
    const res = await send("POST", "/api/cycles", { month: "2026-12" });
    expect(res.status).toBe(201);
    const dec = (await res.json()).cycle;
    // December 2026: Tue 1 is the new holiday, so business day 1 is Wed 2, 6 is Wed 9, 9 is
    // Mon 14, 12 is Thu 17 and 15 is Tue 22.
    expect(Object.fromEntries(dec.steps.map((s: Step) => [s.key, s.dueDate]))).toEqual({
      data: "2026-12-02",
      demand: "2026-12-09",
      supply: "2026-12-14",
      pre: "2026-12-17",
      exec: "2026-12-22",
      execution: "2026-12-31",
    });
    expect(dec.progress).toEqual({ signed: 0, total: 5, overdue: 0 });
  });

  it("GET /api/cycles lists the cycles newest first with their progress and next step", async () => {
    const { cycles } = await get("/api/cycles");
    expect(cycles.map((c: { month: string }) => c.month)).toEqual(["2026-12", "2026-11"]);
    expect(cycles[1]).toEqual({
      month: "2026-11",
      status: "open",
      timezone: "Europe/Berlin",
      openedAt: NOW.toISOString(),
      closedAt: null,
      planLocked: null,
      progress: { signed: 0, total: 5, overdue: 4 },
      nextStep: { key: "data", name: "Data gathering", dueDate: "2026-11-05", status: "open", overdue: true },
    });
    expect((await get("/api/cycles?limit=1")).cycles).toHaveLength(1);
  });

  it("POST /api/cycles/:month/close: an admin or planner only, 409 when already closed", async () => {
    const noActor = await send("POST", "/api/cycles/2026-12/close");
    expect(noActor.status).toBe(400);
    expect((await noActor.json()).error.details.problems[0].parameter).toBe("actor");
    const sales = await send("POST", "/api/cycles/2026-12/close", { actor: "U0SAM" });
    expect(sales.status).toBe(403);
    const refusal = (await sales.json()).error;
    expect(refusal.message).toMatch(/Sam Sales \(U0SAM\) may not close a cycle/);
    expect(refusal.message).toMatch(/Paula Planner \(planner\)/);
    expect(refusal.message).toMatch(/Ada Admin \(admin\)/);
    expect((await send("POST", "/api/cycles/2030-01/close", { actor: "U0ADA" })).status).toBe(404);

    const closed = await send("POST", "/api/cycles/2026-12/close", {}, { "X-Sop-Actor": "U0ADA" });
    expect(closed.status).toBe(200);
    const { cycle } = await closed.json();
    expect(cycle).toMatchObject({ month: "2026-12", status: "closed", closedAt: NOW.toISOString() });
    const again = await send("POST", "/api/cycles/2026-12/close", { actor: "U0PLAN", source: "slack" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toMatch(/already closed/);

    const [entry] = (await get("/api/audit?entity=cycle&entityId=2026-12")).entries;
    expect(entry).toMatchObject({ action: "cycle.closed", actor: "U0ADA", source: "api" });
    // The current cycle is still November's: December's is closed but it is not December yet.
    expect((await get("/api/cycles/current")).cycle.month).toBe("2026-11");
  });

  it("a closed cycle chases nobody: no overdue steps", async () => {
    const late = await get("/api/cycles/2026-12", at("2027-01-20T10:00:00Z"));
    expect(late.cycle.progress).toEqual({ signed: 0, total: 5, overdue: 0 });
    // In January with no January cycle, the current cycle is the latest open one: November.
    expect((await get("/api/cycles/current", at("2027-01-20T10:00:00Z"))).cycle.month).toBe("2026-11");
  });
});
