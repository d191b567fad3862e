/**
 * Renders chart configs to PNG (for Slack and `GET /api/charts/<name>.png`) on a small pool of
 * worker threads: a render blocks its thread for tens to hundreds of milliseconds, and the API's
 * thread must keep answering meanwhile.
 *
 * chartjs-node-canvas and canvas are optional dependencies. Where they cannot be loaded every
 * render rejects with ChartRenderingUnavailableError (HTTP 503) naming what to install, and
 * `pngAvailable()` says false, so callers can fall back to links or text.
 *
 * The main thread loads canvas's native binding once (the renderer's `loader`, about 40 ms)
 * before the first worker starts. That is the availability check, and it also keeps the process
 * alive: Pango starts a fontconfig thread in every worker that draws text, and when a worker
 * exits Node unloads the addon and with it that thread's code, a segfault that takes the whole
 * process down (on close(), an idle or render timeout, or at exit). Held by the main thread too,
 * the libraries stay mapped. Call `pngAvailable()` at start-up to pay the load before serving.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { AppError } from "../errors.js";
import { workerExecArgv, workerModuleUrl } from "../worker-exec.js";
import { createPainter, loadChartBackend } from "./canvas-backend.js";
import type { RenderJobMessage, RenderWorkerReply } from "./render-protocol.js";
import { CHART_SIZES, type ChartSize, type ChartTarget } from "./theme.js";

/** PNG charts cannot be drawn on this machine: canvas or chartjs-node-canvas is missing or broken. */
export class ChartRenderingUnavailableError extends AppError {
  constructor(readonly reason: string) {
    super(
      503,
      "charts_unavailable",
      "PNG charts are unavailable: the optional packages canvas and chartjs-node-canvas could not be " +
        `loaded (${reason}). Install the libraries canvas builds against (Debian/Ubuntu: apt-get ` +
        "install build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev " +
        "librsvg2-dev; Alpine: apk add build-base cairo-dev pango-dev jpeg-dev giflib-dev librsvg-dev; " +
        "macOS: brew install pkg-config cairo pango libpng jpeg giflib librsvg), then run npm install " +
        "again (or npm rebuild canvas).",
      { reason },
    );
  }
}

/** A render took longer than the renderer's timeout; its worker was stopped. */
export class ChartRenderTimeoutError extends AppError {
  constructor(timeoutMs: number) {
    super(503, "chart_render_timeout", `rendering the chart took longer than ${timeoutMs} ms`);
  }
}

/** Too many renders are waiting; try again shortly. */
export class ChartRendererBusyError extends AppError {
  constructor(queued: number) {
    super(503, "chart_renderer_busy", `the chart renderer is busy (${queued} charts waiting); try again`);
  }
}

/** Chart.js failed on the config, a worker crashed, or the renderer was closed. */
export class ChartRenderError extends AppError {
  constructor(message: string) {
    super(500, "chart_render_failed", message);
  }
}

export interface RenderOptions {
  /** A size from the theme's table (default "slack": 800×400 logical px at 2×) or explicit. */
  size?: ChartTarget | ChartSize;
}

export interface ChartRenderer {
  /** PNG bytes of `config` (a plain JSON Chart.js config) on a white background. */
  render(config: unknown, options?: RenderOptions): Promise<Buffer>;
  /** Whether canvas and chartjs-node-canvas load here; never rejects. */
  available(): Promise<boolean>;
  /** Stops the workers; pending renders reject. Safe to call twice. */
  close(): Promise<void>;
}

/** Loads canvas's native binding on the calling thread; throws when canvas is missing or broken. */
export type CanvasLoader = () => unknown;

/** The default CanvasLoader: `require("canvas")`, done lazily because it is optional. */
export function loadCanvas(): void {
  createRequire(import.meta.url)("canvas");
}

export interface ChartRendererOptions {
  /** Worker threads (1–2). Default: 1 on machines with 2 cores or fewer, else 2. */
  workers?: number;
  /** Per render, from the moment a worker takes it; the worker is then stopped. Default 10 s. */
  timeoutMs?: number;
  /** How long a new worker may take to load chartjs-node-canvas. Default 30 s. */
  startTimeoutMs?: number;
  /** Renders allowed to wait for a worker; more are refused with ChartRendererBusyError. Default 100. */
  maxQueue?: number;
  /** An idle worker stops after this long and is started again on demand. Default 60 s. */
  idleTimeoutMs?: number;
  /**
   * Runs once on the calling thread before any worker starts (default `loadCanvas`). Injectable so
   * that tests can simulate a machine without canvas.
   */
  loader?: CanvasLoader;
  /** Render on the calling thread instead of workers: for benchmarks and debugging only. */
  inline?: boolean;
}

function resolveSize(size: RenderOptions["size"]): ChartSize {
  if (size === undefined) return CHART_SIZES.slack;
  return typeof size === "string" ? CHART_SIZES[size] : size;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const workerUrl = workerModuleUrl(import.meta.url, "render-worker");

interface Job {
  request: RenderJobMessage;
  resolve(png: Buffer): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  state: "starting" | "idle" | "busy";
  job?: Job;
  /** Start-up or render timeout. */
  timer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
}

/** Leave a core to the API's thread on small machines. */
function defaultWorkers(): number {
  return availableParallelism() <= 2 ? 1 : 2;
}

class WorkerPoolRenderer implements ChartRenderer {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly maxQueue: number;
  private readonly idleTimeoutMs: number;
  private readonly loader: CanvasLoader;
  private canvasLoaded: Promise<void> | undefined;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private ready = false;
  private unavailable: ChartRenderingUnavailableError | undefined;
  private readonly availabilityWaiters: ((available: boolean) => void)[] = [];
  private execArgv: string[] | undefined;

  constructor(options: ChartRendererOptions) {
    this.size = Math.min(2, Math.max(1, Math.floor(options.workers ?? defaultWorkers())));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.maxQueue = options.maxQueue ?? 100;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.loader = options.loader ?? loadCanvas;
  }

  async render(config: unknown, options: RenderOptions = {}): Promise<Buffer> {
    await this.loadCanvas();
    if (this.closed) throw new ChartRenderError("the chart renderer is closed");
    if (this.unavailable) throw this.unavailable;
    if (this.queue.length >= this.maxQueue) throw new ChartRendererBusyError(this.queue.length);
    const { width, height, devicePixelRatio } = resolveSize(options.size);
    return new Promise<Buffer>((resolve, reject) => {
      const id = this.nextId++;
      this.queue.push({ request: { id, config, width, height, devicePixelRatio }, resolve, reject });
      this.pump();
    });
  }

  async available(): Promise<boolean> {
    if (this.ready) return true;
    try {
      await this.loadCanvas();
    } catch {
      return false;
    }
    if (this.closed || this.unavailable) return false;
    if (this.ready) return true;
    // canvas loads here; whether chartjs-node-canvas does too, the first worker tells.
    return new Promise((resolve) => {
      this.availabilityWaiters.push(resolve);
      if (this.slots.size === 0) this.spawn();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new ChartRenderError("the chart renderer was closed");
    for (const job of this.queue.splice(0)) job.reject(error);
    this.settleAvailability(false);
    await Promise.all([...this.slots].map((slot) => this.retire(slot, error)));
  }

  /** Runs the loader once; its failure makes the renderer unavailable for good. */
  private loadCanvas(): Promise<void> {
    this.canvasLoaded ??= (async () => {
      try {
        await this.loader();
      } catch (error) {
        this.unavailable ??= new ChartRenderingUnavailableError(message(error));
        throw this.unavailable;
      }
    })();
    return this.canvasLoaded;
  }

  /** Hands queued jobs to idle workers and starts workers, up to the pool size, for the rest. */
  private pump() {
    if (this.closed) return;
    for (const slot of this.slots) {
      const job = slot.state === "idle" ? this.queue.shift() : undefined;
      if (job) this.dispatch(slot, job);
    }
    let starting = [...this.slots].filter((s) => s.state === "starting").length;
    while (this.queue.length > starting && this.slots.size < this.size) {
      this.spawn();
      starting += 1;
    }
  }

  private spawn() {
    this.execArgv ??= workerExecArgv(import.meta.url);
    // Starting and busy workers are ref'd, so an awaited render completes even when nothing else
    // keeps the process alive; idle workers are unref'd and never hold the process open.
    const worker = new Worker(workerUrl, { execArgv: this.execArgv, name: "chart-render" });
    const slot: Slot = { worker, state: "starting" };
    this.slots.add(slot);
    worker.on("message", (reply: RenderWorkerReply) => this.onReply(slot, reply));
    worker.on("error", (error) => this.onCrash(slot, `chart worker failed: ${error.message}`));
    worker.on("exit", (code) => this.onCrash(slot, `chart worker exited with code ${code}`));
    slot.timer = setTimeout(
      () => this.onCrash(slot, `chart worker did not start within ${this.startTimeoutMs} ms`),
      this.startTimeoutMs,
    );
    slot.timer.unref();
  }

  private onReply(slot: Slot, reply: RenderWorkerReply) {
    switch (reply.type) {
      case "ready":
        clearTimeout(slot.timer);
        this.ready = true;
        this.settleAvailability(true);
        this.idle(slot);
        return;
      case "unavailable":
        this.unavailable = new ChartRenderingUnavailableError(reply.reason);
        for (const job of this.queue.splice(0)) job.reject(this.unavailable);
        this.settleAvailability(false);
        void this.retire(slot);
        return;
      case "done":
      case "failed": {
        const job = slot.job;
        if (!job || job.request.id !== reply.id) return;
        clearTimeout(slot.timer);
        slot.job = undefined;
        if (reply.type === "done") job.resolve(Buffer.from(reply.png));
        else job.reject(new ChartRenderError(`rendering the chart failed: ${reply.message}`));
        this.idle(slot);
        return;
      }
    }
  }

  /** The worker died or never came up: fail its job (or, if it was starting, all waiting jobs). */
  private onCrash(slot: Slot, reason: string) {
    if (!this.slots.has(slot)) return;
    const error = new ChartRenderError(reason);
    const starting = slot.state === "starting";
    void this.retire(slot, error);
    if (starting) {
      // A worker that cannot start will not start the next time either: fail what waits for it.
      for (const job of this.queue.splice(0)) job.reject(error);
      this.settleAvailability(false);
    }
    this.pump();
  }

  private dispatch(slot: Slot, job: Job) {
    clearTimeout(slot.idleTimer);
    slot.state = "busy";
    slot.job = job;
    slot.worker.ref();
    try {
      slot.worker.postMessage(job.request);
    } catch (error) {
      // DataCloneError: the config holds something that is not plain data, such as a function.
      slot.job = undefined;
      job.reject(new ChartRenderError(`the chart config is not plain JSON: ${message(error)}`));
      this.idle(slot);
      return;
    }
    slot.timer = setTimeout(() => {
      // Synchronous drawing cannot be interrupted: stop the worker, start another for the queue.
      void this.retire(slot, new ChartRenderTimeoutError(this.timeoutMs));
      this.pump();
    }, this.timeoutMs);
    slot.timer.unref();
  }

  private idle(slot: Slot) {
    slot.state = "idle";
    slot.worker.unref();
    this.pump();
    if (slot.state !== "idle" || !this.slots.has(slot)) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.state === "idle") void this.retire(slot);
    }, this.idleTimeoutMs);
    slot.idleTimer.unref();
  }

  /** Takes a worker out of the pool, fails its job with `error`, and stops it. */
  private async retire(slot: Slot, error?: Error) {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error ?? new ChartRenderError("the chart worker stopped"));
    await slot.worker.terminate();
  }

  private settleAvailability(available: boolean) {
    for (const resolve of this.availabilityWaiters.splice(0)) resolve(available);
  }
}

/** Renders on the calling thread, blocking it for every render: for benchmarks and debugging. */
class InlineRenderer implements ChartRenderer {
  private painter: Promise<ReturnType<typeof createPainter>> | undefined;
  private closed = false;

  constructor(private readonly loader: CanvasLoader) {}

  private load() {
    this.painter ??= (async () => {
      try {
        await this.loader();
        return createPainter(await loadChartBackend());
      } catch (error) {
        throw new ChartRenderingUnavailableError(message(error));
      }
    })();
    return this.painter;
  }

  async render(config: unknown, options: RenderOptions = {}): Promise<Buffer> {
    const paint = await this.load();
    if (this.closed) throw new ChartRenderError("the chart renderer is closed");
    try {
      return paint({ config, ...resolveSize(options.size) });
    } catch (error) {
      throw new ChartRenderError(`rendering the chart failed: ${message(error)}`);
    }
  }

  async available(): Promise<boolean> {
    try {
      await this.load();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A renderer of one's own (tests, benchmarks); the API uses the shared one below. */
export function createChartRenderer(options: ChartRendererOptions = {}): ChartRenderer {
  return options.inline ? new InlineRenderer(options.loader ?? loadCanvas) : new WorkerPoolRenderer(options);
}

let shared: ChartRenderer | undefined;

function sharedRenderer(): ChartRenderer {
  shared ??= createChartRenderer();
  return shared;
}

/** Whether PNG charts can be rendered on this machine (canvas and chartjs-node-canvas load). */
export function pngAvailable(): Promise<boolean> {
  return sharedRenderer().available();
}

/**
 * PNG bytes of a chart config, rendered on the shared worker pool. Rejects with
 * ChartRenderingUnavailableError (503) where canvas is missing, with ChartRenderTimeoutError or
 * ChartRendererBusyError (503) under load, and with ChartRenderError (500) otherwise.
 */
export function renderChartPng(config: unknown, options?: RenderOptions): Promise<Buffer> {
  return sharedRenderer().render(config, options);
}

/** Stops the shared pool's workers (graceful shutdown, tests); the next render starts it again. */
export async function closeChartRenderer(): Promise<void> {
  const renderer = shared;
  shared = undefined;
  await renderer?.close();
}
