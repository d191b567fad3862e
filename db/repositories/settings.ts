/** The company's settings: name, time zone, channel, holidays and the step calendar. */
import type { Db } from "../client.js";

export interface Company {
  name: string;
  /** IANA time zone. */
  timezone: string;
  /** The Slack channel the cycle is run in, or null. */
  channel: string | null;
}

export interface Holiday {
  /** 'YYYY-MM-DD' */
  date: string;
  name: string;
}

export interface StepDefinition {
  key: string;
  position: number;
  name: string;
  description: string;
  /** Business day of the month it is due (1–23); null = the last day of the month. */
  dueBusinessDay: number | null;
  roles: string[];
}

export interface Role {
  key: string;
  name: string;
  description: string;
}

export async function getCompany(db: Db): Promise<Company> {
  const [row] = await db<Company[]>`select name, timezone, channel from company_settings`;
  return row ?? { name: "My company", timezone: "UTC", channel: null };
}

/** Sets the fields given; the others keep their values. */
export async function updateCompany(db: Db, patch: Partial<Company>, at: Date): Promise<void> {
  await db`
    update company_settings set
      name = ${patch.name !== undefined ? db`${patch.name}` : db`name`},
      timezone = ${patch.timezone !== undefined ? db`${patch.timezone}` : db`timezone`},
      channel = ${patch.channel !== undefined ? db`${patch.channel}` : db`channel`},
      updated_at = ${at}`;
}

export async function listHolidays(db: Db): Promise<Holiday[]> {
  return db<Holiday[]>`select day as date, name from holidays order by day`;
}

export async function replaceHolidays(db: Db, holidays: Holiday[]): Promise<void> {
  await db`delete from holidays`;
  if (holidays.length === 0) return;
  await db`
    insert into holidays (day, name)
    select * from unnest(${holidays.map((h) => h.date)}::date[], ${holidays.map((h) => h.name)}::text[])`;
}

export async function listStepDefinitions(db: Db): Promise<StepDefinition[]> {
  return db<StepDefinition[]>`
    select key, position, name, description, due_business_day, roles
    from step_definitions order by position`;
}

export async function replaceStepDefinitions(db: Db, steps: StepDefinition[]): Promise<void> {
  await db`delete from step_definitions`;
  for (const s of steps) {
    await db`
      insert into step_definitions (key, position, name, description, due_business_day, roles)
      values (${s.key}, ${s.position}, ${s.name}, ${s.description}, ${s.dueBusinessDay},
              ${db.array(s.roles)}::text[])`;
  }
}

export async function listRoles(db: Db): Promise<Role[]> {
  return db<Role[]>`
    select key, name, description from roles
    order by array_position(array['planner', 'sales', 'marketing', 'operations', 'finance', 'executive', 'admin'], key), key`;
}

/**
 * Sets the company time zone from the environment (SOP_TIMEZONE) unless someone has set it
 * through the settings: the variable seeds a new database but never overrides an edit. An
 * edit is a settings change recorded in the audit trail that gave the company time zone.
 * Returns true when the time zone was changed (and the change audited).
 */
export async function seedTimezone(db: Db, timezone: string): Promise<boolean> {
  const rows = await db<{ before: string }[]>`
    with old as (select timezone as before from company_settings),
    changed as (
      update company_settings set timezone = ${timezone}, updated_at = now()
      from old
      where company_settings.timezone is distinct from ${timezone}
        and not exists (
          select 1 from audit_log
          where entity = 'settings' and action = 'settings.updated'
            and details -> 'fields' @> '["company.timezone"]'::jsonb)
      returning old.before
    ),
    audited as (
      insert into audit_log (actor, action, entity, entity_id, source, details)
      select null, 'settings.timezone_seeded', 'settings', null, 'env',
             jsonb_build_object('before', changed.before, 'after', ${timezone}::text)
      from changed
      returning 1
    )
    select before from changed`;
  return rows.length > 0;
}
