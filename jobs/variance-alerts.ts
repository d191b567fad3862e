/**
 * variance-alerts: business days at 07:30, and after each sales import. For the latest closed
 * month, every family whose actual units deviate from plan by more than the threshold (default
 * 20%), or whose A-items do, gets one alert. Each alert is unique per family and month across
 * all runs: the daily run after an import finds it sent and stays quiet.
 */
import { localDate } from "../api/domain/calendar.js";
import { addMonths } from "../api/domain/periods.js";
import { varianceAlert } from "../bot/blocks/jobs/variance-alert.js";
import { expectOk, okOrNull } from "./api.js";
import { businessDayOccurrence } from "./calendar.js";
import type { Job } from "./types.js";

export const varianceAlerts: Job = {
  name: "variance-alerts",
  title: "Variance alerts",
  description:
    "Business days 07:30 and after each sales import: families (and A-items) off plan by more than the threshold in the latest closed month → one alert per family and month.",
  schedule: "30 7 * * 1-5",

  async occurrence(at, cal) {
    return businessDayOccurrence(at, cal);
  },

  async run(ctx) {
    const threshold = String(ctx.settings.varianceThreshold);
    const thisMonth = localDate(ctx.now, ctx.calendar.timezone).slice(0, 7);
    let report = await okOrNull(
      await ctx.api.api.kpi.variance.$get({ query: { threshold } }),
      "reading sales against plan",
      [400],
    );
    if (!report) {
      ctx.logger.info("no sales history yet: nothing to compare with the plan");
      return;
    }
    // A month still in progress (month-to-date sales) is judged once it has ended.
    if (!report.closed || report.period >= thisMonth) {
      const previous = addMonths(report.period, -1);
      report = await expectOk(
        await ctx.api.api.kpi.variance.$get({ query: { period: previous, threshold } }),
        `reading sales against plan for ${previous}`,
      );
    }
    if (!report.hasActuals) {
      ctx.logger.info({ period: report.period }, "no sales recorded for the month: nothing to compare");
      return;
    }
    const period = report.period;
    const alerts = report.families.filter((f) => f.flagged || f.flaggedItems > 0);
    ctx.logger.info(
      { period, families: report.families.length, alerts: alerts.length },
      "variance against plan",
    );
    for (const family of alerts) {
      const message = varianceAlert({
        family: family.family,
        period,
        threshold: report.threshold,
        total: family,
        items: report.items.filter((i) => i.family === family.family),
        unplannedUnits: family.unplannedUnits,
        links: {
          accuracy: ctx.link({ view: "accuracy", filters: { family: family.family, to: period } }),
          family: ctx.link({ view: "overview", filters: { family: family.family } }),
        },
        numbers: { locale: ctx.settings.locale, currency: ctx.settings.currency },
      });
      ctx.slack.postMessage({
        key: `family:${family.family}`,
        once: `${period}:${family.family}`,
        ...message,
        summary: `variance alert: ${family.family} in ${period} (${
          family.deviation === null ? "no plan" : `${(family.deviation * 100).toFixed(1)}%`
        })`,
      });
    }
  },
};
