/**
 * The `/sop` router: splits the text, takes a trailing `share`, finds the subcommand (the
 * longest name the text starts with, so "accuracy fva" can live beside "accuracy"), runs it and
 * turns any failure into a short answer. Every other file in this folder is one subcommand
 * exporting `command`: adding a subcommand is adding a file.
 */
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { ApiError } from "../api.js";
import { UsageError } from "../args.js";
import type { CommandHelp } from "../blocks/help.js";
import { unknownCommandAnswer } from "../blocks/help.js";
import { problemAnswer } from "../blocks/problem.js";
import type { Answer, CommandContext, Subcommand } from "../command.js";
import { NoCycleError } from "../cycle.js";
import { problemFor } from "../problems.js";
import { UnknownNameError } from "../resolve-scope.js";
import { suggest } from "../suggest.js";

export interface RouteResult {
  answer: Answer;
  /** `share` was the last word: post the answer in the channel for everyone. */
  share: boolean;
  /** The subcommand that ran ("gaps"), or undefined for an unknown word. */
  name: string | undefined;
  /** False when the answer is a problem (unknown word, bad argument, refusal, failure). */
  ok: boolean;
}

/** Failures that are the asker's or the data's, not ours: answered without an error log. */
function expected(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof UnknownNameError ||
    error instanceof NoCycleError ||
    (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401)
  );
}

export class CommandRouter {
  readonly commands: readonly Subcommand[];

  constructor(
    commands: readonly Subcommand[],
    private readonly logger?: Logger,
  ) {
    const seen = new Map<string, string>();
    for (const c of commands) {
      for (const word of [c.name, ...(c.aliases ?? [])]) {
        const other = seen.get(word);
        if (other) throw new Error(`the /sop subcommands ${other} and ${c.name} both answer to "${word}"`);
        seen.set(word, c.name);
      }
    }
    this.commands = [...commands].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  }

  /** Help for every subcommand, in help order. */
  get help(): CommandHelp[] {
    return this.commands.map(({ name, usage, summary, examples }) => ({ name, usage, summary, examples }));
  }

  /** The subcommand `words` start with (longest name first) and how many words its name takes. */
  match(words: string[]): { command: Subcommand; length: number } | undefined {
    const lower = words.map((w) => w.toLowerCase());
    let best: { command: Subcommand; length: number } | undefined;
    for (const command of this.commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        const parts = name.split(" ");
        if (parts.every((p, i) => lower[i] === p) && parts.length > (best?.length ?? 0)) {
          best = { command, length: parts.length };
        }
      }
    }
    return best;
  }

  async route(
    text: string,
    base: Omit<CommandContext, "commands" | "text" | "requestId" | "source"> & {
      requestId?: string;
      source?: CommandContext["source"];
    },
  ): Promise<RouteResult> {
    const words = text.trim().split(/\s+/).filter(Boolean);
    let raw = text.trim();
    let share = false;
    if (words.length > 0 && words.at(-1)!.toLowerCase() === "share") {
      words.pop();
      raw = raw.replace(/\s*\S+$/, "");
      share = true;
    }
    const ctx: CommandContext = {
      ...base,
      source: base.source ?? "slack",
      requestId: base.requestId ?? randomUUID(),
      text: raw,
      commands: this.help,
    };
    if (words.length === 0) words.push("help");
    const found = this.match(words);
    if (!found) {
      const names = this.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
      const near = suggest(words[0]!, names, 3)
        .map((n) => this.match(n.split(" "))?.command)
        .filter((c): c is Subcommand => c !== undefined);
      return {
        answer: unknownCommandAnswer(ctx.render, words[0]!, [...new Set(near)], ctx.command),
        share: false,
        name: undefined,
        ok: false,
      };
    }
    const { command, length } = found;
    try {
      const answer = await command.run(words.slice(length), ctx);
      return {
        answer,
        share: share && !answer.post && !answer.modal && !answer.problem,
        name: command.name,
        ok: !answer.problem,
      };
    } catch (error) {
      if (!expected(error)) {
        this.logger?.error({ err: error, command: command.name, text }, "a /sop command failed");
      }
      return {
        answer: problemAnswer(problemFor(error, ctx.command)),
        share: false,
        name: command.name,
        ok: false,
      };
    }
  }
}

function isSubcommand(value: unknown): value is Subcommand {
  const c = value as Partial<Subcommand> | undefined;
  return (
    typeof c === "object" &&
    c !== null &&
    typeof c.name === "string" &&
    typeof c.usage === "string" &&
    typeof c.run === "function" &&
    typeof c.order === "number"
  );
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Every subcommand in bot/commands (each file but this one exports `command`). */
export async function loadSubcommands(dir = HERE): Promise<Subcommand[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && !/^router\./.test(f))
    .sort();
  const commands: Subcommand[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { command?: unknown };
    if (!isSubcommand(mod.command)) {
      throw new Error(`bot/commands/${file} must export \`command\`, a Subcommand (see bot/command.ts)`);
    }
    commands.push(mod.command);
  }
  return commands;
}

/** The router over every subcommand in bot/commands. */
export async function createRouter(logger?: Logger): Promise<CommandRouter> {
  return new CommandRouter(await loadSubcommands(), logger);
}
