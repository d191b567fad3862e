/**
 * weekly-digest: the weekly check-in, on the first business day of the week at 09:00 (Monday,
 * or Tuesday after a Monday holiday): sales against plan this month, inventory risk, the top
 * gaps and the cycle's standing, with three chart snapshots uploaded right after it. Keyed by
 * ISO week; a start after downtime catches it up within the same week.
 */
import { isBusinessDay, localDate, startOfLocalDay } from "../api/domain/calendar.js";
import { addDays, daysInMonth } from "../api/domain/periods.js";
import { digestChartsComment, weeklyDigest } from "../bot/blocks/jobs/weekly-digest.js";
import { okOrNull } from "./api.js";
import { firstBusinessDayOfWeek, isoWeek, mondayOf } from "./calendar.js";
import { currentCycle, standingOf } from "./cycles.js";
import { attachCharts, salesVsPlan, shortagesOf } from "./digest-data.js";
import type { Job } from "./types.js";

export const weeklyDigestJob: Job = {
  name: "weekly-digest",
  title: "Weekly check-in",
  description:
    "First business day of the week 09:00: sales vs plan month to date, inventory risk, top gaps and the cycle's status, with 3 chart snapshots.",
  schedule: "0 9 * * 1-5",

  async occurrence(at, cal) {
    const today = localDate(at, cal.timezone);
    if (!isBusinessDay(today, cal.holidays)) {
      return { skip: `${today} is not a business day in ${cal.timezone}` };
    }
    const first = firstBusinessDayOfWeek(today, cal.holidays);
    if (first !== today) return { skip: `the week's check-in goes out on ${first}, its first business day` };
    const monday = mondayOf(today);
    return {
      period: isoWeek(today),
      target: "",
      relevantUntil: startOfLocalDay(addDays(monday, 7), cal.timezone),
      label: `week of ${monday}`,
    };
  },

  async run(ctx) {
    const n = { locale: ctx.settings.locale, currency: ctx.settings.currency };
    const today = localDate(ctx.now, ctx.calendar.timezone);
    const month = today.slice(0, 7);
    const [summary, gaps, cycle, sales] = await Promise.all([
      okOrNull(await ctx.api.api.kpi.summary.$get(), "reading the KPI summary", [400]),
      okOrNull(await ctx.api.api.kpi.gaps.$get({ query: { limit: "3" } }), "reading the gaps", [400]),
      currentCycle(ctx.api),
      salesVsPlan(ctx, month),
    ]);
    const charts = await attachCharts(ctx, [
      { name: "forecast-vs-actual", title: "Forecast vs actual" },
      { name: "value-at-risk", title: "Value at risk by family" },
      ...(cycle ? [{ name: "cycle-timeline", title: "Cycle timeline", query: { month: cycle.month } }] : []),
    ]);
    const f = summary?.figures;
    const salesImport = summary?.imports.sales;
    const message = weeklyDigest({
      company: ctx.calendar.name,
      weekOf: mondayOf(today),
      today,
      sales: sales ?? {
        period: month,
        closed: false,
        elapsed: 0,
        daysInMonth: daysInMonth(month),
        hasActuals: false,
        actualUnits: 0,
        planToDate: 0,
        deviation: null,
        threshold: ctx.settings.varianceThreshold,
        offPlan: [],
        lastClosed: null,
      },
      risk: {
        high: f?.highRiskCount.value ?? 0,
        valueAtRisk: gaps?.totals.valueAtRisk ?? f?.valueAtRisk.value ?? 0,
        shortageCount: gaps?.shortageCount ?? 0,
        daysOfInventory: f?.daysOfInventory.value ?? null,
        excessValue: f?.excessValue.value ?? 0,
      },
      shortages: gaps ? shortagesOf(gaps.shortages) : [],
      capacity: gaps?.capacity ?? [],
      cycle: standingOf(cycle),
      dataThrough: summary?.lastPeriod ?? null,
      salesImportedOn: salesImport ? localDate(new Date(salesImport), ctx.calendar.timezone) : null,
      charts: charts.map((c) => c.title),
      chartsNote: ctx.chartsUnavailable() ? "Charts are unavailable on this server (see the logs)" : null,
      links: {
        overview: ctx.link({ view: "overview" }),
        risk: ctx.link({ view: "risk", section: "gaps" }),
        cycle: ctx.link({ view: "cycle", filters: { month: cycle?.month } }),
      },
      numbers: n,
    });
    ctx.slack.postMessage({ key: "digest", ...message, summary: `weekly check-in, ${ctx.occurrence.label}` });
    if (charts.length > 0) {
      ctx.slack.filesUploadV2({
        key: "charts",
        initialComment: digestChartsComment(
          mondayOf(today),
          charts.map((c) => c.title),
          n.locale,
        ),
        files: charts,
        summary: `${charts.length} charts for the weekly check-in`,
      });
    }
  },
};
