/**
 * `sop calendar`, `sop jobs` and the scheduler inside `sop serve`, as a user runs them: child
 * processes on the test's database (the demo company) and the fake Slack. Two processes running
 * the same job post once; a process killed between writing its outbox and sending is resumed
 * without posting twice.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadDemoCompany } from "../../api/demo-company.js";
import { localDate, nthBusinessDay } from "../../api/domain/calendar.js";
import type { Period } from "../../api/domain/periods.js";
import { createLogger } from "../../api/logger.js";
import { pngSize } from "../api/charts/helpers.js";
import { testApp } from "../helpers/app.js";
import { collect, runCli, spawnCli, startServe } from "../helpers/cli.js";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { childDatabaseEnv, clearJobs, denver, jobsHarness } from "../helpers/jobs.js";
import { createTestDatabase, engines, type TestDatabase } from "../helpers/test-db.js";

const LOADED_AT = denver("2026-11-20T09:00");
const CHANNEL = "C0SOPMONTHLY";

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

describe.each(engines)("sop jobs and sop calendar as processes (%s)", (engine) => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let dir: string;
  /** The child's environment: the test database, Slack pointed at the fake. */
  let env: Record<string, string>;
  let offline: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const { app } = testApp(db, { now: () => LOADED_AT });
    await loadDemoCompany(db, app, createLogger("silent"), { anchor: "2026-11", now: LOADED_AT });
    fake = await startFakeSlack({ channelNames: { "#sop-monthly": CHANNEL } });
    dir = mkdtempSync(path.join(tmpdir(), "sop-jobs-cli-"));
    offline = { ...childDatabaseEnv(db), SOP_DEMO: "false", SOP_PUBLIC_URL: "https://sop.example.com" };
    env = { ...offline, SLACK_BOT_TOKEN: fake.botToken, SLACK_API_URL: fake.url };
  }, 300_000);
  afterAll(async () => {
    await fake?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await clearJobs(db.sql);
    fake.reset();
  });

  it("sop calendar shows the calendar with a month's due dates and edits it through the API", async () => {
    const shown = await runCli(["calendar", "show", "--month", "2026-12"], offline);
    expect(shown.stderr).toBe("");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      "Ridgeline Hydration Co. · time zone America/Denver (UTC−07:00 now) · channel #sop-monthly",
    );
    expect(shown.stdout).toMatch(/1 {2}data +Data gathering +business day 3 +Thu Dec 3 +planner/);
    expect(shown.stdout).toMatch(/5 {2}exec +Executive S&OP +business day 15 +Mon Dec 21 +executive/);
    expect(shown.stdout).toMatch(/6 {2}execution +Execution & monitoring +end of month +Thu Dec 31 +—/);

    const added = await runCli(["calendar", "holidays", "add", "2026-12-02", "Company", "offsite"], offline);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("2026-12-02  Wed Dec 2  Company offsite");
    const december = await runCli(["calendar", "show", "--month", "2026-12"], offline);
    // Data gathering, the 3rd business day, moves past the holiday.
    expect(december.stdout).toMatch(/data +Data gathering +business day 3 +Fri Dec 4/);

    const step = await runCli(["calendar", "step", "demand", "--due", "7", "--roles", "sales"], offline);
    expect(step.code).toBe(0);
    expect(step.stdout).toMatch(/2 {2}demand +Demand review +business day 7 +\S+ \S+ \d+ +sales\n/);
    const zone = await runCli(
      ["calendar", "set", "--timezone", "Europe/Berlin", "--channel", "#s-and-op"],
      offline,
    );
    expect(zone.stdout).toMatch(/time zone Europe\/Berlin \(UTC\+01:00 now\) · channel #s-and-op/);

    const bad = await runCli(["calendar", "set", "--timezone", "Mars/Olympus"], offline);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "the settings were not changed: company.timezone: must be an IANA time zone",
    );
    const noStep = await runCli(["calendar", "step", "review", "--due", "4"], offline);
    expect(noStep.code).toBe(1);
    expect(noStep.stderr).toContain(
      "there is no step review; the steps are data, demand, supply, pre, exec, execution",
    );
    const badDue = await runCli(["calendar", "step", "demand", "--due", "30"], offline);
    expect(badDue.code).toBe(1);
    expect(badDue.stderr).toContain("steps.1.dueBusinessDay: must be between 1 and 23");

    // Back as the demo has it.
    expect((await runCli(["calendar", "holidays", "remove", "2026-12-02"], offline)).code).toBe(0);
    expect(
      (await runCli(["calendar", "step", "demand", "--due", "6", "--roles", "sales,marketing"], offline))
        .code,
    ).toBe(0);
    const back = await runCli(
      ["calendar", "set", "--timezone", "America/Denver", "--channel", "#sop-monthly"],
      offline,
    );
    expect(back.stdout).toContain("time zone America/Denver");
    expect(back.stdout).toContain("Holidays: none");
    // Thirteen `sop` processes in a row: on a loaded 2-core machine each start takes seconds.
  }, 240_000);

  it("sop jobs run weekly-digest --dry-run prints a digest to read and writes its PNGs; nothing is recorded or sent", async () => {
    const out = path.join(dir, "dry");
    const r = await runCli(
      ["jobs", "run", "weekly-digest", "--at", "2026-11-16T09:00", "--dry-run", "--out", out],
      env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "DRY RUN — weekly-digest 2026-W47 at Mon Nov 16 09:00 MST: nothing recorded, nothing sent",
    );
    expect(r.stdout).toContain("Weekly S&OP check-in · week of Nov 16\n═");
    expect(r.stdout).toContain("Sales vs plan — no November sales imported yet.");
    expect(r.stdout).toMatch(/High risk +Value at risk\n\d+ SKU-locations +\$[\d,]+/);
    expect(r.stdout).toContain("November 2026 cycle — 3 of 5 steps signed");
    expect(r.stdout).toContain("Risk & gaps (https://sop.example.com/risk#gaps) ›");
    for (const name of ["forecast-vs-actual", "value-at-risk", "cycle-timeline"]) {
      const file = path.join(out, `${name}.png`);
      expect(r.stdout).toContain(file);
      expect(pngSize(readFileSync(file))).toEqual({ width: 1600, height: 800 });
    }
    expect(fake.calls).toHaveLength(0);
    const [{ n }] = (await db.sql`select count(*)::int as n from job_runs`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it("sop jobs run from two processes at once posts once; a third run of the week posts nothing", async () => {
    const args = ["jobs", "run", "weekly-digest", "--at", "2026-11-16T09:00"];
    const [a, b] = await Promise.all([runCli(args, env), runCli(args, env)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const outputs = [a.stdout, b.stdout].sort();
    expect(outputs[0]).toMatch(/^weekly-digest 2026-W47 at Mon Nov 16 09:00 MST: 2 message\(s\)/);
    expect(outputs[0]).toContain("outbox: 2 sent, 0 waiting, 0 failed, 0 skipped");
    expect(outputs[1]).toMatch(
      /^weekly-digest 2026-W47: not run again — week of 2026-11-16 (is being run by|was run already)/,
    );
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(1);
    const third = await runCli(args, env);
    expect(third.stdout).toContain("not run again");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);

    const list = await runCli(["jobs", "list"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("Jobs (times in America/Denver):");
    expect(list.stdout).toMatch(
      /weekly-digest +Weekdays at 09:00 +#sop-monthly +2026-W47 done \(2\/2 sent\)/,
    );
    expect(list.stdout).toMatch(
      /reminders +Weekdays at 09:00 +#sop-monthly +never +\w{3} \w{3} \d+ 09:00 M[SD]T/,
    );
  });

  it("a process killed between writing its outbox and sending is resumed: what it had sent is not sent again", async () => {
    const child = spawnCli(["jobs", "run", "weekly-digest", "--at", "2026-11-23T09:00"], env);
    const done = collect(child);
    // The digest is posted; its charts wait their turn in the channel (about a second).
    await waitFor(async () => {
      const rows = await db.sql<{ status: string }[]>`
        select status from outbox where job = 'weekly-digest' and period = '2026-W48' and kind = 'message'`;
      return rows[0]?.status === "sent" ? true : undefined;
    });
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    const rows = await db.sql<{ kind: string; status: string }[]>`
      select kind, status from outbox where period = '2026-W48' order by position`;
    expect(rows.map((r) => r.kind)).toEqual(["message", "file"]);
    expect(rows[1]?.status).toMatch(/^(pending|sending)$/);
    const [run] = await db.sql<{ status: string }[]>`select status from job_runs where period = '2026-W48'`;
    expect(run?.status).toBe("running");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(0);

    // The next start (here: the scheduler's resume) finds the run's process gone.
    const { scheduler } = jobsHarness(db, { clock: denver("2026-11-23T09:05"), slack: fake });
    const resumed = await scheduler.resume();
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({
      job: "weekly-digest",
      status: "done",
      period: "2026-W48",
      reason: "resumed a run whose process had stopped",
      outbox: { sent: 2, pending: 0 },
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(1);
    expect(fake.messages(CHANNEL).map((m) => m.files.length)).toEqual([0, 3]);
    expect(await scheduler.resume()).toEqual([]);
  });

  it("without Slack, sop jobs run fills the outbox and sop jobs outbox shows what waits", async () => {
    const r = await runCli(["jobs", "run", "reminders", "--at", "2026-11-16T09:00"], offline);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("reminders 2026-11-16 at Mon Nov 16 09:00 MST: 4 message(s)");
    expect(r.stdout).toContain("dm      U03P8EJW1LS    reminder to Grace Whitfield: Pre-S&OP");
    expect(r.stdout).toContain("outbox: 0 sent, 4 waiting, 0 failed, 0 skipped (see `sop jobs outbox`)");
    const o = await runCli(["jobs", "outbox"], offline);
    expect(o.code).toBe(0);
    expect(o.stdout).toContain(
      "Outbox: 4 pending, 0 sending, 0 sent, 0 failed, 0 skipped — Slack is not configured (SLACK_BOT_TOKEN): messages wait here",
    );
    expect(o.stdout).toMatch(
      /reminders +2026-11-16 +dm +U04JQ7T2M9K +pending +reminder to Maya Okafor: Pre-S&OP/,
    );
    expect(fake.calls).toHaveLength(0);
    const bad = await runCli(["jobs", "run", "nope"], offline);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("there is no job nope: the jobs are variance-alerts, cycle-open, reminders");
    const badAt = await runCli(["jobs", "run", "reminders", "--at", "monday"], offline);
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toContain("--at monday: expected an ISO 8601 time");
  });

  it("sop serve runs the scheduler: at start-up it catches up this month's kickoff; SOP_JOBS=false keeps it off", async () => {
    const off = await startServe({ ...env, SOP_JOBS: "false" });
    try {
      const jobs = await (await fetch(`${off.url}/api/jobs`)).json();
      expect(jobs.jobs).toHaveLength(6);
      await new Promise((r) => setTimeout(r, 1500));
      expect(fake.calls).toHaveLength(0);
      expect(off.output()).toContain("the cadence jobs are off (SOP_JOBS=false)");
    } finally {
      expect((await off.stop()).code).toBe(0);
    }

    // The server runs on the real clock. This month's cycle-open (08:00 on the first business
    // day, company time) has passed in the company's zone except in the hours before it: then a
    // zone where it has (the other side of the date line) or where last month's is still
    // relevant (its last hours) is used. Around a month that starts on a weekend no zone has
    // one, and the catch-up must post nothing.
    const [company] = await db.sql<{ timezone: string }[]>`select timezone from company_settings`;
    const holidays = new Set(
      (await db.sql<{ day: string }[]>`select day::text as day from holidays`).map((h) => h.day),
    );
    const now = new Date();
    const due = (zone: string) => {
      const today = localDate(now, zone);
      const hour = Number(
        new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", hourCycle: "h23" }).format(now),
      );
      const first = nthBusinessDay(today.slice(0, 7) as Period, 1, holidays);
      return today > first || (today === first && hour >= 8);
    };
    const zone = [company!.timezone, "Pacific/Kiritimati", "Etc/GMT+12"].find(due);
    if (zone) await db.sql`update company_settings set timezone = ${zone}`;
    const on = await startServe(env);
    try {
      if (zone) {
        const kickoff = await fake.waitFor(
          (c) => c.method === "chat.postMessage" && /S&OP cycle is open/.test(String(c.args.text)),
          60_000,
        );
        expect(kickoff.ok).toBe(true);
        const jobs = await waitFor(async () => {
          const body = (await (await fetch(`${on.url}/api/jobs`)).json()) as {
            jobs: { name: string; lastRun: { trigger: string; status: string } | null }[];
          };
          const run = body.jobs.find((j) => j.name === "cycle-open")?.lastRun;
          return run?.status === "done" ? body : undefined;
        });
        expect(jobs.jobs.find((j) => j.name === "cycle-open")?.lastRun?.trigger).toBe("catch-up");
        expect(on.output()).toContain(`jobs scheduled in ${zone}`);
      } else {
        await waitFor(async () => (on.output().includes("jobs scheduled in") ? true : undefined), 60_000);
        await new Promise((r) => setTimeout(r, 1500));
        expect(fake.calls.filter((c) => /S&OP cycle is open/.test(String(c.args.text)))).toEqual([]);
      }
    } finally {
      const stopped = await on.stop();
      expect(stopped.code).toBe(0);
      expect(on.output()).toContain("stopped cleanly");
      await db.sql`update company_settings set timezone = ${company!.timezone}`;
    }
    expect(existsSync(dir)).toBe(true);
  });
});
