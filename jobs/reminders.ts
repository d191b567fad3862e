import { dueTodayPost, type ReminderItem, reminderDm } from "../bot/blocks/jobs/reminder.js";
import { businessDayOccurrence, businessDaysUntil } from "./calendar.js";
import { openCycles, type PersonRef } from "./cycles.js";
import type { Job } from "./types.js";

/** Steps due within this many business days are reminded of. */
export const REMIND_WITHIN_BUSINESS_DAYS = 2;

export const reminders: Job = {
  name: "reminders",
  title: "Sign-off reminders",
  description:
    "Business days 09:00: a DM to each person whose sign-off is missing on a step due within 2 business days; a channel post on the due day.",
  schedule: "0 9 * * 1-5",

  async occurrence(at, cal) {
    return businessDayOccurrence(at, cal);
  },

  async run(ctx) {
    const today = ctx.occurrence.period;
    const holidays = ctx.calendar.holidays;
    const people = new Map<string, { person: PersonRef; items: ReminderItem[]; cycles: Set<string> }>();
    for (const cycle of await openCycles(ctx.api)) {
      const dueToday = [];
      for (const step of cycle.steps) {
        if (step.roles.length === 0 || step.status === "signed" || step.dueDate < today) continue;
        const left = businessDaysUntil(today, step.dueDate, holidays);
        if (left > REMIND_WITHIN_BUSINESS_DAYS) continue;
        if (left === 0) dueToday.push(step);
        for (const missing of step.missing) {
          for (const person of missing.people) {
            const entry = people.get(person.slackUserId) ?? { person, items: [], cycles: new Set<string>() };
            const same = entry.items.find((i) => i.cycle === cycle.month && i.step === step.name);
            if (same) same.roles.push(missing.role);
            else {
              entry.items.push({
                cycle: cycle.month,
                step: step.name,
                dueDate: step.dueDate,
                businessDaysLeft: left,
                roles: [missing.role],
                changesRequested: step.status === "changes_requested",
              });
            }
            entry.cycles.add(cycle.month);
            people.set(person.slackUserId, entry);
          }
        }
      }
      if (dueToday.length > 0) {
        const message = dueTodayPost({
          cycle: cycle.month,
          steps: dueToday.map((s) => ({
            name: s.name,
            dueDate: s.dueDate,
            missing: s.missing,
            signed: s.approvals.map((a) => ({ role: a.role, person: a.person })),
          })),
          cycleUrl: ctx.link({ view: "cycle", filters: { month: cycle.month } }),
          locale: ctx.settings.locale,
        });
        ctx.slack.postMessage({
          key: `due-today:${cycle.month}`,
          ...message,
          summary: `due today in ${cycle.month}: ${dueToday.map((s) => s.name).join(", ")}`,
        });
      }
    }
    for (const { person, items, cycles } of [...people.values()].sort((a, b) =>
      a.person.name.localeCompare(b.person.name),
    )) {
      const month = [...cycles].sort().at(-1);
      const message = reminderDm({
        person,
        items,
        cycleUrl: ctx.link({ view: "cycle", filters: { month } }),
        locale: ctx.settings.locale,
      });
      ctx.slack.dm({
        key: `dm:${person.slackUserId}`,
        user: person.slackUserId,
        ...message,
        summary: `reminder to ${person.name}: ${items.map((i) => i.step).join(", ")}`,
      });
    }
  },
};
