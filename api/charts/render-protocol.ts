/**
 * Messages between the renderer (render.ts) and its worker threads (render-worker.ts).
 */
import type { PaintRequest } from "./canvas-backend.js";

export interface RenderJobMessage extends PaintRequest {
  id: number;
}

export type RenderWorkerReply =
  /** The worker loaded chartjs-node-canvas and takes jobs. */
  | { type: "ready" }
  /** chartjs-node-canvas (or canvas) could not be loaded; the worker exits. */
  | { type: "unavailable"; reason: string }
  /** `png` is transferred, not copied. `ms` is the paint time in the worker. */
  | { type: "done"; id: number; png: ArrayBuffer; ms: number }
  | { type: "failed"; id: number; message: string };
