/**
 * What-if scenarios from Slack or the console: the command's comparison, and what the answer's
 * buttons do — Save (through the API, once per answer: its nonce is the idempotency key),
 * Share in channel (the scenario posted for everyone) and Attach to pre-S&OP (saved, then
 * attached to the current cycle's pre-S&OP step, refused when there is none or it is signed).
 * Each returns the answer redrawn with its new state, so the caller updates it in place.
 */
import { parseWhatIf } from "../api/domain/plan-commands.js";
import { type ApiClient, ApiError, data, type SavedScenario, type ScenarioComparison } from "./api.js";
import { monthLong } from "./blocks/format.js";
import type { Problem } from "./blocks/problem.js";
import type { Message, Render } from "./blocks/render.js";
import {
  WHATIF_ATTACH_ACTION,
  WHATIF_SAVE_ACTION,
  WHATIF_SHARE_ACTION,
  type WhatIfRef,
  whatifAnswer,
} from "./blocks/whatif.js";
import { currentCycle, NoCycleError } from "./cycle.js";
import { problemFor } from "./problems.js";

/** Most affected SKU-locations asked of the API (the answer shows fewer, then "+N more"). */
export const WHATIF_LINES = 10;
/** The step scenarios are attached to. */
export const PRE_STEP = "pre";

export interface ClickOutcome {
  /** The answer redrawn (replace the original). */
  replace?: Message;
  /** A message for everyone in the channel. */
  post?: Message;
  /** A refusal, for the person who clicked only. */
  problem?: Problem;
}

/** The saved scenario of this answer: saved now, or the one its nonce saved before. */
async function save(
  api: ApiClient,
  ref: WhatIfRef,
  by: { user: string; source: "slack" | "console" },
): Promise<{ scenario: SavedScenario; comparison: ScenarioComparison }> {
  const parsed = parseWhatIf(ref.t);
  if (!parsed.ok)
    throw new Error(`a what-if button carried a text that does not parse: ${parsed.error.message}`);
  const body = await data(
    api.api.scenarios.$post({
      json: {
        changes: parsed.value,
        horizon: ref.h,
        lines: WHATIF_LINES,
        save: true,
        idempotencyKey: `${by.source}:whatif:${ref.n}:save`,
        actor: by.user,
        source: by.source,
      },
    }),
  );
  if (!body.scenario) throw new Error("the API saved no scenario");
  return { scenario: body.scenario, comparison: body.comparison };
}

/** The comparison behind an answer: the saved one once saved, else computed again. */
async function comparisonOf(
  api: ApiClient,
  ref: WhatIfRef,
): Promise<{ comparison: ScenarioComparison; scenario?: SavedScenario }> {
  if (ref.s) {
    const saved = await data(
      api.api.scenarios[":id"].$get({ param: { id: String(ref.s) }, query: { fresh: "false" } }),
    );
    return { comparison: saved.comparison, scenario: saved.scenario };
  }
  const parsed = parseWhatIf(ref.t);
  if (!parsed.ok)
    throw new Error(`a what-if button carried a text that does not parse: ${parsed.error.message}`);
  const body = await data(
    api.api.scenarios.$post({ json: { changes: parsed.value, horizon: ref.h, lines: WHATIF_LINES } }),
  );
  return { comparison: body.comparison };
}

/** What a click on one of a what-if answer's buttons does. */
export async function whatifClick(
  api: ApiClient,
  action: string,
  ref: WhatIfRef,
  by: { user: string; source: "slack" | "console" },
  render: Render,
  command: string,
): Promise<ClickOutcome> {
  try {
    if (action === WHATIF_SAVE_ACTION) {
      const { scenario, comparison } = await save(api, ref, by);
      const next = { ...ref, s: scenario.id };
      return { replace: whatifAnswer(render, comparison, { ref: next, saved: scenario }) };
    }
    if (action === WHATIF_SHARE_ACTION) {
      const { comparison, scenario } = await comparisonOf(api, ref);
      const next = { ...ref, sh: 1 as const };
      return {
        post: whatifAnswer(render, comparison, { saved: scenario, sharedBy: by.user }),
        replace: whatifAnswer(render, comparison, { ref: next, saved: scenario }),
      };
    }
    if (action === WHATIF_ATTACH_ACTION) {
      let cycle: Awaited<ReturnType<typeof currentCycle>>;
      try {
        cycle = await currentCycle(api);
      } catch (error) {
        if (error instanceof NoCycleError) {
          return {
            problem: {
              title: "No S&OP cycle is open to attach it to",
              detail: "Scenarios are attached to the pre-S&OP step of the current cycle.",
              next: "Save it now; a planner opens the month's cycle, then attach it.",
            },
          };
        }
        throw error;
      }
      const pre = cycle.steps.find((s) => s.key === PRE_STEP);
      const label = monthLong(render.formats, cycle.month);
      if (!pre) {
        return {
          problem: {
            title: `The ${label} cycle has no pre-S&OP step`,
            detail: `Its steps are ${cycle.steps.map((s) => s.key).join(", ")}.`,
            next: "Save the scenario and share it in the channel instead.",
          },
        };
      }
      if (cycle.status !== "open" || pre.status === "signed") {
        return {
          problem: {
            title: `The pre-S&OP step of ${label} is ${cycle.status !== "open" ? "closed" : "already signed"}`,
            detail: "A scenario attached now would reach no one before the decision.",
            next: `Share it in the channel, or bring it to the executive S&OP (\`${command} signoff exec\`).`,
          },
        };
      }
      const { scenario, comparison } = await save(api, ref, by);
      await data(
        api.api.cycles[":month"].steps[":step"].scenarios[":id"].$put({
          param: { month: cycle.month, step: PRE_STEP, id: String(scenario.id) },
          json: { actor: by.user, source: by.source },
        }),
      );
      const next = { ...ref, s: scenario.id, a: cycle.month };
      return { replace: whatifAnswer(render, comparison, { ref: next, saved: scenario }) };
    }
    return { problem: { title: "That button does nothing here" } };
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401) {
      return { problem: problemFor(error, command) };
    }
    throw error;
  }
}
