/**
 * The dashboard's browser files, served by the app itself (no CDN: it works offline and behind
 * a firewall): Chart.js from node_modules, our script, stylesheet and icon from ./assets. Read
 * and compressed once; addressed by content hash so browsers may cache them forever.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";

export interface Asset {
  /** The address, `/assets/<name>.<hash>.<ext>`. */
  url: string;
  type: string;
  body: Uint8Array;
  gzip: Uint8Array;
  brotli: Uint8Array;
}

export type AssetName = "chart.js" | "dashboard.js" | "dashboard.css" | "icon.svg";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

function chartJsFile(): string {
  // chart.js's exports map hides dist/, so resolve the package's CommonJS entry and look beside it.
  const main = createRequire(import.meta.url).resolve("chart.js");
  return path.join(path.dirname(main), "chart.umd.min.js");
}

function load(name: AssetName, file: string): Asset {
  let text = readFileSync(file);
  if (name === "chart.js") {
    // The source map is not served; without the comment browsers do not ask for it.
    text = Buffer.from(text.toString("utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
  }
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  const ext = path.extname(name);
  return {
    url: `/assets/${path.basename(name, ext)}.${hash}${ext}`,
    type: TYPES[ext] ?? "application/octet-stream",
    body: text,
    gzip: gzipSync(text, { level: 9 }),
    brotli: brotliCompressSync(text),
  };
}

let cache: Map<AssetName, Asset> | undefined;

/** Every asset, loaded on first use. Throws naming the file when one is missing. */
export function assets(): Map<AssetName, Asset> {
  if (cache) return cache;
  const dir = fileURLToPath(new URL("./assets/", import.meta.url));
  const files: [AssetName, string][] = [
    ["chart.js", chartJsFile()],
    ["dashboard.js", path.join(dir, "dashboard.js")],
    ["dashboard.css", path.join(dir, "dashboard.css")],
    ["icon.svg", path.join(dir, "icon.svg")],
  ];
  cache = new Map(files.map(([name, file]) => [name, load(name, file)]));
  return cache;
}

/** The cache-busting address of an asset. */
export function assetUrl(name: AssetName): string {
  const asset = assets().get(name);
  if (!asset) throw new Error(`unknown dashboard asset ${name}`);
  return asset.url;
}

/** The asset at `url`, if any. */
export function assetAt(url: string): Asset | undefined {
  for (const asset of assets().values()) if (asset.url === url) return asset;
  return undefined;
}
