/**
 * Helpers for the chart tests: JSON-only checks for configs, PNG decoding and pixel statistics,
 * and where rendered PNGs are written for a human to look at.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadCanvas } from "../../../api/charts/render.js";

/**
 * Paths inside `value` that JSON cannot carry unchanged: functions, undefined, symbols, bigints,
 * NaN/Infinity, class instances. Empty when the value is plain JSON.
 */
export function nonJsonPaths(value: unknown, path = "config"): string[] {
  if (value === null || typeof value === "string" || typeof value === "boolean") return [];
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path}: ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonJsonPaths(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      return [`${path}: instance of ${proto?.constructor?.name}`];
    return Object.entries(value).flatMap(([k, v]) => nonJsonPaths(v, `${path}.${k}`));
  }
  return [`${path}: ${typeof value}`];
}

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error("not a PNG");
  if (png.toString("latin1", 12, 16) !== "IHDR") throw new Error("PNG without IHDR first");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Whether canvas loads here; the rendering tests skip without it. */
export function canvasLoads(): boolean {
  try {
    loadCanvas();
    return true;
  } catch {
    return false;
  }
}

export interface PixelStats {
  pixels: number;
  /** Pixels that are not (near) white. */
  inked: number;
  /** Distinct RGB colours, quantised to 4 bits a channel to ignore anti-aliasing shades. */
  colours: number;
}

/** Decodes a PNG with canvas and counts its inked pixels and colours. */
export async function pixelStats(png: Buffer): Promise<PixelStats> {
  const { createCanvas, loadImage } = await import("canvas");
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    if (r < 240 || g < 240 || b < 240) inked += 1;
    colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  return { pixels: image.width * image.height, inked, colours: colours.size };
}

/** test-results/charts/ at the repository root (git-ignored): PNGs to look at. */
export const RESULTS_DIR = fileURLToPath(new URL("../../../test-results/charts/", import.meta.url));

export function savePng(name: string, png: Buffer): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.png`;
  writeFileSync(file, png);
  return file;
}
