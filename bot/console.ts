/**
 * The local chat console (`sop console`, `sop ask`): the same router against the same API,
 * answers printed as terminal text, and an approval card's buttons as numbered choices that
 * record real sign-offs as the person given with `--as` (or `as NAME` at the prompt). Anyone
 * can try every command with no Slack workspace.
 */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { cardState, decide, notYoursProblem } from "./actions/decide.js";
import { type ApiClient, data, type Person } from "./api.js";
import {
  APPROVE_ACTION,
  approvalCard,
  parseCardRef,
  REQUEST_CHANGES_ACTION,
} from "./blocks/approval-card.js";
import type { Formats } from "./blocks/format.js";
import { problemAnswer } from "./blocks/problem.js";
import type { Message, Render } from "./blocks/render.js";
import { parseWhatIfRef, WHATIF_ACTIONS } from "./blocks/whatif.js";
import type { CommandRouter } from "./commands/router.js";
import { CompanyCache, renderFor } from "./company.js";
import { blocksToText, type Choice } from "./console-render.js";
import { stepScenarios } from "./cycle.js";
import { problemFor } from "./problems.js";
import { whatifClick } from "./whatif.js";

export interface ConsoleDeps {
  api: ApiClient;
  router: CommandRouter;
  publicUrl: string;
  now?: () => Date;
  formats?: Omit<Formats, "timezone">;
  /** ANSI styles (a terminal). */
  color?: boolean;
}

export class ConsoleError extends Error {}

/** Finds a person by Slack id, full name, first name or the start of a name (case-insensitive). */
export function findPerson(people: Person[], who: string): Person | undefined {
  const w = who.trim().toLowerCase();
  const active = people.filter((p) => p.active);
  const exact = active.find((p) => p.slackUserId.toLowerCase() === w || p.name.toLowerCase() === w);
  if (exact) return exact;
  const first = active.filter((p) => p.name.toLowerCase().split(/\s+/)[0] === w);
  if (first.length === 1) return first[0];
  const prefix = active.filter((p) => p.name.toLowerCase().startsWith(w));
  return prefix.length === 1 ? prefix[0] : undefined;
}

/** "Maya Okafor (U04JQ7T2M9K) — planner, admin". */
export const personLine = (p: Person) => `${p.name} (${p.slackUserId}) — ${p.roles.join(", ") || "no role"}`;

/** A console session: who is acting, the last card's choices, and how to print. */
export class ConsoleSession {
  readonly company: CompanyCache;
  person: Person | undefined;
  /** The choices of the last card printed, with where they came from. */
  choices: { choice: Choice; cardId: string }[] = [];

  constructor(
    readonly deps: ConsoleDeps,
    readonly write: (text: string) => void,
  ) {
    this.company = new CompanyCache(deps.api);
  }

  get userId(): string {
    return this.person?.slackUserId ?? "U0CONSOLE";
  }

  async render(): Promise<Render> {
    return renderFor(this.company, {
      formats: this.deps.formats ?? { locale: "en-US", currency: "USD" },
      now: (this.deps.now ?? (() => new Date()))(),
      publicUrl: this.deps.publicUrl,
    });
  }

  async people(): Promise<Person[]> {
    return (await data(this.deps.api.api.people.$get())).people;
  }

  /** Acts as `who` from now on; throws ConsoleError listing the people when unknown. */
  async actAs(who: string | undefined): Promise<Person | undefined> {
    const people = await this.people();
    if (who === undefined) {
      // By default the process owner: a planner, else anyone who signs something.
      this.person =
        people.find((p) => p.active && p.roles.includes("planner")) ??
        people.find((p) => p.active) ??
        undefined;
      return this.person;
    }
    const person = findPerson(people, who);
    if (!person) {
      const list = people.length ? people.map((p) => `  ${personLine(p)}`).join("\n") : "  (nobody yet)";
      throw new ConsoleError(`there is no one called ${who}; the people are:\n${list}`);
    }
    this.person = person;
    return person;
  }

  /** Prints a message; its buttons become the choices (a refusal keeps the card's). */
  print(message: Message, note?: string, options: { keepChoices?: boolean } = {}): void {
    const cardId = randomUUID().slice(0, 8);
    const { text, choices } = blocksToText(message.blocks, { color: this.deps.color ?? false });
    if (!options.keepChoices) this.choices = choices.map((choice) => ({ choice, cardId }));
    this.write(`${text}\n${note ? `${note}\n` : ""}`);
    if (choices.length > 0) this.write(`(type a number to click it, as ${this.person?.name ?? "nobody"})\n`);
  }

  /** Runs one question through the router and prints the answer; false when it is a problem. */
  async ask(text: string): Promise<boolean> {
    const words = text
      .trim()
      .replace(/^\/sop\b/, "")
      .trim();
    const render = await this.render();
    const { answer, share, ok } = await this.deps.router.route(words, {
      api: this.deps.api,
      userId: this.userId,
      render,
      command: "/sop",
      source: "console",
    });
    this.print(
      answer,
      answer.post ? "(posted in the channel)" : share ? "(shared in the channel)" : undefined,
    );
    return ok;
  }

  /** A what-if answer's Save / Share in channel / Attach to pre-S&OP, as in Slack. */
  private async clickWhatIf(choice: Choice): Promise<void> {
    const ref = parseWhatIfRef(choice.value);
    if (!ref) {
      this.write("that answer is out of date: ask again\n");
      return;
    }
    const outcome = await whatifClick(
      this.deps.api,
      choice.actionId,
      ref,
      { user: this.userId, source: "console" },
      await this.render(),
      "/sop",
    );
    if (outcome.post) this.print(outcome.post, "(posted in the channel)", { keepChoices: true });
    if (outcome.replace) this.print(outcome.replace, "(the answer, updated)");
    if (outcome.problem) this.print(problemAnswer(outcome.problem), undefined, { keepChoices: true });
  }

  /** Clicks choice `n` of the last card; `comment` asks for the request-changes comment. */
  async click(n: number, comment: () => Promise<string | undefined>): Promise<void> {
    const picked = this.choices.find((c) => c.choice.n === n);
    if (!picked) {
      this.write(this.choices.length ? `there is no choice ${n}\n` : "there is nothing to click\n");
      return;
    }
    if ((WHATIF_ACTIONS as readonly string[]).includes(picked.choice.actionId)) {
      await this.clickWhatIf(picked.choice);
      return;
    }
    const card = parseCardRef(picked.choice.value);
    const decision =
      picked.choice.actionId === APPROVE_ACTION
        ? "approve"
        : picked.choice.actionId === REQUEST_CHANGES_ACTION
          ? "request_changes"
          : undefined;
    if (!card || !decision) {
      this.write("that button does nothing here\n");
      return;
    }
    let text: string | null = null;
    if (decision === "request_changes") {
      // As in Slack: nobody writes a comment for a step they cannot decide on.
      const [state, people] = await Promise.all([cardState(this.deps.api, card.m, card.s), this.people()]);
      const me = people.find((p) => p.slackUserId === this.userId && p.active);
      if (state && !state.step.roles.some((r) => me?.roles.includes(r))) {
        const canSign = state.step.roles.map((role) => ({
          role,
          people: people.filter((p) => p.active && p.roles.includes(role)),
        }));
        this.print(problemAnswer(notYoursProblem(state.step.roles, canSign)), undefined, {
          keepChoices: true,
        });
        return;
      }
      // The modal's rule: no request for changes without saying what should change.
      for (;;) {
        const c = (await comment())?.trim();
        if (c === undefined) return;
        if (c) {
          text = c;
          break;
        }
        this.write("Say what should change, so the team can act on it.\n");
      }
    }
    const outcome = await decide(this.deps.api, {
      month: card.m,
      step: card.s,
      person: this.userId,
      decision,
      comment: text,
      idempotencyKey: `console:${picked.cardId}:${this.userId}:${decision}:${card.m}:${card.s}:${card.r}`,
      source: "console",
    });
    if (outcome.kind === "refused") {
      this.print(problemAnswer(outcome.problem), undefined, { keepChoices: true });
      if (!outcome.stale) return;
    } else {
      this.write(
        `${outcome.kind === "recorded" ? "Recorded" : "Already recorded"}: ${decision === "approve" ? "approved" : "changes requested"} as ${this.person?.name ?? this.userId}\n`,
      );
    }
    const [state, summary, render, scenarios] = await Promise.all([
      cardState(this.deps.api, card.m, card.s),
      data(this.deps.api.api.kpi.summary.$get()).catch(() => null),
      this.render(),
      stepScenarios(this.deps.api, card.m, card.s),
    ]);
    if (state)
      this.print(
        approvalCard(
          { ...render, formats: { ...render.formats, timezone: state.cycle.timezone } },
          { ...state, summary, scenarios },
        ),
      );
  }
}

const CONSOLE_HELP = `Console: type what you would after /sop (e.g. "gaps BOTTLES"), a number to click a button,
"as NAME" to act as someone else, "people" to list who is who, "quit" to leave.`;

/** The interactive prompt. Resolves when the input ends or the person quits. */
export async function runConsole(
  deps: ConsoleDeps,
  options: { as?: string | undefined; input: Readable; output: Writable; terminal?: boolean },
): Promise<void> {
  const write = (text: string) => {
    options.output.write(text);
  };
  const session = new ConsoleSession(deps, write);
  const me = await session.actAs(options.as);
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: options.terminal ?? false,
  });
  // Lines are read through one iterator, which buffers them: piped input arrives all at once,
  // and a line must not be lost while an answer is being computed.
  const lines = rl[Symbol.asyncIterator]();
  const question = async (text: string): Promise<string | undefined> => {
    write(text);
    const next = await lines.next();
    return next.done ? undefined : String(next.value);
  };
  write(`sop console — ${CONSOLE_HELP}\n`);
  write(me ? `You are ${personLine(me)}.\n` : "Nobody is set up yet: you can ask, but not sign.\n");
  const prompt = () => `\nsop${session.person ? ` (${session.person.name})` : ""}> `;
  try {
    for (;;) {
      const raw = await question(prompt());
      if (raw === undefined) break;
      const line = raw.trim();
      if (!line) continue;
      if (/^(quit|exit|\\q)$/i.test(line)) break;
      try {
        if (/^\d+$/.test(line)) {
          await session.click(Number(line), () => question("What should change? "));
        } else if (/^as\s+/i.test(line)) {
          const p = await session.actAs(line.replace(/^as\s+/i, ""));
          write(`You are ${p ? personLine(p) : "nobody"}.\n`);
        } else if (/^(people|who)$/i.test(line)) {
          write(`${(await session.people()).map(personLine).join("\n")}\n`);
        } else {
          if (/^(\/sop\s+)?help$/i.test(line)) write(`${CONSOLE_HELP}\n`);
          await session.ask(line);
        }
      } catch (error) {
        if (error instanceof ConsoleError) write(`${error.message}\n`);
        else session.print(problemAnswer(problemFor(error, "/sop")));
      }
    }
  } finally {
    rl.close();
  }
}
