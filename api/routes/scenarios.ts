import { type AppDeps, router } from "../context.js";

export function scenarioRoutes(_deps: AppDeps) {
  return router();
}
