/**
 * The `/sop` listener: ack() at once, then run the router and answer through the response_url
 * (ephemeral, or in the channel with `share`). The approval card is a message of its own,
 * posted with chat.postMessage so that its buttons can update it later.
 */
import type { App } from "@slack/bolt";
import { z } from "zod";
import { problemAnswer } from "./blocks/problem.js";
import type { BotRuntime } from "./runtime.js";

/** The parts of Slack's slash-command payload the bot reads. */
const SlashPayload = z.object({
  command: z.string().min(1).max(64),
  text: z.string().max(4000).default(""),
  user_id: z.string().regex(/^[UW][A-Z0-9]+$/),
  channel_id: z.string().min(1).max(64),
  trigger_id: z.string().min(1).max(255),
  response_url: z.string().url().max(2000).optional(),
});

/** Slack errors that mean "the bot can't post here", and what to tell the person. */
const CANNOT_POST: Record<string, string> = {
  not_in_channel: "I'm not in this channel: invite me with `/invite @sop`, then ask again.",
  channel_not_found: "I can't see this channel: invite me with `/invite @sop`, then ask again.",
  is_archived: "This channel is archived.",
  restricted_action: "This workspace doesn't let apps post here.",
};

export function registerSlashCommand(app: App, rt: BotRuntime): void {
  app.command(rt.command, async ({ ack, command, respond, client }) => {
    await ack();
    const parsed = SlashPayload.safeParse(command);
    if (!parsed.success) {
      rt.logger.warn({ issues: parsed.error.issues }, "a /sop payload was not what Slack sends");
      await respond({ response_type: "ephemeral", text: "I couldn't read that command. Please try again." });
      return;
    }
    const { text, user_id: userId, channel_id: channel, trigger_id: triggerId } = parsed.data;
    const render = await rt.render();
    const { answer, share } = await rt.router.route(text, {
      api: rt.api,
      userId,
      render,
      command: rt.command,
      source: "slack",
      requestId: triggerId,
    });
    if (answer.modal) {
      // The modal answers where the command was typed: its channel and response_url travel along.
      const reply = JSON.stringify({
        c: channel,
        ...(parsed.data.response_url ? { u: parsed.data.response_url } : {}),
      });
      try {
        await client.views.open({
          trigger_id: triggerId,
          view: {
            ...answer.modal,
            private_metadata: reply.length <= 3000 ? reply : JSON.stringify({ c: channel }),
          },
        });
        return;
      } catch (error) {
        // A trigger_id lives 3 seconds: when the form cannot open, the one-line way is shown.
        rt.logger.warn({ err: error }, "could not open a modal for a /sop command");
      }
    }
    if (answer.post) {
      try {
        await client.chat.postMessage({ channel, text: answer.text, blocks: answer.blocks });
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error ?? "";
        if (!CANNOT_POST[code]) rt.logger.error({ err: error }, "could not post an approval card");
        const problem = problemAnswer({
          title: "I couldn't post the card here",
          detail: CANNOT_POST[code] ?? "Slack refused the message.",
          next: "Try again in a minute, or in another channel.",
        });
        await respond({ response_type: "ephemeral", ...problem });
      }
      return;
    }
    await respond({
      response_type: share ? "in_channel" : "ephemeral",
      text: answer.text,
      blocks: answer.blocks,
    });
  });
}
