/**
 * The demo company, end to end: its fact base through the CSV import (db/demo), its people,
 * settings, cycles and sign-offs through the API (the in-process client, so every rule and the
 * audit trail apply), then the plan. Used by `sop serve` (empty database), `sop demo` and tests.
 */
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import { seedDecisions } from "../db/demo/decisions.js";
import { type DemoCompany, generateDemo } from "../db/demo/generate.js";
import { loadDemoData } from "../db/demo/load.js";
import type { createApp } from "./app.js";
import { inProcessClient } from "./client.js";
import { localDate, localPeriod } from "./domain/calendar.js";
import { ensurePlan } from "./services/plan-refresh.js";

/** The demo company's time zone (Colorado). */
export const DEMO_TIMEZONE = "America/Denver";

/**
 * Loads the demo company anchored at the current month in its time zone: the fact base
 * through the CSV import, people, settings and cycles through the API, then the plan.
 */
export async function loadDemoCompany(
  db: Database,
  app: ReturnType<typeof createApp>,
  logger: Logger,
  options: { anchor?: string; now: Date; progress?: (step: string) => void },
): Promise<DemoCompany> {
  const started = performance.now();
  const timezone = DEMO_TIMEZONE;
  const anchor = options.anchor ?? localPeriod(options.now, timezone);
  const company = generateDemo({ anchor });
  const progress = options.progress ?? (() => {});
  progress("importing the fact base");
  await loadDemoData(db.sql, company, {
    logger,
    copy: db.kind === "server",
    onImported: (r) => progress(`imported ${r.kind} (${r.rows.toLocaleString("en-US")} rows)`),
  });
  progress("recording people, settings and cycles");
  const client = inProcessClient(app, { actor: "demo" });
  const check = async (res: Response, what: string) => {
    if (!res.ok) throw new Error(`demo: ${what} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  const decisions = await seedDecisions(
    {
      async updateCompany(c) {
        await check(await client.api.settings.$put({ json: { company: c, source: "demo" } }), "settings");
      },
      async putPerson(p) {
        await check(
          await client.api.people[":slackUserId"].$put({
            param: { slackUserId: p.slackUserId },
            json: { name: p.name, email: p.email, roles: p.roles, source: "demo" },
          }),
          `person ${p.slackUserId}`,
        );
      },
      async openCycle(month) {
        const res = await client.api.cycles.$post({ json: { month, source: "demo" } });
        if (res.status === 409) return null;
        const body = (await (await check(res, `cycle ${month}`)).json()) as {
          cycle: { steps: { key: string; dueDate: string; roles: string[] }[] };
        };
        return body.cycle.steps;
      },
      async signoff(s) {
        await check(
          await client.api.cycles[":month"].steps[":step"].signoffs.$post({
            param: { month: s.month, step: s.step },
            json: {
              person: s.person,
              decision: s.decision,
              comment: s.comment,
              idempotencyKey: s.idempotencyKey,
              source: "demo",
            },
          }),
          `sign-off ${s.month}/${s.step}`,
        );
      },
    },
    company,
    localDate(options.now, timezone),
  );
  progress("computing the plan");
  const plan = await ensurePlan(db.sql);
  logger.info(
    {
      company: company.company.name,
      anchor,
      cycles: decisions.cycles,
      overdue: decisions.overdue,
      planSeconds: Math.round(plan.seconds * 10) / 10,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
    `loaded the demo company ${company.company.name} (sop demo --csv DIR writes its CSV files)`,
  );
  return company;
}
