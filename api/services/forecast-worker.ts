/**
 * A forecasting worker thread: forecasts each batch of series it is sent and sends the result
 * back, transferring the buffers. Started by forecast-pool.ts.
 */
import { parentPort } from "node:worker_threads";
import { forecastBatch, type SeriesBatch } from "../domain/forecast/batch.js";

const port = parentPort;
if (!port) throw new Error("forecast-worker runs as a worker thread, started by forecast-pool.ts");

export interface ForecastJob {
  id: number;
  horizon: number;
  batch: SeriesBatch;
}

port.on("message", (job: ForecastJob) => {
  try {
    const r = forecastBatch(job.batch, job.horizon);
    port.postMessage({ id: job.id, result: r }, [
      r.forecasts.buffer as ArrayBuffer,
      r.method.buffer as ArrayBuffer,
      r.members.buffer as ArrayBuffer,
      r.backtest.buffer as ArrayBuffer,
      r.flags.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    port.postMessage({
      id: job.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
