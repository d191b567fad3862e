/**
 * The data behind each chart, from the same services as the KPI answers, so a chart never
 * shows a number the API would not: one function per chart, scoped like the KPIs.
 */
import type { Db, Sql } from "../../db/client.js";
import { capacityRows, familyDemand, salesCells } from "../../db/repositories/kpi.js";
import { latestSnapshot, planLines, type Scope, valueAtRiskByFamily } from "../../db/repositories/plan.js";
import { getCompany } from "../../db/repositories/settings.js";
import type { ChartName } from "../charts/index.js";
import { localDate } from "../domain/calendar.js";
import { addMonths, nextPeriods, type Period, periodIndex, toPeriod } from "../domain/periods.js";
import { DEFAULT_HORIZON } from "../domain/projection.js";
import { BadRequestError } from "../errors.js";
import { accuracyReport } from "./accuracy.js";
import { currentCycle, loadCycle } from "./cycles.js";
import { rankedItems } from "./inventory-risk.js";
import { turnsReport } from "./turns.js";

export interface ChartQuery {
  scope: Scope;
  lag: number;
  horizon: number;
  /** A cycle month for the timeline; the current cycle when absent. */
  month?: Period | undefined;
  now: Date;
}

const MAX_FAMILIES = 6;

function scopeLabel(scope: Scope): string {
  const parts = [scope.sku ?? scope.family ?? "All items", scope.location].filter(Boolean);
  return parts.join(" · ");
}

/** Units of the plan per calendar month over `periods` in scope (full months). */
async function planByMonth(db: Db, scope: Scope, periods: Period[]): Promise<number[]> {
  if (!scope.sku && !scope.location) {
    const rows = await familyDemand(db, {
      from: `${periods[0]}-01`,
      to: `${periods.at(-1)}-01`,
      family: scope.family,
    });
    return periods.map((p) => rows.filter((r) => toPeriod(r.period) === p).reduce((s, r) => s + r.units, 0));
  }
  const lines = await planLines(db, scope);
  return periods.map((p) =>
    lines.reduce((s, l) => {
      const i = periodIndex(p) - periodIndex(l.startPeriod);
      return s + (i >= 0 && i < l.demand.length ? (l.demand[i] ?? 0) : 0);
    }, 0),
  );
}

/** The input of chart `name` (validated later by the chart's own schema). */
export async function chartInput(
  db: Sql,
  name: ChartName,
  q: ChartQuery,
  lastPeriod: Period,
  /** The data version kpiContext read: live risk computations are kept for it. */
  dataVersion: number,
): Promise<unknown> {
  switch (name) {
    case "forecast-vs-actual": {
      const from = addMonths(lastPeriod, -11);
      const future = nextPeriods(addMonths(lastPeriod, 1), 6);
      const [report, sales, plan] = await Promise.all([
        accuracyReport(db, {
          from,
          to: lastPeriod,
          lag: q.lag,
          source: "consensus",
          scope: q.scope,
          worst: 0,
          lastPeriod,
        }),
        salesCells(db, { from: `${from}-01`, to: `${lastPeriod}-01`, scope: q.scope }),
        planByMonth(db, q.scope, future),
      ]);
      // The actuals are every sale of the scope in the month, whether or not a forecast was made
      // for it (a month before the first plan snapshot still shows what was sold); the forecast
      // line is there for the months that had one.
      const sold = new Map<Period, number>();
      for (const c of sales) sold.set(toPeriod(c.period), (sold.get(toPeriod(c.period)) ?? 0) + c.units);
      return {
        scope: scopeLabel(q.scope),
        lag: q.lag,
        accuracy: report.accuracy,
        history: report.periods.map((p) => ({
          period: p.period,
          actual: sold.get(p.period) ?? (p.rows > 0 ? 0 : null),
          forecast: p.rows > 0 ? p.forecastUnits : null,
        })),
        plan: future.map((period, i) => ({ period, units: plan[i] ?? 0 })),
      };
    }
    case "inventory-trend": {
      const report = await turnsReport(db, { to: lastPeriod, scope: q.scope });
      return {
        scope: scopeLabel(q.scope),
        months: report.trend.map((t) => ({ period: t.period, value: t.inventoryValue, turns: t.turns })),
      };
    }
    case "value-at-risk": {
      const families =
        q.horizon === DEFAULT_HORIZON
          ? await valueAtRiskByFamily(db, q.scope)
          : [
              ...(await rankedItems(db, q.scope, q.horizon, lastPeriod, dataVersion))
                .reduce((m, i) => {
                  const f = m.get(i.family) ?? { family: i.family, valueAtRisk: 0, shortageUnits: 0 };
                  f.valueAtRisk += i.valueAtRisk;
                  f.shortageUnits += i.shortageUnits;
                  return m.set(i.family, f);
                }, new Map<string, { family: string; valueAtRisk: number; shortageUnits: number }>())
                .values(),
            ];
      const asOf = await latestSnapshot(db, q.scope);
      return { families, horizonMonths: q.horizon, ...(asOf ? { asOf } : {}) };
    }
    case "capacity-vs-demand": {
      const periods = nextPeriods(addMonths(lastPeriod, 1), q.horizon);
      const range = { from: `${periods[0]}-01`, to: `${periods.at(-1)}-01`, family: q.scope.family };
      const [demand, caps] = await Promise.all([familyDemand(db, range), capacityRows(db, range)]);
      const withCapacity = [...new Set(caps.map((c) => c.family))];
      const series = withCapacity.map((family) => {
        const months = periods.map((period) => ({
          period,
          demand: demand.find((d) => d.family === family && toPeriod(d.period) === period)?.units ?? 0,
          capacity: caps.find((c) => c.family === family && toPeriod(c.period) === period)?.units ?? null,
        }));
        const gap = months.reduce(
          (s, m) => s + Math.max(0, m.capacity === null ? 0 : m.demand - m.capacity),
          0,
        );
        return { family, months, gap };
      });
      if (series.length === 0) {
        throw new BadRequestError(
          "there is no capacity recorded for the next months: import capacity.csv first",
        );
      }
      // The families with the largest gaps first; at most six fit one chart.
      series.sort((a, b) => b.gap - a.gap || a.family.localeCompare(b.family));
      return { families: series.slice(0, MAX_FAMILIES).map(({ family, months }) => ({ family, months })) };
    }
    case "cycle-timeline": {
      const [cycle, company] = await Promise.all([
        q.month ? loadCycle(db, q.month, q.now) : currentCycle(db, q.now),
        getCompany(db),
      ]);
      return {
        cycle: cycle.month,
        today: localDate(q.now, company.timezone),
        steps: cycle.steps.map((s) => ({
          key: s.key,
          label: s.name,
          due: s.dueDate,
          status: s.status === "signed" ? "signed" : s.overdue ? "overdue" : "open",
          signs: s.roles.length > 0,
        })),
      };
    }
  }
}
