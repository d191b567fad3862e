import { describe, expect, it } from "vitest";
import { minimize1d, nelderMead } from "../../../../api/domain/forecast/optimize.js";

describe("minimize1d", () => {
  it("finds the minimum of a parabola", () => {
    const r = minimize1d((x) => (x - 0.37) ** 2 + 1, 0, 1, 8, 1e-6);
    expect(r.x).toBeCloseTo(0.37, 5);
    expect(r.fx).toBeCloseTo(1, 10);
  });
  it("finds a minimum on the boundary", () => {
    expect(minimize1d((x) => x, 0.2, 0.9).x).toBeCloseTo(0.2, 3);
  });
  it("is not trapped by a shallow local minimum the grid can see past", () => {
    // local minimum at 0.15 (value 0.5), global at 0.8 (value 0)
    const f = (x: number) => Math.min(0.5 + 20 * (x - 0.15) ** 2, 30 * (x - 0.8) ** 2);
    expect(minimize1d(f, 0, 1, 10).x).toBeCloseTo(0.8, 2);
  });
});

describe("nelderMead", () => {
  it("minimises a bounded quadratic in two dimensions", () => {
    const f = (x: Float64Array) => (x[0]! - 0.3) ** 2 + 10 * (x[1]! - 0.6) ** 2;
    const r = nelderMead(f, [0.5, 0.5], [0, 0], [1, 1], { step: [0.1, 0.1], maxEvals: 400, relTol: 1e-14 });
    expect(r.x[0]).toBeCloseTo(0.3, 4);
    expect(r.x[1]).toBeCloseTo(0.6, 4);
  });
  it("keeps to the box when the minimum lies outside", () => {
    const f = (x: Float64Array) => (x[0]! - 2) ** 2 + (x[1]! + 1) ** 2;
    const r = nelderMead(f, [0.5, 0.5], [0, 0], [1, 1], { step: [0.1, 0.1], maxEvals: 400, relTol: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(0, 6);
  });
  it("stops at maxEvals", () => {
    let evals = 0;
    nelderMead(
      (x) => {
        evals++;
        return Math.sin(10 * x[0]!) + x[1]!;
      },
      [0.5, 0.5],
      [0, 0],
      [1, 1],
      { step: [0.1, 0.1], maxEvals: 25, relTol: 0 },
    );
    expect(evals).toBeLessThanOrEqual(25 + 3);
  });
});
