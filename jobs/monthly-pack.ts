/**
 * monthly-pack: the executive pre-read, two business days before the executive step's due date
 * (business days at 09:00; keyed by cycle month). It goes out once per cycle: on that day, or,
 * if that day was missed (downtime, a cycle opened late), on any later day up to the meeting.
 */
import { addBusinessDays, isBusinessDay, localDate } from "../api/domain/calendar.js";
import { periodLongLabel } from "../api/domain/format.js";
import { addMonths } from "../api/domain/periods.js";
import { monthlyPack, packChartsComment } from "../bot/blocks/jobs/monthly-pack.js";
import { expectOk } from "./api.js";
import { businessDaysUntil, endOfLocalDay } from "./calendar.js";
import { currentCycle, executiveStep, standingOf } from "./cycles.js";
import { attachCharts, salesVsPlan, shortagesOf } from "./digest-data.js";
import type { Job } from "./types.js";

/** The pre-read goes out this many business days before the executive S&OP. */
export const PACK_LEAD_BUSINESS_DAYS = 2;

export const monthlyPackJob: Job = {
  name: "monthly-pack",
  title: "Executive pre-read",
  description:
    "2 business days before the executive step is due, 09:00: decisions needed (gaps, capacity), accuracy, bias and FVA by family, turns and excess, cycle status, with charts.",
  schedule: "0 9 * * 1-5",

  async occurrence(at, cal, api) {
    const today = localDate(at, cal.timezone);
    if (!isBusinessDay(today, cal.holidays)) {
      return { skip: `${today} is not a business day in ${cal.timezone}` };
    }
    const cycle = await currentCycle(api);
    if (!cycle) return { skip: "no cycle is open" };
    const exec = executiveStep(cycle);
    if (!exec) return { skip: `the ${cycle.month} cycle has no step an executive signs` };
    const sendOn = addBusinessDays(exec.dueDate, -PACK_LEAD_BUSINESS_DAYS, cal.holidays);
    if (today < sendOn) return { skip: `the ${cycle.month} pre-read goes out on ${sendOn}` };
    if (today > exec.dueDate) return { skip: `the ${cycle.month} executive S&OP was due ${exec.dueDate}` };
    return {
      period: cycle.month,
      target: "",
      relevantUntil: endOfLocalDay(exec.dueDate, cal.timezone),
      label: `${periodLongLabel(cycle.month, "en-US")} pre-read`,
    };
  },

  async run(ctx) {
    const n = { locale: ctx.settings.locale, currency: ctx.settings.currency };
    const today = localDate(ctx.now, ctx.calendar.timezone);
    const [cycle, summary, gaps, accuracy, excess] = await Promise.all([
      currentCycle(ctx.api),
      expectOk(await ctx.api.api.kpi.summary.$get(), "reading the KPI summary"),
      expectOk(await ctx.api.api.kpi.gaps.$get({ query: { limit: "5" } }), "reading the gaps"),
      expectOk(await ctx.api.api.kpi.accuracy.$get({ query: { worst: "0" } }), "reading forecast accuracy"),
      expectOk(await ctx.api.api.kpi.excess.$get({ query: { limit: "1" } }), "reading excess stock"),
    ]);
    const p = summary.lastPeriod;
    const [sales, charts] = await Promise.all([
      // The last closed month: the one the plan is judged on.
      p ? salesVsPlan(ctx, p < today.slice(0, 7) ? p : addMonths(p, -1)) : Promise.resolve(null),
      attachCharts(ctx, [
        { name: "capacity-vs-demand", title: "Capacity vs demand" },
        { name: "value-at-risk", title: "Value at risk by family" },
        { name: "forecast-vs-actual", title: "Forecast vs actual" },
        { name: "inventory-trend", title: "Inventory and turns" },
      ]),
    ]);
    const exec = cycle ? executiveStep(cycle) : null;
    const f = summary.figures;
    const message = monthlyPack({
      company: ctx.calendar.name,
      cycle: ctx.occurrence.period,
      today,
      meeting: exec
        ? {
            name: exec.name,
            dueDate: exec.dueDate,
            businessDaysLeft: businessDaysUntil(today, exec.dueDate, ctx.calendar.holidays),
          }
        : null,
      shortages: shortagesOf(gaps.shortages),
      shortageCount: gaps.shortageCount,
      valueAtRisk: gaps.totals.valueAtRisk,
      capacity: gaps.capacity,
      accuracy: {
        from: accuracy.from,
        to: accuracy.to,
        accuracy: accuracy.accuracy,
        bias: accuracy.bias,
        naiveToStatistical: accuracy.fva.naiveToStatistical,
        statisticalToConsensus: accuracy.fva.statisticalToConsensus,
        families: accuracy.byFamily.map((b) => ({
          family: b.family,
          accuracy: b.accuracy,
          bias: b.bias,
          consensusFva: b.fva.statisticalToConsensus,
        })),
      },
      inventory: {
        turns: f.turns.value,
        turnsChange: f.turns.change,
        daysOfInventory: f.daysOfInventory.value,
        inventoryValue: f.inventoryValue.value,
        excessValue: excess.totals.excessValue,
        slowMovingCount: excess.totals.slowMovingCount,
        slowMovingValue: excess.totals.slowMovingValue,
      },
      sales: sales?.hasActuals ? sales : null,
      cycleStanding: standingOf(cycle),
      charts: charts.map((c) => c.title),
      chartsNote: ctx.chartsUnavailable() ? "Charts are unavailable on this server (see the logs)" : null,
      links: {
        overview: ctx.link({ view: "overview" }),
        accuracy: ctx.link({ view: "accuracy" }),
        risk: ctx.link({ view: "risk", section: "gaps" }),
        inventory: ctx.link({ view: "inventory" }),
        cycle: ctx.link({ view: "cycle", filters: { month: ctx.occurrence.period } }),
      },
      numbers: n,
    });
    ctx.slack.postMessage({
      key: "pack",
      ...message,
      summary: `executive pre-read, ${ctx.occurrence.label}`,
    });
    if (charts.length > 0) {
      ctx.slack.filesUploadV2({
        key: "charts",
        initialComment: packChartsComment(
          ctx.occurrence.period,
          charts.map((c) => c.title),
          n.locale,
        ),
        files: charts,
        summary: `${charts.length} charts for the executive pre-read`,
      });
    }
  },
};
