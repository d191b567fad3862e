import { describe, expect, it } from "vitest";
import { naive, seasonalNaive } from "../../../../api/domain/forecast/index.js";

describe("naive", () => {
  it("repeats the last value; SSE of the one-step changes", () => {
    // one-step errors: 12 − 10 = 2, 11 − 12 = −1 → SSE 5
    const fit = naive([10, 12, 11], 3);
    expect(fit.forecast).toEqual([11, 11, 11]);
    expect(fit.sse).toBe(5);
  });
  it("forecasts 0 for an empty series", () => {
    expect(naive([], 2).forecast).toEqual([0, 0]);
  });
});

describe("seasonalNaive", () => {
  it("repeats the last season", () => {
    // m = 4: the last season is [5, 6, 7, 8]; horizon 6 wraps around.
    const fit = seasonalNaive([1, 2, 3, 4, 5, 6, 7, 8], 6, 4);
    expect(fit.forecast).toEqual([5, 6, 7, 8, 5, 6]);
    // one-step errors y_t − y_{t−4} = 4 each → SSE 4·16 = 64
    expect(fit.sse).toBe(64);
  });
  it("uses the same month of the last year for monthly data", () => {
    const y = Array.from({ length: 14 }, (_, t) => t + 1); // 1…14
    expect(seasonalNaive(y, 3).forecast).toEqual([3, 4, 5]);
  });
  it("falls back to naive with less than one season", () => {
    expect(seasonalNaive([3, 4, 5], 2).forecast).toEqual([5, 5]);
  });
});
