/**
 * The router, the argument reader, "did you mean" and the terminal rendering, as pure code:
 * subcommands are stand-ins that echo what they were given.
 */
import { describe, expect, it } from "vitest";
import { createApiClient } from "../../api/client.js";
import { parseArgs, UsageError } from "../../bot/args.js";
import { actions, button, context, header, section } from "../../bot/blocks/kit.js";
import type { Subcommand } from "../../bot/command.js";
import { CommandRouter, loadSubcommands } from "../../bot/commands/router.js";
import { blocksToText, mrkdwnToText } from "../../bot/console-render.js";
import { editDistance, suggest } from "../../bot/suggest.js";
import { textOf } from "../helpers/slack-bot.js";
import { RENDER } from "./blocks/data.js";

function echo(name: string, order = 1, aliases: string[] = []): Subcommand {
  return {
    name,
    order,
    aliases,
    usage: name,
    summary: `the ${name} command`,
    examples: [""],
    async run(words) {
      if (words[0] === "boom") throw new Error("unexpected");
      if (words[0] === "bad") throw new UsageError("`bad` is not allowed.", `${name} good`);
      return { text: `${name}(${words.join(",")})`, blocks: [section(`${name}(${words.join(",")})`)] };
    },
  };
}

const ctx = {
  api: createApiClient(() => new Response(null, { status: 500 })),
  userId: "U0TEST0001",
  render: RENDER,
  command: "/sop",
};

describe("the /sop router", () => {
  const router = new CommandRouter([
    echo("gaps", 1),
    echo("accuracy", 2),
    echo("accuracy fva", 3),
    echo("signoff", 4, ["approve"]),
    echo("help", 9),
  ]);

  it("runs the subcommand with the words after it, any case", async () => {
    const r = await router.route("GAPS Bottles horizon 3", ctx);
    expect(r).toMatchObject({ name: "gaps", share: false, ok: true });
    expect(r.answer.text).toBe("gaps(Bottles,horizon,3)");
  });

  it("takes the longest name the text starts with: a new subcommand is a new file", async () => {
    expect((await router.route("accuracy fva COOLERS", ctx)).answer.text).toBe("accuracy fva(COOLERS)");
    expect((await router.route("accuracy COOLERS", ctx)).answer.text).toBe("accuracy(COOLERS)");
    expect((await router.route("approve exec", ctx)).answer.text).toBe("signoff(exec)");
  });

  it("takes a trailing share (any case) and nothing else", async () => {
    const r = await router.route("gaps BOTTLES Share", ctx);
    expect(r.share).toBe(true);
    expect(r.answer.text).toBe("gaps(BOTTLES)");
    expect((await router.route("gaps share BOTTLES", ctx)).share).toBe(false);
  });

  it("answers an empty text with help", async () => {
    expect((await router.route("   ", ctx)).answer.text).toBe("help()");
  });

  it("answers an unknown word with the closest commands", async () => {
    const r = await router.route("acuracy", ctx);
    expect(r.ok).toBe(false);
    expect(textOf(r.answer.blocks)).toContain("Did you mean `/sop accuracy`");
  });

  it("turns failures into short answers: a usage problem, or 'something went wrong' without details", async () => {
    const usage = await router.route("gaps bad", ctx);
    expect(textOf(usage.answer.blocks)).toBe(
      "⚠️ *`bad` is not allowed.*\nTry `/sop gaps good` · `/sop help` lists everything",
    );
    const boom = await router.route("gaps boom", ctx);
    expect(boom.ok).toBe(false);
    expect(textOf(boom.answer.blocks)).toContain("Something went wrong on sop's side");
    expect(textOf(boom.answer.blocks)).not.toContain("unexpected");
  });

  it("refuses two subcommands answering to one word", () => {
    expect(() => new CommandRouter([echo("gaps"), echo("gaps")])).toThrow(/both answer to "gaps"/);
  });

  it("finds every subcommand file in bot/commands", async () => {
    const names = (await loadSubcommands()).map((c) => c.name).sort();
    expect(names).toEqual([
      "accuracy",
      "accuracy fva",
      "excess",
      "gaps",
      "help",
      "override",
      "risk",
      "signoff",
      "sku",
      "status",
      "turns",
      "whatif",
    ]);
  });
});

describe("reading the words after a subcommand", () => {
  const spec = {
    numbers: { horizon: { min: 1, max: 12 } },
    flags: ["high", "medium"],
    free: "family or SKU",
  };
  it("reads numbers after keywords (or key=value), flags and one free word", () => {
    expect(parseArgs(["BOTTLES", "horizon", "3", "HIGH"], spec, "gaps")).toEqual({
      numbers: { horizon: 3 },
      flags: new Set(["high"]),
      free: "BOTTLES",
    });
    expect(parseArgs(["horizon=4"], spec, "gaps").numbers).toEqual({ horizon: 4 });
  });
  it("says what is wrong, and suggests the keyword meant", () => {
    expect(() => parseArgs(["horizon"], spec, "gaps")).toThrow(
      "`horizon` needs a whole number from 1 to 12.",
    );
    expect(() => parseArgs(["horizon", "13"], spec, "gaps")).toThrow("not `13`");
    expect(() => parseArgs(["horizn", "3"], spec, "gaps")).toThrow("did you mean `horizon`?");
    expect(() => parseArgs(["A", "B"], spec, "gaps")).toThrow("I don't understand `B`");
    expect(() => parseArgs(["x"], {}, "status")).toThrow("I don't understand `x`.");
  });
});

describe("did you mean", () => {
  it("counts typos, swaps included", () => {
    expect(editDistance("gaps", "gasp")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
  it("suggests by prefix and by a typo or two", () => {
    expect(suggest("gapz", ["gaps", "accuracy", "turns"])).toEqual(["gaps"]);
    expect(suggest("acc", ["gaps", "accuracy", "turns"])).toEqual(["accuracy"]);
    expect(suggest("BOTLES", ["BOTTLES", "FILTERS", "PACKS"])).toEqual(["BOTTLES"]);
    expect(suggest("zzzz", ["gaps", "turns"])).toEqual([]);
  });
});

describe("Block Kit as terminal text", () => {
  it("turns mrkdwn into plain text and links into label (url)", () => {
    expect(
      mrkdwnToText("*Gaps* · _now_ · `code` · <https://x.test/a|Open in dashboard> · &lt;5 &amp; &gt;3"),
    ).toBe("Gaps · now · code · Open in dashboard (https://x.test/a) · <5 & >3");
    expect(mrkdwnToText("```\nA  1\nB  2\n```")).toBe("    A  1\n    B  2");
  });
  it("numbers the buttons as choices that carry their action and value", () => {
    const { text, choices } = blocksToText([
      header("Sign-off"),
      section("text", { fields: ["*Due*\nNov 17"] }),
      actions([
        button({ text: "Approve", actionId: "a", value: "1" }),
        button({ text: "Request changes", actionId: "b", value: "1" }),
      ]),
      context("fresh"),
    ]);
    expect(text).toBe("Sign-off\n━━━━━━━━\ntext\n  Due: Nov 17\n[1] Approve   [2] Request changes\nfresh");
    expect(choices).toEqual([
      { n: 1, text: "Approve", actionId: "a", value: "1" },
      { n: 2, text: "Request changes", actionId: "b", value: "1" },
    ]);
  });
});
