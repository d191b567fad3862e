/**
 * The buttons of a what-if answer: ack() at once, validate the click (zod: who, where, and the
 * button's value), then Save / Share in channel / Attach to pre-S&OP through bot/whatif.ts and
 * redraw the answer in place (replace_original through the click's response_url). Saving is
 * idempotent in the API (the answer's nonce is the key); sharing is claimed once per answer
 * here, so a double click posts one message.
 */
import type { App } from "@slack/bolt";
import { z } from "zod";
import { problemAnswer } from "../blocks/problem.js";
import { parseWhatIfRef, WHATIF_ACTIONS, WHATIF_SHARE_ACTION } from "../blocks/whatif.js";
import { DeliveryLog } from "../dedupe.js";
import { problemFor } from "../problems.js";
import type { BotRuntime } from "../runtime.js";
import { whatifClick } from "../whatif.js";

const Click = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]+$/) }),
  channel: z.object({ id: z.string().min(1).max(64) }).nullish(),
  container: z.object({ channel_id: z.string().min(1).max(64).optional() }).nullish(),
  response_url: z.string().url().max(2000),
  actions: z
    .array(z.object({ action_id: z.enum(WHATIF_ACTIONS), value: z.string().max(2000).optional() }))
    .length(1),
});

/** Slack's errors that mean the bot cannot post in the channel, and what to do about it. */
const CANNOT_POST: Record<string, string> = {
  not_in_channel: "I'm not in this channel: invite me with `/invite @sop`, then share again.",
  channel_not_found: "I can't see this channel: invite me with `/invite @sop`, then share again.",
  is_archived: "This channel is archived.",
  restricted_action: "This workspace doesn't let apps post here.",
};

export function registerWhatIf(app: App, rt: BotRuntime): void {
  const shares = new DeliveryLog();
  for (const actionId of WHATIF_ACTIONS) {
    app.action(actionId, async ({ ack, body, respond, client }) => {
      await ack();
      const click = Click.safeParse(body);
      const ref = click.success ? parseWhatIfRef(click.data.actions[0]!.value) : undefined;
      const channel = click.success
        ? (click.data.channel?.id ?? click.data.container?.channel_id)
        : undefined;
      if (!click.success || !ref || !channel) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          ...problemAnswer({
            title: "This answer is out of date",
            next: `Ask again with \`${rt.command} whatif …\`.`,
          }),
        });
        return;
      }
      const user = click.data.user.id;
      // A second click on Share of the same answer (a double click) posts nothing more.
      if (actionId === WHATIF_SHARE_ACTION && !shares.claim(`share:${ref.n}`)) return;
      try {
        const outcome = await whatifClick(
          rt.api,
          actionId,
          ref,
          { user, source: "slack" },
          await rt.render(),
          rt.command,
        );
        if (outcome.post) {
          try {
            await client.chat.postMessage({ channel, text: outcome.post.text, blocks: outcome.post.blocks });
          } catch (error) {
            const code = (error as { data?: { error?: string } }).data?.error ?? "";
            if (!CANNOT_POST[code]) rt.logger.error({ err: error }, "could not share a what-if answer");
            await respond({
              response_type: "ephemeral",
              replace_original: false,
              ...problemAnswer({
                title: "I couldn't share it here",
                detail: CANNOT_POST[code] ?? "Slack refused the message.",
                next: "Try again in a minute.",
              }),
            });
            return;
          }
        }
        if (outcome.replace) {
          await respond({
            replace_original: true,
            text: outcome.replace.text,
            blocks: outcome.replace.blocks,
          });
        }
        if (outcome.problem) {
          await respond({
            response_type: "ephemeral",
            replace_original: false,
            ...problemAnswer(outcome.problem),
          });
        }
      } catch (error) {
        rt.logger.error({ err: error, action: actionId }, "a what-if button failed");
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          ...problemAnswer(problemFor(error, rt.command)),
        });
      }
    });
  }
}
