/** One import in its own process, for a clean peak-RSS figure: prints {seconds, rows, maxRssMb}. */
import { createReadStream } from "node:fs";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { importCsv } from "../db/import/import.js";
import { type ImportKind, isImportKind } from "../db/import/kinds.js";

const [kind, file] = process.argv.slice(2);
if (!kind || !file || !isImportKind(kind)) throw new Error("usage: import-child KIND FILE");
const config = loadConfig();
const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, poolMax: 2 });
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = await importCsv(db.sql, kind as ImportKind, createReadStream(file), {
  source: "cli",
  copy: db.kind === "server",
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await db.close();
if (r.status !== "succeeded") throw new Error(`import failed: ${JSON.stringify(r.errors.slice(0, 5))}`);
console.log(
  JSON.stringify({
    seconds,
    rows: r.rows,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    // The import's own CPU (parse, validation, staging, the driver), without start-up.
    nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
  }),
);
