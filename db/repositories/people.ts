/** People (Slack users) and the roles they hold. */
import type { Db } from "../client.js";

export interface Person {
  slackUserId: string;
  name: string;
  email: string | null;
  /** Role keys, in the roles' canonical order. */
  roles: string[];
  active: boolean;
}

/** A person as other records name them. */
export interface PersonRef {
  slackUserId: string;
  name: string;
}

const ROLE_ORDER = ["planner", "sales", "marketing", "operations", "finance", "executive", "admin"];

export async function listPeople(db: Db): Promise<Person[]> {
  return db<Person[]>`
    select p.slack_user_id, p.name, p.email, p.active,
           coalesce(array_agg(r.role order by array_position(${db.array(ROLE_ORDER)}::text[], r.role), r.role)
                    filter (where r.role is not null), '{}') as roles
    from people p left join person_roles r on r.slack_user_id = p.slack_user_id
    group by p.slack_user_id
    order by p.name, p.slack_user_id`;
}

export async function getPerson(db: Db, slackUserId: string): Promise<Person | undefined> {
  const [person] = await db<Person[]>`
    select p.slack_user_id, p.name, p.email, p.active,
           coalesce(array_agg(r.role order by array_position(${db.array(ROLE_ORDER)}::text[], r.role), r.role)
                    filter (where r.role is not null), '{}') as roles
    from people p left join person_roles r on r.slack_user_id = p.slack_user_id
    where p.slack_user_id = ${slackUserId}
    group by p.slack_user_id`;
  return person;
}

/**
 * Creates the person or replaces their name, email, active flag and roles (as a set).
 * Returns whether the person was created.
 */
export async function upsertPerson(db: Db, person: Person, at: Date): Promise<{ created: boolean }> {
  const [row] = await db<{ created: boolean }[]>`
    insert into people (slack_user_id, name, email, active, created_at, updated_at)
    values (${person.slackUserId}, ${person.name}, ${person.email}, ${person.active}, ${at}, ${at})
    on conflict (slack_user_id) do update set
      name = excluded.name, email = excluded.email, active = excluded.active, updated_at = excluded.updated_at
    returning (xmax = 0) as created`;
  await db`
    delete from person_roles
    where slack_user_id = ${person.slackUserId} and not (role = any(${db.array(person.roles)}::text[]))`;
  if (person.roles.length > 0) {
    await db`
      insert into person_roles (slack_user_id, role)
      select ${person.slackUserId}, unnest(${db.array(person.roles)}::text[])
      on conflict do nothing`;
  }
  return { created: row!.created };
}

/** Active people holding any of `roles`, with the role they hold: one row per (role, person). */
export async function activeHolders(db: Db, roles: string[]): Promise<(PersonRef & { role: string })[]> {
  if (roles.length === 0) return [];
  return db<(PersonRef & { role: string })[]>`
    select r.role, p.slack_user_id, p.name
    from person_roles r join people p on p.slack_user_id = r.slack_user_id
    where p.active and r.role = any(${db.array(roles)}::text[])
    order by r.role, p.name, p.slack_user_id`;
}

/** Names of the given people (unknown ids are left out). */
export async function peopleNames(db: Db, ids: string[]): Promise<PersonRef[]> {
  if (ids.length === 0) return [];
  return db<PersonRef[]>`
    select slack_user_id, name from people where slack_user_id = any(${db.array(ids)}::text[])`;
}
