/** The current cycle through the API, with "no cycle is open" as a problem people understand. */
import { type ApiClient, ApiError, type Cycle, data } from "./api.js";

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
