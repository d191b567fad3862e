/**
 * A chart render worker: loads chartjs-node-canvas once, then paints one job at a time and sends
 * the PNG back. Started by render.ts; see render-protocol.ts for the messages.
 */
import { parentPort } from "node:worker_threads";
import { createPainter, loadChartBackend } from "./canvas-backend.js";
import type { RenderJobMessage, RenderWorkerReply } from "./render-protocol.js";

const port = parentPort;
if (!port) throw new Error("render-worker runs as a worker thread, started by render.ts");

function send(reply: RenderWorkerReply, transfer: ArrayBuffer[] = []) {
  port?.postMessage(reply, transfer);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let paint: ReturnType<typeof createPainter>;
try {
  paint = createPainter(await loadChartBackend());
} catch (error) {
  send({ type: "unavailable", reason: describe(error) });
  process.exit(0);
}

port.on("message", (job: RenderJobMessage) => {
  const started = performance.now();
  try {
    const png = paint(job);
    // A copy owns its memory and can be transferred; canvas's own buffer may be external.
    const bytes = new Uint8Array(png);
    send({ type: "done", id: job.id, png: bytes.buffer, ms: performance.now() - started }, [bytes.buffer]);
  } catch (error) {
    send({ type: "failed", id: job.id, message: describe(error) });
  }
});
send({ type: "ready" });
