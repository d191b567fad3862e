/**
 * A click on an approval card's button, validated: who clicked, which card (channel and ts),
 * the card's ref from the button value, and the idempotency key derived from all of them.
 */
import { z } from "zod";
import { type CardRef, parseCardRef } from "../blocks/approval-card.js";

const BlockActions = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]+$/) }),
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string() }).nullish(),
  container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).nullish(),
  message: z.object({ ts: z.string() }).nullish(),
  trigger_id: z.string().min(1),
  response_url: z.string().url().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

export interface CardClick {
  userId: string;
  teamId: string;
  channel: string;
  ts: string;
  triggerId: string;
  responseUrl: string | undefined;
  card: CardRef;
}

/** The click, or undefined when the payload is not a click on one of our cards. */
export function parseCardClick(body: unknown): CardClick | undefined {
  const parsed = BlockActions.safeParse(body);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const channel = b.channel?.id ?? b.container?.channel_id;
  const ts = b.container?.message_ts ?? b.message?.ts;
  const card = parseCardRef(b.actions[0]?.value);
  if (!channel || !ts || !card) return undefined;
  return {
    userId: b.user.id,
    teamId: b.team?.id ?? "",
    channel,
    ts,
    triggerId: b.trigger_id,
    responseUrl: b.response_url,
    card,
  };
}

/**
 * The sign-off's idempotency key: this person's decision on this drawing of this card. A double
 * click, two racing clicks or a Slack retry are the same key, hence one sign-off; after the card
 * is redrawn (a new revision), a new decision gets a new key.
 */
export function idempotencyKey(
  where: { teamId: string; channel: string; ts: string },
  userId: string,
  decision: "approve" | "request_changes",
  card: CardRef,
): string {
  return `slack:${where.teamId}:${where.channel}:${where.ts}:${userId}:${decision}:${card.m}:${card.s}:${card.r}`;
}
