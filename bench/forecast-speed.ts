/**
 * Single-thread speed of `forecastSeries` on 30,000 deterministic synthetic monthly series of
 * 36 months (the product's target: 30,000 series in ≤ 20 s on two cores, so ≲ 1 ms each on
 * one). The mix resembles a mid-market catalogue: steady sellers with trend, seasonality and
 * noise, strongly seasonal items, intermittent slow movers, launches and run-outs.
 *
 * Run: npx tsx bench/forecast-speed.ts [series] [months]
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { forecastSeries } from "../api/domain/forecast/index.js";

/** mulberry32: a small, fast, deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number): number {
  // Box–Muller; 1 − r() keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function poisson(r: () => number, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  const l = Math.exp(-mean);
  let k = 0;
  let p = r();
  while (p > l) {
    k++;
    p *= r();
  }
  return k;
}

export type SeriesKind = "regular" | "seasonal" | "intermittent" | "launch" | "runout";

/** Generates `count` synthetic series of `months` values; the same arguments give the same data. */
export function syntheticSeries(
  count: number,
  months: number,
  seed = 20240601,
): { kind: SeriesKind; values: number[] }[] {
  const r = rng(seed);
  const out: { kind: SeriesKind; values: number[] }[] = [];
  for (let i = 0; i < count; i++) {
    const u = r();
    const kind: SeriesKind =
      u < 0.5 ? "regular" : u < 0.7 ? "seasonal" : u < 0.9 ? "intermittent" : u < 0.95 ? "launch" : "runout";
    const level = Math.exp(Math.log(5) + r() * Math.log(4000)); // 5 … 20,000 units a month
    const growth = (r() - 0.35) * 0.03; // −1% … +2% a month
    const amp = kind === "seasonal" ? 0.3 + 0.5 * r() : kind === "regular" ? 0.25 * r() : 0.1 * r();
    const phase = r() * 12;
    const cv = 0.05 + 0.25 * r();
    const demandProb = 0.1 + 0.5 * r();
    const start = kind === "launch" ? Math.floor(r() * months * 0.6) : 0;
    const end = kind === "runout" ? months - 1 - Math.floor(r() * months * 0.4) : months;
    const values = new Array<number>(months);
    for (let t = 0; t < months; t++) {
      if (t < start || t > end) {
        values[t] = 0;
        continue;
      }
      const season = 1 + amp * Math.sin((2 * Math.PI * (t + phase)) / 12);
      const trendLevel = level * (1 + growth) ** t;
      let v: number;
      if (kind === "intermittent") {
        v = r() < demandProb ? 1 + poisson(r, Math.min(level, 20) * season) : 0;
      } else {
        const ramp = kind === "launch" ? Math.min(1, (t - start + 1) / 4) : 1;
        v = Math.round(Math.max(0, trendLevel * season * ramp * (1 + cv * normal(r))));
      }
      values[t] = v;
    }
    out.push({ kind, values });
  }
  return out;
}

export interface SpeedReport {
  series: number;
  months: number;
  horizon: number;
  /** Wall-clock time of the measured loop. */
  seconds: number;
  /** CPU time of the process over the loop (user + system; includes GC threads). */
  cpuSeconds: number;
  microsPerSeries: number;
  peakRssMb: number;
  models: Record<string, number>;
}

export function main(count = 30_000, months = 36, horizon = 12): SpeedReport {
  const data = syntheticSeries(count, months);
  // Warm up the JIT on a slice so the measurement reflects steady state.
  for (let i = 0; i < Math.min(500, data.length); i++) forecastSeries(data[i]!.values, { horizon });
  const models: Record<string, number> = {};
  let checksum = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of data) {
    const r = forecastSeries(s.values, { horizon });
    models[r.model] = (models[r.model] ?? 0) + 1;
    checksum += r.forecast[0]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (!Number.isFinite(checksum)) throw new Error("non-finite forecast");
  return {
    series: count,
    months,
    horizon,
    seconds,
    cpuSeconds,
    microsPerSeries: (seconds * 1e6) / count,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    models,
  };
}

export function formatReport(r: SpeedReport): string {
  return [
    `forecastSeries, one thread: ${r.series} series × ${r.months} months, horizon ${r.horizon}`,
    "",
    "| series | wall (s) | CPU (s) | per series, wall (µs) | peak RSS (MB) |",
    "|---:|---:|---:|---:|---:|",
    `| ${r.series} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.microsPerSeries.toFixed(0)} | ${r.peakRssMb.toFixed(0)} |`,
    "",
    `Models chosen: ${Object.entries(r.models)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 30_000);
  const months = Number(process.argv[3] ?? 36);
  console.log(formatReport(main(count, months)));
}
