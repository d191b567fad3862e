/**
 * Everything that can stop an answer, as a short message saying what to do next: a word the
 * bot does not understand, a name that does not exist, the API refusing or failing. Never a
 * stack trace: unexpected errors are logged by the caller and shown as "try again".
 */
import { ApiError } from "./api.js";
import { UsageError } from "./args.js";
import type { Problem } from "./blocks/problem.js";
import { NoCycleError } from "./cycle.js";
import { UnknownNameError } from "./resolve-scope.js";

export function problemFor(error: unknown, command: string): Problem {
  if (error instanceof UsageError) {
    return {
      title: error.message,
      next: error.example
        ? `Try \`${command} ${error.example}\` · \`${command} help\` lists everything`
        : `\`${command} help\` lists everything`,
    };
  }
  if (error instanceof UnknownNameError) {
    const did = error.suggestions.length
      ? `Did you mean ${error.suggestions.map((s) => `\`${s}\``).join(", ")}?`
      : error.families.length
        ? `The families are ${error.families.map((f) => `\`${f}\``).join(", ")}.`
        : undefined;
    return {
      title: `I can't find a ${error.kind} called ${error.word}`,
      detail: did,
      next: `SKUs and families are matched whole, in any case · \`${command} help\` lists everything`,
    };
  }
  if (error instanceof NoCycleError) {
    return {
      title: "No S&OP cycle is open right now",
      detail: error.apiMessage.charAt(0).toUpperCase() + error.apiMessage.slice(1),
      next: "A planner or an admin opens the month's cycle; then this answers.",
    };
  }
  if (error instanceof ApiError) return apiProblem(error, command);
  return unexpected();
}

function unexpected(): Problem {
  return {
    title: "Something went wrong on sop's side",
    detail: "It has been logged.",
    next: "Try again in a minute; if it keeps happening, tell whoever runs sop.",
  };
}

function apiProblem(error: ApiError, command: string): Problem {
  if (error.status === 0 || error.status >= 500) {
    if (error.code === "unavailable" || error.code === "retry") {
      return {
        title: "sop is busy right now",
        detail: error.message,
        next: "Try again in a minute.",
      };
    }
    return unexpected();
  }
  if (error.status === 401) {
    return {
      title: "sop's API refused the bot",
      detail: "The bot's API token is missing or wrong.",
      next: "Whoever runs sop should check SOP_API_TOKEN.",
    };
  }
  const detail = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  if (error.status === 404) {
    return { title: "Not found", detail, next: `\`${command} help\` lists what you can ask` };
  }
  if (error.status === 400 || error.status === 422) {
    return { title: "I couldn't answer that", detail, next: `\`${command} help\` lists what you can ask` };
  }
  if (error.status === 403) return { title: "Not allowed", detail };
  if (error.status === 409) return { title: "That can't be done now", detail };
  return { title: "sop refused that", detail };
}
