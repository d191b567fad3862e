/**
 * The bot without Slack, as a newcomer meets it: `sop demo`, then `sop ask` and `sop console`
 * as real processes on the embedded database — real answers, and a working approval through
 * the numbered buttons. And `sop serve`: with the Slack variables it answers signed requests
 * at /slack/events; without them it runs and says how to turn the bot on.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli, startServe } from "../helpers/cli.js";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { SIGNING_SECRET, sign, textOf } from "../helpers/slack-bot.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `sop <args>` with `input` on stdin, as someone typing (or piping) would. */
function runWithInput(args: string[], env: Record<string, string>, input: string): Promise<CliResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "cli.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.stdin.end(input);
  return new Promise((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe("sop console and sop ask on the demo company", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sop-console-"));
    env = { SOP_DATA_DIR: path.join(dir, "data"), SOP_PUBLIC_URL: "https://sop.example.com" };
    const demo = await runCli(["demo"], env);
    expect(demo.code, demo.stderr).toBe(0);
  }, 240_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("sop ask answers once, as readable text, and exits 0", async () => {
    const r = await runCli(["ask", "gaps", "BOTTLES"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Gaps · BOTTLES · next 6 months");
    expect(r.stdout).toMatch(/Value at risk: \$[\d,]+/);
    expect(r.stdout).toContain(
      "Open in dashboard (https://sop.example.com/risk?family=BOTTLES&horizon=6#gaps)",
    );
    // No Slack markup leaks into the terminal.
    expect(r.stdout).not.toMatch(/<https?:|&amp;|\*\w/);
    const status = await runCli(["ask", "status", "--as", "Grace Whitfield"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("S&OP cycle ·");
    expect(status.stdout).toMatch(/✅|⏳|🔴/);
  }, 60_000);

  it("sop ask exits 1 with a did-you-mean for an unknown word, 2 for an unknown person", async () => {
    const typo = await runCli(["ask", "gapz"], env);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain("Did you mean /sop gaps?");
    const nobody = await runCli(["ask", "status", "--as", "Nobody Atall"], env);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain("there is no one called Nobody Atall; the people are:");
    expect(nobody.stderr).toContain("Erik Haugen (U01GX5NB3QD) — executive");
  }, 60_000);

  it("sop ask and sop console plan too: override as the person, whatif with its buttons as numbers, accuracy fva", async () => {
    const override = await runCli(
      ["ask", "override BTL-S05-GLC 2026-12 900 REI order", "--as", "Rachel Kim"],
      env,
    );
    expect(override.code, override.stderr).toBe(0);
    expect(override.stdout).toContain("Override recorded · BTL-S05-GLC · Dec 2026");
    expect(override.stdout).toContain("Rachel Kim (sales): “REI order”");
    expect(override.stdout).toMatch(/Consensus now: 900/);
    const typo = await runCli(["ask", "override BTL-S05-GLC 2026-13 900 REI order", "--as", "Rachel"], env);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain("(column 22)");
    const notSales = await runCli(["ask", "override BTL-S05-GLC 2026-12 1 x", "--as", "Tom Lindqvist"], env);
    expect(notSales.code).toBe(1);
    expect(notSales.stdout).toContain("Only sales and marketing override the plan");
    const fva = await runCli(["ask", "accuracy fva"], env);
    expect(fva.code, fva.stderr).toBe(0);
    expect(fva.stdout).toContain("Forecast value added");
    expect(fva.stdout).toMatch(
      /The consensus made the plan [\d.]+ points (better|worse) than the statistical forecast\./,
    );

    const input = ["whatif capacity BOTTLES -20%", "1", "1", "quit", ""].join("\n");
    const r = await runWithInput(["console", "--as", "Maya Okafor"], env, input);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("What if… · next 6 months");
    expect(r.stdout).toMatch(/Value at risk: \$[\d,]+ → \$[\d,]+/);
    expect(r.stdout).toContain("[1] Save   [2] Share in channel   [3] Attach to pre-S&OP");
    expect(r.stdout).toMatch(/💾 Saved as #\d+ “capacity −20% for family BOTTLES”/);
    expect(r.stdout).toContain("[1] Share in channel   [2] Attach to pre-S&OP");
    expect(r.stdout).toContain("(posted in the channel)");
  }, 120_000);

  it("sop console: every command answers, and the approval card's buttons work as numbers", async () => {
    const input = [
      "help",
      "gaps",
      "accuracy COOLERS",
      "turns",
      "risk high",
      "excess",
      "sku BTL-S05-GLC",
      "status",
      "signoff exec",
      "1", // Diego is a planner: refused, told who can sign
      "as erik",
      "2", // request changes…
      "", // …a blank comment is not accepted
      "Hold on: COOLERS is over-forecast",
      "1", // approve on the redrawn card
      "quit",
      "",
    ].join("\n");
    const r = await runWithInput(["console", "--as", "Diego Alvarez"], env, input);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toContain("You are Diego Alvarez (U05B3XKD81R) — planner.");
    for (const heading of [
      "S&OP bot · what you can ask",
      "Gaps · next 6 months",
      "Forecast accuracy · COOLERS",
      "Inventory turns",
      "Stock-out risk",
      "Excess and slow movers",
      "BTL-S05-GLC ·",
      "S&OP cycle ·",
      "Sign-off · Executive S&OP",
    ]) {
      expect(out).toContain(heading);
    }
    expect(out).toContain("[1] Approve   [2] Request changes");
    expect(out).toContain("You can't sign this step: it needs executive");
    expect(out).toContain("It can be signed by Erik Haugen or Grace Whitfield (executive).");
    expect(out).toContain("You are Erik Haugen (U01GX5NB3QD) — executive.");
    expect(out).toContain("Say what should change, so the team can act on it.");
    expect(out).toContain("Recorded: changes requested as Erik Haugen");
    expect(out).toMatch(
      /Changes requested by Erik Haugen, [A-Z][a-z]{2} \d+, [\d:]+ [AP]M: “Hold on: COOLERS is over-forecast”/,
    );
    expect(out).toContain("Recorded: approved as Erik Haugen");
    expect(out).toMatch(/✓ executive · Erik Haugen/);
    expect(out).toContain("🔒 The consensus plan is locked by Erik Haugen");

    // The decisions are real: the next question sees them.
    const after = await runCli(["ask", "status"], env);
    expect(after.stdout).toMatch(/✅ Executive S&OP · signed [A-Z][a-z]{2} \d+ by Erik Haugen/);
    expect(after.stdout).toContain("plan locked by Erik Haugen 🔒");
  }, 120_000);
});

describe("sop serve and the Slack bot", () => {
  let dir: string;
  let fake: FakeSlack;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sop-serve-bot-"));
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs without the bot when Slack is not configured, saying how to turn it on", async () => {
    const serve = await startServe({ SOP_DATA_DIR: path.join(dir, "off"), SOP_DEMO: "false" });
    try {
      const res = await fetch(`${serve.url}/slack/events`, { method: "POST", body: "x" });
      expect(res.status).toBe(404);
      expect(serve.output()).toContain(
        "the Slack bot is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on (and SLACK_APP_TOKEN for Socket Mode)",
      );
    } finally {
      expect((await serve.stop()).code).toBe(0);
    }
  }, 60_000);

  it("answers signed requests at /slack/events when the Slack variables are set", async () => {
    const serve = await startServe({
      SOP_DATA_DIR: path.join(dir, "on"),
      SOP_DEMO: "false",
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
    });
    try {
      await fake.waitFor("auth.test", 20_000);
      const body = new URLSearchParams({
        command: "/sop",
        text: "help",
        user_id: "U04JQ7T2M9K",
        channel_id: "C0SOPCYCLE",
        team_id: "T0FAKE0001",
        response_url: fake.responseUrl("serve-help"),
        trigger_id: "1.2.3",
      }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(SIGNING_SECRET, ts, body),
      };
      const ok = await fetch(`${serve.url}/slack/events`, { method: "POST", headers, body });
      expect(ok.status).toBe(200);
      const answer = await fake.waitFor(
        (c) => c.method === "response_url" && c.args.response_id === "serve-help",
      );
      expect(textOf(answer.args.blocks as unknown[])).toContain("/sop gaps");
      const bad = await fetch(`${serve.url}/slack/events`, {
        method: "POST",
        headers: { ...headers, "x-slack-signature": "v0=bad" },
        body,
      });
      expect(bad.status).toBe(401);
      expect(serve.output()).toContain("/slack/events");
    } finally {
      expect((await serve.stop()).code).toBe(0);
    }
  }, 60_000);
});
