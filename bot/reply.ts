/**
 * An answer only the person sees, after the listener has acknowledged: through the
 * response_url Slack gave (a command's or a click's), else chat.postEphemeral in the channel,
 * else a direct message (the bot may not be in the channel).
 */
import type { Logger } from "pino";
import type { Message } from "./blocks/render.js";
import type { WebClient } from "./runtime.js";

export async function answerPrivately(
  client: WebClient,
  to: { responseUrl?: string | undefined; channel?: string | undefined; user: string },
  message: Message,
  logger?: Logger,
): Promise<void> {
  if (to.responseUrl) {
    try {
      const res = await fetch(to.responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, ...message }),
      });
      if (res.ok) return;
      logger?.warn({ status: res.status }, "a response_url refused an answer");
    } catch (error) {
      logger?.warn({ err: error }, "could not answer through a response_url");
    }
  }
  if (to.channel) {
    try {
      await client.chat.postEphemeral({ channel: to.channel, user: to.user, ...message });
      return;
    } catch (error) {
      logger?.warn({ err: error }, "could not answer with chat.postEphemeral");
    }
  }
  await client.chat.postMessage({ channel: to.user, ...message });
}
