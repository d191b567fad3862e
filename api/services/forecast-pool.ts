/**
 * Forecasts many series on every core: the series are cut into chunks that worker threads take
 * in turn (a chunk of a few hundred series is tens of milliseconds of work, so the cores stay
 * evenly busy), while the calling thread only hands out chunks and collects results. Below a
 * few thousand series a worker's start-up (loading the code) costs more than it saves, and the
 * series are forecast on the calling thread, yielding between chunks.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type BatchResult, forecastBatch, type SeriesBatch } from "../domain/forecast/batch.js";
import { MODEL_NAMES } from "../domain/forecast/types.js";
import { workerExecArgv, workerModuleUrl } from "../worker-exec.js";

export interface PoolOptions {
  horizon: number;
  /** Worker threads; 0 forecasts on the calling thread. Default: one per core when there are many series. */
  workers?: number;
  /** Series per chunk (default 500). */
  chunk?: number;
  /** Called after each chunk with the number of series done. */
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

/** Below this many series the default is the calling thread. */
export const WORKER_THRESHOLD = 3000;

/** The number of workers used for `series` series by default. */
export function defaultWorkers(series: number): number {
  return series < WORKER_THRESHOLD ? 0 : Math.min(8, Math.max(1, availableParallelism()));
}

export async function forecastAll(batch: SeriesBatch, options: PoolOptions): Promise<BatchResult> {
  options.signal?.throwIfAborted();
  const n = batch.offsets.length - 1;
  const h = options.horizon;
  const chunk = Math.max(1, options.chunk ?? 500);
  const workers = Math.min(options.workers ?? defaultWorkers(n), Math.ceil(n / chunk));
  const result: BatchResult = {
    forecasts: new Float64Array(n * h),
    method: new Uint8Array(n),
    members: new Uint8Array(n * MODEL_NAMES.length),
    backtest: new Float64Array(n),
    flags: new Uint8Array(n),
  };
  const starts: number[] = [];
  for (let s = 0; s < n; s += chunk) starts.push(s);
  let done = 0;
  const store = (start: number, r: BatchResult) => {
    result.forecasts.set(r.forecasts, start * h);
    result.method.set(r.method, start);
    result.members.set(r.members, start * MODEL_NAMES.length);
    result.backtest.set(r.backtest, start);
    result.flags.set(r.flags, start);
    done += r.method.length;
    options.onProgress?.(done);
  };

  if (workers <= 0) {
    for (const start of starts) {
      options.signal?.throwIfAborted();
      store(start, forecastBatch(slice(batch, start, Math.min(n, start + chunk)), h));
      // Let the event loop answer other requests between chunks.
      await new Promise((r) => setImmediate(r));
    }
    return result;
  }

  const url = workerModuleUrl(import.meta.url, "forecast-worker");
  const execArgv = workerExecArgv(import.meta.url);
  const pool = Array.from({ length: workers }, () => new Worker(url, { execArgv, name: "forecast" }));
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let pending = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      const onAbort = () => fail(options.signal?.reason ?? new Error("aborted"));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const feed = (worker: Worker) => {
        if (failed) return;
        if (next >= starts.length) {
          if (pending === 0) {
            options.signal?.removeEventListener("abort", onAbort);
            resolve();
          }
          return;
        }
        const start = starts[next]!;
        const job = slice(batch, start, Math.min(n, start + chunk));
        next++;
        pending++;
        worker.postMessage({ id: start, horizon: h, batch: job }, [
          job.offsets.buffer as ArrayBuffer,
          job.values.buffer as ArrayBuffer,
        ]);
      };
      for (const worker of pool) {
        worker.on("message", (reply: { id: number; result?: BatchResult; error?: string }) => {
          pending--;
          if (reply.error !== undefined || !reply.result) {
            fail(new Error(`forecasting failed in a worker: ${reply.error}`));
            return;
          }
          store(reply.id, reply.result);
          feed(worker);
        });
        worker.on("error", (error) => fail(error));
        worker.on("exit", (code) => {
          if (code !== 0) fail(new Error(`a forecasting worker exited with code ${code}`));
        });
        // Two chunks in flight per worker, so it never waits for the next one.
        feed(worker);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return result;
}

/** Series [from, to) as a batch of their own (copies, so the buffers can be transferred). */
function slice(batch: SeriesBatch, from: number, to: number): SeriesBatch {
  const base = batch.offsets[from]!;
  const offsets = new Int32Array(to - from + 1);
  for (let i = from; i <= to; i++) offsets[i - from] = batch.offsets[i]! - base;
  return { offsets, values: batch.values.slice(base, batch.offsets[to]!) };
}
