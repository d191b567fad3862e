import { describe, expect, it } from "vitest";
import {
  accuracyFromSums,
  accuracySums,
  forecastAccuracy,
  forecastValueAdded,
  fvaFromSums,
  fvaSums,
  naivePeriod,
  TRACKING_SIGNAL_LIMIT,
  trackingSignal,
} from "../../../api/domain/accuracy.js";

describe("forecastAccuracy", () => {
  it.each([
    {
      name: "mixed over- and under-forecasts, one month without sales",
      // e = +10, −10, +5 · ΣA 150 · ΣF 155 · Σ|e| 25
      // WAPE 25/150 · bias 5/150 · MAPE (10/100 + 10/50)/2 = 0.15 (the A = 0 row is left out)
      rows: [
        { actual: 100, forecast: 110 },
        { actual: 50, forecast: 40 },
        { actual: 0, forecast: 5 },
      ],
      expected: {
        rows: 3,
        actualUnits: 150,
        forecastUnits: 155,
        wape: 25 / 150,
        accuracy: 1 - 25 / 150,
        bias: 5 / 150,
        mape: 0.15,
      },
    },
    {
      name: "WAPE above 1 floors accuracy at 0",
      rows: [{ actual: 10, forecast: 30 }],
      expected: { rows: 1, actualUnits: 10, forecastUnits: 30, wape: 2, accuracy: 0, bias: 2, mape: 2 },
    },
    {
      name: "under-forecast gives negative bias",
      // e = −20, −10 · Σ|e| 30 / ΣA 300
      rows: [
        { actual: 200, forecast: 180 },
        { actual: 100, forecast: 90 },
      ],
      expected: {
        rows: 2,
        actualUnits: 300,
        forecastUnits: 270,
        wape: 0.1,
        accuracy: 0.9,
        bias: -0.1,
        mape: 0.1,
      },
    },
    {
      name: "ΣA = 0: no ratio is defined",
      rows: [{ actual: 0, forecast: 5 }],
      expected: {
        rows: 1,
        actualUnits: 0,
        forecastUnits: 5,
        wape: null,
        accuracy: null,
        bias: null,
        mape: null,
      },
    },
    {
      name: "no rows",
      rows: [],
      expected: {
        rows: 0,
        actualUnits: 0,
        forecastUnits: 0,
        wape: null,
        accuracy: null,
        bias: null,
        mape: null,
      },
    },
    {
      name: "a perfect forecast",
      rows: [{ actual: 7, forecast: 7 }],
      expected: { rows: 1, actualUnits: 7, forecastUnits: 7, wape: 0, accuracy: 1, bias: 0, mape: 0 },
    },
  ])("$name", ({ rows, expected }) => {
    const result = forecastAccuracy(rows);
    expect(Object.keys(result).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) {
      if (v === null) expect(result[k as keyof typeof result], k).toBeNull();
      else expect(result[k as keyof typeof result], k).toBeCloseTo(v, 12);
    }
  });

  it("gives the same answer from SQL-style sums", () => {
    const sums = {
      rows: 3,
      actualUnits: 150,
      forecastUnits: 155,
      absErrorUnits: 25,
      apeSum: 0.3,
      apeRows: 2,
    };
    const rows = [
      { actual: 100, forecast: 110 },
      { actual: 50, forecast: 40 },
      { actual: 0, forecast: 5 },
    ];
    const computed = accuracySums(rows);
    expect(computed.rows).toBe(3);
    expect(computed.absErrorUnits).toBe(25);
    expect(computed.apeRows).toBe(2);
    expect(computed.apeSum).toBeCloseTo(0.3, 12);
    const fromSums = accuracyFromSums(sums);
    const fromRows = forecastAccuracy(rows);
    for (const k of Object.keys(fromRows) as Array<keyof typeof fromRows>) {
      expect(fromSums[k], k).toBeCloseTo(fromRows[k] as number, 12);
    }
  });
});

describe("trackingSignal", () => {
  it.each([
    // CAP-200 2025-07…12: Σe = 85, MAD = 125/6 → 85 / 20.8333 = 4.08
    { errors: [5, 40, -5, -15, 15, 45], signal: 4.08, mad: 125 / 6, flagged: true },
    // balanced errors cancel out
    { errors: [10, -10], signal: 0, mad: 10, flagged: false },
    // persistent under-forecast: Σe = −25, MAD = 5
    { errors: [-5, -5, -5, -5, -5], signal: -5, mad: 5, flagged: true },
    // |TS| = 4 is on the limit, not over it
    { errors: [4, 4, 4, 4], signal: 4, mad: 4, flagged: false },
    // MAD = 0: nothing to signal
    { errors: [0, 0, 0], signal: 0, mad: 0, flagged: false },
    { errors: [], signal: 0, mad: 0, flagged: false },
  ])("errors $errors → $signal", ({ errors, signal, mad, flagged }) => {
    const ts = trackingSignal(errors);
    expect(ts.signal).toBeCloseTo(signal, 12);
    expect(ts.mad).toBeCloseTo(mad, 12);
    expect(ts.flagged).toBe(flagged);
    expect(ts.sumError).toBeCloseTo(
      errors.reduce((a, b) => a + b, 0),
      12,
    );
  });

  it("flags beyond ±4", () => {
    expect(TRACKING_SIGNAL_LIMIT).toBe(4);
  });
});

describe("forecast value added", () => {
  it.each([
    ["2025-03", 1, "2025-01"],
    ["2025-01", 2, "2024-10"],
    ["2025-01", 0, "2024-12"],
  ])("the naive forecast of %s at lag %i is the actual of %s", (period, lag, expected) => {
    expect(naivePeriod(period, lag)).toBe(expected);
  });

  it("compares the three forecasts on the rows that have all of them", () => {
    // Comparable rows: ΣA = 150 · naive |e| 20 + 20 = 40 · statistical 10 + 5 = 15 · consensus 5 + 0 = 5
    // WAPE 0.26667 / 0.1 / 0.03333 → naive→statistical 0.16667, statistical→consensus 0.06667
    const fva = forecastValueAdded([
      { actual: 100, naive: 80, statistical: 90, consensus: 105 },
      { actual: 50, naive: 70, statistical: 55, consensus: 50 },
      { actual: 40, naive: null, statistical: 40, consensus: 40 },
      { actual: 60, naive: 60, statistical: null, consensus: 10 },
      { actual: 60, naive: 60, statistical: 10, consensus: null },
    ]);
    expect(fva.rows).toBe(2);
    expect(fva.actualUnits).toBe(150);
    expect(fva.naiveWape).toBeCloseTo(40 / 150, 12);
    expect(fva.statisticalWape).toBeCloseTo(0.1, 12);
    expect(fva.consensusWape).toBeCloseTo(5 / 150, 12);
    expect(fva.naiveToStatistical).toBeCloseTo(25 / 150, 12);
    expect(fva.statisticalToConsensus).toBeCloseTo(10 / 150, 12);
  });

  it("is negative when a step made the forecast worse", () => {
    // naive |e| 0 · statistical 10 · consensus 30, over ΣA = 100
    const fva = forecastValueAdded([{ actual: 100, naive: 100, statistical: 110, consensus: 130 }]);
    expect(fva.naiveToStatistical).toBeCloseTo(-0.1, 12);
    expect(fva.statisticalToConsensus).toBeCloseTo(-0.2, 12);
  });

  it("is undefined when ΣA = 0 or nothing is comparable", () => {
    for (const rows of [[{ actual: 0, naive: 5, statistical: 5, consensus: 5 }], []]) {
      const fva = forecastValueAdded(rows);
      expect(fva.naiveWape).toBeNull();
      expect(fva.naiveToStatistical).toBeNull();
      expect(fva.statisticalToConsensus).toBeNull();
    }
  });

  it("gives the same answer from SQL-style sums", () => {
    const rows = [
      { actual: 100, naive: 80, statistical: 90, consensus: 105 },
      { actual: 50, naive: 70, statistical: 55, consensus: 50 },
    ];
    expect(fvaSums(rows)).toEqual({
      rows: 2,
      actualUnits: 150,
      naiveAbsError: 40,
      statisticalAbsError: 15,
      consensusAbsError: 5,
    });
    expect(fvaFromSums(fvaSums(rows))).toEqual(forecastValueAdded(rows));
  });
});
