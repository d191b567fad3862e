/**
 * CSV import: a streaming parse (csv-parse), zod per row, reference and duplicate checks, then
 * staging in batches and one merge, all in one transaction. A file with any bad row writes
 * nothing and is answered row by row (line, column, value, reason).
 */
import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import type { Logger } from "pino";
import type { Db, Sql } from "../client.js";
import {
  addMissingLocations,
  createImportRun,
  createStage,
  finishImportRun,
  type ImportCounts,
  knownFamilies,
  knownSkus,
  lockedCycles,
  mergeStage,
  type RowError,
  stageRows,
} from "../repositories/imports.js";
import { LOCK, lockXact } from "../repositories/locks.js";
import { type ImportKind, KINDS, type KindSpec } from "./kinds.js";

export type { RowError } from "../repositories/imports.js";

export interface ImportOptions {
  fileName?: string | null;
  source?: "cli" | "api" | "demo" | "test";
  signal?: AbortSignal;
  /** Called every batch with bytes read so far and rows seen. */
  onProgress?: (progress: { bytes: number; rows: number }) => void;
  logger?: Logger;
  /** Rows per staging statement. */
  batchSize?: number;
  /** Row errors reported in full; the rest are counted. */
  maxErrors?: number;
}

export interface ImportResult extends ImportCounts {
  runId: number;
  kind: ImportKind;
  status: "succeeded" | "failed";
  /** Data rows in the file (header excluded). */
  rows: number;
  seconds: number;
  /** The first `maxErrors` errors, by line. */
  errors: RowError[];
  errorCount: number;
  /** Why the file was refused as a whole, e.g. a locked plan; null when not refused as a whole. */
  conflict: string | null;
}

/** The import was cancelled (SIGTERM, client gone): nothing of it was written. */
export class ImportAbortedError extends Error {
  constructor() {
    super("the import was interrupted; nothing of it was written");
    this.name = "ImportAbortedError";
  }
}

class Refused extends Error {
  constructor(readonly conflict: string | null) {
    super("refused");
  }
}

export type ImportInput = Readable | AsyncIterable<Buffer | string> | string | Buffer;

export async function importCsv(
  sql: Sql,
  kind: ImportKind,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  const spec = KINDS[kind];
  const runId = await createImportRun(sql, {
    kind,
    fileName: options.fileName ?? null,
    source: options.source ?? "cli",
  });
  const log = options.logger?.child({ import: runId, kind });
  log?.debug({ fileName: options.fileName }, "import started");
  const state: State = { rows: 0, errors: [], errorCount: 0 };
  try {
    const counts = await sql.begin(async (tx) => {
      // Imports run one at a time.
      await lockXact(tx, LOCK.import);
      const counts = await run(tx, spec, input, options, state, runId);
      await finishImportRun(tx, runId, { status: "succeeded", rows: state.rows, counts });
      return counts;
    });
    const seconds = (performance.now() - started) / 1000;
    log?.info({ rows: state.rows, ...counts, seconds: round(seconds) }, "import succeeded");
    return {
      runId,
      kind,
      status: "succeeded",
      rows: state.rows,
      ...counts,
      seconds,
      errors: [],
      errorCount: 0,
      conflict: null,
    };
  } catch (error) {
    if (error instanceof Refused) {
      const errors = state.errors.sort(
        (a, b) => a.line - b.line || (a.column ?? "").localeCompare(b.column ?? ""),
      );
      await finishImportRun(sql, runId, {
        status: "failed",
        rows: state.rows,
        errors,
        errorCount: state.errorCount,
        message:
          error.conflict ??
          `${state.errorCount} bad row${state.errorCount === 1 ? "" : "s"}; nothing was written`,
      });
      log?.info({ errorCount: state.errorCount, conflict: error.conflict }, "import refused");
      return {
        runId,
        kind,
        status: "failed",
        rows: state.rows,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        seconds: (performance.now() - started) / 1000,
        errors,
        errorCount: state.errorCount,
        conflict: error.conflict,
      };
    }
    const aborted = options.signal?.aborted || error instanceof ImportAbortedError;
    await finishImportRun(sql, runId, {
      status: aborted ? "interrupted" : "failed",
      rows: state.rows,
      message: aborted ? "interrupted; nothing of it was written" : String((error as Error).message ?? error),
    }).catch((e) => log?.error({ err: e }, "could not record the end of the import"));
    if (aborted) throw error instanceof ImportAbortedError ? error : new ImportAbortedError();
    throw error;
  }
}

interface State {
  rows: number;
  errors: RowError[];
  errorCount: number;
}

async function run(
  tx: Db,
  spec: KindSpec,
  input: ImportInput,
  options: ImportOptions,
  state: State,
  runId: number,
): Promise<ImportCounts> {
  const maxErrors = options.maxErrors ?? 100;
  const batchSize = options.batchSize ?? 10_000;
  const fail = (e: RowError) => {
    state.errorCount++;
    if (state.errors.length < maxErrors) state.errors.push(e);
  };
  const checkAbort = () => {
    if (options.signal?.aborted) throw new ImportAbortedError();
  };

  const skus = spec.references === "sku" ? new Set(await knownSkus(tx)) : null;
  const families = spec.references === "family" ? new Set(await knownFamilies(tx)) : null;
  await createStage(tx, spec.kind);

  const key = keyFunction(spec.kind);
  const seen = new Map<number | string, number>();
  const locations = new Set<string>();
  const cycles = new Set<string>();
  const width = spec.stageColumns.length;
  let batch: unknown[][] = newBatch(width);
  let pending: Promise<void> = Promise.resolve();
  let header: string[] | null = null;

  const source = toStream(input);
  let bytes = 0;
  source.on("data", (chunk: Buffer | string) => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
  });
  const parser = source.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  // pipe() does not forward errors: a failing or aborted source must end the parse too.
  source.on("error", (error) => parser.destroy(error));
  const onAbort = () => source.destroy(new ImportAbortedError());
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = info.lines;
      if (header === null) {
        header = record.map((h) => h.toLowerCase());
        if (!checkHeader(spec, header, fail)) throw new Refused(null);
        continue;
      }
      state.rows++;
      if (record.length !== header.length) {
        fail({
          line,
          column: null,
          value: null,
          reason: `has ${record.length} field${record.length === 1 ? "" : "s"}, the header has ${header.length}`,
        });
        continue;
      }
      const raw: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) raw[header[i]!] = record[i]!;
      const parsed = spec.schema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? "");
          fail({ line, column, value: raw[column] ?? null, reason: issue.message });
        }
        continue;
      }
      const row = parsed.data;
      if (skus && !skus.has(row.sku as string)) {
        fail({
          line,
          column: "sku",
          value: row.sku as string,
          reason: "is not a known SKU (import it in items.csv first)",
        });
        continue;
      }
      if (families && !families.has(row.family as string)) {
        fail({
          line,
          column: "family",
          value: row.family as string,
          reason: "is not a known family (families come from items.csv)",
        });
        continue;
      }
      if (key) {
        const k = key(row);
        const first = seen.get(k);
        if (first !== undefined) {
          fail({
            line,
            column: null,
            value: spec.keyColumns.map((c) => String(raw[c] ?? "")).join(", "),
            reason: `repeats line ${first}: the same ${spec.keyColumns.join(", ")}`,
          });
          continue;
        }
        seen.set(k, line);
      }
      if (state.errorCount > 0) continue; // nothing will be written; just keep finding errors
      if (row.location !== undefined) locations.add(row.location as string);
      if (spec.kind === "forecasts" && row.source === "consensus") cycles.add(row.cycle as string);
      const values = spec.stageValues(row);
      for (let i = 0; i < width; i++) batch[i]!.push(values[i]);
      if (batch[0]!.length >= batchSize) {
        checkAbort();
        await pending;
        const full = batch;
        batch = newBatch(width);
        pending = stageRows(tx, spec.kind, full);
        options.onProgress?.({ bytes, rows: state.rows });
      }
    }
  } catch (error) {
    await pending.catch(() => {});
    if (error instanceof Refused || error instanceof ImportAbortedError) throw error;
    if (options.signal?.aborted) throw new ImportAbortedError();
    const csv = error as CsvError;
    if (csv.code?.startsWith("CSV_")) {
      fail({ line: Number(csv.lines ?? state.rows + 1), column: null, value: null, reason: csvReason(csv) });
      throw new Refused(null);
    }
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
  await pending;
  checkAbort();
  if (header === null) {
    fail({
      line: 1,
      column: null,
      value: null,
      reason: `the file is empty: expected a header row with ${spec.columns.map((c) => c.name).join(", ")}`,
    });
  }
  if (state.errorCount > 0) throw new Refused(null);
  if (cycles.size > 0) {
    const locked = await lockedCycles(tx, [...cycles]);
    if (locked.length > 0) {
      throw new Refused(
        `the consensus plan of cycle ${locked.map((m) => m.slice(0, 7)).join(", ")} is locked by the executive sign-off; an executive must reopen the step before it can change`,
      );
    }
  }
  await stageRows(tx, spec.kind, batch);
  options.onProgress?.({ bytes, rows: state.rows });
  await addMissingLocations(tx, [...locations]);
  return mergeStage(tx, spec.kind, runId);
}

function newBatch(width: number): unknown[][] {
  return Array.from({ length: width }, () => []);
}

function toStream(input: ImportInput): Readable {
  if (typeof input === "string" || Buffer.isBuffer(input)) return Readable.from([input]);
  if (input instanceof Readable) return input;
  return Readable.from(input);
}

function checkHeader(spec: KindSpec, header: string[], fail: (e: RowError) => void): boolean {
  const known = new Set(spec.columns.map((c) => c.name));
  const expected = spec.columns.map((c) => (c.required ? c.name : `${c.name} (optional)`)).join(", ");
  let ok = true;
  const counts = new Map<string, number>();
  header.forEach((name) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  header.forEach((name, i) => {
    if (name === "") {
      fail({ line: 1, column: `#${i + 1}`, value: "", reason: `has no name; the columns are: ${expected}` });
      ok = false;
    } else if (!known.has(name)) {
      fail({
        line: 1,
        column: name,
        value: name,
        reason: `is not a column of ${spec.kind}.csv; the columns are: ${expected}`,
      });
      ok = false;
    } else if ((counts.get(name) ?? 0) > 1 && header.indexOf(name) !== i) {
      fail({ line: 1, column: name, value: name, reason: "appears more than once in the header" });
      ok = false;
    }
  });
  for (const c of spec.columns) {
    if (c.required && !counts.has(c.name)) {
      fail({
        line: 1,
        column: c.name,
        value: null,
        reason: `is missing: ${spec.kind}.csv needs ${c.name} (${c.description})`,
      });
      ok = false;
    }
  }
  return ok;
}

function csvReason(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return 'a quoted field is never closed (a missing ")';
    case "CSV_INVALID_CLOSING_QUOTE":
      return 'a quote is followed by other characters; double a quote inside a quoted field ("")';
    default:
      return `is not valid CSV: ${error.message}`;
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Month number since 1900-01, < 4096 for the accepted years. */
function monthIndex(firstOfMonth: string): number {
  return (Number(firstOfMonth.slice(0, 4)) - 1900) * 12 + Number(firstOfMonth.slice(5, 7)) - 1;
}

function dayIndex(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + 25_567; // days since 1900-01-01
}

const SOURCES: Record<string, number> = { statistical: 0, sales: 1, marketing: 2, consensus: 3 };

/**
 * A compact number per natural key, so a million keys fit in memory: strings are interned to
 * small integers and months and days packed beside them.
 */
function keyFunction(kind: ImportKind): ((row: Record<string, unknown>) => number) | null {
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  const pair = (r: Record<string, unknown>) => intern(`${r.sku}\u0001${r.location}`);
  switch (kind) {
    case "items":
      return (r) => intern(r.sku as string);
    case "sales":
      return (r) => pair(r) * 4096 + monthIndex(r.period as string);
    case "forecasts":
      return (r) =>
        ((pair(r) * 4096 + monthIndex(r.period as string)) * 4096 + monthIndex(r.cycle as string)) * 4 +
        SOURCES[r.source as string]!;
    case "inventory":
      return (r) => pair(r) * 131_072 + dayIndex(r.as_of as string);
    case "capacity":
      return (r) => intern(r.family as string) * 4096 + monthIndex(r.period as string);
    case "supply":
      return null;
  }
}
