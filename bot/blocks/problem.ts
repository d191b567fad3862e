/**
 * When the bot cannot answer: what went wrong in a sentence and what to do next. Never a
 * stack trace.
 */
import { clip, context, escapeMrkdwn, fallbackText, type KnownBlock, section } from "./kit.js";
import type { Message } from "./render.js";

export interface Problem {
  /** "I can't find BOTLES". */
  title: string;
  /** The details, e.g. the API's message. */
  detail?: string | undefined;
  /** What to do next: "Try `/sop help`". */
  next?: string | undefined;
}

export function problemAnswer(problem: Problem): Message {
  const detail = problem.detail ? `\n${escapeMrkdwn(clip(problem.detail, 1500))}` : "";
  const blocks: KnownBlock[] = [section(`⚠️ *${escapeMrkdwn(clip(problem.title, 300))}*${detail}`)];
  if (problem.next) blocks.push(context(clip(problem.next, 1000)));
  return {
    text: fallbackText([problem.title, problem.detail, problem.next].filter(Boolean).join(" — ")),
    blocks,
  };
}
