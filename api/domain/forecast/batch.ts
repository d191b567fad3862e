/**
 * Many series at once in flat typed arrays, the form in which they travel to and from worker
 * threads without copying object graphs: series i is values[offsets[i] .. offsets[i + 1]).
 */
import { type ForecastMethod, forecastSeries } from "./select.js";
import { MODEL_NAMES, type ModelName } from "./types.js";

/** Every method a result can name, in a fixed order: index = code in {@link BatchResult.method}. */
export const METHODS: readonly ForecastMethod[] = [...MODEL_NAMES, "ensemble"];

export interface SeriesBatch {
  /** n + 1 offsets into `values`, the first 0. */
  offsets: Int32Array;
  /** Units, oldest first within each series. */
  values: Float64Array;
}

export interface BatchResult {
  /** n × horizon forecasts (units), series i at [i·horizon, (i + 1)·horizon). */
  forecasts: Float64Array;
  /** Index into {@link METHODS}. */
  method: Uint8Array;
  /**
   * The members of series i, best first, at [i·MODEL_NAMES.length, …): 1 + the index in
   * MODEL_NAMES, then 0s.
   */
  members: Uint8Array;
  /** Backtest WAPE (a fraction); NaN where there was none. */
  backtest: Float64Array;
  /** Bit 0: seasonal; bit 1: intermittent. */
  flags: Uint8Array;
}

/** Forecasts every series of the batch with {@link forecastSeries} (automatic selection). */
export function forecastBatch(batch: SeriesBatch, horizon: number): BatchResult {
  const n = batch.offsets.length - 1;
  const out: BatchResult = {
    forecasts: new Float64Array(n * horizon),
    method: new Uint8Array(n),
    members: new Uint8Array(n * MODEL_NAMES.length),
    backtest: new Float64Array(n),
    flags: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const series = batch.values.subarray(batch.offsets[i]!, batch.offsets[i + 1]!);
    const r = forecastSeries(series, { horizon });
    out.forecasts.set(r.forecast, i * horizon);
    out.method[i] = METHODS.indexOf(r.model);
    r.members.forEach((m, j) => {
      out.members[i * MODEL_NAMES.length + j] = MODEL_NAMES.indexOf(m) + 1;
    });
    out.backtest[i] = r.backtestError ?? Number.NaN;
    out.flags[i] = (r.seasonal ? 1 : 0) | (r.intermittent ? 2 : 0);
  }
  return out;
}

/** The member models of series `i` of a result, best first. */
export function membersOf(result: Pick<BatchResult, "members">, i: number): ModelName[] {
  const out: ModelName[] = [];
  for (let j = 0; j < MODEL_NAMES.length; j++) {
    const code = result.members[i * MODEL_NAMES.length + j]!;
    if (code === 0) break;
    out.push(MODEL_NAMES[code - 1]!);
  }
  return out;
}
