/**
 * Request changes on an approval card: the button opens a modal (after checking the person can
 * decide at all, so nobody writes a comment in vain); the modal requires a comment; submitting
 * records the decision (idempotent per card drawing) and redraws the card.
 */
import type { App } from "@slack/bolt";
import { z } from "zod";
import { data } from "../api.js";
import { REQUEST_CHANGES_ACTION } from "../blocks/approval-card.js";
import { problemAnswer } from "../blocks/problem.js";
import {
  COMMENT_ACTION,
  COMMENT_BLOCK,
  COMMENT_REQUIRED,
  parseModalOrigin,
  REQUEST_CHANGES_CALLBACK,
  requestChangesModal,
} from "../blocks/request-changes-modal.js";
import { problemFor } from "../problems.js";
import { answerPrivately } from "../reply.js";
import type { BotRuntime } from "../runtime.js";
import { OUT_OF_DATE } from "./approve.js";
import { idempotencyKey, parseCardClick } from "./card-click.js";
import { cardState, decide, notYoursProblem } from "./decide.js";

/** The parts of a modal submission the bot reads. */
export const ViewSubmission = z.object({
  type: z.literal("view_submission"),
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]+$/) }),
  team: z.object({ id: z.string() }).nullish(),
  view: z.object({
    id: z.string().min(1).max(64).optional(),
    private_metadata: z.string().optional(),
    state: z
      .object({
        values: z.record(
          z.string(),
          z.record(z.string(), z.object({ value: z.string().nullish() }).passthrough()),
        ),
      })
      .optional(),
  }),
});

export function registerRequestChanges(app: App, rt: BotRuntime): void {
  app.action(REQUEST_CHANGES_ACTION, async ({ ack, body, client, respond }) => {
    await ack();
    const click = parseCardClick(body);
    if (!click) {
      await respond({ response_type: "ephemeral", replace_original: false, ...OUT_OF_DATE(rt.command) });
      return;
    }
    try {
      const [state, { people }, render] = await Promise.all([
        cardState(rt.api, click.card.m, click.card.s),
        data(rt.api.api.people.$get()),
        rt.render(),
      ]);
      if (!state) {
        await respond({ response_type: "ephemeral", replace_original: false, ...OUT_OF_DATE(rt.command) });
        return;
      }
      const person = people.find((p) => p.slackUserId === click.userId && p.active);
      const mine = person ? state.step.roles.filter((r) => person.roles.includes(r)) : [];
      if (mine.length === 0) {
        const canSign = state.step.roles.map((role) => ({
          role,
          people: people.filter((p) => p.active && p.roles.includes(role)),
        }));
        const problem = notYoursProblem(state.step.roles, canSign);
        await respond({ response_type: "ephemeral", replace_original: false, ...problemAnswer(problem) });
        return;
      }
      await client.views.open({
        trigger_id: click.triggerId,
        view: requestChangesModal(
          { ...render, formats: { ...render.formats, timezone: state.cycle.timezone } },
          {
            cycle: state.cycle,
            step: state.step,
            origin: { ...click.card, c: click.channel, t: click.ts, u: click.responseUrl },
          },
        ),
      });
    } catch (error) {
      rt.logger.error({ err: error }, "could not open the request-changes modal");
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...problemAnswer(problemFor(error, rt.command)),
      });
    }
  });

  app.view(REQUEST_CHANGES_CALLBACK, async ({ ack, body, client }) => {
    const parsed = ViewSubmission.safeParse(body);
    const origin = parsed.success ? parseModalOrigin(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !origin?.c || !origin.t) {
      await ack({
        response_action: "errors",
        errors: {
          [COMMENT_BLOCK]: `This form is out of date: post a fresh card with ${rt.command} signoff.`,
        },
      });
      return;
    }
    const comment = parsed.data.view.state?.values[COMMENT_BLOCK]?.[COMMENT_ACTION]?.value?.trim();
    if (!comment) {
      // The modal stays open with the reason under the comment box; nothing is recorded.
      await ack({ response_action: "errors", errors: { [COMMENT_BLOCK]: COMMENT_REQUIRED } });
      return;
    }
    await ack();
    const userId = parsed.data.user.id;
    const where = { teamId: parsed.data.team?.id ?? "", channel: origin.c, ts: origin.t };
    const outcome = await decide(
      rt.api,
      {
        month: origin.m,
        step: origin.s,
        person: userId,
        decision: "request_changes",
        comment,
        idempotencyKey: idempotencyKey(where, userId, "request_changes", origin),
        source: "slack",
      },
      rt.command,
    );
    if (outcome.kind !== "refused" || outcome.stale) {
      await rt.cards.redraw(client, where, { month: origin.m, step: origin.s });
    }
    if (outcome.kind === "refused") {
      await answerPrivately(
        client,
        { responseUrl: origin.u, channel: origin.c, user: userId },
        problemAnswer(outcome.problem),
        rt.logger,
      );
    }
  });
}
