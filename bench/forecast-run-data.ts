/**
 * The forecast benchmark's company: 10,000 SKUs × 3 locations = 30,000 SKU-locations, each with
 * 36 months of sales (2023-11 … 2026-10) drawn from bench/forecast-speed.ts's mix of steady,
 * seasonal, intermittent, launched and running-out items, all active in the last 12 months.
 * Deterministic; the CSV files are cached in bench/.data.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SeriesBatch } from "../api/domain/forecast/index.js";
import { syntheticSeries } from "./forecast-speed.js";

export const SERIES = 30_000;
export const MONTHS = 36;
/** The cycle forecast: the month after the last month of history. */
export const CYCLE = "2026-11";
const FIRST = { year: 2023, month: 11 };

const DATA = fileURLToPath(new URL("./.data/", import.meta.url));
const LOCATIONS = ["MAIN", "EAST", "WEST"];

/** The 30,000 series (units by month, oldest first), each with a sale in its last 12 months. */
export function benchSeries(): { values: number[][]; batch: SeriesBatch } {
  const values: number[][] = [];
  for (const s of syntheticSeries(Math.round(SERIES * 1.2), MONTHS)) {
    if (s.values.slice(-12).some((v) => v > 0)) values.push(s.values);
    if (values.length === SERIES) break;
  }
  if (values.length < SERIES) throw new Error("not enough active series");
  // As the forecast run reads them: from the first sale on.
  const trimmed = values.map((v) =>
    v.slice(
      Math.max(
        0,
        v.findIndex((x) => x > 0),
      ),
    ),
  );
  const offsets = new Int32Array(SERIES + 1);
  trimmed.forEach((v, i) => {
    offsets[i + 1] = offsets[i]! + v.length;
  });
  const flat = new Float64Array(offsets[SERIES]!);
  trimmed.forEach((v, i) => {
    flat.set(v, offsets[i]!);
  });
  return { values, batch: { offsets, values: flat } };
}

const sku = (i: number) => `SKU-${String(Math.floor(i / 3)).padStart(5, "0")}`;
const period = (m: number) => {
  const k = FIRST.month - 1 + m;
  return `${FIRST.year + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
};

/** items.csv and sales.csv of the benchmark company (rows before an item's first sale left out). */
export function benchFiles(): { items: string; sales: string; rows: number } {
  mkdirSync(DATA, { recursive: true });
  const items = path.join(DATA, "forecast-items.csv");
  const sales = path.join(DATA, "forecast-sales.csv");
  const { values } = benchSeries();
  let rows = 0;
  for (const v of values)
    rows +=
      v.length -
      Math.max(
        0,
        v.findIndex((x) => x > 0),
      );
  if (!existsSync(items) || !existsSync(sales)) {
    const itemLines = ["sku,name,family,unit_cost,unit_price,lead_time_days"];
    for (let i = 0; i < SERIES / 3; i++) {
      itemLines.push(
        `${sku(i * 3)},Item ${i},FAM-${i % 40},${2 + (i % 50)},${5 + (i % 90)},${15 + (i % 60)}`,
      );
    }
    writeFileSync(items, `${itemLines.join("\n")}\n`);
    const chunks = ["sku,location,period,units\n"];
    values.forEach((v, i) => {
      const first = Math.max(
        0,
        v.findIndex((x) => x > 0),
      );
      let block = "";
      for (let m = first; m < v.length; m++) block += `${sku(i)},${LOCATIONS[i % 3]},${period(m)},${v[m]}\n`;
      chunks.push(block);
    });
    writeFileSync(sales, chunks.join(""));
  }
  return { items, sales, rows };
}
