/**
 * The worked example of DOMAIN.md: every figure of test/fixtures/tiny/expected.json computed
 * from the CSVs with the domain functions, grouping the rows the way the services' SQL does.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  type AccuracyRow,
  forecastAccuracy,
  forecastValueAdded,
  naivePeriod,
  trackingSignal,
} from "../../../api/domain/accuracy.js";
import { capacityGaps, type FamilyDemandRow } from "../../../api/domain/capacity-gaps.js";
import { actualsFallback, demandPlanSeries } from "../../../api/domain/demand-plan.js";
import { excessStock, forwardDemand, isSlowMoving } from "../../../api/domain/excess.js";
import { addMonths, nextPeriods, periodIndex, trailingPeriods } from "../../../api/domain/periods.js";
import {
  DEFAULT_HORIZON,
  daysOfSupply,
  orderByDate,
  projectBalance,
  projectionStart,
  valueAtRisk,
} from "../../../api/domain/projection.js";
import { demandSigma, safetyStock } from "../../../api/domain/safety-stock.js";
import { segment } from "../../../api/domain/segments.js";
import { riskClass, stockoutProbability } from "../../../api/domain/stockout-risk.js";
import { inventoryTurns, inventoryValueByMonth } from "../../../api/domain/turns.js";

type Row = Record<string, string>;
const read = (name: string): Row[] =>
  Papa.parse<Row>(readFileSync(new URL(`../../fixtures/tiny/${name}.csv`, import.meta.url), "utf8"), {
    header: true,
    skipEmptyLines: true,
  }).data;
const expected = JSON.parse(
  readFileSync(new URL("../../fixtures/tiny/expected.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

interface Item {
  sku: string;
  family: string;
  unitCost: number;
  unitPrice: number;
  leadTimeDays: number;
  serviceLevel: number;
}
const items = new Map<string, Item>(
  read("items").map((r) => [
    r.sku!,
    {
      sku: r.sku!,
      family: r.family!,
      unitCost: Number(r.unit_cost),
      unitPrice: Number(r.unit_price),
      leadTimeDays: Number(r.lead_time_days),
      serviceLevel: r.service_level ? Number(r.service_level) : 0.95,
    },
  ]),
);
const item = (sku: string) => items.get(sku)!;
const loc = (r: Row) => r.location || "MAIN";
const key = (sku: string, location: string) => `${sku}\t${location}`;

const sales = read("sales").map((r) => {
  const units = Number(r.units);
  return {
    sku: r.sku!,
    location: loc(r),
    period: r.period!,
    units,
    revenue: r.revenue ? Number(r.revenue) : units * item(r.sku!).unitPrice,
  };
});
const forecasts = read("forecasts").map((r) => ({
  sku: r.sku!,
  location: loc(r),
  period: r.period!,
  cycle: r.cycle!,
  source: r.source!,
  units: Number(r.units),
  lag: periodIndex(r.period!) - periodIndex(r.cycle!),
}));
const inventory = read("inventory").map((r) => ({
  sku: r.sku!,
  location: loc(r),
  asOf: r.as_of!,
  onHand: Number(r.on_hand),
}));
const supply = read("supply").map((r) => ({
  sku: r.sku!,
  location: loc(r),
  due: r.due!,
  units: Number(r.units),
}));
const capacity = read("capacity").map((r) => ({
  family: r.family!,
  period: r.period!,
  units: Number(r.units),
}));

const actualOf = new Map(sales.map((s) => [`${key(s.sku, s.location)}\t${s.period}`, s.units]));
const actual = (sku: string, location: string, period: string) =>
  actualOf.get(`${key(sku, location)}\t${period}`) ?? 0;

const salesPeriods = [...new Set(sales.map((s) => s.period))].sort();
/** The last closed period: the latest month in the sales history. */
const P = salesPeriods.at(-1)!;
/** A naive forecast needs its month in the history, i.e. no earlier than the first sales month. */
const firstHistoryPeriod = salesPeriods[0]!;
const window = trailingPeriods(P, 12);
const inWindow = (period: string) => period >= window[0]! && period <= P;
const skuLocations = [...new Set(inventory.map((r) => key(r.sku, r.location)))].sort();

/** Consensus (or another source's) lag-1 forecasts with their actuals, in the window. */
function lagOneRows(source: string, scope: (sku: string) => boolean, periods: (p: string) => boolean) {
  return forecasts
    .filter((f) => f.source === source && f.lag === 1 && periods(f.period) && scope(f.sku))
    .map((f) => ({ ...f, actual: actual(f.sku, f.location, f.period), forecast: f.units }));
}

function accuracyOf(scope: (sku: string) => boolean) {
  const rows: AccuracyRow[] = lagOneRows("consensus", scope, inWindow);
  const statistical = new Map(
    lagOneRows("statistical", scope, inWindow).map((f) => [
      `${key(f.sku, f.location)}\t${f.period}`,
      f.units,
    ]),
  );
  const fva = forecastValueAdded(
    lagOneRows("consensus", scope, inWindow).map((f) => {
      const np = naivePeriod(f.period, 1);
      return {
        actual: f.actual,
        consensus: f.units,
        statistical: statistical.get(`${key(f.sku, f.location)}\t${f.period}`) ?? null,
        naive: np >= firstHistoryPeriod ? actual(f.sku, f.location, np) : null,
      };
    }),
  );
  const a = forecastAccuracy(rows);
  return {
    rows: a.rows,
    actualUnits: a.actualUnits,
    forecastUnits: a.forecastUnits,
    wape: a.wape,
    bias: a.bias,
    mape: a.mape,
    accuracy: a.accuracy,
    fva: { naiveToStatistical: fva.naiveToStatistical, statisticalToConsensus: fva.statisticalToConsensus },
  };
}

function turnsOf(scope: (sku: string) => boolean) {
  let cogs = 0;
  for (const s of sales) if (inWindow(s.period) && scope(s.sku)) cogs += s.units * item(s.sku).unitCost;
  const values = inventoryValueByMonth(
    inventory
      .filter((r) => inWindow(r.asOf.slice(0, 7)) && scope(r.sku))
      .map((r) => ({
        key: key(r.sku, r.location),
        asOf: r.asOf,
        onHand: r.onHand,
        unitCost: item(r.sku).unitCost,
      })),
  );
  const t = inventoryTurns(
    cogs,
    window.map((p) => values.get(p) ?? null),
  );
  return {
    cogs: t.cogs,
    avgInventoryValue: t.avgInventoryValue,
    turns: t.turns,
    daysOfInventory: t.daysOfInventory,
    months: t.months,
  };
}

/** Forecast rows of one SKU-location as a query would return them. */
const forecastsOf = (sku: string, location: string) =>
  forecasts.filter((f) => f.sku === sku && f.location === location);

const fallbackOf = (sku: string, location: string) =>
  actualsFallback(trailingPeriods(P, 3).map((p) => actual(sku, location, p)));

function riskOf(k: string) {
  const [sku, location] = k.split("\t") as [string, string];
  const it = item(sku);
  const latest = inventory
    .filter((r) => r.sku === sku && r.location === location)
    .reduce((a, b) => (b.asOf > a.asOf ? b : a));
  const start = projectionStart(latest.asOf);
  const demand = demandPlanSeries(
    start,
    Math.max(DEFAULT_HORIZON, 6),
    forecastsOf(sku, location),
    fallbackOf(sku, location),
  );
  const projection = projectBalance({
    onHand: latest.onHand,
    asOf: latest.asOf,
    demand,
    supply: supply.filter((s) => s.sku === sku && s.location === location),
  });
  const errors = lagOneRows("consensus", (s) => s === sku, inWindow)
    .filter((f) => f.location === location)
    .map((f) => f.forecast - f.actual);
  const sigma = demandSigma(
    errors,
    window.map((p) => actual(sku, location, p)),
  ).sigma;
  const probability = stockoutProbability(
    projection.rows.map((r) => r.balance),
    sigma,
    it.leadTimeDays,
  );
  const forward = forwardDemand(demand);
  const excess = excessStock(latest.onHand, forward, it.unitCost);
  const recent = trailingPeriods(P, 6);
  const tsErrors = lagOneRows(
    "consensus",
    (s) => s === sku,
    (p) => recent.includes(p),
  )
    .filter((f) => f.location === location)
    .map((f) => f.forecast - f.actual);
  return {
    sku,
    location,
    onHand: latest.onHand,
    asOf: latest.asOf,
    daysOfSupply: daysOfSupply(latest.onHand, demand, start),
    safetyStock: safetyStock(it.serviceLevel, sigma, it.leadTimeDays),
    projection: projection.rows,
    firstStockoutPeriod: projection.firstStockoutPeriod,
    orderBy:
      projection.firstStockoutPeriod === null
        ? null
        : orderByDate(projection.firstStockoutPeriod, it.leadTimeDays),
    stockoutProbability: probability,
    shortageUnits: projection.shortageUnits,
    valueAtRisk: valueAtRisk(projection.shortageUnits, it.unitPrice),
    risk: riskClass(probability),
    excessUnits: excess.excessUnits,
    excessValue: excess.excessValue,
    forwardDemand: forward,
    slowMoving: isSlowMoving(
      latest.onHand,
      recent.reduce((s, p) => s + actual(sku, location, p), 0),
    ),
    trackingSignal: trackingSignal(tsErrors).signal,
  };
}

function capacityGapsOf() {
  const periods = nextPeriods(addMonths(P, 1), DEFAULT_HORIZON);
  const demand: FamilyDemandRow[] = [];
  for (const k of skuLocations) {
    const [sku, location] = k.split("\t") as [string, string];
    const plan = demandPlanSeries(
      periods[0]!,
      periods.length,
      forecastsOf(sku, location),
      fallbackOf(sku, location),
    );
    plan.forEach((units, i) => {
      demand.push({ family: item(sku).family, period: periods[i]!, units });
    });
  }
  return capacityGaps(periods, capacity, demand);
}

function segmentsOf() {
  const bySku = new Map<string, { sku: string; revenue: number; monthlyUnits: number[] }>();
  for (const sku of items.keys()) bySku.set(sku, { sku, revenue: 0, monthlyUnits: window.map(() => 0) });
  for (const s of sales) {
    if (!inWindow(s.period)) continue;
    const seg = bySku.get(s.sku)!;
    seg.revenue += s.revenue;
    seg.monthlyUnits[window.indexOf(s.period)]! += s.units;
  }
  return Object.fromEntries(
    segment([...bySku.values()]).map((s) => [
      s.sku,
      { sku: s.sku, revenue: s.revenue, abc: s.abc, cv: s.cv, xyz: s.xyz },
    ]),
  );
}

/** Same keys, same strings and booleans, numbers equal to 4 decimals. */
function expectSame(actualValue: unknown, expectedValue: unknown, path = "$"): void {
  if (typeof expectedValue === "number") {
    expect(typeof actualValue, path).toBe("number");
    expect(Math.abs((actualValue as number) - expectedValue), path).toBeLessThan(0.5e-4 + 1e-9);
  } else if (Array.isArray(expectedValue)) {
    expect(Array.isArray(actualValue), path).toBe(true);
    expect((actualValue as unknown[]).length, path).toBe(expectedValue.length);
    expectedValue.forEach((e, i) => {
      expectSame((actualValue as unknown[])[i], e, `${path}[${i}]`);
    });
  } else if (expectedValue !== null && typeof expectedValue === "object") {
    expect(actualValue !== null && typeof actualValue === "object", path).toBe(true);
    expect(Object.keys(actualValue as object).sort(), path).toEqual(Object.keys(expectedValue).sort());
    for (const [k, v] of Object.entries(expectedValue)) {
      expectSame((actualValue as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  } else {
    expect(actualValue, path).toBe(expectedValue);
  }
}

describe("the tiny example (test/fixtures/tiny/expected.json)", () => {
  it("has P = 2025-12", () => {
    expect(P).toBe(expected.lastPeriod);
  });

  it("total consensus lag-1 accuracy and FVA", () => {
    expectSame(
      accuracyOf(() => true),
      expected.accuracyTotal,
    );
  });

  it("total turns", () => {
    expectSame(
      turnsOf(() => true),
      expected.turnsTotal,
    );
  });

  const families = expected.families as Record<string, { accuracy: unknown; turns: unknown }>;
  it.each(Object.keys(families))("family %s: accuracy and turns", (family) => {
    const inFamily = (sku: string) => item(sku).family === family;
    expectSame(accuracyOf(inFamily), families[family]!.accuracy, `families.${family}.accuracy`);
    expectSame(turnsOf(inFamily), families[family]!.turns, `families.${family}.turns`);
  });

  const risk = expected.risk as Array<{ sku: string; location: string }>;
  it("has a risk item for every SKU-location", () => {
    expect(risk.map((r) => key(r.sku, r.location)).sort()).toEqual(skuLocations);
  });
  it.each(risk.map((r) => [r.sku, r] as const))("risk item %s", (_sku, r) => {
    expectSame(riskOf(key(r.sku, r.location)), r, `risk.${r.sku}`);
  });

  it("capacity gaps", () => {
    expectSame(capacityGapsOf(), expected.capacityGaps);
  });

  it("segments", () => {
    expectSame(segmentsOf(), expected.segments);
  });
});
