/**
 * The forecasting pool: worker threads give exactly what the calling thread gives, in order,
 * with progress, and a failure in a worker is an error, not a hang.
 */
import { describe, expect, it } from "vitest";
import {
  forecastBatch,
  forecastSeries,
  METHODS,
  membersOf,
  type SeriesBatch,
} from "../../api/domain/forecast/index.js";
import { forecastAll } from "../../api/services/forecast-pool.js";

function batchOf(series: number[][]): SeriesBatch {
  const offsets = new Int32Array(series.length + 1);
  series.forEach((s, i) => {
    offsets[i + 1] = offsets[i]! + s.length;
  });
  const values = new Float64Array(offsets[series.length]!);
  series.forEach((s, i) => {
    values.set(s, offsets[i]!);
  });
  return { offsets, values };
}

const series = Array.from({ length: 57 }, (_, i) =>
  Array.from({ length: 12 + (i % 30) }, (_, t) =>
    i % 5 === 0
      ? t % 3 === 0
        ? 4
        : 0
      : Math.round(100 + i + 10 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7 + i) % 11)),
  ),
);

describe("forecastAll", () => {
  it("on worker threads equals the calling thread and forecastSeries, series by series", async () => {
    const batch = batchOf(series);
    const progress: number[] = [];
    const [threads, inline] = await Promise.all([
      forecastAll(batch, { horizon: 6, workers: 2, chunk: 10, onProgress: (d) => progress.push(d) }),
      forecastAll(batch, { horizon: 6, workers: 0, chunk: 10 }),
    ]);
    expect(threads).toEqual(inline);
    expect(progress.at(-1)).toBe(57);
    expect(progress).toHaveLength(6);
    series.forEach((s, i) => {
      const r = forecastSeries(s, { horizon: 6 });
      expect(Array.from(threads.forecasts.subarray(i * 6, i * 6 + 6))).toEqual(r.forecast);
      expect(METHODS[threads.method[i]!]).toBe(r.model);
      expect(membersOf(threads, i)).toEqual(r.members);
      expect(Number.isNaN(threads.backtest[i]!) ? null : threads.backtest[i]).toBe(r.backtestError);
      expect((threads.flags[i]! & 2) !== 0).toBe(r.intermittent);
    });
    expect(forecastBatch(batch, 6)).toEqual(inline);
  });

  it("rejects when aborted", async () => {
    const abort = new AbortController();
    abort.abort(new Error("stop"));
    await expect(
      forecastAll(batchOf(series), { horizon: 6, workers: 2, chunk: 5, signal: abort.signal }),
    ).rejects.toThrow("stop");
  });
});
