/**
 * Forecast accuracy on the 1,428 monthly series of the M3 competition: each series' last 18
 * values are forecast from the rest and scored with the competition's sMAPE (mean over the 18
 * horizons of 200·|A − F| / (|A| + |F|), averaged over series). Published: Theta 13.85;
 * this file's naive 18.18 and seasonal naive 17.24 confirm the scoring.
 *
 * Run: npx tsx bench/m3.ts [path-to-m3-monthly.csv]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  comb,
  croston,
  DEFAULT_SELECTION,
  damped,
  type ForecastResult,
  forecastSeries,
  holt,
  holtWintersAdditive,
  holtWintersMultiplicative,
  type ModelName,
  naive,
  sba,
  seasonalNaive,
  ses,
  theta,
} from "../api/domain/forecast/index.js";

const HORIZON = 18;
const here = path.dirname(fileURLToPath(import.meta.url));
/** Only this benchmark reads the shared data directory (the product and tests never do). */
export const DEFAULT_M3_PATH = path.resolve(here, "../../shared/data/m3-monthly.csv");

export interface M3Series {
  id: string;
  train: number[];
  test: number[];
}

/** Reads the long-form CSV `series,category,period,value,split` into series, file order kept. */
export function loadM3(file = DEFAULT_M3_PATH): M3Series[] {
  const text = readFileSync(file, "utf8");
  const byId = new Map<string, M3Series>();
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split(",");
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`m3: no column ${name}`);
    return i;
  };
  const [iSeries, iPeriod, iValue, iSplit] = [col("series"), col("period"), col("value"), col("split")];
  const groups = new Map<string, { period: string; value: number; test: boolean }[]>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const f = line.split(",");
    const id = f[iSeries]!;
    let g = groups.get(id);
    if (!g) {
      g = [];
      groups.set(id, g);
    }
    g.push({ period: f[iPeriod]!, value: Number(f[iValue]), test: f[iSplit] === "test" });
  }
  for (const [id, g] of groups) {
    g.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    byId.set(id, {
      id,
      train: g.filter((r) => !r.test).map((r) => r.value),
      test: g.filter((r) => r.test).map((r) => r.value),
    });
  }
  return [...byId.values()];
}

/** The competition's sMAPE of one series, in percent. */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const f = forecast[i]!;
    const d = Math.abs(a) + Math.abs(f);
    s += d > 0 ? (200 * Math.abs(a - f)) / d : 0;
  }
  return s / actual.length;
}

type Method = (train: number[]) => number[];

/** Single models as plain functions on the raw series. */
const single: [string, Method][] = [
  ["naive", (x) => naive(x, HORIZON).forecast],
  ["seasonal naive", (x) => seasonalNaive(x, HORIZON).forecast],
  ["SES (raw series)", (x) => ses(x, HORIZON).forecast],
  ["Holt (raw series)", (x) => holt(x, HORIZON).forecast],
  ["damped trend (raw series)", (x) => damped(x, HORIZON).forecast],
  ["Holt–Winters additive", (x) => (holtWintersAdditive(x, HORIZON) ?? naive(x, HORIZON)).forecast],
  [
    "Holt–Winters multiplicative",
    (x) =>
      (holtWintersMultiplicative(x, HORIZON) ?? holtWintersAdditive(x, HORIZON) ?? naive(x, HORIZON))
        .forecast,
  ],
  ["Theta (standard: autocorrelation seasonality test)", (x) => theta(x, HORIZON).forecast],
  ["Theta, F-test seasonality", (x) => theta(x, HORIZON, 12, "anova").forecast],
  ["Croston", (x) => croston(x, HORIZON).forecast],
  ["SBA", (x) => sba(x, HORIZON).forecast],
  ["comb: mean of SES, damped, Theta (autocorrelation test)", (x) => comb(x, HORIZON).forecast],
  ["comb, F-test seasonality", (x) => comb(x, HORIZON, 12, "anova").forecast],
];

/** In the short-history table. */
const SHORT_ROWS = new Set([
  "naive",
  "seasonal naive",
  "Theta (standard: autocorrelation seasonality test)",
  "Theta, F-test seasonality",
  "comb: mean of SES, damped, Theta (autocorrelation test)",
  "comb, F-test seasonality",
]);

/** The selection pipeline restricted to one model: seasonally adjusted when the F-test finds seasonality. */
const adjusted =
  (model: ModelName): Method =>
  (x) =>
    forecastSeries(x, { horizon: HORIZON, models: [model] }).forecast;

export interface M3Report {
  series: number;
  rows: { method: string; smape: number }[];
  /** The same with only the last 36 months of each training part: the product's usual history. */
  short: { method: string; smape: number }[];
  autoChoices: Record<string, number>;
  autoSeconds: number;
}

/** Months of history in the short-history variant. */
export const SHORT_HISTORY = 36;

export function main(file = DEFAULT_M3_PATH): M3Report {
  const data = loadM3(file);
  const rows: { method: string; smape: number }[] = [];
  const score = (method: Method) => {
    let total = 0;
    for (const s of data) total += smape(s.test, method(s.train));
    return total / data.length;
  };
  const choices: Record<string, number> = {};
  const t0 = performance.now();
  const results: ForecastResult[] = data.map((s) => forecastSeries(s.train, { horizon: HORIZON }));
  const autoSeconds = (performance.now() - t0) / 1000;
  let autoTotal = 0;
  data.forEach((s, i) => {
    const r = results[i]!;
    autoTotal += smape(s.test, r.forecast);
    choices[r.model] = (choices[r.model] ?? 0) + 1;
  });
  rows.push({ method: "automatic selection (forecastSeries)", smape: autoTotal / data.length });
  rows.push({
    method: "automatic, single best model only",
    smape: score(
      (x) => forecastSeries(x, { horizon: HORIZON }, { ...DEFAULT_SELECTION, rule: "best" }).forecast,
    ),
  });
  for (const [name, method] of single) rows.push({ method: name, smape: score(method) });
  for (const [model, name] of [
    ["ses", "SES"],
    ["holt", "Holt"],
    ["damped", "damped trend"],
  ] as const) {
    rows.push({ method: `${name}, seasonally adjusted (F-test)`, smape: score(adjusted(model)) });
  }
  const short: { method: string; smape: number }[] = [];
  const cut =
    (method: Method): Method =>
    (x) =>
      method(x.slice(-SHORT_HISTORY));
  short.push({
    method: "automatic selection (forecastSeries)",
    smape: score(cut((x) => forecastSeries(x, { horizon: HORIZON }).forecast)),
  });
  short.push({
    method: "automatic, single best model only",
    smape: score(
      cut((x) => forecastSeries(x, { horizon: HORIZON }, { ...DEFAULT_SELECTION, rule: "best" }).forecast),
    ),
  });
  for (const [name, method] of single) {
    if (SHORT_ROWS.has(name)) {
      short.push({ method: name, smape: score(cut(method)) });
    }
  }
  return { series: data.length, rows, short, autoChoices: choices, autoSeconds };
}

export function formatReport(r: M3Report): string {
  const lines = [
    `M3 monthly: ${r.series} series, horizon ${HORIZON}, sMAPE (%) — lower is better`,
    "",
    "| method | sMAPE |",
    "|---|---:|",
    ...r.rows.map((x) => `| ${x.method} | ${x.smape.toFixed(2)} |`),
    "",
    "Published: Theta 13.85; this file's naive 18.18, seasonal naive 17.24.",
    "",
    `Short histories: the same series with only the last ${SHORT_HISTORY} months of each training part`,
    "",
    "| method | sMAPE |",
    "|---|---:|",
    ...r.short.map((x) => `| ${x.method} | ${x.smape.toFixed(2)} |`),
    "",
    `Automatic selection chose: ${Object.entries(r.autoChoices)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")} (${r.autoSeconds.toFixed(2)} s for all series)`,
  ];
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(formatReport(main(process.argv[2] ?? DEFAULT_M3_PATH)));
}
