import { describe, expect, it } from "vitest";
import { problemErrors, problemMessages, validateBlocks, validateView } from "./slack-limits.js";
import { limitCases } from "./slack-limits-cases.js";

describe("validateBlocks", () => {
  it.each(limitCases)("rejects $name", ({ broken, surface, rule, pointer }) => {
    const problems = validateBlocks(broken, surface);
    expect(problems).toContainEqual(expect.objectContaining({ rule, pointer }));
  });

  it.each(limitCases)("accepts the limit for: $name", ({ atLimit, surface }) => {
    expect(validateBlocks(atLimit, surface)).toEqual([]);
  });

  it("words problems like Slack", () => {
    expect(
      validateBlocks([{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }], "message"),
    ).toEqual([
      { pointer: "/blocks/0/text/text", message: "must be less than 3001 characters", rule: "text_too_long" },
    ]);
    const tooMany = validateBlocks(
      Array.from({ length: 51 }, () => ({ type: "divider" })),
      "message",
    );
    expect(problemErrors(tooMany)).toEqual(["no more than 50 items allowed [json-pointer:/blocks]"]);
    expect(problemMessages(tooMany)).toEqual([
      "[ERROR] no more than 50 items allowed [json-pointer:/blocks]",
    ]);
  });

  it("reports every problem, not only the first", () => {
    const problems = validateBlocks(
      [
        { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
        { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) },
        { type: "nope" },
      ],
      "message",
    );
    expect(problems.map((p) => p.rule)).toEqual(["text_too_long", "too_many_fields", "unknown_type"]);
  });

  it("allows 100 blocks in views but only 50 in messages", () => {
    const blocks = Array.from({ length: 100 }, (_, i) => ({
      type: "section",
      block_id: `b${i}`,
      text: { type: "mrkdwn", text: `row ${i}` },
    }));
    expect(validateBlocks(blocks, "modal")).toEqual([]);
    expect(validateBlocks(blocks, "home")).toEqual([]);
    expect(validateBlocks(blocks, "message").map((p) => p.rule)).toEqual(["too_many_blocks"]);
  });

  it("accepts a typical S&OP message", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "S&OP — March 2025", emoji: true } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "*Forecast accuracy* 87%" },
        accessory: { type: "image", image_url: "https://example.com/a.png", alt_text: "trend" },
      },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Bias*\n+3%" },
          { type: "plain_text", text: "Fill rate 96%" },
        ],
      },
      { type: "divider" },
      {
        type: "actions",
        block_id: "review",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Approve" },
            action_id: "approve",
            style: "primary",
          },
          {
            type: "overflow",
            action_id: "more",
            options: [{ text: { type: "plain_text", text: "Snooze" }, value: "snooze" }],
          },
        ],
      },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "+12 more · <https://sop.example/d|dashboard>" }],
      },
    ];
    expect(validateBlocks(blocks, "message")).toEqual([]);
  });

  it("rejects what is not a list of block objects", () => {
    expect(validateBlocks("[]", "message")).toEqual([
      { pointer: "/blocks", message: "must provide an array", rule: "not_an_array" },
    ]);
    expect(validateBlocks([null], "message")).toEqual([
      { pointer: "/blocks/0", message: "must provide an object", rule: "not_an_object" },
    ]);
  });

  it("limits overflow, select and option sizes", () => {
    const option = (text: string, value = "v") => ({ text: { type: "plain_text", text }, value });
    const overflow = {
      type: "actions",
      elements: [{ type: "overflow", action_id: "o", options: Array.from({ length: 6 }, () => option("a")) }],
    };
    expect(validateBlocks([overflow], "message")).toContainEqual(
      expect.objectContaining({ rule: "too_many_options", pointer: "/blocks/0/elements/0/options" }),
    );
    const select = {
      type: "actions",
      elements: [
        {
          type: "static_select",
          action_id: "s",
          options: [option("x".repeat(76)), option("ok", "v".repeat(151))],
        },
      ],
    };
    expect(validateBlocks([select], "message").map((p) => p.pointer)).toEqual([
      "/blocks/0/elements/0/options/0/text/text",
      "/blocks/0/elements/0/options/1/value",
    ]);
  });
});

describe("validateView", () => {
  const modal = (extra: Record<string, unknown> = {}) => ({
    type: "modal",
    title: { type: "plain_text", text: "Approve plan" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: "ok?" } }],
    ...extra,
  });

  it("accepts a valid modal and Home tab", () => {
    expect(validateView(modal({ submit: { type: "plain_text", text: "Approve" } }), "modal")).toEqual([]);
    expect(validateView({ type: "home", blocks: [{ type: "divider" }] }, "home")).toEqual([]);
  });

  it("reports view blocks under /view/blocks", () => {
    const problems = validateView({
      type: "home",
      blocks: Array.from({ length: 101 }, () => ({ type: "divider" })),
    });
    expect(problemMessages(problems)).toEqual([
      "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]",
    ]);
  });

  it("limits the modal title to 24 plain_text characters", () => {
    expect(validateView(modal({ title: { type: "plain_text", text: "t".repeat(24) } }))).toEqual([]);
    expect(validateView(modal({ title: { type: "plain_text", text: "t".repeat(25) } }))).toContainEqual(
      expect.objectContaining({ rule: "text_too_long", pointer: "/view/title/text" }),
    );
    expect(validateView(modal({ title: { type: "mrkdwn", text: "t" } }))).toContainEqual(
      expect.objectContaining({ rule: "plain_text_required", pointer: "/view/title" }),
    );
    expect(validateView(modal({ title: undefined }))).toContainEqual(
      expect.objectContaining({ rule: "missing_field", pointer: "/view" }),
    );
  });

  it("limits submit/close, private_metadata and callback_id", () => {
    const problems = validateView(
      modal({
        submit: { type: "plain_text", text: "s".repeat(25) },
        close: { type: "plain_text", text: "c".repeat(25) },
        private_metadata: "m".repeat(3001),
        callback_id: "c".repeat(256),
      }),
    );
    expect(problems.map((p) => p.pointer)).toEqual([
      "/view/private_metadata",
      "/view/callback_id",
      "/view/close/text",
      "/view/submit/text",
    ]);
    expect(validateView(modal({ private_metadata: "m".repeat(3000), callback_id: "c".repeat(255) }))).toEqual(
      [],
    );
  });

  it("requires submit when a modal has input blocks", () => {
    const input = {
      type: "input",
      block_id: "note",
      label: { type: "plain_text", text: "Note" },
      element: { type: "plain_text_input", action_id: "note" },
    };
    expect(validateView(modal({ blocks: [input] })).map((p) => p.rule)).toEqual(["submit_required"]);
    expect(validateView(modal({ blocks: [input], submit: { type: "plain_text", text: "Save" } }))).toEqual(
      [],
    );
  });

  it("checks the view type against the method", () => {
    expect(validateView(modal(), "home")).toEqual([
      { pointer: "/view/type", message: "must be a valid enum value", rule: "invalid_value" },
    ]);
    expect(validateView("{}")).toEqual([
      { pointer: "/view", message: "must provide an object", rule: "not_an_object" },
    ]);
  });
});
