/**
 * Approve on an approval card: ack() at once, record the sign-off (idempotent per click), redraw
 * the card in place, and answer a refusal only to the person who clicked.
 */
import type { App } from "@slack/bolt";
import { APPROVE_ACTION } from "../blocks/approval-card.js";
import { problemAnswer } from "../blocks/problem.js";
import type { BotRuntime } from "../runtime.js";
import { idempotencyKey, parseCardClick } from "./card-click.js";
import { decide } from "./decide.js";

export const OUT_OF_DATE = (command: string) =>
  problemAnswer({
    title: "This card is out of date",
    next: `Post a fresh one with \`${command} signoff\`.`,
  });

export function registerApprove(app: App, rt: BotRuntime): void {
  app.action(APPROVE_ACTION, async ({ ack, body, client, respond }) => {
    await ack();
    const click = parseCardClick(body);
    if (!click) {
      await respond({ response_type: "ephemeral", replace_original: false, ...OUT_OF_DATE(rt.command) });
      return;
    }
    const outcome = await decide(
      rt.api,
      {
        month: click.card.m,
        step: click.card.s,
        person: click.userId,
        decision: "approve",
        comment: null,
        idempotencyKey: idempotencyKey(click, click.userId, "approve", click.card),
        source: "slack",
      },
      rt.command,
    );
    if (outcome.kind !== "refused" || outcome.stale) {
      await rt.cards.redraw(client, click, { month: click.card.m, step: click.card.s });
    }
    if (outcome.kind === "refused") {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...problemAnswer(outcome.problem),
      });
    }
  });
}
