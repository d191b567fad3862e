import { escalationDm, escalationPost, type OverdueStep } from "../bot/blocks/jobs/escalation.js";
import { expectOk } from "./api.js";
import { businessDayOccurrence } from "./calendar.js";
import { executiveStep, openCycles } from "./cycles.js";
import type { Job } from "./types.js";

export const escalations: Job = {
  name: "escalations",
  title: "Escalations",
  description:
    "Business days 10:00: steps overdue by 1 business day or more → a channel post naming the missing roles and people, and a DM to each executive.",
  schedule: "0 10 * * 1-5",

  async occurrence(at, cal) {
    return businessDayOccurrence(at, cal);
  },

  async run(ctx) {
    const today = ctx.occurrence.period;
    const cycles = await openCycles(ctx.api);
    const late = cycles
      .map((cycle) => ({ cycle, steps: cycle.steps.filter((s) => s.overdue && s.daysOverdue >= 1) }))
      .filter((c) => c.steps.length > 0);
    if (late.length === 0) {
      ctx.logger.info("no step is overdue by a business day or more: nothing to escalate");
      return;
    }
    const { people } = await expectOk(await ctx.api.api.people.$get(), "listing the people");
    const executives = people
      .filter((p) => p.active && p.roles.includes("executive"))
      .map((p) => ({ slackUserId: p.slackUserId, name: p.name }));
    for (const { cycle, steps } of late) {
      const exec = executiveStep(cycle);
      const input = {
        cycle: cycle.month,
        steps: steps.map(
          (s): OverdueStep => ({
            name: s.name,
            dueDate: s.dueDate,
            daysOverdue: s.daysOverdue,
            missing: s.missing,
            changesRequested: s.status === "changes_requested",
          }),
        ),
        executiveStep:
          exec && exec.status !== "signed" && exec.dueDate >= today && !steps.includes(exec)
            ? { name: exec.name, dueDate: exec.dueDate }
            : null,
        executives,
        cycleUrl: ctx.link({ view: "cycle", filters: { month: cycle.month } }),
        locale: ctx.settings.locale,
      };
      const names = steps.map((s) => s.name).join(", ");
      ctx.slack.postMessage({
        key: `overdue:${cycle.month}`,
        ...escalationPost(input),
        summary: `overdue in ${cycle.month}: ${names}`,
      });
      for (const executive of executives) {
        ctx.slack.dm({
          key: `exec:${cycle.month}:${executive.slackUserId}`,
          user: executive.slackUserId,
          ...escalationDm({ ...input, executive }),
          summary: `escalation to ${executive.name}: ${names}`,
        });
      }
    }
  },
};
