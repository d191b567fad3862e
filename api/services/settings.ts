/**
 * The company's settings: read them whole, replace any part of them in one transaction, and
 * record each change in the audit trail. Cycles store their own due dates, so a new calendar
 * applies only to cycles opened after it.
 */
import type { Sql } from "../../db/client.js";
import { appendAudit } from "../../db/repositories/audit.js";
import {
  type Company,
  getCompany,
  type Holiday,
  listHolidays,
  listRoles,
  listStepDefinitions,
  type Role,
  replaceHolidays,
  replaceStepDefinitions,
  type StepDefinition,
  updateCompany,
} from "../../db/repositories/settings.js";
import type { Holidays } from "../domain/calendar.js";
import { BadRequestError } from "../errors.js";

export interface Settings {
  company: Company;
  holidays: Holiday[];
  steps: StepDefinition[];
  /** The roles people can hold (read-only). */
  roles: Role[];
}

export interface SettingsUpdate {
  company?: Partial<Company> | undefined;
  holidays?: Holiday[] | undefined;
  steps?: StepDefinition[] | undefined;
}

/** Who did something, and from where: what the audit trail records. */
export interface Origin {
  actor: string | null;
  source: string;
  at: Date;
}

/** True for a time zone name the runtime knows, such as Europe/Berlin (not an offset like +01:00). */
export function isIanaTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The runtime's canonical spelling: 'europe/berlin' → 'Europe/Berlin'. */
export function canonicalTimeZone(tz: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
}

export async function getSettings(sql: Sql): Promise<Settings> {
  const [company, holidays, steps, roles] = await Promise.all([
    getCompany(sql),
    listHolidays(sql),
    listStepDefinitions(sql),
    listRoles(sql),
  ]);
  return { company, holidays, steps, roles };
}

/** The holidays as the calendar functions take them. */
export async function holidaySet(sql: Sql): Promise<Holidays> {
  return new Set((await listHolidays(sql)).map((h) => h.date));
}

/** Roles named by the steps that are not roles: 400 naming each (`steps.<i>.roles.<j>`). */
function checkRoles(steps: StepDefinition[], known: Set<string>): void {
  const problems: { parameter: string; message: string }[] = [];
  steps.forEach((s, i) => {
    s.roles.forEach((r, j) => {
      if (!known.has(r)) {
        problems.push({
          parameter: `steps.${i}.roles.${j}`,
          message: `'${r}' is not a role; the roles are ${[...known].join(", ")}`,
        });
      }
    });
  });
  if (problems.length > 0) {
    throw new BadRequestError(problems.map((p) => `${p.parameter}: ${p.message}`).join("; "), { problems });
  }
}

/**
 * Replaces the parts of the settings given (the company fields given, the whole holiday list,
 * the whole step calendar) in one transaction and audits the change.
 */
export async function updateSettings(sql: Sql, update: SettingsUpdate, origin: Origin): Promise<Settings> {
  const roles = await listRoles(sql);
  if (update.steps) checkRoles(update.steps, new Set(roles.map((r) => r.key)));
  const company = update.company
    ? {
        ...update.company,
        ...(update.company.timezone !== undefined
          ? { timezone: canonicalTimeZone(update.company.timezone) }
          : {}),
      }
    : undefined;

  await sql.begin(async (tx) => {
    const before = {
      company: await getCompany(tx),
      holidays: await listHolidays(tx),
      steps: await listStepDefinitions(tx),
    };
    const fields: string[] = [];
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (company) {
      await updateCompany(tx, company, origin.at);
      for (const [k, v] of Object.entries(company)) {
        fields.push(`company.${k}`);
        const old = before.company[k as keyof Company];
        if (old !== v) changes[`company.${k}`] = { before: old, after: v };
      }
    }
    if (update.holidays) {
      await replaceHolidays(tx, update.holidays);
      fields.push("holidays");
      const after = [...update.holidays].sort((a, b) => (a.date < b.date ? -1 : 1));
      if (JSON.stringify(after) !== JSON.stringify(before.holidays)) {
        changes.holidays = { before: before.holidays, after };
      }
    }
    if (update.steps) {
      await replaceStepDefinitions(tx, update.steps);
      fields.push("steps");
      const after = [...update.steps].sort((a, b) => a.position - b.position);
      if (JSON.stringify(after) !== JSON.stringify(before.steps)) {
        changes.steps = { before: before.steps, after };
      }
    }
    await appendAudit(tx, {
      at: origin.at,
      actor: origin.actor,
      action: "settings.updated",
      entity: "settings",
      entityId: null,
      source: origin.source,
      // `fields` says what was set (changed or not): seedTimezone reads it.
      details: { fields, changes },
    });
  });
  return getSettings(sql);
}
