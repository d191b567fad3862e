/**
 * App Home: on app_home_opened (the Home tab), publish the viewer's page — the current cycle,
 * what waits for them and the headline KPIs. Anything that cannot be read is left out rather
 * than failing the page.
 */
import type { App } from "@slack/bolt";
import { ApiError, data } from "./api.js";
import { homeView } from "./blocks/home.js";
import { currentCycle, NoCycleError } from "./cycle.js";
import type { BotRuntime } from "./runtime.js";

export function registerAppHome(app: App, rt: BotRuntime): void {
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    const userId = event.user;
    const optional = <T>(p: Promise<T>, what: string): Promise<T | null> =>
      p.catch((error: unknown) => {
        const expected = error instanceof NoCycleError || (error instanceof ApiError && error.status === 404);
        if (!expected) rt.logger.warn({ err: error }, `App Home: could not read ${what}`);
        return null;
      });
    const [cycle, summary, person, company, render] = await Promise.all([
      optional(currentCycle(rt.api), "the cycle"),
      optional(data(rt.api.api.kpi.summary.$get()), "the summary"),
      optional(
        data(rt.api.api.people[":slackUserId"].$get({ param: { slackUserId: userId } })).then(
          (b) => b.person,
        ),
        "the person",
      ),
      rt.company.get(),
      rt.render(),
    ]);
    const view = homeView(render, { companyName: company.name, userId, person, cycle, summary }, rt.command);
    await client.views.publish({ user_id: userId, view });
  });
}
