/**
 * Monthly cycles: opening one (its steps and due dates from the step calendar as it is then),
 * closing it, and the cycle as the bot, the jobs and the dashboard see it: each step's status,
 * approvals, missing roles with who holds them, overdue flags at the app's clock.
 */
import type { Db, Sql } from "../../db/client.js";
import { appendAudit } from "../../db/repositories/audit.js";
import {
  type CycleRow,
  type CycleStepRow,
  closeCycle as closeCycleRow,
  getCycle,
  insertCycle,
  insertCycleSteps,
  latestOpenCycleBefore,
  listCycles as listCycleRows,
  listCycleSteps,
  lockCycle,
} from "../../db/repositories/cycles.js";
import { activeHolders, getPerson, type PersonRef } from "../../db/repositories/people.js";
import { getCompany, listHolidays, listStepDefinitions } from "../../db/repositories/settings.js";
import { listSignoffs, type SignoffRow } from "../../db/repositories/signoffs.js";
import {
  businessDaysBetween,
  type Holidays,
  isPastDue,
  localDate,
  localPeriod,
  stepDueDate,
} from "../domain/calendar.js";
import { firstDayOfPeriod, type Period, toPeriod } from "../domain/periods.js";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import type { Origin } from "./settings.js";

export type StepStatus = "signed" | "open" | "changes_requested";

export interface SignoffJson {
  id: number;
  person: PersonRef;
  roles: string[];
  decision: "approve" | "request_changes";
  comment: string | null;
  at: string;
  source: string;
}

export interface StepJson {
  key: string;
  name: string;
  description: string;
  position: number;
  dueDate: string;
  roles: string[];
  status: StepStatus;
  signedAt: string | null;
  overdue: boolean;
  /** Business days since the due date, when overdue; else 0. */
  daysOverdue: number;
  approvals: { role: string; person: PersonRef; at: string }[];
  missing: { role: string; people: PersonRef[] }[];
  signoffs: SignoffJson[];
}

export interface CycleSummaryJson {
  /** 'YYYY-MM' */
  month: string;
  status: "open" | "closed";
  timezone: string;
  openedAt: string;
  closedAt: string | null;
  planLocked: { at: string; by: string; byName: string | null } | null;
  progress: { signed: number; total: number; overdue: number };
  /** The first step not signed yet (by position) among those that need a sign-off. */
  nextStep: { key: string; name: string; dueDate: string; status: StepStatus; overdue: boolean } | null;
}

export interface CycleJson extends Omit<CycleSummaryJson, "nextStep"> {
  steps: StepJson[];
}

/** Where a step stands given its decisions: the approvals since the latest request for changes. */
export interface Standing {
  /** Per required role, the earliest approval that still counts. */
  approvals: Map<string, SignoffRow>;
  /** Required roles without an approval that counts, in the step's order. */
  missing: string[];
  /** A request for changes was made, and the step has not been signed since. */
  changesRequested: boolean;
  signed: boolean;
}

/**
 * The standing of a step: `signoffs` are its decisions in the order they were made. Approvals
 * count from the latest request for changes on; the step is signed when each required role has
 * one. A step that no role signs is never signed.
 */
export function standing(requiredRoles: string[], signoffs: SignoffRow[]): Standing {
  let lastRequest = -1;
  signoffs.forEach((s, i) => {
    if (s.decision === "request_changes") lastRequest = i;
  });
  const approvals = new Map<string, SignoffRow>();
  for (const s of signoffs.slice(lastRequest + 1)) {
    if (s.decision !== "approve") continue;
    for (const r of s.roles) if (requiredRoles.includes(r) && !approvals.has(r)) approvals.set(r, s);
  }
  const missing = requiredRoles.filter((r) => !approvals.has(r));
  const signed = requiredRoles.length > 0 && missing.length === 0;
  return { approvals, missing, changesRequested: lastRequest >= 0 && !signed, signed };
}

/** 'YYYY-MM' → the database's 'YYYY-MM-01'. */
export const monthKey = (period: Period): string => firstDayOfPeriod(period);

const iso = (d: Date) => d.toISOString();

export function signoffJson(s: SignoffRow): SignoffJson {
  return {
    id: s.id,
    person: { slackUserId: s.slackUserId, name: s.personName },
    roles: s.roles,
    decision: s.decision,
    comment: s.comment,
    at: iso(s.createdAt),
    source: s.source,
  };
}

interface Context {
  now: Date;
  holidays: Holidays;
  /** Active holders per role. */
  holders: Map<string, PersonRef[]>;
}

function stepJson(cycle: CycleRow, step: CycleStepRow, signoffs: SignoffRow[], ctx: Context): StepJson {
  const st = standing(step.roles, signoffs);
  const signed = step.signedAt !== null;
  // A closed cycle chases nobody, and a step no role signs cannot be late.
  const overdue =
    !signed &&
    cycle.status === "open" &&
    step.roles.length > 0 &&
    isPastDue(step.dueDate, ctx.now, cycle.timezone);
  return {
    key: step.key,
    name: step.name,
    description: step.description,
    position: step.position,
    dueDate: step.dueDate,
    roles: step.roles,
    status: signed ? "signed" : st.changesRequested ? "changes_requested" : "open",
    signedAt: step.signedAt ? iso(step.signedAt) : null,
    overdue,
    daysOverdue: overdue
      ? businessDaysBetween(step.dueDate, localDate(ctx.now, cycle.timezone), ctx.holidays)
      : 0,
    approvals: step.roles.flatMap((role) => {
      const s = st.approvals.get(role);
      return s
        ? [{ role, person: { slackUserId: s.slackUserId, name: s.personName }, at: iso(s.createdAt) }]
        : [];
    }),
    missing: signed ? [] : st.missing.map((role) => ({ role, people: ctx.holders.get(role) ?? [] })),
    signoffs: signoffs.map(signoffJson),
  };
}

function cycleJson(cycle: CycleRow, steps: StepJson[]): CycleJson {
  const signable = steps.filter((s) => s.roles.length > 0);
  return {
    month: toPeriod(cycle.month),
    status: cycle.status,
    timezone: cycle.timezone,
    openedAt: iso(cycle.openedAt),
    closedAt: cycle.closedAt ? iso(cycle.closedAt) : null,
    planLocked:
      cycle.planLockedAt && cycle.planLockedBy
        ? { at: iso(cycle.planLockedAt), by: cycle.planLockedBy, byName: cycle.planLockedByName }
        : null,
    steps,
    progress: {
      signed: signable.filter((s) => s.status === "signed").length,
      total: signable.length,
      overdue: steps.filter((s) => s.overdue).length,
    },
  };
}

/** The cycles as JSON, with everything each needs loaded in a few queries. */
async function describeCycles(db: Db, cycles: CycleRow[], now: Date): Promise<CycleJson[]> {
  const months = cycles.map((c) => c.month);
  const [steps, signoffs, holidays] = await Promise.all([
    listCycleSteps(db, months),
    listSignoffs(db, months),
    listHolidays(db),
  ]);
  const roles = [...new Set(steps.flatMap((s) => s.roles))];
  const holders = new Map<string, PersonRef[]>();
  for (const h of await activeHolders(db, roles)) {
    const list = holders.get(h.role) ?? [];
    list.push({ slackUserId: h.slackUserId, name: h.name });
    holders.set(h.role, list);
  }
  const ctx: Context = { now, holidays: new Set(holidays.map((h) => h.date)), holders };
  return cycles.map((cycle) => {
    const mine = steps.filter((s) => s.cycle === cycle.month).sort((a, b) => a.position - b.position);
    return cycleJson(
      cycle,
      mine.map((step) =>
        stepJson(
          cycle,
          step,
          signoffs.filter((s) => s.cycle === cycle.month && s.step === step.key),
          ctx,
        ),
      ),
    );
  });
}

/** One cycle as JSON; 404 when there is none for that month. */
export async function loadCycle(db: Db, period: Period, now: Date): Promise<CycleJson> {
  const cycle = await getCycle(db, monthKey(period));
  if (!cycle) {
    throw new NotFoundError(
      `there is no cycle for ${period}: open it with POST /api/cycles {"month": "${period}"}`,
    );
  }
  const [json] = await describeCycles(db, [cycle], now);
  return json!;
}

/** The cycles, newest first, each with its progress and next step. */
export async function listCycles(sql: Sql, now: Date, limit: number): Promise<CycleSummaryJson[]> {
  const rows = await listCycleRows(sql, { limit });
  return (await describeCycles(sql, rows, now)).map(({ steps, ...summary }) => {
    const next = steps.find((s) => s.roles.length > 0 && s.status !== "signed");
    return {
      ...summary,
      nextStep: next
        ? {
            key: next.key,
            name: next.name,
            dueDate: next.dueDate,
            status: next.status,
            overdue: next.overdue,
          }
        : null,
    };
  });
}

/**
 * The current cycle: the one of the current month in the company's time zone, else the latest
 * open cycle of an earlier month. 404 saying how to open one when there is neither.
 */
export async function currentCycle(sql: Sql, now: Date): Promise<CycleJson> {
  const company = await getCompany(sql);
  const period = localPeriod(now, company.timezone);
  const own = await getCycle(sql, monthKey(period));
  const month = own ? own.month : await latestOpenCycleBefore(sql, monthKey(period));
  if (!month) {
    throw new NotFoundError(
      `no cycle is open for ${period} (${company.timezone}): open one with POST /api/cycles {"month": "${period}"}`,
      { month: period, timezone: company.timezone },
    );
  }
  return loadCycle(sql, toPeriod(month), now);
}

/**
 * Opens the cycle of `period`: one step per step definition, due on its business day of the
 * month in the company's time zone with the holidays as they are now. 409 when it exists.
 */
export async function openCycle(sql: Sql, period: Period, origin: Origin): Promise<CycleJson> {
  const month = monthKey(period);
  await sql.begin(async (tx) => {
    const [company, holidays, definitions] = await Promise.all([
      getCompany(tx),
      listHolidays(tx),
      listStepDefinitions(tx),
    ]);
    const inserted = await insertCycle(tx, {
      month,
      timezone: company.timezone,
      openedAt: origin.at,
      openedBy: origin.actor,
    });
    if (!inserted) {
      const existing = await getCycle(tx, month);
      throw new ConflictError(`the cycle ${period} already exists (${existing?.status ?? "open"})`, {
        month: period,
        status: existing?.status,
      });
    }
    const days = new Set(holidays.map((h) => h.date));
    const steps = definitions.map((d) => ({
      key: d.key,
      position: d.position,
      name: d.name,
      description: d.description,
      dueDate: stepDueDate(period, d.dueBusinessDay, days),
      roles: d.roles,
    }));
    await insertCycleSteps(tx, month, steps);
    await appendAudit(tx, {
      at: origin.at,
      actor: origin.actor,
      action: "cycle.opened",
      entity: "cycle",
      entityId: period,
      source: origin.source,
      details: {
        timezone: company.timezone,
        steps: steps.map((s) => ({ key: s.key, dueDate: s.dueDate, roles: s.roles })),
      },
    });
  });
  return loadCycle(sql, period, origin.at);
}

/** Roles that may close a cycle. */
export const CLOSING_ROLES = ["admin", "planner"];

/** Closes the cycle; only an admin or a planner may. 409 when it is closed already. */
export async function closeCycle(sql: Sql, period: Period, origin: Origin): Promise<CycleJson> {
  const month = monthKey(period);
  if (!(await getCycle(sql, month))) await loadCycle(sql, period, origin.at); // the 404
  if (!origin.actor) {
    throw new BadRequestError("actor: say who closes the cycle (the Slack user id of an admin or planner)", {
      problems: [{ parameter: "actor", message: "required: the Slack user id of an admin or planner" }],
    });
  }
  const person = await getPerson(sql, origin.actor);
  if (!person?.active || !person.roles.some((r) => CLOSING_ROLES.includes(r))) {
    const holders = await activeHolders(sql, CLOSING_ROLES);
    const who = holders.map((h) => `${h.name} (${h.role})`);
    throw new ForbiddenError(
      `${person ? `${person.name} (${person.slackUserId})` : origin.actor} may not close a cycle: only an admin or a planner may${
        who.length > 0 ? `; ask ${[...new Set(who)].join(", ")}` : ""
      }`,
      { roles: CLOSING_ROLES, people: holders },
    );
  }
  await sql.begin(async (tx) => {
    const cycle = await lockCycle(tx, month);
    if (cycle?.status === "closed") throw new ConflictError(`the cycle ${period} is already closed`);
    await closeCycleRow(tx, month, origin.at);
    await appendAudit(tx, {
      at: origin.at,
      actor: origin.actor,
      action: "cycle.closed",
      entity: "cycle",
      entityId: period,
      source: origin.source,
      details: {},
    });
  });
  return loadCycle(sql, period, origin.at);
}
