/** The current cycle through the API, with "no cycle is open" as a problem people understand. */
import { type ApiClient, ApiError, type Cycle, data, type SavedScenario } from "./api.js";

/** No cycle is open for the current month (nor an earlier one still open). */
export class NoCycleError extends Error {
  constructor(readonly apiMessage: string) {
    super("no S&OP cycle is open");
    this.name = "NoCycleError";
  }
}

export async function currentCycle(api: ApiClient): Promise<Cycle> {
  try {
    return (await data(api.api.cycles.current.$get())).cycle;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw new NoCycleError(error.message);
    throw error;
  }
}

/** The saved scenarios attached to a step (for its approval card); none when they can't be read. */
export async function stepScenarios(api: ApiClient, month: string, step: string): Promise<SavedScenario[]> {
  try {
    const body = await data(
      api.api.cycles[":month"].steps[":step"].scenarios.$get({ param: { month, step } }),
    );
    return body.scenarios;
  } catch {
    return [];
  }
}
