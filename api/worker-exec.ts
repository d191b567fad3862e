/**
 * Starting worker threads from either build: production runs compiled JavaScript from dist/;
 * development and tests run the TypeScript sources through tsx or vitest, and then a worker
 * needs a TypeScript loader of its own.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The URL of a worker module next to `importMetaUrl`: `name`.ts from sources, `name`.js from dist/. */
export function workerModuleUrl(importMetaUrl: string, name: string): URL {
  return new URL(importMetaUrl.endsWith(".ts") ? `./${name}.ts` : `./${name}.js`, importMetaUrl);
}

/**
 * `execArgv` for a worker started from `importMetaUrl`'s build: none for compiled JavaScript;
 * for TypeScript sources, tsx's hooks registered inside the worker. Not `--import tsx`: tsx
 * 4.23's loader registers itself on the main thread only on Node 20 (and on 22 before 22.22.3,
 * 24 before 24.11.1), so a worker started with it cannot load .ts files (nodejs/node#47747,
 * privatenumber/tsx#354). Registering tsx's hooks through its API inside the worker works on all.
 */
export function workerExecArgv(importMetaUrl: string): string[] {
  if (!importMetaUrl.endsWith(".ts")) return [];
  const require = createRequire(importMetaUrl);
  const tsxRoot = path.dirname(require.resolve("tsx/package.json"));
  // The file behind tsx's "./esm/api" export for `import` (data: URLs cannot resolve packages).
  const api = path.join(tsxRoot, "dist/esm/api/index.mjs");
  if (!existsSync(api)) return ["--import", "tsx"];
  const bootstrap = `import { register } from ${JSON.stringify(pathToFileURL(api).href)}; register();`;
  return ["--import", `data:text/javascript,${encodeURIComponent(bootstrap)}`];
}
