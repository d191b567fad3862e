import { describe, expect, it } from "vitest";
import {
  button,
  clip,
  escapeMrkdwn,
  fitBlocks,
  header,
  type KnownBlock,
  linesToSections,
  section,
} from "../../../bot/blocks/kit.js";
import { validateBlocks } from "../../helpers/slack-limits.js";

describe("Block Kit primitives", () => {
  it("clips to the limit with an ellipsis", () => {
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("abc", 4)).toBe("abc");
    expect(header("x".repeat(400)).text.text).toHaveLength(150);
    expect(button({ text: "y".repeat(100), actionId: "a".repeat(300) }).text.text).toHaveLength(75);
  });

  it("escapes mrkdwn control characters", () => {
    expect(escapeMrkdwn("<@U1> & <!here>")).toBe("&lt;@U1&gt; &amp; &lt;!here&gt;");
  });

  it("splits long lists into sections under 3000 characters without cutting a line", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${"x".repeat(40)}`);
    const sections = linesToSections(lines);
    expect(sections.length).toBeGreaterThan(1);
    const text = sections.map((s) => s.text?.text ?? "");
    for (const t of text) expect(t.length).toBeLessThanOrEqual(3000);
    expect(text.join("\n").split("\n")).toEqual(lines);
  });

  it("keeps a 10,000-item list within 50 blocks, ending with +N more and a link", () => {
    const items: KnownBlock[] = Array.from({ length: 10_000 }, (_, i) => section(`item ${i}`));
    const blocks = fitBlocks([header("Gaps")], items, [section("totals")], { moreUrl: "http://x/risk" });
    expect(blocks).toHaveLength(50);
    expect(validateBlocks(blocks, "message")).toEqual([]);
    const more = blocks[48] as { type: string; elements: { text: string }[] };
    expect(more.type).toBe("context");
    expect(more.elements[0]?.text).toBe("+9,953 more · <http://x/risk|Open in dashboard>");
    expect(blocks[49]).toEqual(section("totals"));
  });

  it("leaves a short list alone", () => {
    const items = [section("a"), section("b")];
    expect(fitBlocks([], items, [])).toEqual(items);
  });
});
