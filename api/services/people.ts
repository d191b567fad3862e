/** People and their roles: who can sign which step. */
import type { Sql } from "../../db/client.js";
import { appendAudit } from "../../db/repositories/audit.js";
import { getPerson, type Person, upsertPerson } from "../../db/repositories/people.js";
import { listRoles } from "../../db/repositories/settings.js";
import { BadRequestError } from "../errors.js";
import type { Origin } from "./settings.js";

/** The Slack user id format the schema enforces. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export interface PersonInput {
  name: string;
  email: string | null;
  roles: string[];
  active: boolean;
}

/**
 * Creates the person or replaces them (roles as a set) and audits it. Returns the person and
 * whether they were created.
 */
export async function putPerson(
  sql: Sql,
  slackUserId: string,
  input: PersonInput,
  origin: Origin,
): Promise<{ person: Person; created: boolean }> {
  const known = (await listRoles(sql)).map((r) => r.key);
  const problems = input.roles.flatMap((r, i) =>
    known.includes(r)
      ? []
      : [{ parameter: `roles.${i}`, message: `'${r}' is not a role; the roles are ${known.join(", ")}` }],
  );
  if (problems.length > 0) {
    throw new BadRequestError(problems.map((p) => `${p.parameter}: ${p.message}`).join("; "), { problems });
  }
  const roles = known.filter((r) => input.roles.includes(r));
  const created = await sql.begin(async (tx) => {
    const before = await getPerson(tx, slackUserId);
    const person: Person = { slackUserId, name: input.name, email: input.email, roles, active: input.active };
    const { created } = await upsertPerson(tx, person, origin.at);
    await appendAudit(tx, {
      at: origin.at,
      actor: origin.actor,
      action: created ? "person.created" : "person.updated",
      entity: "person",
      entityId: slackUserId,
      source: origin.source,
      details: {
        ...(before
          ? { before: { name: before.name, email: before.email, roles: before.roles, active: before.active } }
          : {}),
        after: { name: person.name, email: person.email, roles: person.roles, active: person.active },
      },
    });
    return created;
  });
  const person = await getPerson(sql, slackUserId);
  return { person: person!, created };
}
