/**
 * The cycle as the cadence jobs read it from the API, and the shapes their messages take from
 * it: who signs each step, which steps are open, overdue or next.
 */
import type { ApiClient } from "../api/client.js";
import type { RoleHolders } from "../bot/blocks/jobs/format.js";
import type { CycleStanding } from "../bot/blocks/jobs/sections.js";
import { expectOk, okOrNull } from "./api.js";

export interface PersonRef {
  slackUserId: string;
  name: string;
}

export interface CycleStep {
  key: string;
  name: string;
  position: number;
  dueDate: string;
  roles: string[];
  status: "signed" | "open" | "changes_requested";
  overdue: boolean;
  daysOverdue: number;
  approvals: { role: string; person: PersonRef; at: string }[];
  missing: { role: string; people: PersonRef[] }[];
}

export interface Cycle {
  month: string;
  status: "open" | "closed";
  timezone: string;
  planLocked: { at: string; by: string; byName: string | null } | null;
  steps: CycleStep[];
  progress: { signed: number; total: number; overdue: number };
}

export async function currentCycle(api: ApiClient): Promise<Cycle | null> {
  const body = await okOrNull(await api.api.cycles.current.$get(), "reading the current cycle");
  return body?.cycle ?? null;
}

export async function cycleOf(api: ApiClient, month: string): Promise<Cycle | null> {
  const body = await okOrNull(
    await api.api.cycles[":month"].$get({ param: { month } }),
    `reading the cycle ${month}`,
  );
  return body?.cycle ?? null;
}

/** Every open cycle (newest first), with its steps. */
export async function openCycles(api: ApiClient): Promise<Cycle[]> {
  const list = await expectOk(await api.api.cycles.$get({ query: { limit: "12" } }), "listing the cycles");
  const open = list.cycles.filter((c) => c.status === "open");
  const cycles = await Promise.all(open.map((c) => cycleOf(api, c.month)));
  return cycles.filter((c): c is Cycle => c !== null);
}

/** Who signs a step, role by role: the approver where signed, else whoever holds the role. */
export function signers(step: CycleStep): RoleHolders[] {
  return step.roles.map((role) => {
    const approval = step.approvals.find((a) => a.role === role);
    if (approval) return { role, people: [approval.person] };
    return { role, people: step.missing.find((m) => m.role === role)?.people ?? [] };
  });
}

/** The last step an executive signs: the executive S&OP. */
export function executiveStep(cycle: Cycle): CycleStep | null {
  return [...cycle.steps].reverse().find((s) => s.roles.includes("executive")) ?? null;
}

export function standingOf(cycle: Cycle | null): CycleStanding | null {
  if (!cycle) return null;
  const next = cycle.steps.find((s) => s.roles.length > 0 && s.status !== "signed");
  return {
    month: cycle.month,
    signed: cycle.progress.signed,
    total: cycle.progress.total,
    planLocked: cycle.planLocked !== null,
    overdue: cycle.steps
      .filter((s) => s.overdue)
      .map((s) => ({ name: s.name, dueDate: s.dueDate, daysOverdue: s.daysOverdue })),
    next: next
      ? { name: next.name, dueDate: next.dueDate, changesRequested: next.status === "changes_requested" }
      : null,
  };
}
