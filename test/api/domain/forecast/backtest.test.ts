import { describe, expect, it } from "vitest";
import { rollCroston, rollEs, rollHoltWinters, rollTheta } from "../../../../api/domain/forecast/backtest.js";
import { fitCroston } from "../../../../api/domain/forecast/croston.js";
import { esForecastInto, fitSes, fitTrend } from "../../../../api/domain/forecast/exponential-smoothing.js";
import { fitHoltWinters, hwForecastInto } from "../../../../api/domain/forecast/holt-winters.js";
import { thetaInto } from "../../../../api/domain/forecast/theta.js";

// A positive series with trend, a yearly cycle and some wiggle, 40 months; holdout 10.
const n = 40;
const o0 = 30;
const H = n - o0;
const y = Float64Array.from(
  { length: n },
  (_, t) => 100 + 2 * t + 20 * Math.sin((t * Math.PI) / 6) + 8 * Math.sin(t),
);

describe("rolling-origin backtest without re-estimation", () => {
  it("row 0 is the forecast of the model fitted on the data before the holdout", () => {
    const mat = new Float64Array(H * H);
    const out = new Float64Array(H);
    for (const model of ["ses", "holt", "damped"] as const) {
      rollEs(y, o0, n, model, mat);
      const s = model === "ses" ? fitSes(y, o0) : fitTrend(y, o0, model === "damped");
      esForecastInto(s, H, out);
      for (let k = 0; k < H; k++) expect(mat[k]).toBeCloseTo(out[k]!, 9);
    }
    rollTheta(y, o0, n, mat);
    thetaInto(y, o0, H, out);
    for (let k = 0; k < H; k++) expect(mat[k]).toBeCloseTo(out[k]!, 9);
    expect(rollHoltWinters(y, o0, n, 12, "multiplicative", mat)).toBe(true);
    hwForecastInto(fitHoltWinters(y, o0, 12, "multiplicative")!, o0, H, out);
    for (let k = 0; k < H; k++) expect(mat[k]).toBeCloseTo(out[k]!, 9);
  });

  it("later rows continue the recursion with the parameters fixed at the first origin", () => {
    const mat = new Float64Array(H * H);
    const out = new Float64Array(H);
    rollEs(y, o0, n, "damped", mat);
    const s = fitTrend(y, o0, true);
    for (const r of [1, 5, 9]) {
      const same = fitTrend(y, o0 + r, true, {
        alpha: s.alpha,
        beta: s.beta,
        phi: s.phi,
        l0: s.l0,
        b0: s.b0,
      });
      esForecastInto(same, n - o0 - r, out);
      for (let k = 0; k < n - o0 - r; k++) expect(mat[r * H + k]).toBeCloseTo(out[k]!, 9);
    }
  });

  it("Croston keeps α from the first origin", () => {
    const d = Float64Array.from([0, 3, 0, 0, 4, 0, 2, 0, 0, 5, 0, 0, 3, 0, 4, 0, 0, 2, 0, 3]);
    const mat = new Float64Array(25);
    rollCroston(d, 15, 20, false, mat);
    const { alpha } = fitCroston(d, 15, false);
    for (let r = 0; r < 5; r++) expect(mat[r * 5]).toBeCloseTo(fitCroston(d, 15 + r, false, alpha).level, 12);
  });
});
