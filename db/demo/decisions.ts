/**
 * The demo company's people, settings and cycle history, recorded through the API (injected
 * as `DemoApi`, so db/ stays below api/): last month's cycle signed and its plan locked, and
 * the current cycle part-way through, with the steps already past due signed except the
 * latest, which is left overdue, and one "request changes" along the way.
 */
import type { DemoPerson } from "./catalog.js";
import type { DemoCompany } from "./generate.js";

export interface DemoStep {
  key: string;
  /** 'YYYY-MM-DD'. */
  dueDate: string;
  roles: string[];
}

/** The API operations the demo needs; cli.ts implements them with the API client. */
export interface DemoApi {
  updateCompany(company: DemoCompany["company"]): Promise<void>;
  putPerson(person: DemoPerson): Promise<void>;
  /** Opens the cycle; null when it exists already. */
  openCycle(month: string): Promise<DemoStep[] | null>;
  signoff(signoff: {
    month: string;
    step: string;
    person: string;
    decision: "approve" | "request_changes";
    comment?: string;
    idempotencyKey: string;
  }): Promise<void>;
}

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export interface DemoDecisions {
  cycles: string[];
  signed: string[];
  overdue: string | null;
}

/**
 * Records the demo's decisions.
 * @param today the company's local date, 'YYYY-MM-DD'
 */
export async function seedDecisions(
  api: DemoApi,
  company: DemoCompany,
  today: string,
): Promise<DemoDecisions> {
  await api.updateCompany(company.company);
  for (const person of company.people) await api.putPerson(person);
  const holder = (role: string) => company.people.find((p) => (p.roles as readonly string[]).includes(role));
  const current = company.anchor;
  const previous = previousMonth(current);
  const out: DemoDecisions = { cycles: [], signed: [], overdue: null };

  const approveAll = async (month: string, steps: DemoStep[], keys: Set<string>) => {
    for (const step of steps) {
      if (!keys.has(step.key)) continue;
      // One person per role; a person holding two of the step's roles signs once for both.
      const signers = new Set(
        step.roles.map((r) => holder(r)?.slackUserId).filter((id): id is string => !!id),
      );
      for (const person of signers) {
        await api.signoff({
          month,
          step: step.key,
          person,
          decision: "approve",
          idempotencyKey: `demo:${month}:${step.key}:${person}`,
        });
      }
      out.signed.push(`${month}/${step.key}`);
    }
  };

  const before = await api.openCycle(previous);
  const now = await api.openCycle(current);
  if (now === null) return out; // already seeded
  out.cycles.push(current);

  // The current cycle: steps past due are signed, except the latest one, left overdue.
  const signable = now.filter((s) => s.roles.length > 0);
  const pastDue = signable.filter((s) => s.dueDate < today);
  const overdue = pastDue.at(-1);
  const toSign = new Set(pastDue.slice(0, -1).map((s) => s.key));

  // Marketing asks for changes on the demand review before it is approved.
  const demand = signable.find((s) => s.key === "demand");
  const marketing = holder("marketing");
  if (demand && toSign.has("demand") && marketing) {
    await api.signoff({
      month: current,
      step: "demand",
      person: marketing.slackUserId,
      decision: "request_changes",
      comment:
        "The summer promotion on soft flasks is missing from the consensus: please add it before we sign.",
      idempotencyKey: `demo:${current}:demand:changes`,
    });
  }

  if (before) {
    out.cycles.push(previous);
    // Last month is signed through the executive step, unless this month has nothing overdue
    // yet: then last month's executive sign-off is the one still missing.
    const keys = new Set(before.filter((s) => s.roles.length > 0).map((s) => s.key));
    if (!overdue) {
      const exec = before.filter((s) => s.roles.includes("executive")).at(-1);
      if (exec) {
        keys.delete(exec.key);
        out.overdue = `${previous}/${exec.key}`;
      }
    }
    await approveAll(previous, before, keys);
  }
  await approveAll(current, now, toSign);
  if (overdue) out.overdue = `${current}/${overdue.key}`;
  return out;
}
