/**
 * Loads the demo company's fact base through the ordinary CSV import (source 'demo'), in
 * dependency order: items first, since every other file names SKUs or families. People,
 * cycles and sign-offs are not written here; they go through the API.
 */
import type { Logger } from "pino";
import type { Sql } from "../client.js";
import { type ImportResult, importCsv } from "../import/import.js";
import { IMPORT_KINDS, type ImportKind } from "../import/kinds.js";
import type { DemoCompany } from "./generate.js";

export interface LoadDemoOptions {
  logger?: Logger;
  signal?: AbortSignal;
  /** Called after each file is imported. */
  onImported?: (result: ImportResult) => void;
  /** Stage with COPY (PostgreSQL servers only). */
  copy?: boolean;
}

/** A demo file the import refused: a bug in the generator, never the user's doing. */
export class DemoLoadError extends Error {
  constructor(readonly result: ImportResult) {
    const first = result.errors[0];
    super(
      `the demo's ${result.kind}.csv was refused: ${
        result.conflict ??
        (first
          ? `line ${first.line}, ${first.column ?? "row"}: ${first.reason}`
          : `${result.errorCount} bad rows`)
      }`,
    );
    this.name = "DemoLoadError";
  }
}

/**
 * Imports the six demo CSV files (items, sales, forecasts, inventory, supply, capacity) and
 * returns each import's results. The forecasts go in one file per plan snapshot (cycle), as a
 * planner would load them month by month: on the embedded database an import holds the one
 * session, so twelve short imports keep the server answering while the demo loads. Throws
 * {@link DemoLoadError} when a file is refused; the files imported before it stay.
 */
export async function loadDemoData(
  sql: Sql,
  company: DemoCompany,
  options: LoadDemoOptions = {},
): Promise<Record<ImportKind, ImportResult[]>> {
  const results = {} as Record<ImportKind, ImportResult[]>;
  for (const kind of IMPORT_KINDS) {
    results[kind] = [];
    const files =
      kind === "forecasts" ? splitByCycle(company.csv.forecasts) : [{ name: kind, text: company.csv[kind] }];
    for (const file of files) {
      const result = await importCsv(sql, kind, file.text, {
        fileName: `demo/${file.name}.csv`,
        source: "demo",
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        copy: options.copy ?? false,
      });
      if (result.status !== "succeeded") throw new DemoLoadError(result);
      results[kind].push(result);
      options.onImported?.(result);
    }
  }
  return results;
}

/** The forecasts CSV as one file per cycle (the last column), header repeated, cycles in order. */
export function splitByCycle(csv: string): { name: string; text: string }[] {
  const lines = csv.split("\n").filter((l) => l !== "");
  const header = lines[0] ?? "";
  const cycleAt = header.split(",").indexOf("cycle");
  const byCycle = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const cycle = line.split(",")[cycleAt] ?? "";
    const list = byCycle.get(cycle);
    if (list) list.push(line);
    else byCycle.set(cycle, [line]);
  }
  return [...byCycle.keys()]
    .sort()
    .map((cycle) => ({ name: `forecasts-${cycle}`, text: `${header}\n${byCycle.get(cycle)!.join("\n")}\n` }));
}
