import { type AppDeps, router } from "../context.js";

export function forecastRoutes(_deps: AppDeps) {
  return router();
}
