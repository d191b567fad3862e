import { describe, expect, it } from "vitest";
import { actions, button, context, divider, fields, header, section } from "../../bot/blocks/kit.js";
import { blocksToText, mrkdwnToText } from "../../jobs/text.js";

describe("Block Kit as text", () => {
  it("reads mrkdwn: links, mentions by name, bold and italics dropped, entities and emoji", () => {
    const names = new Map([["U04JQ7T2M9K", "Maya Okafor"]]);
    expect(
      mrkdwnToText(
        ":warning: *Pre-S&amp;OP* is _late_: ask <@U04JQ7T2M9K> or <@U0NOBODY1>, see <https://sop.example.com/cycle|the cycle> &lt;3",
        names,
      ),
    ).toBe(
      "⚠️ Pre-S&OP is late: ask @Maya Okafor or @U0NOBODY1, see the cycle (https://sop.example.com/cycle) <3",
    );
    // Asterisks inside words are not emphasis.
    expect(mrkdwnToText("2*3*4 units")).toBe("2*3*4 units");
  });

  it("lays a message out: header underlined, fields in two columns, context indented, buttons with their links", () => {
    const text = blocksToText([
      header("Weekly check-in"),
      section("*Sales* are on plan"),
      fields(["*High risk*\n9", "*Value at risk*\n$1,200"]),
      divider(),
      context("Data through October"),
      actions([button({ text: "Overview", actionId: "a", url: "https://sop.example.com/" })]),
    ]);
    expect(text).toBe(
      [
        "Weekly check-in",
        "═══════════════",
        "Sales are on plan",
        "High risk                             Value at risk",
        "9                                     $1,200",
        "─".repeat(40),
        "  Data through October",
        "[Overview] https://sop.example.com/",
      ].join("\n"),
    );
  });
});
