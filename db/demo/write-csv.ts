/**
 * Writes the demo company's six CSV files, so users can see the canonical formats by example
 * (and re-import or edit them with `sop import`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { IMPORT_KINDS } from "../import/kinds.js";
import type { DemoCompany } from "./generate.js";

/** Writes items.csv, sales.csv, forecasts.csv, inventory.csv, supply.csv and capacity.csv into `dir` (created if needed); returns the paths written. */
export async function writeDemoCsv(company: DemoCompany, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const kind of IMPORT_KINDS) {
    const file = path.join(dir, `${kind}.csv`);
    await writeFile(file, company.csv[kind], "utf8");
    written.push(file);
  }
  return written;
}
