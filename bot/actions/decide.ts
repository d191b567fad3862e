/**
 * A click on an approval card, whatever it came from (Slack or the console): one API sign-off
 * with the idempotency key the caller derived from the click, and the outcome in terms people
 * understand — recorded, the same click again, or refused with who can sign instead.
 */
import { z } from "zod";
import { type ApiClient, ApiError, type Cycle, data, dataWithStatus, type Step } from "../api.js";
import { listWords } from "../blocks/format.js";
import type { Problem } from "../blocks/problem.js";
import { problemFor } from "../problems.js";

export interface DecisionInput {
  month: string;
  step: string;
  /** Slack user id of the person deciding. */
  person: string;
  decision: "approve" | "request_changes";
  comment: string | null;
  /** Derived from the click itself: the same click (a retry, a double click) is the same key. */
  idempotencyKey: string;
  source: "slack" | "console";
}

export type DecisionOutcome =
  | { kind: "recorded" | "replayed"; cycle: Cycle; step: Step }
  | {
      kind: "refused";
      status: number;
      problem: Problem;
      /** The card should be redrawn: the step moved on (signed, locked, closed) meanwhile. */
      stale: boolean;
    };

/** The API's 403 details: who holds each role that still has to sign. */
const CanSign = z.object({
  roles: z.array(z.string()).optional(),
  canSign: z.array(
    z.object({
      role: z.string(),
      people: z.array(z.object({ slackUserId: z.string(), name: z.string() })),
    }),
  ),
});

/** "Tom Lindqvist or Aisha Mensah (operations)"; "nobody holds finance yet". */
export function whoCanSign(canSign: z.infer<typeof CanSign>["canSign"]): string {
  return canSign
    .map((r) => {
      const names = [...new Set(r.people.map((p) => p.name))];
      return names.length === 0
        ? `nobody holds the ${r.role} role yet`
        : `${names.length <= 4 ? names.join(" or ") : `${names.slice(0, 4).join(", ")} or ${names.length - 4} more`} (${r.role})`;
    })
    .join("; ");
}

/** The refusal for someone who holds none of a step's roles, naming who can sign. */
export function notYoursProblem(roles: string[], canSign: z.infer<typeof CanSign>["canSign"]): Problem {
  return {
    title: `You can't sign this step: it needs ${listWords(roles)}`,
    detail: `It can be signed by ${whoCanSign(canSign)}.`,
    next: "Roles are given by an admin in sop's people settings.",
  };
}

function refusal(error: ApiError, _input: DecisionInput, command: string): DecisionOutcome {
  if (error.status === 403) {
    const details = CanSign.safeParse(error.details);
    if (details.success) {
      const roles = details.data.roles ?? details.data.canSign.map((r) => r.role);
      return {
        kind: "refused",
        status: 403,
        stale: false,
        problem: notYoursProblem(roles, details.data.canSign),
      };
    }
  }
  if (error.status === 409 && (error.details as { idempotencyKey?: unknown } | undefined)?.idempotencyKey) {
    // The same click-derived key with a different decision or comment: this card drawing was
    // already answered by this person.
    return {
      kind: "refused",
      status: 409,
      stale: true,
      problem: {
        title: "You already answered this card",
        detail: "Your first decision on it stands.",
        next: `To decide again, use the card once it has been redrawn, or post a fresh one with \`${command} signoff\`.`,
      },
    };
  }
  if (error.status === 409) {
    return {
      kind: "refused",
      status: 409,
      stale: true,
      problem: {
        title: "Nothing recorded",
        detail: error.message.charAt(0).toUpperCase() + error.message.slice(1),
      },
    };
  }
  if (error.status === 404) {
    return {
      kind: "refused",
      status: 404,
      stale: false,
      problem: {
        title: "This card's step no longer exists",
        detail: error.message,
        next: `Post a fresh card with \`${command} signoff\``,
      },
    };
  }
  return { kind: "refused", status: error.status, stale: false, problem: problemFor(error, command) };
}

export async function decide(
  api: ApiClient,
  input: DecisionInput,
  command = "/sop",
): Promise<DecisionOutcome> {
  try {
    const { status, body } = await dataWithStatus(
      api.api.cycles[":month"].steps[":step"].signoffs.$post({
        param: { month: input.month, step: input.step },
        json: {
          person: input.person,
          decision: input.decision,
          comment: input.comment,
          idempotencyKey: input.idempotencyKey,
          source: input.source,
        },
      }),
    );
    return { kind: status === 201 ? "recorded" : "replayed", cycle: body.cycle, step: body.step };
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500)
      return refusal(error, input, command);
    return { kind: "refused", status: 500, stale: false, problem: problemFor(error, command) };
  }
}

/** The cycle and step of a card as they stand now (to redraw it). */
export async function cardState(
  api: ApiClient,
  month: string,
  stepKey: string,
): Promise<{ cycle: Cycle; step: Step } | undefined> {
  const { cycle } = await data(api.api.cycles[":month"].$get({ param: { month } }));
  const step = cycle.steps.find((s) => s.key === stepKey);
  return step ? { cycle, step } : undefined;
}
