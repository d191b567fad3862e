/**
 * The models as candidates of the automatic selection: one entry point to fit a model and
 * forecast, and one to backtest it, over a shared workspace holding the raw series and (for
 * seasonal series) its seasonally adjusted copy.
 */
import { rollCroston, rollEs, rollHoltWinters, rollNaive, rollSeasonalNaive, rollTheta } from "./backtest.js";
import { fitCroston } from "./croston.js";
import { esForecastInto, fitSes, fitTrend } from "./exponential-smoothing.js";
import { fitHoltWinters, hwForecastInto } from "./holt-winters.js";
import { naiveInto, seasonalNaiveInto } from "./naive.js";
import { deseasonalize, reseasonalize, type SeasonalKind, seasonalIndices } from "./seasonality.js";
import { thetaInto } from "./theta.js";
import type { ModelName } from "./types.js";

/** Members of "comb". */
export const COMB_MEMBERS = ["ses", "damped", "theta"] as const satisfies readonly ModelName[];

export interface Workspace {
  y: Float64Array;
  m: number;
  /** Seasonal adjustment to apply to SES/Holt/damped/Theta, or null for none. */
  kind: SeasonalKind | null;
  adj: Float64Array;
  indices: Float64Array;
  /** Whether `adj` currently holds the adjusted series. */
  adjusted: boolean;
}

export function workspace(y: Float64Array, m: number, kind: SeasonalKind | null): Workspace {
  return { y, m, kind, adj: new Float64Array(y.length), indices: new Float64Array(m), adjusted: false };
}

/**
 * Seasonal indices from y[0..origin) only, applied to the whole series, so held-out periods
 * are adjusted with indices that never saw them.
 */
export function adjustAt(w: Workspace, origin: number): void {
  w.adjusted = w.kind !== null && seasonalIndices(w.y, origin, w.m, w.kind, w.indices);
  if (w.adjusted) deseasonalize(w.y, w.y.length, w.m, w.kind!, w.indices, w.adj);
}

/** Fits `model` to y[0..n) and writes h forecasts into out; false when it cannot be fitted. */
export function fitAndForecast(
  model: ModelName,
  w: Workspace,
  n: number,
  h: number,
  out: Float64Array,
): boolean {
  switch (model) {
    case "naive":
      naiveInto(w.y, n, h, out);
      return true;
    case "seasonal_naive":
      if (n < w.m) return false;
      seasonalNaiveInto(w.y, n, w.m, h, out);
      return true;
    case "ses":
    case "holt":
    case "damped":
    case "theta": {
      const x = w.adjusted ? w.adj : w.y;
      if (model === "theta") thetaInto(x, n, h, out);
      else esForecastInto(model === "ses" ? fitSes(x, n) : fitTrend(x, n, model === "damped"), h, out);
      if (w.adjusted) reseasonalize(out, h, n, w.m, w.kind!, w.indices);
      return true;
    }
    case "holt_winters_additive":
    case "holt_winters_multiplicative": {
      const s = fitHoltWinters(
        w.y,
        n,
        w.m,
        model === "holt_winters_additive" ? "additive" : "multiplicative",
      );
      if (s === null) return false;
      hwForecastInto(s, n, h, out);
      return true;
    }
    case "croston":
    case "sba":
      out.fill(fitCroston(w.y, n, model === "sba").level, 0, h);
      return true;
    case "comb": {
      const tmp = new Float64Array(h);
      out.fill(0, 0, h);
      for (const c of COMB_MEMBERS) {
        fitAndForecast(c, w, n, h, tmp);
        for (let k = 0; k < h; k++) out[k] = out[k]! + tmp[k]! / COMB_MEMBERS.length;
      }
      return true;
    }
  }
}

/**
 * Backtests `model`: fitted on y[0..o0), rolled through y[o0..n) (see backtest.ts), forecasts
 * into the (n−o0)² matrix `out`. "comb" is formed by the caller from its members' matrices.
 */
export function rollModel(model: ModelName, w: Workspace, o0: number, n: number, out: Float64Array): boolean {
  switch (model) {
    case "naive":
      rollNaive(w.y, o0, n, out);
      return true;
    case "seasonal_naive":
      if (o0 < w.m) return false;
      rollSeasonalNaive(w.y, o0, n, w.m, out);
      return true;
    case "ses":
    case "holt":
    case "damped":
    case "theta": {
      const x = w.adjusted ? w.adj : w.y;
      if (model === "theta") rollTheta(x, o0, n, out);
      else rollEs(x, o0, n, model, out);
      if (w.adjusted) {
        const H = n - o0;
        const mult = w.kind === "multiplicative";
        for (let t = o0; t < n; t++) {
          const row = (t - o0) * H;
          for (let k = 0; t + k < n; k++) {
            const s = w.indices[(t + k) % w.m]!;
            out[row + k] = mult ? out[row + k]! * s : out[row + k]! + s;
          }
        }
      }
      return true;
    }
    case "holt_winters_additive":
    case "holt_winters_multiplicative":
      return rollHoltWinters(
        w.y,
        o0,
        n,
        w.m,
        model === "holt_winters_additive" ? "additive" : "multiplicative",
        out,
      );
    case "croston":
    case "sba":
      rollCroston(w.y, o0, n, model === "sba", out);
      return true;
    case "comb":
      return false;
  }
}
