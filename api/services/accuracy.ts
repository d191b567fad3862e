/**
 * Forecast accuracy over a window: total, per period, per family, FVA and the worst
 * SKU-locations. SQL returns additive sums per (period, family); api/domain does the ratios.
 */
import type { Db } from "../../db/client.js";
import {
  type AccuracyCell,
  accuracyCells,
  type FvaCell,
  fvaCells,
  worstAccuracyLines,
  worstStoredLines,
} from "../../db/repositories/kpi.js";
import type { Scope } from "../../db/repositories/plan.js";
import {
  type Accuracy,
  type AccuracySums,
  accuracyFromSums,
  type Fva,
  type FvaSums,
  fvaFromSums,
  TRACKING_SIGNAL_LIMIT,
} from "../domain/accuracy.js";
import { addMonths, monthsBetween, type Period, periodRange, toPeriod } from "../domain/periods.js";

export interface AccuracyQuery {
  /** First target period, 'YYYY-MM'. */
  from: Period;
  /** Last target period, 'YYYY-MM'. */
  to: Period;
  lag: number;
  source: string;
  scope: Scope;
  worst: number;
  /** P, when known: the default window's worst lines are stored with the plan. */
  lastPeriod?: Period;
}

export interface AccuracyFigures extends Accuracy {
  /** Σ|e|, units. */
  absError: number;
}

export interface FvaFigures {
  rows: number;
  naiveWape: number | null;
  statisticalWape: number | null;
  consensusWape: number | null;
  /** WAPE(naive) − WAPE(statistical), a fraction; positive = the statistical forecast helped. */
  naiveToStatistical: number | null;
  /** WAPE(statistical) − WAPE(consensus), a fraction; positive = the consensus step helped. */
  statisticalToConsensus: number | null;
}

export interface AccuracyReport extends AccuracyFigures {
  from: Period;
  to: Period;
  lag: number;
  source: string;
  fva: FvaFigures;
  periods: ({ period: Period } & AccuracyFigures)[];
  byFamily: ({ family: string } & AccuracyFigures & { fva: FvaFigures })[];
  worst: {
    sku: string;
    location: string;
    family: string;
    wape: number | null;
    bias: number | null;
    absError: number;
    actualUnits: number;
    forecastUnits: number;
    trackingSignal: number | null;
    biased: boolean;
  }[];
  /** The window of the same length just before this one: for a trend. */
  previous: { from: Period; to: Period } & AccuracyFigures;
}

const EMPTY: AccuracySums = {
  rows: 0,
  actualUnits: 0,
  forecastUnits: 0,
  absErrorUnits: 0,
  apeSum: 0,
  apeRows: 0,
};
const EMPTY_FVA: FvaSums = {
  rows: 0,
  actualUnits: 0,
  naiveAbsError: 0,
  statisticalAbsError: 0,
  consensusAbsError: 0,
};

function add(a: AccuracySums, c: AccuracySums): AccuracySums {
  return {
    rows: a.rows + c.rows,
    actualUnits: a.actualUnits + c.actualUnits,
    forecastUnits: a.forecastUnits + c.forecastUnits,
    absErrorUnits: a.absErrorUnits + c.absErrorUnits,
    apeSum: a.apeSum + c.apeSum,
    apeRows: a.apeRows + c.apeRows,
  };
}

function addFva(a: FvaSums, c: FvaSums): FvaSums {
  return {
    rows: a.rows + c.rows,
    actualUnits: a.actualUnits + c.actualUnits,
    naiveAbsError: a.naiveAbsError + c.naiveAbsError,
    statisticalAbsError: a.statisticalAbsError + c.statisticalAbsError,
    consensusAbsError: a.consensusAbsError + c.consensusAbsError,
  };
}

export function figures(s: AccuracySums): AccuracyFigures {
  return { ...accuracyFromSums(s), absError: s.absErrorUnits };
}

function fvaFigures(s: FvaSums): FvaFigures {
  const f: Fva = fvaFromSums(s);
  return {
    rows: f.rows,
    naiveWape: f.naiveWape,
    statisticalWape: f.statisticalWape,
    consensusWape: f.consensusWape,
    naiveToStatistical: f.naiveToStatistical,
    statisticalToConsensus: f.statisticalToConsensus,
  };
}

/** Sums cells whose period is within [from, to], grouped by `key`. */
function group<C extends { period: string }, S>(
  cells: readonly C[],
  from: Period,
  to: Period,
  key: (c: C) => string,
  empty: S,
  plus: (a: S, c: C) => S,
): Map<string, S> {
  const out = new Map<string, S>();
  for (const c of cells) {
    const p = toPeriod(c.period);
    if (p < from || p > to) continue;
    const k = key(c);
    out.set(k, plus(out.get(k) ?? empty, c));
  }
  return out;
}

/** Accuracy sums of the cells in [from, to]: one number set, for summaries and trends. */
export function windowSums(cells: readonly AccuracyCell[], from: Period, to: Period): AccuracySums {
  return group(cells, from, to, () => "all", EMPTY, add).get("all") ?? EMPTY;
}

export async function accuracyReport(db: Db, q: AccuracyQuery): Promise<AccuracyReport> {
  const length = monthsBetween(q.from, q.to) + 1;
  const previousFrom = addMonths(q.from, -length);
  const previousTo = addMonths(q.from, -1);
  const [cells, fva, worst] = await Promise.all([
    accuracyCells(db, {
      source: q.source,
      lag: q.lag,
      from: `${previousFrom}-01`,
      to: `${q.to}-01`,
      scope: q.scope,
    }),
    fvaCells(db, { lag: q.lag, from: `${q.from}-01`, to: `${q.to}-01`, scope: q.scope }),
    // accuracy_lines holds lag 1 over P−11…P: the default view; anything else is computed live.
    q.lag === 1 &&
    q.lastPeriod !== undefined &&
    q.to === q.lastPeriod &&
    q.from === addMonths(q.lastPeriod, -11)
      ? worstStoredLines(db, { source: q.source, scope: q.scope, limit: q.worst })
      : worstAccuracyLines(db, {
          source: q.source,
          lag: q.lag,
          from: `${q.from}-01`,
          to: `${q.to}-01`,
          scope: q.scope,
          limit: q.worst,
        }),
  ]);
  const total = windowSums(cells, q.from, q.to);
  const byPeriod = group(cells, q.from, q.to, (c) => toPeriod(c.period), EMPTY, add);
  const byFamily = group(cells, q.from, q.to, (c) => c.family, EMPTY, add);
  const fvaTotal =
    group(
      fva,
      q.from,
      q.to,
      () => "all",
      EMPTY_FVA,
      (a, c: FvaCell) => addFva(a, c),
    ).get("all") ?? EMPTY_FVA;
  const fvaByFamily = group(
    fva,
    q.from,
    q.to,
    (c) => c.family,
    EMPTY_FVA,
    (a, c: FvaCell) => addFva(a, c),
  );
  return {
    from: q.from,
    to: q.to,
    lag: q.lag,
    source: q.source,
    ...figures(total),
    fva: fvaFigures(fvaTotal),
    periods: periodRange(q.from, q.to).map((period) => ({
      period,
      ...figures(byPeriod.get(period) ?? EMPTY),
    })),
    byFamily: [...byFamily.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([family, s]) => ({
        family,
        ...figures(s),
        fva: fvaFigures(fvaByFamily.get(family) ?? EMPTY_FVA),
      })),
    worst: worst.map((w) => {
      const f = accuracyFromSums(w as unknown as AccuracySums);
      const ts = w.tsMad === null ? null : w.tsMad > 0 ? (w.tsSumError ?? 0) / w.tsMad : 0;
      return {
        sku: w.sku,
        location: w.location,
        family: w.family,
        wape: f.wape,
        bias: f.bias,
        absError: w.absErrorUnits,
        actualUnits: w.actualUnits,
        forecastUnits: w.forecastUnits,
        trackingSignal: ts,
        biased: ts !== null && Math.abs(ts) > TRACKING_SIGNAL_LIMIT,
      };
    }),
    previous: { from: previousFrom, to: previousTo, ...figures(windowSums(cells, previousFrom, previousTo)) },
  };
}
