import { type AppDeps, router } from "../context.js";

export function chartRoutes(_deps: AppDeps) {
  return router();
}
