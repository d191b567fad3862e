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
 * returns each import's result. Throws {@link DemoLoadError} when a file is refused; the files
 * imported before it stay.
 */
export async function loadDemoData(
  sql: Sql,
  company: DemoCompany,
  options: LoadDemoOptions = {},
): Promise<Record<ImportKind, ImportResult>> {
  const results = {} as Record<ImportKind, ImportResult>;
  for (const kind of IMPORT_KINDS) {
    const result = await importCsv(sql, kind, company.csv[kind], {
      fileName: `demo/${kind}.csv`,
      source: "demo",
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      copy: options.copy ?? false,
    });
    if (result.status !== "succeeded") throw new DemoLoadError(result);
    results[kind] = result;
    options.onImported?.(result);
  }
  return results;
}
