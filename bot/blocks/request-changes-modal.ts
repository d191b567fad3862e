/**
 * The "Request changes" modal: one required comment, so the team knows what to change. The
 * card it came from travels in private_metadata (validated again when the modal comes back).
 */
import type { ModalView } from "@slack/types";
import { z } from "zod";
import type { Cycle, Step } from "../api.js";
import { CardRef } from "./approval-card.js";
import { monthLong } from "./format.js";
import { clip, escapeMrkdwn, plain, SLACK_LIMITS, section } from "./kit.js";
import type { Render } from "./render.js";

export const REQUEST_CHANGES_CALLBACK = "sop.signoff.comment";
export const COMMENT_BLOCK = "comment";
export const COMMENT_ACTION = "comment";
/** The API takes comments of up to 3000 characters. */
export const COMMENT_MAX = 3000;

/** The card a modal was opened from: its ref, and where the card is (channel, ts, response_url). */
export const ModalOrigin = CardRef.extend({
  /** Channel of the card. */
  c: z.string().min(1).max(64).optional(),
  /** ts of the card message. */
  t: z.string().min(1).max(64).optional(),
  /** The block action's response_url, for an ephemeral answer after the modal closes. */
  u: z.string().url().max(2000).optional(),
});
export type ModalOrigin = z.infer<typeof ModalOrigin>;

export function parseModalOrigin(metadata: string | undefined): ModalOrigin | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = ModalOrigin.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function requestChangesModal(
  r: Render,
  input: { cycle: Cycle; step: Step; origin: ModalOrigin },
): ModalView {
  // Without the response_url the metadata always fits; with it, it does for any real URL.
  let metadata = JSON.stringify(input.origin);
  if (metadata.length > SLACK_LIMITS.url) metadata = JSON.stringify({ ...input.origin, u: undefined });
  return {
    type: "modal",
    callback_id: REQUEST_CHANGES_CALLBACK,
    private_metadata: metadata,
    title: plain("Request changes", SLACK_LIMITS.modalTitle),
    submit: plain("Send", SLACK_LIMITS.modalTitle),
    close: plain("Cancel", SLACK_LIMITS.modalTitle),
    blocks: [
      section(
        `What should change before *${escapeMrkdwn(clip(input.step.name, 150))}* of ${monthLong(r.formats, input.cycle.month)} can be approved?`,
      ),
      {
        type: "input",
        block_id: COMMENT_BLOCK,
        label: plain("Your comment"),
        hint: plain("Everyone sees it on the card. The step reopens until it is approved again."),
        element: {
          type: "plain_text_input",
          action_id: COMMENT_ACTION,
          multiline: true,
          max_length: COMMENT_MAX,
          placeholder: plain("e.g. The summer promotion is missing from the consensus", 150),
        },
      },
    ],
  };
}

/** The error the modal shows under the comment when it is blank. */
export const COMMENT_REQUIRED = "Say what should change, so the team can act on it.";
