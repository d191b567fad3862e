/**
 * cycle-open: on the first business day of the month, opens the month's cycle (unless someone
 * has), posts the kickoff with the calendar, and flags the steps the previous cycle left
 * unsigned. Keyed by month: a later business day of the same month finds it done, and a start
 * after downtime catches it up while the month lasts.
 */
import { isBusinessDay, localDate, nthBusinessDay, startOfLocalDay } from "../api/domain/calendar.js";
import { periodLongLabel } from "../api/domain/format.js";
import { addMonths, firstDayOfPeriod } from "../api/domain/periods.js";
import { kickoffMessage } from "../bot/blocks/jobs/kickoff.js";
import { ApiCallError } from "./api.js";
import { cycleOf, signers } from "./cycles.js";
import type { Job } from "./types.js";

export const cycleOpen: Job = {
  name: "cycle-open",
  title: "Cycle opening",
  description:
    "First business day of the month: opens the cycle, posts the kickoff with the calendar, flags the previous cycle's unsigned steps.",
  schedule: "0 8 * * 1-5",

  async occurrence(at, cal) {
    const today = localDate(at, cal.timezone);
    if (!isBusinessDay(today, cal.holidays)) {
      return { skip: `${today} is not a business day in ${cal.timezone}` };
    }
    const month = today.slice(0, 7);
    const first = nthBusinessDay(month, 1, cal.holidays);
    if (today < first) return { skip: `the first business day of ${month} is ${first}` };
    return {
      period: month,
      target: "",
      relevantUntil: startOfLocalDay(firstDayOfPeriod(addMonths(month, 1)), cal.timezone),
      label: periodLongLabel(month, "en-US"),
    };
  },

  async run(ctx) {
    const month = ctx.occurrence.period;
    const opened = await ctx.api.api.cycles.$post({ json: { month, actor: "sop-jobs", source: "jobs" } });
    if (opened.status !== 201 && opened.status !== 409) {
      throw new ApiCallError(`opening the cycle ${month}`, opened.status, undefined, await opened.text());
    }
    const openedNow = opened.status === 201;
    ctx.logger.info({ month, openedNow }, openedNow ? "opened the cycle" : "the cycle was already open");
    const cycle = await cycleOf(ctx.api, month);
    if (!cycle) throw new Error(`the cycle ${month} is not there after opening it`);

    const previousMonth = addMonths(month, -1);
    const previous = await cycleOf(ctx.api, previousMonth);
    const unsigned = (previous?.steps ?? []).filter((s) => s.roles.length > 0 && s.status !== "signed");

    const first = firstDayOfPeriod(month);
    const next = firstDayOfPeriod(addMonths(month, 1));
    const message = kickoffMessage({
      company: ctx.calendar.name,
      month,
      timezone: ctx.calendar.timezone,
      openedNow,
      steps: cycle.steps.map((s) => ({ name: s.name, dueDate: s.dueDate, signers: signers(s) })),
      holidays: [...ctx.calendar.holidayNames.entries()]
        .filter(([date]) => date >= first && date < next)
        .map(([date, name]) => ({ date, name })),
      previous: unsigned.length
        ? {
            month: previousMonth,
            steps: unsigned.map((s) => ({ name: s.name, dueDate: s.dueDate, missing: s.missing })),
          }
        : null,
      cycleUrl: ctx.link({ view: "cycle", filters: { month } }),
      locale: ctx.settings.locale,
    });
    ctx.slack.postMessage({
      key: "kickoff",
      ...message,
      summary: `kickoff of the ${month} cycle${unsigned.length ? ` (${unsigned.length} unsigned from ${previousMonth})` : ""}`,
    });
  },
};
