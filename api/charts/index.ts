/**
 * The chart registry: name → { title, schema, build, example }. The API validates a chart's input
 * with `schema`, the dashboard draws `build(...)` with Chart.js and the PNG renderer draws the very
 * same config for Slack.
 */
import type { ChartConfiguration } from "chart.js";
import type { z } from "zod";
import * as capacityVsDemand from "./capacity-vs-demand.js";
import * as cycleTimeline from "./cycle-timeline.js";
import {
  capacityVsDemandExample,
  cycleTimelineExample,
  forecastVsActualExample,
  inventoryTrendExample,
  valueAtRiskExample,
} from "./examples.js";
import * as forecastVsActual from "./forecast-vs-actual.js";
import type { BuildOptions } from "./inputs.js";
import * as inventoryTrend from "./inventory-trend.js";
import * as valueAtRisk from "./value-at-risk.js";

export interface ChartDefinition<S extends z.ZodType = z.ZodType> {
  /** Human name, e.g. for a page heading or an upload's title. */
  title: string;
  /** Validates the input `build` takes (and applies its defaults). */
  schema: S;
  /** Input → plain JSON Chart.js config. Throws a ZodError on invalid input. */
  build(input: z.input<S>, options?: BuildOptions): ChartConfiguration;
  /** A valid input, from the worked example. */
  example: z.input<S>;
}

function define<S extends z.ZodType>(definition: ChartDefinition<S>): ChartDefinition<S> {
  return definition;
}

export const charts = {
  "forecast-vs-actual": define({
    title: forecastVsActual.title,
    schema: forecastVsActual.schema,
    build: forecastVsActual.build,
    example: forecastVsActualExample,
  }),
  "inventory-trend": define({
    title: inventoryTrend.title,
    schema: inventoryTrend.schema,
    build: inventoryTrend.build,
    example: inventoryTrendExample,
  }),
  "value-at-risk": define({
    title: valueAtRisk.title,
    schema: valueAtRisk.schema,
    build: valueAtRisk.build,
    example: valueAtRiskExample,
  }),
  "capacity-vs-demand": define({
    title: capacityVsDemand.title,
    schema: capacityVsDemand.schema,
    build: capacityVsDemand.build,
    example: capacityVsDemandExample,
  }),
  "cycle-timeline": define({
    title: cycleTimeline.title,
    schema: cycleTimeline.schema,
    build: cycleTimeline.build,
    example: cycleTimelineExample,
  }),
} as const;

export type ChartName = keyof typeof charts;

export const chartNames = Object.keys(charts) as ChartName[];

export function isChartName(name: string): name is ChartName {
  return Object.hasOwn(charts, name);
}

/** Validates `input` with the chart's schema and builds its config. Throws a ZodError on invalid input. */
export function buildChart(name: ChartName, input: unknown, options?: BuildOptions): ChartConfiguration {
  // Every build parses its input with its schema.
  const chart: ChartDefinition = charts[name];
  return chart.build(input, options);
}

export type { BuildOptions } from "./inputs.js";
export { buildOptionsSchema } from "./inputs.js";
export type { ChartRenderer, ChartRendererOptions, RenderOptions } from "./render.js";
export {
  ChartRenderError,
  ChartRendererBusyError,
  ChartRenderingUnavailableError,
  ChartRenderTimeoutError,
  closeChartRenderer,
  createChartRenderer,
  pngAvailable,
  renderChartPng,
} from "./render.js";
export type { ChartSize, ChartTarget } from "./theme.js";
export { CHART_SIZES } from "./theme.js";
