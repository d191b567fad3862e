/**
 * Data the weekly digest and the monthly pack share: sales against plan (this month, or the
 * last closed one when this month has no sales yet), shortages in message form, and chart
 * snapshots fetched from the API as PNG files.
 */
import { addMonths, daysInMonth } from "../api/domain/periods.js";
import type { SalesVsPlan, Shortage } from "../bot/blocks/jobs/sections.js";
import { okOrNull } from "./api.js";
import type { ChartFile, JobContext } from "./types.js";

/** Sales against plan for `month`; when it has no sales, the last closed month alongside. */
export async function salesVsPlan(ctx: JobContext, month: string): Promise<SalesVsPlan | null> {
  const threshold = String(ctx.settings.varianceThreshold);
  const now = await okOrNull(
    await ctx.api.api.kpi.variance.$get({ query: { period: month, threshold } }),
    `reading sales against plan for ${month}`,
    [400],
  );
  if (!now) return null; // no sales history at all
  let lastClosed: SalesVsPlan["lastClosed"] = null;
  let offPlan = now.families;
  if (!now.hasActuals) {
    const p = now.lastPeriod && now.lastPeriod < month ? now.lastPeriod : addMonths(month, -1);
    const last = await okOrNull(
      await ctx.api.api.kpi.variance.$get({ query: { period: p, threshold } }),
      `reading sales against plan for ${p}`,
      [400],
    );
    if (last?.hasActuals) {
      lastClosed = {
        period: last.period,
        actualUnits: last.total.actualUnits,
        planUnits: last.total.planUnits,
        deviation: last.total.deviation,
      };
      offPlan = last.families;
    } else {
      offPlan = [];
    }
  }
  return {
    period: month,
    closed: now.closed,
    elapsed: now.elapsed,
    daysInMonth: daysInMonth(month),
    hasActuals: now.hasActuals,
    actualUnits: now.total.actualUnits,
    planToDate: now.total.planToDate,
    deviation: now.total.deviation,
    threshold: now.threshold,
    offPlan: offPlan.filter((f) => f.flagged).map((f) => ({ family: f.family, deviation: f.deviation })),
    lastClosed,
  };
}

export function shortagesOf(
  items: {
    sku: string;
    name: string;
    location: string;
    firstStockoutPeriod: string | null;
    orderBy: string | null;
    shortageUnits: number;
    valueAtRisk: number;
  }[],
): Shortage[] {
  return items.map((i) => ({
    sku: i.sku,
    name: i.name,
    location: i.location,
    firstStockoutPeriod: i.firstStockoutPeriod,
    orderBy: i.orderBy,
    shortageUnits: i.shortageUnits,
    valueAtRisk: i.valueAtRisk,
  }));
}

export interface ChartSpec {
  name: string;
  title: string;
  query?: Record<string, string>;
}

/**
 * The charts as PNG files, in the order given; a chart the server cannot draw (no canvas, no
 * data for it) is left out. Fetched concurrently: the API renders them on its worker pool.
 */
export async function attachCharts(ctx: JobContext, specs: ChartSpec[]): Promise<ChartFile[]> {
  const pngs = await Promise.all(specs.map((s) => ctx.chart(s.name, s.query)));
  return specs.flatMap((s, i) => {
    const png = pngs[i];
    if (!png) return [];
    return [
      {
        filename: `${s.name}.png`,
        title: s.title,
        altText: `${s.title} chart`,
        content: png,
      },
    ];
  });
}
