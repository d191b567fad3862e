/**
 * The headline KPIs as two-column fields ("*Forecast accuracy*\n88.3% · ▲ 1.2 pts"), from the
 * summary's figures with their change against the previous month. Shared by the approval
 * card, App Home and the jobs' digests.
 */
import type { Summary } from "../api.js";
import { biasWords, change, money, num, pct, pointsChange, units } from "./format.js";
import type { Render } from "./render.js";

export type HeadlineKey = keyof Summary["figures"];
export type Figure = Summary["figures"][HeadlineKey];

interface HeadlineSpec {
  label: string;
  value: (r: Render, v: number) => string;
  delta: (r: Render, d: number | null) => string;
}

const moneyDelta = (r: Render, d: number | null) => change(r.formats, d, (v) => money(r.formats, v));
const unitsDelta = (r: Render, d: number | null) => change(r.formats, d, (v) => units(r.formats, v));

export const HEADLINES: Record<HeadlineKey, HeadlineSpec> = {
  accuracy: {
    label: "Forecast accuracy",
    value: (r, v) => pct(r.formats, v),
    delta: (r, d) => pointsChange(r.formats, d),
  },
  bias: {
    label: "Bias",
    value: (r, v) => biasWords(r.formats, v),
    delta: (r, d) => pointsChange(r.formats, d),
  },
  turns: {
    label: "Inventory turns",
    value: (r, v) => num(r.formats, v),
    delta: (r, d) => change(r.formats, d),
  },
  daysOfInventory: {
    label: "Days of inventory",
    value: (r, v) => num(r.formats, v, 0),
    delta: (r, d) => change(r.formats, d, (v) => num(r.formats, v, 0)),
  },
  inventoryValue: { label: "Inventory value", value: (r, v) => money(r.formats, v), delta: moneyDelta },
  highRiskCount: {
    label: "High stock-out risk",
    value: (r, v) => `${units(r.formats, v)} items`,
    delta: unitsDelta,
  },
  valueAtRisk: { label: "Value at risk", value: (r, v) => money(r.formats, v), delta: moneyDelta },
  shortageUnits: {
    label: "Shortage",
    value: (r, v) => `${units(r.formats, v)} units`,
    delta: unitsDelta,
  },
  excessValue: { label: "Excess stock", value: (r, v) => money(r.formats, v), delta: moneyDelta },
  capacityGapUnits: {
    label: "Capacity gap",
    value: (r, v) => `${units(r.formats, v)} units`,
    delta: unitsDelta,
  },
};

/** "*Forecast accuracy*\n88.3% · ▲ 1.2 pts"; "–" when the figure cannot be computed. */
export function headlineField(r: Render, key: HeadlineKey, figure: Figure | undefined): string {
  const spec = HEADLINES[key];
  if (!figure || figure.value === null) return `*${spec.label}*\n–`;
  const delta = spec.delta(r, figure.change);
  return `*${spec.label}*\n${spec.value(r, figure.value)}${delta ? ` · ${delta}` : ""}`;
}

/** Fields for `keys` (at most 10, Slack's limit for a section). */
export function headlineFields(
  r: Render,
  figures: Summary["figures"],
  keys: readonly HeadlineKey[],
): string[] {
  return keys.slice(0, 10).map((k) => headlineField(r, k, figures[k]));
}

/** The headline figures of the home tab and digests. */
export const MAIN_HEADLINES: readonly HeadlineKey[] = [
  "accuracy",
  "bias",
  "turns",
  "inventoryValue",
  "valueAtRisk",
  "highRiskCount",
  "capacityGapUnits",
  "excessValue",
];

/** Which figures a step's approvers look at (DOMAIN.md: what each step decides). */
const STEP_FIGURES: Record<string, readonly HeadlineKey[]> = {
  data: ["inventoryValue", "turns"],
  demand: ["accuracy", "bias"],
  supply: ["valueAtRisk", "shortageUnits", "capacityGapUnits", "highRiskCount"],
  pre: ["accuracy", "bias", "valueAtRisk", "capacityGapUnits"],
  exec: ["accuracy", "bias", "valueAtRisk", "capacityGapUnits", "inventoryValue", "excessValue"],
};

/** The key figures of a step's approval card (a company's own steps get a general set). */
export function figuresForStep(stepKey: string): readonly HeadlineKey[] {
  return STEP_FIGURES[stepKey] ?? ["accuracy", "bias", "valueAtRisk", "inventoryValue"];
}
