/**
 * One measured step of the forecast benchmark in its own process, for a clean peak-RSS figure.
 *   run             the whole `sop forecast run` path on the database of the environment
 *   models WORKERS  the models alone on the benchmark's series (WORKERS threads; 0 = this one)
 * Prints one JSON line.
 */
import { forecastAll } from "../api/services/forecast-pool.js";
import { runForecast } from "../api/services/forecast-run.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { benchSeries, CYCLE } from "./forecast-run-data.js";

const [mode, arg] = process.argv.slice(2);
const rss = () => process.resourceUsage().maxRSS / 1024;

if (mode === "run") {
  const config = loadConfig();
  const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, poolMax: 4 });
  const t0 = performance.now();
  const run = await runForecast(db.sql, {
    cycle: CYCLE,
    horizon: 12,
    source: "cli",
    actor: "bench",
    now: new Date(),
  });
  const seconds = (performance.now() - t0) / 1000;
  await db.close();
  console.log(JSON.stringify({ seconds, run, maxRssMb: rss() }));
} else if (mode === "models") {
  const workers = Number(arg ?? "0");
  const { batch } = benchSeries();
  const t0 = performance.now();
  const r = await forecastAll(batch, { horizon: 12, workers });
  const seconds = (performance.now() - t0) / 1000;
  if (!r.forecasts.every(Number.isFinite)) throw new Error("non-finite forecast");
  console.log(JSON.stringify({ seconds, series: batch.offsets.length - 1, workers, maxRssMb: rss() }));
} else {
  throw new Error("usage: forecast-run-child run | models WORKERS");
}
