/**
 * Forecast value added by contributor over a window of target months: the naive, statistical
 * and consensus forecasts month by month (DOMAIN.md's FVA), and each person's overrides and
 * each imported sales or marketing input against the statistical forecast on the cells they
 * changed. This is where "gaming the numbers" shows: an input that is consistently worse than
 * the statistical forecast has a negative FVA and usually a bias.
 */
import type { Db } from "../../db/client.js";
import { type ContributorCell, contributorCells } from "../../db/repositories/contributor-accuracy.js";
import { fvaCells } from "../../db/repositories/kpi.js";
import { getPerson } from "../../db/repositories/people.js";
import { type FvaSums, fvaFromSums } from "../domain/accuracy.js";
import {
  addContributorSums,
  type ContributorFva,
  type ContributorSums,
  EMPTY_CONTRIBUTOR_SUMS,
  contributorFva as figures,
} from "../domain/contributor-fva.js";
import { addMonths, monthsBetween, type Period, periodRange, toPeriod } from "../domain/periods.js";
import { BadRequestError } from "../errors.js";

export interface FvaTotals {
  rows: number;
  actualUnits: number;
  naiveWape: number | null;
  statisticalWape: number | null;
  consensusWape: number | null;
  naiveToStatistical: number | null;
  statisticalToConsensus: number | null;
}

export interface ContributorReport extends ContributorFva {
  kind: "person" | "source";
  id: string;
  name: string;
  roles: string[];
  overrides: number;
  periods: ({ period: Period } & ContributorFva)[];
}

export interface FvaReport {
  from: Period;
  to: Period;
  lag: number;
  total: FvaTotals;
  periods: ({ period: Period } & FvaTotals)[];
  /** Worst first: the lowest FVA (inputs that made the forecast worse) at the top. */
  contributors: ContributorReport[];
}

const EMPTY_FVA: FvaSums = {
  rows: 0,
  actualUnits: 0,
  naiveAbsError: 0,
  statisticalAbsError: 0,
  consensusAbsError: 0,
};

const addFva = (a: FvaSums, c: FvaSums): FvaSums => ({
  rows: a.rows + c.rows,
  actualUnits: a.actualUnits + c.actualUnits,
  naiveAbsError: a.naiveAbsError + c.naiveAbsError,
  statisticalAbsError: a.statisticalAbsError + c.statisticalAbsError,
  consensusAbsError: a.consensusAbsError + c.consensusAbsError,
});

function totals(s: FvaSums): FvaTotals {
  const f = fvaFromSums(s);
  return {
    rows: f.rows,
    actualUnits: f.actualUnits,
    naiveWape: f.naiveWape,
    statisticalWape: f.statisticalWape,
    consensusWape: f.consensusWape,
    naiveToStatistical: f.naiveToStatistical,
    statisticalToConsensus: f.statisticalToConsensus,
  };
}

const SOURCE_NAMES: Record<string, string> = {
  sales: "Sales input (imported)",
  marketing: "Marketing input (imported)",
};

export async function contributorFva(
  db: Db,
  q: {
    from?: Period | undefined;
    to?: Period | undefined;
    months: number;
    lag: number;
    scope: { family?: string | undefined; location?: string | undefined };
    lastPeriod: Period | null;
  },
): Promise<FvaReport> {
  if (!q.lastPeriod) throw new BadRequestError("there is no sales history yet: import sales.csv first");
  const to = q.to ?? q.lastPeriod;
  const from = q.from ?? addMonths(to, -(q.months - 1));
  if (from > to) throw new BadRequestError("from: must not be after to");
  if (monthsBetween(from, to) > 35) throw new BadRequestError("from: the window is at most 36 months");
  const scope = {
    ...(q.scope.family ? { family: q.scope.family } : {}),
    ...(q.scope.location ? { location: q.scope.location } : {}),
  };
  const [fva, cells] = await Promise.all([
    fvaCells(db, { lag: q.lag, from: `${from}-01`, to: `${to}-01`, scope }),
    contributorCells(db, {
      from: `${from}-01`,
      to: `${to}-01`,
      last: `${q.lastPeriod}-01`,
      lag: q.lag,
      scope,
    }),
  ]);

  const byPeriod = new Map<Period, FvaSums>();
  let all = EMPTY_FVA;
  for (const c of fva) {
    const p = toPeriod(c.period);
    byPeriod.set(p, addFva(byPeriod.get(p) ?? EMPTY_FVA, c));
    all = addFva(all, c);
  }

  const groups = new Map<string, ContributorCell[]>();
  for (const c of cells) {
    const k = `${c.kind}\t${c.id}`;
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  const contributors: ContributorReport[] = [];
  for (const list of groups.values()) {
    const { kind, id } = list[0]!;
    let sum: ContributorSums = EMPTY_CONTRIBUTOR_SUMS;
    let overrides = 0;
    const periods: ({ period: Period } & ContributorFva)[] = [];
    for (const c of list) {
      sum = addContributorSums(sum, c);
      overrides += c.overrides;
      periods.push({ period: toPeriod(c.period), ...figures(c) });
    }
    let name = SOURCE_NAMES[id] ?? id;
    let roles = kind === "source" ? [id] : [];
    if (kind === "person") {
      const person = await getPerson(db, id);
      name = person?.name ?? id;
      roles = (person?.roles ?? []).filter((r) => r === "sales" || r === "marketing");
    }
    contributors.push({ kind, id, name, roles, overrides, ...figures(sum), periods });
  }
  contributors.sort(
    (a, b) =>
      (a.fva ?? Number.POSITIVE_INFINITY) - (b.fva ?? Number.POSITIVE_INFINITY) || a.id.localeCompare(b.id),
  );

  return {
    from,
    to,
    lag: q.lag,
    total: totals(all),
    periods: periodRange(from, to).map((period) => ({
      period,
      ...totals(byPeriod.get(period) ?? EMPTY_FVA),
    })),
    contributors,
  };
}
