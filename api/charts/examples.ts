/**
 * One valid input per chart, taken from the worked example (examples/tiny, DOMAIN.md): for API
 * documentation, previews, tests and benchmarks.
 */
import type { CapacityVsDemandInput } from "./capacity-vs-demand.js";
import type { CycleTimelineInput } from "./cycle-timeline.js";
import type { ForecastVsActualInput } from "./forecast-vs-actual.js";
import type { InventoryTrendInput } from "./inventory-trend.js";
import type { ValueAtRiskInput } from "./value-at-risk.js";

const months2025 = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
const months2026H1 = Array.from({ length: 6 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);

/** Total units, consensus lag 1; accuracy 1 − WAPE = 0.8827. January 2025 has no lag-1 forecast. */
export const forecastVsActualExample: ForecastVsActualInput = {
  scope: "All items",
  lag: 1,
  accuracy: 0.8827,
  history: months2025.map((period, i) => ({
    period,
    actual: [290, 265, 300, 325, 320, 420, 415, 385, 355, 355, 350, 345][i] ?? null,
    forecast: [null, 300, 290, 320, 335, 380, 440, 400, 370, 335, 365, 380][i] ?? null,
  })),
  plan: months2026H1.map((period, i) => ({ period, units: [315, 325, 350, 385, 420, 450][i] ?? null })),
};

/** Month-end inventory value at cost and turns over the months so far (annualised). */
export const inventoryTrendExample: InventoryTrendInput = {
  scope: "All items",
  months: months2025.map((period, i) => ({
    period,
    value: [4100, 3820, 3450, 3180, 2860, 2500, 2080, 1800, 1620, 1590, 1660, 1920][i] ?? null,
    turns: [3.19, 3.42, 3.67, 3.87, 4.2, 4.66, 5.11, 5.57, 5.87, 6.12, 6.36, 6.56][i] ?? null,
  })),
};

/** BLT-100 (BOTTLES) 890 × 10; CAP-200 65 × 3 + GLV-300 160 × 15 (ACCESSORIES). */
export const valueAtRiskExample: ValueAtRiskInput = {
  families: [
    { family: "ACCESSORIES", valueAtRisk: 2595, shortageUnits: 225 },
    { family: "BOTTLES", valueAtRisk: 8900, shortageUnits: 890 },
  ],
  horizonMonths: 6,
  asOf: "2025-12-31",
};

/** BOTTLES: capacity 250 a month, short by 20, 50 and 80 units in April–June 2026. */
export const capacityVsDemandExample: CapacityVsDemandInput = {
  families: [
    {
      family: "BOTTLES",
      months: months2026H1.map((period, i) => ({
        period,
        demand: [210, 220, 240, 270, 300, 330][i] ?? 0,
        capacity: 250,
      })),
    },
  ],
};

/** Cycle 2026-01 on the default steps (business days 3, 6, 9, 12, 15 and month end), on the 14th. */
export const cycleTimelineExample: CycleTimelineInput = {
  cycle: "2026-01",
  today: "2026-01-14",
  steps: [
    { key: "data", label: "Data gathering", due: "2026-01-05", status: "signed" },
    { key: "demand", label: "Demand review", due: "2026-01-08", status: "signed" },
    { key: "supply", label: "Supply review", due: "2026-01-13", status: "overdue" },
    { key: "pre", label: "Pre-S&OP", due: "2026-01-16", status: "open" },
    { key: "exec", label: "Executive S&OP", due: "2026-01-21", status: "open" },
    {
      key: "execution",
      label: "Execution & monitoring",
      due: "2026-01-31",
      status: "open",
      signs: false,
    },
  ],
};
