import { type AppDeps, router } from "../context.js";

export function jobRoutes(_deps: AppDeps) {
  return router();
}
