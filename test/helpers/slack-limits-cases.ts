/**
 * One case per Block Kit rule: blocks that break it (with the rule and json-pointer Slack would
 * report) and blocks right at the limit that must pass. Shared by the validator's unit tests and
 * the fake Slack's end-to-end tests.
 */
import type { LimitRule, Surface } from "./slack-limits.js";

export interface LimitCase {
  name: string;
  surface: Surface;
  rule: LimitRule;
  /** Pointer relative to the blocks array's parent ("/blocks/0/text/text"). */
  pointer: string;
  /** Blocks breaking the rule. */
  broken: unknown[];
  /** The closest blocks that satisfy it (right at the limit where there is one). */
  atLimit: unknown[];
}

const x = (n: number) => "x".repeat(n);
const plain = (text: string) => ({ type: "plain_text", text });
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const section = (text: string) => ({ type: "section", text: mrkdwn(text) });
const divider = { type: "divider" };
const dividers = (n: number) => Array.from({ length: n }, () => divider);
const button = (text: string, actionId: string, extra: Record<string, unknown> = {}) => ({
  type: "button",
  text: plain(text),
  action_id: actionId,
  ...extra,
});
const buttons = (n: number) => Array.from({ length: n }, (_, i) => button(`B${i}`, `a${i}`));
const actions = (elements: unknown[], blockId?: string) => ({
  type: "actions",
  ...(blockId ? { block_id: blockId } : {}),
  elements,
});
const context = (n: number) => ({
  type: "context",
  elements: Array.from({ length: n }, (_, i) => mrkdwn(`c${i}`)),
});
const fields = (n: number, length = 5) => ({
  type: "section",
  fields: Array.from({ length: n }, () => mrkdwn(x(length))),
});

export const limitCases: LimitCase[] = [
  {
    name: "more than 50 blocks in a message",
    surface: "message",
    rule: "too_many_blocks",
    pointer: "/blocks",
    broken: dividers(51),
    atLimit: dividers(50),
  },
  {
    name: "more than 100 blocks in a modal",
    surface: "modal",
    rule: "too_many_blocks",
    pointer: "/blocks",
    broken: dividers(101),
    atLimit: dividers(100),
  },
  {
    name: "more than 100 blocks in a Home tab",
    surface: "home",
    rule: "too_many_blocks",
    pointer: "/blocks",
    broken: dividers(101),
    atLimit: dividers(100),
  },
  {
    name: "section text over 3000 characters",
    surface: "message",
    rule: "text_too_long",
    pointer: "/blocks/0/text/text",
    broken: [section(x(3001))],
    atLimit: [section(x(3000))],
  },
  {
    name: "empty section text",
    surface: "message",
    rule: "text_too_short",
    pointer: "/blocks/0/text/text",
    broken: [section("")],
    atLimit: [section("x")],
  },
  {
    name: "more than 10 section fields",
    surface: "message",
    rule: "too_many_fields",
    pointer: "/blocks/0/fields",
    broken: [fields(11)],
    atLimit: [fields(10)],
  },
  {
    name: "section field over 2000 characters",
    surface: "message",
    rule: "text_too_long",
    pointer: "/blocks/0/fields/0/text",
    broken: [fields(1, 2001)],
    atLimit: [fields(1, 2000)],
  },
  {
    name: "section with neither text nor fields",
    surface: "message",
    rule: "missing_field",
    pointer: "/blocks/0",
    broken: [{ type: "section", accessory: button("Go", "go") }],
    atLimit: [{ type: "section", fields: [mrkdwn("a")], accessory: button("Go", "go") }],
  },
  {
    name: "header text over 150 characters",
    surface: "message",
    rule: "text_too_long",
    pointer: "/blocks/0/text/text",
    broken: [{ type: "header", text: plain(x(151)) }],
    atLimit: [{ type: "header", text: plain(x(150)) }],
  },
  {
    name: "mrkdwn header",
    surface: "message",
    rule: "plain_text_required",
    pointer: "/blocks/0/text",
    broken: [{ type: "header", text: mrkdwn("*Plan*") }],
    atLimit: [{ type: "header", text: plain("Plan") }],
  },
  {
    name: "header without text",
    surface: "message",
    rule: "missing_field",
    pointer: "/blocks/0",
    broken: [{ type: "header" }],
    atLimit: [{ type: "header", text: plain("Plan") }],
  },
  {
    name: "button text over 75 characters",
    surface: "message",
    rule: "text_too_long",
    pointer: "/blocks/0/elements/0/text/text",
    broken: [actions([button(x(76), "go")])],
    atLimit: [actions([button(x(75), "go")])],
  },
  {
    name: "mrkdwn button text",
    surface: "message",
    rule: "plain_text_required",
    pointer: "/blocks/0/elements/0/text",
    broken: [actions([{ type: "button", text: mrkdwn("*Go*"), action_id: "go" }])],
    atLimit: [actions([button("Go", "go")])],
  },
  {
    name: "action_id over 255 characters",
    surface: "message",
    rule: "id_too_long",
    pointer: "/blocks/0/elements/0/action_id",
    broken: [actions([button("Go", x(256))])],
    atLimit: [actions([button("Go", x(255))])],
  },
  {
    name: "block_id over 255 characters",
    surface: "message",
    rule: "id_too_long",
    pointer: "/blocks/0/block_id",
    broken: [{ ...divider, block_id: x(256) }],
    atLimit: [{ ...divider, block_id: x(255) }],
  },
  {
    name: "duplicate block_ids",
    surface: "message",
    rule: "duplicate_block_id",
    pointer: "/blocks/1/block_id",
    broken: [
      { ...section("a"), block_id: "row" },
      { ...section("b"), block_id: "row" },
    ],
    atLimit: [
      { ...section("a"), block_id: "row-1" },
      { ...section("b"), block_id: "row-2" },
    ],
  },
  {
    // Slack: action_id "Should be unique among all other action_ids in the containing block", so
    // the same action_id in two blocks is fine.
    name: "duplicate action_ids in one block",
    surface: "message",
    rule: "duplicate_action_id",
    pointer: "/blocks/0/elements/1/action_id",
    broken: [actions([button("Yes", "answer"), button("No", "answer")])],
    atLimit: [actions([button("Yes", "answer")], "q1"), actions([button("Yes", "answer")], "q2")],
  },
  {
    name: "more than 25 elements in an actions block",
    surface: "message",
    rule: "too_many_elements",
    pointer: "/blocks/0/elements",
    broken: [actions(buttons(26))],
    atLimit: [actions(buttons(25))],
  },
  {
    name: "more than 10 elements in a context block",
    surface: "message",
    rule: "too_many_elements",
    pointer: "/blocks/0/elements",
    broken: [context(11)],
    atLimit: [context(10)],
  },
  {
    name: "empty context block",
    surface: "message",
    rule: "too_few_elements",
    pointer: "/blocks/0/elements",
    broken: [context(0)],
    atLimit: [context(1)],
  },
  {
    name: "unknown block type",
    surface: "message",
    rule: "unknown_type",
    pointer: "/blocks/0",
    broken: [{ type: "carousel", items: [] }],
    atLimit: [divider],
  },
  {
    name: "block without a type",
    surface: "message",
    rule: "missing_field",
    pointer: "/blocks/0",
    broken: [{ text: mrkdwn("hi") }],
    atLimit: [section("hi")],
  },
  {
    name: "emoji flag on mrkdwn text",
    surface: "message",
    rule: "invalid_property",
    pointer: "/blocks/0/text",
    broken: [{ type: "section", text: { type: "mrkdwn", text: "hi", emoji: true } }],
    atLimit: [{ type: "section", text: { type: "plain_text", text: "hi", emoji: true } }],
  },
  {
    name: "unsupported button property",
    surface: "message",
    rule: "invalid_property",
    pointer: "/blocks/0/elements/0",
    broken: [actions([button("Go", "go", { disabled: true })])],
    atLimit: [
      actions([button("Go", "go", { style: "primary", value: x(2000), url: "https://example.com" })]),
    ],
  },
  {
    name: "button value over 2000 characters",
    surface: "message",
    rule: "text_too_long",
    pointer: "/blocks/0/elements/0/value",
    broken: [actions([button("Go", "go", { value: x(2001) })])],
    atLimit: [actions([button("Go", "go", { value: x(2000) })])],
  },
  {
    name: "unknown button style",
    surface: "message",
    rule: "invalid_value",
    pointer: "/blocks/0/elements/0/style",
    broken: [actions([button("Go", "go", { style: "secondary" })])],
    atLimit: [actions([button("Go", "go", { style: "danger" })])],
  },
  {
    name: "input element in an actions block",
    surface: "message",
    rule: "unknown_type",
    pointer: "/blocks/0/elements/0",
    broken: [actions([{ type: "plain_text_input", action_id: "note" }])],
    atLimit: [
      actions([{ type: "static_select", action_id: "pick", options: [{ text: plain("A"), value: "a" }] }]),
    ],
  },
  {
    name: "image block without alt_text",
    surface: "message",
    rule: "missing_field",
    pointer: "/blocks/0",
    broken: [{ type: "image", image_url: "https://example.com/chart.png" }],
    atLimit: [{ type: "image", image_url: "https://example.com/chart.png", alt_text: x(2000) }],
  },
];
