/**
 * The headline figures of a month (the summary, digests, the dashboard's tiles) computed for a
 * last closed period P. Saved with each plan refresh so that next month can show the change
 * even of figures that depend on the plan as it stood (value at risk, excess, capacity gaps).
 */
import type { Db } from "../../db/client.js";
import { accuracyCells } from "../../db/repositories/kpi.js";
import { lineTotals } from "../../db/repositories/plan.js";
import { accuracyFromSums } from "../domain/accuracy.js";
import { addMonths, type Period } from "../domain/periods.js";
import { DEFAULT_HORIZON } from "../domain/projection.js";
import { windowSums } from "./accuracy.js";
import { computeCapacityGaps } from "./inventory-risk.js";
import { turnsReport } from "./turns.js";

export const HEADLINE_KEYS = [
  "accuracy",
  "bias",
  "turns",
  "daysOfInventory",
  "inventoryValue",
  "highRiskCount",
  "valueAtRisk",
  "shortageUnits",
  "excessValue",
  "capacityGapUnits",
] as const;
export type HeadlineKey = (typeof HEADLINE_KEYS)[number];
export type Headline = Record<HeadlineKey, number | null>;

/** Consensus lag-1 accuracy and bias over the 12 months ending at `p` (fractions). */
export async function accuracyAt(
  db: Db,
  p: Period,
): Promise<{ accuracy: number | null; bias: number | null }> {
  const from = addMonths(p, -11);
  const cells = await accuracyCells(db, {
    source: "consensus",
    lag: 1,
    from: `${from}-01`,
    to: `${p}-01`,
    scope: {},
  });
  const a = accuracyFromSums(windowSums(cells, from, p));
  return { accuracy: a.accuracy, bias: a.bias };
}

/** Every headline figure for last closed period `p`, from the current plan. */
export async function headlineFigures(db: Db, p: Period): Promise<Headline> {
  const [acc, turns, totals, gaps] = await Promise.all([
    accuracyAt(db, p),
    turnsReport(db, { to: p, scope: {} }),
    lineTotals(db, {}),
    computeCapacityGaps(db, undefined, DEFAULT_HORIZON, p),
  ]);
  return {
    accuracy: acc.accuracy,
    bias: acc.bias,
    turns: turns.turns,
    daysOfInventory: turns.daysOfInventory,
    inventoryValue: turns.inventoryValue,
    highRiskCount: totals.high,
    valueAtRisk: totals.valueAtRisk,
    shortageUnits: totals.shortageUnits,
    excessValue: totals.excessValue,
    capacityGapUnits: gaps.reduce((s, g) => s + g.gap, 0),
  };
}
