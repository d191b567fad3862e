/**
 * Sign-off decisions. Each decision on a step runs in one transaction holding the cycle's and
 * the step's rows (`for update`), so concurrent clicks see each other and the status is right;
 * an idempotency key makes a retry or a double click answer the first record instead of
 * recording twice (the unique constraint settles a race between two transactions).
 */
import type { Db, Sql } from "../../db/client.js";
import { appendAudit } from "../../db/repositories/audit.js";
import { lockCycle, lockCycleStep, setPlanLock, setStepSignedAt } from "../../db/repositories/cycles.js";
import { activeHolders, getPerson, type PersonRef } from "../../db/repositories/people.js";
import {
  type Decision,
  getSignoffByKey,
  insertSignoff,
  listStepSignoffs,
  type SignoffRow,
} from "../../db/repositories/signoffs.js";
import type { Period } from "../domain/periods.js";
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from "../errors.js";
import {
  type CycleJson,
  loadCycle,
  monthKey,
  type SignoffJson,
  type StepJson,
  signoffJson,
  standing,
} from "./cycles.js";

export const EXECUTIVE = "executive";

export interface SignoffInput {
  /** Slack user id of the person deciding. */
  person: string;
  decision: Decision;
  comment: string | null;
  idempotencyKey: string;
  source: string;
}

export interface SignoffResult {
  /** 201 for a new decision, 200 for a repeated idempotency key with the same content. */
  status: 200 | 201;
  signoff: SignoffJson;
  step: StepJson;
  cycle: CycleJson;
}

const normaliseComment = (c: string | null | undefined) => {
  const t = c?.trim();
  return t ? t : null;
};

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

class Replay {
  constructor(readonly existing: SignoffRow) {}
}

/** The same key with the same content is a retry: answer the first record; else 409. */
async function replay(
  sql: Sql,
  existing: SignoffRow,
  period: Period,
  stepKey: string,
  input: SignoffInput,
  now: Date,
): Promise<SignoffResult> {
  const same =
    existing.cycle === monthKey(period) &&
    existing.step === stepKey &&
    existing.slackUserId === input.person &&
    existing.decision === input.decision &&
    existing.comment === normaliseComment(input.comment);
  if (!same) {
    throw new ConflictError(
      `the idempotency key ${JSON.stringify(input.idempotencyKey)} was already used for a different decision (${existing.decision} on ${existing.cycle.slice(0, 7)}/${existing.step} by ${existing.slackUserId}); use a new key for a new decision`,
      { idempotencyKey: input.idempotencyKey, signoff: signoffJson(existing) },
    );
  }
  const cycle = await loadCycle(sql, period, now);
  return {
    status: 200,
    signoff: signoffJson(existing),
    step: cycle.steps.find((s) => s.key === stepKey)!,
    cycle,
  };
}

/** The holders of `roles`, per role. */
async function holdersByRole(db: Db, roles: string[]): Promise<{ role: string; people: PersonRef[] }[]> {
  const holders = await activeHolders(db, roles);
  return roles.map((role) => ({
    role,
    people: holders.filter((h) => h.role === role).map((h) => ({ slackUserId: h.slackUserId, name: h.name })),
  }));
}

function whoCanSign(byRole: { role: string; people: PersonRef[] }[]): string {
  const named = byRole.flatMap((r) => r.people.map((p) => `${p.name} (${r.role})`));
  const unheld = byRole.filter((r) => r.people.length === 0).map((r) => r.role);
  const parts: string[] = [];
  if (named.length > 0) parts.push(`it can be signed by ${list(named)}`);
  if (unheld.length > 0) {
    parts.push(`nobody holds ${list(unheld)} yet (give the role with PUT /api/people/{slackUserId})`);
  }
  return parts.join("; ");
}

function isUniqueViolationOfKey(error: unknown): boolean {
  const e = error as { code?: string; constraint_name?: string };
  return e?.code === "23505" && (e.constraint_name ?? "").includes("idempotency");
}

/** Records a decision on a step of a cycle (see DOMAIN.md, "The monthly cycle"). */
export async function decide(
  sql: Sql,
  period: Period,
  stepKey: string,
  input: SignoffInput,
  now: Date,
): Promise<SignoffResult> {
  const month = monthKey(period);
  const comment = normaliseComment(input.comment);
  const earlier = await getSignoffByKey(sql, input.idempotencyKey);
  if (earlier) return replay(sql, earlier, period, stepKey, input, now);

  let outcome: Replay | { signoffId: number; cycle: CycleJson };
  try {
    outcome = await sql.begin(async (tx) => {
      const cycle = await lockCycle(tx, month);
      if (!cycle) await loadCycle(tx, period, now); // the 404
      const step = await lockCycleStep(tx, month, stepKey);
      if (!cycle || !step) {
        throw new NotFoundError(`the cycle ${period} has no step '${stepKey}'`, {
          month: period,
          step: stepKey,
        });
      }
      // A twin request that got here first has committed by now: answer its record.
      const twin = await getSignoffByKey(tx, input.idempotencyKey);
      if (twin) return new Replay(twin);

      if (step.roles.length === 0) {
        throw new UnprocessableError(`${step.name} (${stepKey}) needs no sign-off: no role signs it`);
      }
      const signoffs = await listStepSignoffs(tx, month, stepKey);
      const before = standing(step.roles, signoffs);
      const person = await getPerson(tx, input.person);
      const mine = person?.active ? step.roles.filter((r) => person.roles.includes(r)) : [];
      if (!person || mine.length === 0) {
        const needed = before.missing.length > 0 ? before.missing : step.roles;
        const byRole = await holdersByRole(tx, needed);
        const who = !person
          ? `${input.person} is not a known person`
          : !person.active
            ? `${person.name} (${person.slackUserId}) is inactive`
            : `${person.name} (${person.slackUserId}) holds none of the roles that sign ${step.name} (${list(step.roles)})`;
        throw new ForbiddenError(`${who}; ${whoCanSign(byRole)}`, {
          step: stepKey,
          roles: step.roles,
          canSign: byRole,
        });
      }

      if (cycle.status === "closed") {
        throw new ConflictError(`the cycle ${period} is closed: its decisions can no longer change`);
      }
      const reopensLock =
        input.decision === "request_changes" &&
        mine.includes(EXECUTIVE) &&
        step.roles.includes(EXECUTIVE) &&
        step.signedAt !== null;
      if (cycle.planLockedAt && !reopensLock) {
        throw new ConflictError(
          `the consensus plan of ${period} is locked by the executive sign-off${
            cycle.planLockedByName ? ` of ${cycle.planLockedByName}` : ""
          }; an executive must request changes on the executive step to reopen it`,
          { month: period, planLocked: { at: cycle.planLockedAt.toISOString(), by: cycle.planLockedBy } },
        );
      }
      if (input.decision === "approve") {
        if (step.signedAt !== null) {
          throw new ConflictError(`${step.name} (${stepKey}) of ${period} is already signed`);
        }
        if (mine.every((r) => before.approvals.has(r))) {
          const by = mine.map((r) => `${r} by ${before.approvals.get(r)!.personName}`);
          throw new ConflictError(`${step.name} (${stepKey}) is already approved: ${list(by)}`, {
            approvals: mine.map((r) => ({ role: r, signoff: signoffJson(before.approvals.get(r)!) })),
          });
        }
      }

      const signoffId = await insertSignoff(tx, {
        cycle: month,
        step: stepKey,
        slackUserId: person.slackUserId,
        roles: mine,
        decision: input.decision,
        comment,
        source: input.source,
        idempotencyKey: input.idempotencyKey,
        at: now,
      });
      const after = standing(step.roles, await listStepSignoffs(tx, month, stepKey));
      const signedNow = input.decision === "approve" && after.signed;
      const reopened = input.decision === "request_changes" && step.signedAt !== null;
      if (signedNow) await setStepSignedAt(tx, month, stepKey, now);
      if (reopened) await setStepSignedAt(tx, month, stepKey, null);
      const origin = { at: now, actor: person.slackUserId, source: input.source };
      await appendAudit(tx, {
        ...origin,
        action: `signoff.${input.decision}`,
        entity: "cycle",
        entityId: period,
        details: {
          step: stepKey,
          signoffId,
          person: { slackUserId: person.slackUserId, name: person.name },
          roles: mine,
          decision: input.decision,
          comment,
          idempotencyKey: input.idempotencyKey,
          stepStatus: after.signed ? "signed" : after.changesRequested ? "changes_requested" : "open",
          ...(signedNow ? { signed: true } : {}),
          ...(reopened ? { reopened: true } : {}),
        },
      });
      if (signedNow && step.roles.includes(EXECUTIVE) && !cycle.planLockedAt) {
        await setPlanLock(tx, month, { at: now, by: person.slackUserId });
        await appendAudit(tx, {
          ...origin,
          action: "plan.locked",
          entity: "cycle",
          entityId: period,
          details: { step: stepKey, signoffId },
        });
      }
      if (reopensLock && cycle.planLockedAt) {
        await setPlanLock(tx, month, null);
        await appendAudit(tx, {
          ...origin,
          action: "plan.unlocked",
          entity: "cycle",
          entityId: period,
          details: {
            step: stepKey,
            signoffId,
            comment,
            lockedAt: cycle.planLockedAt.toISOString(),
            lockedBy: cycle.planLockedBy,
          },
        });
      }
      // The cycle as this decision left it (a concurrent one waits for the lock).
      return { signoffId, cycle: await loadCycle(tx, period, now) };
    });
  } catch (error) {
    // Two transactions raced with one key on different steps or cycles: the loser reads back.
    if (!isUniqueViolationOfKey(error)) throw error;
    const winner = await getSignoffByKey(sql, input.idempotencyKey);
    if (!winner) throw error;
    outcome = new Replay(winner);
  }
  if (outcome instanceof Replay) return replay(sql, outcome.existing, period, stepKey, input, now);

  const { cycle, signoffId } = outcome;
  const step = cycle.steps.find((s) => s.key === stepKey)!;
  const signoff = step.signoffs.find((s) => s.id === signoffId)!;
  return { status: 201, signoff, step, cycle };
}
