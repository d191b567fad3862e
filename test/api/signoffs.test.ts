import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const NOW = new Date("2026-11-20T10:00:00Z");
const tiny = (kind: string) => readFileSync(new URL(`../fixtures/tiny/${kind}.csv`, import.meta.url), "utf8");

interface Signoff {
  id: number;
  person: { slackUserId: string; name: string };
  roles: string[];
  decision: string;
  comment: string | null;
  at: string;
  source: string;
}
interface Step {
  key: string;
  status: string;
  signedAt: string | null;
  overdue: boolean;
  approvals: { role: string; person: { slackUserId: string; name: string }; at: string }[];
  missing: { role: string; people: { slackUserId: string; name: string }[] }[];
  signoffs: Signoff[];
}

const PEOPLE: [string, string, string[]][] = [
  ["U0PLAN", "Paula Planner", ["planner"]],
  ["U0SAM", "Sam Sales", ["sales"]],
  ["U0SARA", "Sara Seller", ["sales"]],
  ["U0MIA", "Mia Marketing", ["marketing"]],
  ["U0DORA", "Dora Duo", ["sales", "marketing"]],
  ["U0OTTO", "Otto Ops", ["operations"]],
  ["U0FIN", "Finn Finance", ["finance"]],
  ["U0EVE", "Eve Exec", ["executive"]],
  ["U0ADA", "Ada Admin", ["admin"]],
];

describe.each(engines)("sign-offs on %s", (engine) => {
  let db: TestDatabase;
  let app: ReturnType<typeof testApp>["app"];
  let keys = 0;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    return res.json();
  };
  /** A decision with a fresh idempotency key unless one is given. */
  const sign = (
    step: string,
    person: string,
    decision: "approve" | "request_changes" = "approve",
    extra: Record<string, unknown> = {},
    month = "2026-11",
  ) =>
    send("POST", `/api/cycles/${month}/steps/${step}/signoffs`, {
      person,
      decision,
      idempotencyKey: `key-${++keys}`,
      ...extra,
    });
  const ok = async (res: Response, status = 201) => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    return body as { signoff: Signoff; step: Step; cycle: { planLocked: unknown; progress: unknown } };
  };
  const refused = async (res: Response, status: number, message: RegExp) => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body.error.message).toMatch(message);
    return body.error;
  };
  const rows = async (where = db.sql`true`) =>
    Number((await db.sql`select count(*)::int as n from signoffs where ${where}`)[0]!.n);
  const stepOf = async (key: string, month = "2026-11"): Promise<Step> =>
    (await get(`/api/cycles/${month}`)).cycle.steps.find((s: Step) => s.key === key);

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    ({ app } = testApp(db, { now: () => NOW }));
    expect((await send("PUT", "/api/settings", { company: { timezone: "Europe/Berlin" } })).status).toBe(200);
    for (const [id, name, roles] of PEOPLE) {
      expect((await send("PUT", `/api/people/${id}`, { name, roles })).status).toBe(201);
    }
    expect((await send("POST", "/api/cycles", { month: "2026-11" })).status).toBe(201);
    const items = await app.request("/api/imports/items", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: tiny("items"),
    });
    expect(items.status).toBe(200);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("an approval by the only required role signs the step: 201 with signoff, step and cycle", async () => {
    const res = await send("POST", "/api/cycles/2026-11/steps/data/signoffs", {
      person: "U0PLAN",
      decision: "approve",
      comment: "  all imported  ",
      idempotencyKey: "slack-action-1",
      source: "slack",
    });
    const body = await ok(res);
    expect(body.signoff).toEqual({
      id: expect.any(Number),
      person: { slackUserId: "U0PLAN", name: "Paula Planner" },
      roles: ["planner"],
      decision: "approve",
      comment: "all imported",
      at: NOW.toISOString(),
      source: "slack",
    });
    expect(body.step).toMatchObject({
      key: "data",
      status: "signed",
      signedAt: NOW.toISOString(),
      overdue: false,
      daysOverdue: 0,
      approvals: [
        { role: "planner", person: { slackUserId: "U0PLAN", name: "Paula Planner" }, at: NOW.toISOString() },
      ],
      missing: [],
      signoffs: [body.signoff],
    });
    expect(body.cycle.progress).toEqual({ signed: 1, total: 5, overdue: 3 });
  });

  it("the same idempotency key again answers 200 with the same record; a different request with it is 409", async () => {
    const first = (await get("/api/cycles/2026-11")).cycle.steps[0].signoffs[0] as Signoff;
    const again = await ok(
      await send("POST", "/api/cycles/2026-11/steps/data/signoffs", {
        person: "U0PLAN",
        decision: "approve",
        comment: "all imported",
        idempotencyKey: "slack-action-1",
        source: "slack",
      }),
      200,
    );
    expect(again.signoff).toEqual(first);
    expect(again.step.status).toBe("signed");
    const reused = await refused(
      await send("POST", "/api/cycles/2026-11/steps/demand/signoffs", {
        person: "U0SAM",
        decision: "approve",
        idempotencyKey: "slack-action-1",
      }),
      409,
      /idempotency key "slack-action-1" was already used for a different decision/,
    );
    expect(reused.details.signoff.id).toBe(first.id);
    expect(await rows(db.sql`idempotency_key = 'slack-action-1'`)).toBe(1);
  });

  it("refuses with 403 a person who holds none of the step's roles, naming who can sign", async () => {
    const err = await refused(
      await sign("demand", "U0OTTO"),
      403,
      /Otto Ops \(U0OTTO\) holds none of the roles that sign Demand review \(sales and marketing\)/,
    );
    expect(err.message).toMatch(/Sam Sales \(sales\)/);
    expect(err.message).toMatch(/Sara Seller \(sales\)/);
    expect(err.message).toMatch(/Mia Marketing \(marketing\)/);
    expect(err.message).toMatch(/Dora Duo \(marketing\)/);
    expect(err.details).toEqual({
      step: "demand",
      roles: ["sales", "marketing"],
      canSign: [
        {
          role: "sales",
          people: [
            { slackUserId: "U0DORA", name: "Dora Duo" },
            { slackUserId: "U0SAM", name: "Sam Sales" },
            { slackUserId: "U0SARA", name: "Sara Seller" },
          ],
        },
        {
          role: "marketing",
          people: [
            { slackUserId: "U0DORA", name: "Dora Duo" },
            { slackUserId: "U0MIA", name: "Mia Marketing" },
          ],
        },
      ],
    });
    await refused(
      await sign("demand", "U0NOBODY"),
      403,
      /U0NOBODY is not a known person; it can be signed by/,
    );
    // Someone who left: inactive people cannot sign.
    expect(
      (await send("PUT", "/api/people/U0GONE", { name: "Gone Seller", roles: ["sales"], active: false }))
        .status,
    ).toBe(201);
    const gone = await refused(await sign("demand", "U0GONE"), 403, /Gone Seller \(U0GONE\) is inactive/);
    expect(gone.details.canSign[0].people).not.toContainEqual({ slackUserId: "U0GONE", name: "Gone Seller" });
    expect(await rows(db.sql`step = 'demand'`)).toBe(0);
  });

  it("names only the holders of the roles still missing, and says when nobody holds one", async () => {
    // Pre-S&OP needs planner and finance; with the planner's approval in, only finance is missing.
    await ok(await sign("pre", "U0PLAN"));
    const err = await refused(
      await sign("pre", "U0SAM"),
      403,
      /it can be signed by Finn Finance \(finance\)$/,
    );
    expect(err.details.canSign).toEqual([
      { role: "finance", people: [{ slackUserId: "U0FIN", name: "Finn Finance" }] },
    ]);
    // A role nobody holds: the message says so.
    const steps = (await get("/api/settings")).steps.map((s: { key: string; roles: string[] }) =>
      s.key === "supply" ? { ...s, roles: ["operations", "admin"] } : s,
    );
    expect((await send("PUT", "/api/settings", { steps })).status).toBe(200);
    expect((await send("PUT", "/api/people/U0ADA", { name: "Ada Admin", roles: [] })).status).toBe(200);
    expect((await send("POST", "/api/cycles", { month: "2027-01" })).status).toBe(201);
    await refused(
      await sign("supply", "U0SAM", "approve", {}, "2027-01"),
      403,
      /it can be signed by Otto Ops \(operations\); nobody holds admin yet/,
    );
  });

  it("requires a comment to request changes (400 naming the field)", async () => {
    for (const comment of [undefined, null, "", "   "]) {
      const res = await sign("demand", "U0MIA", "request_changes", comment === undefined ? {} : { comment });
      const err = await refused(res, 400, /comment: required when requesting changes/);
      expect(err.details.problems).toEqual([
        { parameter: "comment", message: "required when requesting changes: say what should change" },
      ]);
    }
    const bad = await send("POST", "/api/cycles/2026-11/steps/demand/signoffs", {
      person: "sam",
      decision: "maybe",
      idempotencyKey: "",
    });
    expect(bad.status).toBe(400);
    const params = (await bad.json()).error.details.problems.map((p: { parameter: string }) => p.parameter);
    expect(params).toEqual(expect.arrayContaining(["person", "decision", "idempotencyKey"]));
    expect(await rows(db.sql`step = 'demand'`)).toBe(0);
  });

  it("needs every required role after the latest request for changes; 409 for a role already approved", async () => {
    let r = await ok(await sign("demand", "U0SAM"));
    expect(r.step).toMatchObject({
      status: "open",
      approvals: [{ role: "sales", person: { slackUserId: "U0SAM" } }],
      missing: [
        {
          role: "marketing",
          people: [
            { slackUserId: "U0DORA", name: "Dora Duo" },
            { slackUserId: "U0MIA", name: "Mia Marketing" },
          ],
        },
      ],
    });
    await refused(await sign("demand", "U0SARA"), 409, /already approved: sales by Sam Sales/);
    await refused(await sign("demand", "U0SAM"), 409, /already approved: sales by Sam Sales/);

    r = await ok(await sign("demand", "U0MIA", "request_changes", { comment: "promo volumes missing" }));
    expect(r.step).toMatchObject({ status: "changes_requested", signedAt: null, approvals: [] });
    expect(r.step.missing.map((m) => m.role)).toEqual(["sales", "marketing"]);

    // Earlier approvals no longer count: Mia's approval alone leaves sales missing.
    r = await ok(await sign("demand", "U0MIA"));
    expect(r.step.status).toBe("changes_requested");
    expect(r.step.missing.map((m) => m.role)).toEqual(["sales"]);
    r = await ok(await sign("demand", "U0SARA"));
    expect(r.step).toMatchObject({ status: "signed", signedAt: NOW.toISOString(), missing: [] });
    expect(r.step.approvals.map((a) => [a.role, a.person.slackUserId])).toEqual([
      ["sales", "U0SARA"],
      ["marketing", "U0MIA"],
    ]);
    expect(r.step.signoffs.map((s) => [s.person.slackUserId, s.decision])).toEqual([
      ["U0SAM", "approve"],
      ["U0MIA", "request_changes"],
      ["U0MIA", "approve"],
      ["U0SARA", "approve"],
    ]);
    await refused(
      await sign("demand", "U0DORA"),
      409,
      /Demand review \(demand\) of 2026-11 is already signed/,
    );
  });

  it("a request for changes reopens a signed step; one decision speaks for every role the person holds", async () => {
    let r = await ok(await sign("demand", "U0SAM", "request_changes", { comment: "new customer order" }));
    expect(r.step).toMatchObject({ status: "changes_requested", signedAt: null });
    r = await ok(await sign("demand", "U0DORA"));
    expect(r.signoff.roles).toEqual(["sales", "marketing"]);
    expect(r.step).toMatchObject({ status: "signed", missing: [] });
    expect(r.step.approvals.map((a) => [a.role, a.person.slackUserId])).toEqual([
      ["sales", "U0DORA"],
      ["marketing", "U0DORA"],
    ]);
    const [row] =
      await db.sql`select signed_at from cycle_steps where cycle = '2026-11-01' and key = 'demand'`;
    expect((row!.signedAt as Date).toISOString()).toBe(NOW.toISOString());
  });

  it("serialises concurrent decisions: the same key twice at once records one row", async () => {
    const body = { person: "U0OTTO", decision: "approve", idempotencyKey: "double-click-1", source: "slack" };
    const [a, b] = await Promise.all([
      send("POST", "/api/cycles/2026-11/steps/supply/signoffs", body),
      send("POST", "/api/cycles/2026-11/steps/supply/signoffs", body),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [ja, jb] = [await a.json(), await b.json()];
    expect(ja.signoff).toEqual(jb.signoff);
    expect(await rows(db.sql`idempotency_key = 'double-click-1'`)).toBe(1);
    expect(await rows(db.sql`step = 'supply' and cycle = '2026-11-01'`)).toBe(1);
    expect((await stepOf("supply")).status).toBe("signed");
  });

  it("two different people at once record two rows and the step ends signed", async () => {
    // Reopen pre (planner approved earlier) so that both roles are needed again.
    await ok(await sign("pre", "U0PLAN", "request_changes", { comment: "numbers changed" }));
    const [a, b] = await Promise.all([sign("pre", "U0PLAN"), sign("pre", "U0FIN")]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const statuses = [(await a.json()).step.status, (await b.json()).step.status].sort();
    // Whichever came second saw the first: exactly one answer says signed.
    expect(statuses).toEqual(["changes_requested", "signed"]);
    expect(await rows(db.sql`step = 'pre' and cycle = '2026-11-01'`)).toBe(4);
    const pre = await stepOf("pre");
    expect(pre.status).toBe("signed");
    expect(pre.approvals.map((x) => x.role)).toEqual(["planner", "finance"]);
  });

  it("one key sent at once for two different decisions records one of them; the other is 409", async () => {
    expect((await send("POST", "/api/cycles", { month: "2027-02" })).status).toBe(201);
    const body = { person: "U0PLAN", decision: "approve", idempotencyKey: "race-1" };
    // Different cycles, so no shared row lock: the unique constraint decides.
    const [a, b] = await Promise.all([
      send("POST", "/api/cycles/2027-01/steps/data/signoffs", body),
      send("POST", "/api/cycles/2027-02/steps/data/signoffs", body),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = await (a.status === 409 ? a : b).json();
    expect(loser.error.message).toMatch(/already used for a different decision/);
    expect(await rows(db.sql`idempotency_key = 'race-1'`)).toBe(1);
    expect(await rows(db.sql`cycle in ('2027-01-01', '2027-02-01')`)).toBe(1);
  });

  it("the executive approval locks the plan: imports of its consensus forecasts and other decisions are refused", async () => {
    const r = await ok(
      await sign("exec", "U0EVE", "approve", { comment: "plan committed", source: "slack" }),
    );
    expect(r.step.status).toBe("signed");
    expect(r.cycle.planLocked).toEqual({ at: NOW.toISOString(), by: "U0EVE", byName: "Eve Exec" });
    expect(r.cycle.progress).toEqual({ signed: 5, total: 5, overdue: 0 });

    const csv = "sku,period,units,source,cycle\nBLT-100,2026-12,120,consensus,2026-11\n";
    const importForecasts = () =>
      app.request("/api/imports/forecasts", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: csv,
      });
    await refused(await importForecasts(), 409, /consensus plan of cycle 2026-11 is locked/);

    // Any decision but an executive's request for changes on the locked step is refused.
    await refused(
      await sign("demand", "U0SAM", "request_changes", { comment: "late change" }),
      409,
      /locked/,
    );
    await refused(
      await sign("exec", "U0EVE"),
      409,
      /consensus plan of 2026-11 is locked by the executive sign-off of Eve Exec/,
    );
    await refused(await sign("data", "U0PLAN", "request_changes", { comment: "x" }), 409, /locked/);
    await refused(await sign("exec", "U0EVE", "request_changes"), 400, /comment/);

    // The executive reopens it: unlocked, and the import goes through.
    const reopen = await ok(
      await sign("exec", "U0EVE", "request_changes", { comment: "new tender, rework Q1" }),
    );
    expect(reopen.step).toMatchObject({ status: "changes_requested", signedAt: null });
    expect(reopen.cycle.planLocked).toBeNull();
    const imported = await importForecasts();
    expect(imported.status).toBe(200);
    expect((await imported.json()).import).toMatchObject({ inserted: 1 });

    // And locks it again.
    const again = await ok(await sign("exec", "U0EVE"));
    expect(again.cycle.planLocked).toMatchObject({ by: "U0EVE" });
    await refused(await importForecasts(), 409, /locked/);
  });

  it("records every decision, lock and unlock in the audit trail", async () => {
    const { entries } = await get("/api/audit?entity=cycle&entityId=2026-11&limit=6");
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      "plan.locked",
      "signoff.approve",
      "plan.unlocked",
      "signoff.request_changes",
      "plan.locked",
      "signoff.approve",
    ]);
    expect(entries[3]).toEqual({
      id: expect.any(Number),
      at: NOW.toISOString(),
      actor: "U0EVE",
      action: "signoff.request_changes",
      entity: "cycle",
      entityId: "2026-11",
      source: "api",
      details: {
        step: "exec",
        signoffId: expect.any(Number),
        person: { slackUserId: "U0EVE", name: "Eve Exec" },
        roles: ["executive"],
        decision: "request_changes",
        comment: "new tender, rework Q1",
        idempotencyKey: expect.any(String),
        stepStatus: "changes_requested",
        reopened: true,
      },
    });
    expect(entries[2]).toMatchObject({
      action: "plan.unlocked",
      actor: "U0EVE",
      details: { step: "exec", comment: "new tender, rework Q1", lockedBy: "U0EVE" },
    });
    expect(entries[5]).toMatchObject({
      action: "signoff.approve",
      source: "slack",
      details: { step: "exec", comment: "plan committed", stepStatus: "signed", signed: true },
    });
    // One audit entry per recorded decision, none for refusals or replays.
    const decisions = (await get("/api/audit?entity=cycle&entityId=2026-11&limit=1000")).entries.filter(
      (e: { action: string }) => e.action.startsWith("signoff."),
    );
    expect(decisions).toHaveLength(await rows(db.sql`cycle = '2026-11-01'`));
    const byOtto = (await get("/api/audit?actor=U0OTTO")).entries;
    expect(byOtto).toHaveLength(1);
    expect(byOtto[0].details).toMatchObject({ step: "supply", idempotencyKey: "double-click-1" });
  });

  it("answers 409 for decisions on a closed cycle, 404 for unknown cycles and steps, 422 for a step nobody signs", async () => {
    expect((await send("POST", "/api/cycles", { month: "2026-10" })).status).toBe(201);
    await ok(await sign("data", "U0PLAN", "approve", {}, "2026-10"));
    await refused(await sign("execution", "U0PLAN", "approve", {}, "2026-10"), 422, /needs no sign-off/);
    expect((await send("POST", "/api/cycles/2026-10/close", { actor: "U0PLAN" })).status).toBe(200);
    await refused(await sign("demand", "U0SAM", "approve", {}, "2026-10"), 409, /cycle 2026-10 is closed/);
    await refused(
      await sign("data", "U0PLAN", "request_changes", { comment: "too late" }, "2026-10"),
      409,
      /closed/,
    );
    await refused(await sign("demand", "U0SAM", "approve", {}, "2025-05"), 404, /no cycle for 2025-05/);
    await refused(await sign("nope", "U0SAM"), 404, /2026-11 has no step 'nope'/);
    expect(await rows(db.sql`cycle = '2026-10-01'`)).toBe(1);
  });
});
