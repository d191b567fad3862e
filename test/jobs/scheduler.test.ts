/**
 * The scheduler's own wiring, with a job of the test's own on a one-second schedule: node-cron
 * fires it in the company's time zone with the scheduled instant, each tick is claimed once, and
 * stop() ends the ticking.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessClient } from "../../api/client.js";
import { localDate } from "../../api/domain/calendar.js";
import { createLogger } from "../../api/logger.js";
import { loadConfig } from "../../config.js";
import { createScheduler } from "../../jobs/scheduler.js";
import type { Job } from "../../jobs/types.js";
import { testApp } from "../helpers/app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db.js";

describe("the scheduler with node-cron", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("embedded");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("fires a job on its schedule with the scheduled instant, claims each tick once, and stops", async () => {
    const seen: { at: Date; local: string }[] = [];
    const tick: Job = {
      name: "tick",
      title: "Tick",
      description: "every second",
      schedule: "* * * * * *",
      async occurrence(at) {
        return {
          period: at.toISOString(),
          target: "",
          relevantUntil: new Date(at.getTime() + 60_000),
          label: "tick",
        };
      },
      async run(ctx) {
        seen.push({ at: ctx.now, local: localDate(ctx.now, ctx.calendar.timezone) });
      },
    };
    const { app } = testApp(db);
    await inProcessClient(app).api.settings.$put({ json: { company: { timezone: "Pacific/Auckland" } } });
    const scheduler = createScheduler({
      sql: db.sql,
      apiAt: (at) => inProcessClient(testApp(db, { now: () => at }).app),
      slack: null,
      logger: createLogger("silent"),
      config: loadConfig({ LOG_LEVEL: "silent" }),
      jobs: [tick],
    });
    await scheduler.start();
    await new Promise((r) => setTimeout(r, 3200));
    await scheduler.stop();
    const after = seen.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(seen.length).toBe(after);
    expect(after).toBeGreaterThanOrEqual(2);
    for (const s of seen) expect(s.at.getMilliseconds()).toBe(0);
    expect(seen[0]?.local).toBe(localDate(seen[0]!.at, "Pacific/Auckland"));
    // Start-up caught up the tick of the second before; node-cron fired the others.
    const runs = await db.sql<{ period: string; trigger: string; status: string }[]>`
      select period, trigger, status from job_runs where job = 'tick' order by period`;
    expect(runs.length).toBe(after);
    expect(runs.filter((r) => r.trigger === "schedule").length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs.map((r) => r.period)).size).toBe(runs.length);
    expect(runs.every((r) => r.status === "done")).toBe(true);
    const [job] = await scheduler.list();
    expect(job).toMatchObject({
      name: "tick",
      timezone: "Pacific/Auckland",
      when: "Every day on the schedule * * * * * *",
    });
  });
});
