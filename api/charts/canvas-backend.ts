/**
 * Loads chartjs-node-canvas (and with it the native `canvas` module) and paints chart configs to
 * PNG. Both are optional dependencies: `npm install` succeeds where canvas cannot be built, so
 * they are imported lazily, by a specifier held in a variable (TypeScript then does not need
 * their types either), and a failed import means "PNG charts are unavailable here".
 *
 * Painting is synchronous and takes tens of milliseconds: call it on a worker thread
 * (render-worker.ts) unless blocking the caller is fine.
 */
import { BACKGROUND_COLOR, FONT_FAMILY, TEXT_COLOR } from "./theme.js";

/** The module the renderer imports by default. */
export const CHART_CANVAS_MODULE = "chartjs-node-canvas";

/** The part of chartjs-node-canvas we use. */
interface ChartJSNodeCanvasLike {
  renderToBufferSync(configuration: unknown, mimeType?: "image/png"): Buffer;
}
interface ChartJSStaticLike {
  defaults: { font: { family?: string }; color?: unknown };
}
type ChartJSNodeCanvasConstructor = new (options: {
  width: number;
  height: number;
  backgroundColour?: string;
  chartCallback?: (chartJS: ChartJSStaticLike) => void;
}) => ChartJSNodeCanvasLike;

export interface ChartBackend {
  ChartJSNodeCanvas: ChartJSNodeCanvasConstructor;
}

/**
 * Imports chartjs-node-canvas from `specifier`. Throws whatever the import throws: the package
 * missing, or canvas's native binding failing to load (libcairo absent, built for another Node).
 */
export async function loadChartBackend(specifier: string = CHART_CANVAS_MODULE): Promise<ChartBackend> {
  const loaded = (await import(specifier)) as {
    ChartJSNodeCanvas?: ChartJSNodeCanvasConstructor;
    default?: { ChartJSNodeCanvas?: ChartJSNodeCanvasConstructor };
  };
  const ChartJSNodeCanvas = loaded.ChartJSNodeCanvas ?? loaded.default?.ChartJSNodeCanvas;
  if (typeof ChartJSNodeCanvas !== "function") {
    throw new Error(`${specifier} does not export ChartJSNodeCanvas`);
  }
  return { ChartJSNodeCanvas };
}

export interface PaintRequest {
  /** A Chart.js config as built by api/charts (plain JSON). */
  config: unknown;
  /** Logical pixels. */
  width: number;
  height: number;
  /** The PNG is width × devicePixelRatio by height × devicePixelRatio device pixels. */
  devicePixelRatio: number;
}

/** Returns a synchronous painter: PaintRequest → PNG bytes (white background). */
export function createPainter(backend: ChartBackend): (request: PaintRequest) => Buffer {
  // chartjs-node-canvas loads a fresh Chart.js per instance: keep one per size and reuse it.
  const canvases = new Map<string, ChartJSNodeCanvasLike>();
  return ({ config, width, height, devicePixelRatio }) => {
    const key = `${width}x${height}`;
    let canvas = canvases.get(key);
    if (!canvas) {
      canvas = new backend.ChartJSNodeCanvas({
        width,
        height,
        backgroundColour: BACKGROUND_COLOR,
        chartCallback: (chartJS) => {
          // Only for anything a config leaves unset; the configs name their fonts themselves.
          chartJS.defaults.font.family = FONT_FAMILY;
          chartJS.defaults.color = TEXT_COLOR;
        },
      });
      canvases.set(key, canvas);
    }
    // The canvas is width × height; Chart.js scales it by devicePixelRatio and draws in logical
    // pixels, so fonts and lines keep their size and come out sharp.
    const c = structuredClone(config) as { options?: Record<string, unknown> };
    c.options = { ...c.options, devicePixelRatio, responsive: false, animation: false };
    return canvas.renderToBufferSync(c, "image/png");
  };
}
