/**
 * manifest.yml describes the app the code is: the /sop command, interactivity and the events on
 * /slack/events, the events the bot listens to, and only the bot scopes its Web API calls need.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Manifest {
  features: {
    slash_commands: { command: string; url: string; usage_hint: string }[];
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync("manifest.yml", "utf8")) as Manifest;

/** Every .ts file under bot/, as text. */
function botSources(dir = "bot"): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? botSources(p) : p.endsWith(".ts") ? [readFileSync(p, "utf8")] : [];
  });
}

/** Web API methods → the bot scope each needs (docs.slack.dev/reference/methods). */
const METHOD_SCOPES: Record<string, string | null> = {
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  "chat.postEphemeral": "chat:write",
  "views.open": null,
  "views.publish": null,
  "auth.test": null,
};

describe("manifest.yml", () => {
  const sources = botSources().join("\n");

  it("routes the command, interactivity and events to /slack/events", () => {
    const sop = manifest.features.slash_commands.find((c) => c.command === "/sop");
    expect(sop?.url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(manifest.settings.interactivity.request_url).toBe(sop?.url);
    expect(manifest.settings.event_subscriptions.request_url).toBe(sop?.url);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("the command's usage hint names every subcommand", async () => {
    const { loadSubcommands } = await import("../../bot/commands/router.js");
    const hint = manifest.features.slash_commands.find((c) => c.command === "/sop")!.usage_hint;
    expect(hint.length).toBeLessThanOrEqual(1000);
    for (const c of await loadSubcommands()) {
      const words = hint.split("|").map((part) => part.trim().split(" ")[0]);
      expect(words, c.name).toContain(c.name.split(" ")[0]);
      if (c.name.includes(" ")) expect(hint).toContain(c.name.split(" ")[1]);
    }
  });

  it("subscribes to exactly the events the bot listens to", () => {
    const listened = [...sources.matchAll(/app\.event\("([a-z_]+)"/g)].map((m) => m[1]);
    expect([...new Set(listened)].sort()).toEqual(
      [...manifest.settings.event_subscriptions.bot_events].sort(),
    );
  });

  it("asks for only the bot scopes the code uses", () => {
    const methods = new Set([...sources.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    for (const m of methods) expect(Object.keys(METHOD_SCOPES), `${m} needs an entry`).toContain(m);
    const needed = new Set([...methods].map((m) => METHOD_SCOPES[m]).filter((s): s is string => !!s));
    // commands: the slash command; chat:write.public: the approval card in a public channel the
    // bot was not invited to (chat.postMessage there needs it).
    needed.add("commands");
    needed.add("chat:write.public");
    // files:write: the cadence jobs share their chart snapshots with the upload v2 flow.
    if (readFileSync("jobs/slack.ts", "utf8").includes("filesUploadV2(")) needed.add("files:write");
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
