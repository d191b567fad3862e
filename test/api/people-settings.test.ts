import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTimezone } from "../../db/repositories/settings.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const NOW = new Date("2026-11-20T10:00:00Z");

const DEFAULT_STEPS = [
  { key: "data", position: 1, dueBusinessDay: 3, roles: ["planner"] },
  { key: "demand", position: 2, dueBusinessDay: 6, roles: ["sales", "marketing"] },
  { key: "supply", position: 3, dueBusinessDay: 9, roles: ["operations"] },
  { key: "pre", position: 4, dueBusinessDay: 12, roles: ["planner", "finance"] },
  { key: "exec", position: 5, dueBusinessDay: 15, roles: ["executive"] },
  { key: "execution", position: 6, dueBusinessDay: null, roles: [] },
];

describe.each(engines)("settings and people on %s", (engine) => {
  let db: TestDatabase;
  let app: ReturnType<typeof testApp>["app"];
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
  const problems = async (res: Response) => {
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request");
    return (body.error.details.problems as { parameter: string; message: string }[]).map((p) => p.parameter);
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    ({ app } = testApp(db, { now: () => NOW }));
  });
  afterAll(async () => {
    await db?.close();
  });

  describe("settings", () => {
    it("GET /api/settings shows the defaults of a new database", async () => {
      const s = await get("/api/settings");
      expect(s.company).toEqual({ name: "My company", timezone: "UTC", channel: null });
      expect(s.holidays).toEqual([]);
      expect(s.steps.map((x: { key: string }) => x.key)).toEqual(DEFAULT_STEPS.map((x) => x.key));
      expect(s.steps).toEqual(DEFAULT_STEPS.map((x) => expect.objectContaining(x)));
      expect(s.steps[1]).toEqual({
        key: "demand",
        position: 2,
        name: "Demand review",
        description: "Statistical forecast + sales/marketing input → consensus demand plan",
        dueBusinessDay: 6,
        roles: ["sales", "marketing"],
      });
      expect(s.roles.map((r: { key: string }) => r.key)).toEqual([
        "planner",
        "sales",
        "marketing",
        "operations",
        "finance",
        "executive",
        "admin",
      ]);
    });

    it("seedTimezone sets the zone of a database whose settings were never edited", async () => {
      expect(await seedTimezone(db.sql, "America/Denver")).toBe(true);
      expect(await seedTimezone(db.sql, "America/Denver")).toBe(false); // nothing to change
      expect((await get("/api/settings")).company.timezone).toBe("America/Denver");
      // A different SOP_TIMEZONE on a later start still applies: nobody has set the zone by hand.
      expect(await seedTimezone(db.sql, "Europe/Paris")).toBe(true);
      expect((await get("/api/settings")).company.timezone).toBe("Europe/Paris");
      const audit = await get("/api/audit?entity=settings");
      expect(audit.entries[0]).toMatchObject({
        action: "settings.timezone_seeded",
        actor: null,
        source: "env",
        details: { before: "America/Denver", after: "Europe/Paris" },
      });
    });

    it("PUT /api/settings replaces what it is given, in one go, and audits it", async () => {
      const res = await send(
        "PUT",
        "/api/settings",
        {
          company: { name: "Acme Bottles", timezone: "europe/berlin", channel: "#s-and-op" },
          holidays: [
            { date: "2026-12-25", name: "Christmas" },
            { date: "2026-11-18", name: "Buß- und Bettag" },
          ],
        },
        { "X-Sop-Actor": "U0ADMIN", "X-Sop-Source": "dashboard" },
      );
      expect(res.status).toBe(200);
      const s = await res.json();
      expect(s.company).toEqual({ name: "Acme Bottles", timezone: "Europe/Berlin", channel: "#s-and-op" });
      expect(s.holidays).toEqual([
        { date: "2026-11-18", name: "Buß- und Bettag" },
        { date: "2026-12-25", name: "Christmas" },
      ]);
      expect(s.steps).toHaveLength(6); // not given: unchanged
      expect(await get("/api/settings")).toEqual(s);

      const [entry] = (await get("/api/audit?entity=settings&limit=1")).entries;
      expect(entry).toMatchObject({
        actor: "U0ADMIN",
        source: "dashboard",
        action: "settings.updated",
        entity: "settings",
        entityId: null,
        at: NOW.toISOString(),
        details: {
          fields: ["company.name", "company.timezone", "company.channel", "holidays"],
          changes: {
            "company.name": { before: "My company", after: "Acme Bottles" },
            "company.timezone": { before: "Europe/Paris", after: "Europe/Berlin" },
            holidays: { before: [] },
          },
        },
      });
    });

    it("an edited time zone is never overridden by SOP_TIMEZONE", async () => {
      expect(await seedTimezone(db.sql, "Asia/Tokyo")).toBe(false);
      expect((await get("/api/settings")).company.timezone).toBe("Europe/Berlin");
    });

    it("PUT replaces the step calendar and a single company field; the actor may be in the body", async () => {
      const steps = [
        {
          key: "data",
          position: 1,
          name: "Data",
          description: "",
          dueBusinessDay: 2,
          roles: ["planner"],
        },
        {
          key: "signoff",
          position: 2,
          name: "Sign-off",
          description: "All in one",
          dueBusinessDay: 23,
          roles: ["executive", "finance"],
        },
        {
          key: "month_end",
          position: 3,
          name: "Month end",
          description: "",
          dueBusinessDay: null,
          roles: [],
        },
      ];
      const res = await send("PUT", "/api/settings", {
        company: { channel: null },
        steps,
        actor: "cli-user",
      });
      expect(res.status).toBe(200);
      const s = await res.json();
      expect(s.steps).toEqual(steps);
      expect(s.company).toEqual({ name: "Acme Bottles", timezone: "Europe/Berlin", channel: null });
      expect(s.holidays).toHaveLength(2);
      const [entry] = (await get("/api/audit?entity=settings&actor=cli-user")).entries;
      expect(entry.details.fields).toEqual(["company.channel", "steps"]);
      expect(entry.details.changes.steps.after).toEqual(steps);

      // Back to the default calendar for what follows.
      const back = await send("PUT", "/api/settings", { steps: defaultStepsFull() });
      expect(back.status).toBe(200);
      expect((await back.json()).steps).toEqual(defaultStepsFull());
    });

    it("validates: IANA zone, known roles, unique keys and positions, 1–23 or null, dates", async () => {
      expect(
        await problems(await send("PUT", "/api/settings", { company: { timezone: "Mars/Olympus" } })),
      ).toEqual(["company.timezone"]);
      expect(await problems(await send("PUT", "/api/settings", { company: { timezone: "+01:00" } }))).toEqual(
        ["company.timezone"],
      );
      const step = (over: Record<string, unknown>) => ({
        key: "data",
        position: 1,
        name: "Data",
        description: "",
        dueBusinessDay: 3,
        roles: ["planner"],
        ...over,
      });
      expect(
        await problems(
          await send("PUT", "/api/settings", {
            steps: [step({}), step({ position: 2 }), step({ key: "x", position: 2 })],
          }),
        ),
      ).toEqual(["steps.1.key", "steps.2.position"]);
      expect(
        await problems(
          await send("PUT", "/api/settings", {
            steps: [step({ dueBusinessDay: 0 }), step({ key: "b", position: 2, dueBusinessDay: 24 })],
          }),
        ),
      ).toEqual(["steps.0.dueBusinessDay", "steps.1.dueBusinessDay"]);
      expect(
        await problems(
          await send("PUT", "/api/settings", {
            steps: [step({ key: "Data!", roles: ["planner", "planner"] })],
          }),
        ),
      ).toEqual(["steps.0.key", "steps.0.roles.1"]);
      const unknownRole = await send("PUT", "/api/settings", {
        steps: [step({ roles: ["planner", "chef"] })],
      });
      expect(await problems(unknownRole.clone())).toEqual(["steps.0.roles.1"]);
      expect((await unknownRole.json()).error.message).toMatch(
        /'chef' is not a role; the roles are planner, sales/,
      );
      expect(
        await problems(
          await send("PUT", "/api/settings", {
            holidays: [
              { date: "2026-02-30", name: "x" },
              { date: "2026-12-25", name: "a" },
              { date: "2026-12-25", name: "b" },
            ],
          }),
        ),
      ).toEqual(["holidays.0.date", "holidays.2.date"]);
      expect(await problems(await send("PUT", "/api/settings", { steps: [] }))).toEqual(["steps"]);
      expect(await problems(await send("PUT", "/api/settings", { colour: "red" }))).toEqual(["(body)"]);
      expect(
        await problems(await send("PUT", "/api/settings", { company: { channel: "Not A Channel" } })),
      ).toEqual(["company.channel"]);
      // Nothing of the refused requests was written.
      const s = await get("/api/settings");
      expect(s.steps).toEqual(defaultStepsFull());
      expect(s.company.timezone).toBe("Europe/Berlin");
      expect(s.holidays).toHaveLength(2);
    });
  });

  describe("people", () => {
    it("PUT /api/people/:id creates (201) and replaces (200) a person, roles as a set", async () => {
      const created = await send(
        "PUT",
        "/api/people/U0SAM",
        { name: "Sam Sales", email: "sam@example.com", roles: ["marketing", "sales"] },
        { "X-Sop-Actor": "U0ADMIN" },
      );
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({
        person: {
          slackUserId: "U0SAM",
          name: "Sam Sales",
          email: "sam@example.com",
          roles: ["sales", "marketing"],
          active: true,
        },
      });
      const replaced = await send("PUT", "/api/people/U0SAM", {
        name: "Samantha Sales",
        roles: ["sales", "finance"],
        actor: "U0ADMIN",
        source: "slack",
      });
      expect(replaced.status).toBe(200);
      expect((await replaced.json()).person).toEqual({
        slackUserId: "U0SAM",
        name: "Samantha Sales",
        email: null,
        roles: ["sales", "finance"],
        active: true,
      });
      const [r] =
        await db.sql`select array_agg(role order by role) as roles from person_roles where slack_user_id = 'U0SAM'`;
      expect(r!.roles).toEqual(["finance", "sales"]);

      const audit = (await get("/api/audit?entity=person&entityId=U0SAM")).entries;
      expect(audit.map((e: { action: string }) => e.action)).toEqual(["person.updated", "person.created"]);
      expect(audit[0]).toMatchObject({
        actor: "U0ADMIN",
        source: "slack",
        details: {
          before: {
            name: "Sam Sales",
            email: "sam@example.com",
            roles: ["sales", "marketing"],
            active: true,
          },
          after: { name: "Samantha Sales", email: null, roles: ["sales", "finance"], active: true },
        },
      });
      expect(audit[1]).toMatchObject({ actor: "U0ADMIN", source: "api" });
    });

    it("GET /api/people lists everyone; GET /api/people/:id one person, 404 for a stranger", async () => {
      expect(
        (await send("PUT", "/api/people/W0EVE", { name: "Eve Exec", roles: ["executive"] })).status,
      ).toBe(201);
      expect(
        (await send("PUT", "/api/people/U0OLD", { name: "Old Timer", roles: [], active: false })).status,
      ).toBe(201);
      const list = await get("/api/people");
      expect(list).toEqual({
        people: [
          { slackUserId: "W0EVE", name: "Eve Exec", email: null, roles: ["executive"], active: true },
          { slackUserId: "U0OLD", name: "Old Timer", email: null, roles: [], active: false },
          {
            slackUserId: "U0SAM",
            name: "Samantha Sales",
            email: null,
            roles: ["sales", "finance"],
            active: true,
          },
        ],
      });
      expect(await get("/api/people/W0EVE")).toEqual({ person: list.people[0] });
      const missing = await app.request("/api/people/U0NOBODY");
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.message).toMatch(/PUT \/api\/people\/U0NOBODY/);
    });

    it("validates the Slack user id, the roles, the email and the name", async () => {
      expect(await problems(await app.request("/api/people/sam"))).toEqual(["slackUserId"]);
      expect(await problems(await send("PUT", "/api/people/u0sam", { name: "x", roles: [] }))).toEqual([
        "slackUserId",
      ]);
      expect(await problems(await send("PUT", "/api/people/C0CHANNEL", { name: "x", roles: [] }))).toEqual([
        "slackUserId",
      ]);
      const badRole = await send("PUT", "/api/people/U0NEW", { name: "New", roles: ["sales", "wizard"] });
      expect(await problems(badRole.clone())).toEqual(["roles.1"]);
      expect((await badRole.json()).error.message).toMatch(/'wizard' is not a role/);
      expect(
        await problems(await send("PUT", "/api/people/U0NEW", { name: "New", email: "nope", roles: [] })),
      ).toEqual(["email"]);
      expect(await problems(await send("PUT", "/api/people/U0NEW", { name: " ", roles: [] }))).toEqual([
        "name",
      ]);
      expect(await problems(await send("PUT", "/api/people/U0NEW", { name: "New" }))).toEqual(["roles"]);
      expect((await app.request("/api/people/U0NEW")).status).toBe(404);
    });
  });

  describe("audit", () => {
    it("GET /api/audit filters and pages newest first; the trail cannot be changed", async () => {
      const all = (await get("/api/audit?limit=1000")).entries as { id: number }[];
      expect(all.length).toBeGreaterThanOrEqual(8);
      const ids = all.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const page1 = (await get("/api/audit?limit=3")).entries as { id: number }[];
      const page2 = (await get(`/api/audit?limit=3&before=${page1[2]!.id}`)).entries as { id: number }[];
      expect([...page1, ...page2].map((e) => e.id)).toEqual(ids.slice(0, 6));
      expect((await get("/api/audit?before=2000-01-01T00:00:00Z")).entries).toEqual([]);
      expect((await get("/api/audit?actor=nobody")).entries).toEqual([]);
      expect(await problems(await app.request("/api/audit?limit=0"))).toEqual(["limit"]);
      expect(await problems(await app.request("/api/audit?before=yesterday"))).toEqual(["before"]);
      await expect(db.sql`update audit_log set actor = 'me'`).rejects.toThrow(/append-only/);
      await expect(db.sql`delete from audit_log`).rejects.toThrow(/append-only/);
    });
  });
});

function defaultStepsFull() {
  return [
    {
      key: "data",
      position: 1,
      name: "Data gathering",
      description: "Actuals, inventory and open POs imported",
      dueBusinessDay: 3,
      roles: ["planner"],
    },
    {
      key: "demand",
      position: 2,
      name: "Demand review",
      description: "Statistical forecast + sales/marketing input → consensus demand plan",
      dueBusinessDay: 6,
      roles: ["sales", "marketing"],
    },
    {
      key: "supply",
      position: 3,
      name: "Supply review",
      description: "Can inventory, open supply and capacity meet the plan? Gaps and options",
      dueBusinessDay: 9,
      roles: ["operations"],
    },
    {
      key: "pre",
      position: 4,
      name: "Pre-S&OP",
      description: "Mismatches resolved or escalated with options",
      dueBusinessDay: 12,
      roles: ["planner", "finance"],
    },
    {
      key: "exec",
      position: 5,
      name: "Executive S&OP",
      description: "Trade-offs decided, plan committed",
      dueBusinessDay: 15,
      roles: ["executive"],
    },
    {
      key: "execution",
      position: 6,
      name: "Execution & monitoring",
      description: "Variance against plan tracked",
      dueBusinessDay: null,
      roles: [],
    },
  ];
}
