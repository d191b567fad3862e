/**
 * CSV import: a streaming parse (csv-parse), zod per row, reference and duplicate checks, then
 * staging in batches and one merge, all in one transaction. A file with any bad row writes
 * nothing and is answered row by row (line, column, value, reason).
 */
import { once } from "node:events";
import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import type { Logger } from "pino";
import type { Db, Sql } from "../client.js";
import {
  addMissingLocations,
  copyIntoStage,
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
  /** Stage with COPY FROM STDIN (PostgreSQL servers); batched INSERTs otherwise (PGlite). */
  copy?: boolean;
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
  const started = performance.now();
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
  let header: string[] | null = null;
  const stager = options.copy ? await copyStager(tx, spec, batchSize) : unnestStager(tx, spec, batchSize);

  const source = toStream(input);
  let bytes = 0;
  source.on("data", (chunk: Buffer | string) => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
  });
  // No `trim` or `info`: both cost csv-parse more than the rest of the parse; fields are trimmed
  // below and line numbers counted from the records (a quoted field may span lines).
  const parser = source.pipe(parse({ bom: true, relax_column_count: true }));
  // pipe() does not forward errors: a failing or aborted source must end the parse too.
  source.on("error", (error) => parser.destroy(error));
  const onAbort = () => source.destroy(new ImportAbortedError());
  options.signal?.addEventListener("abort", onAbort, { once: true });

  let nextLine = 1;
  let sinceProgress = 0;
  try {
    for await (const burst of records(parser))
      for (const record of burst) {
        const line = nextLine;
        nextLine += 1 + newlinesIn(record);
        if (record.length === 1 && record[0]!.trim() === "") continue; // an empty line
        for (let i = 0; i < record.length; i++) record[i] = trimmed(record[i]!);
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
        const wait = stager.push(spec.stageValues(row));
        if (wait) await wait;
        if (++sinceProgress >= batchSize) {
          sinceProgress = 0;
          checkAbort();
          options.onProgress?.({ bytes, rows: state.rows });
        }
      }
  } catch (error) {
    // Stop reading: the parser may be paused mid-file with the source still open.
    if (!source.destroyed) source.destroy();
    await stager.abort(error);
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
  checkAbort();
  if (header === null) {
    fail({
      line: 1,
      column: null,
      value: null,
      reason: `the file is empty: expected a header row with ${spec.columns.map((c) => c.name).join(", ")}`,
    });
  }
  if (state.errorCount > 0) {
    await stager.abort(new Refused(null));
    throw new Refused(null);
  }
  await stager.finish();
  const staged = performance.now();
  options.onProgress?.({ bytes, rows: state.rows });
  if (cycles.size > 0) {
    const locked = await lockedCycles(tx, [...cycles]);
    if (locked.length > 0) {
      throw new Refused(
        `the consensus plan of cycle ${locked.map((m) => m.slice(0, 7)).join(", ")} is locked by the executive sign-off; an executive must reopen the step before it can change`,
      );
    }
  }
  await addMissingLocations(tx, [...locations]);
  const counts = await mergeStage(tx, spec.kind, runId);
  options.logger?.debug(
    {
      kind: spec.kind,
      rows: state.rows,
      parseAndStageSeconds: (staged - started) / 1000,
      mergeSeconds: (performance.now() - staged) / 1000,
    },
    "import phases",
  );
  return counts;
}

/**
 * The parser's records in bursts: a `for await` straight over the stream costs a promise per
 * record (1.5 of 4 CPU seconds for a million rows); this costs one per burst of records.
 */
async function* records(parser: Readable, burst = 2000): AsyncGenerator<string[][]> {
  let batch: string[][] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  parser.on("data", (record: string[]) => {
    batch.push(record);
    if (batch.length >= burst) {
      parser.pause();
      wake?.();
    }
  });
  parser.once("end", () => {
    done = true;
    wake?.();
  });
  parser.once("error", (error) => {
    failure = error;
    wake?.();
  });
  for (;;) {
    if (failure) throw failure;
    if (batch.length > 0 && (batch.length >= burst || done || parser.isPaused())) {
      const full = batch;
      batch = [];
      yield full;
      parser.resume();
      continue;
    }
    if (done) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
}

/** Where validated rows go before the merge. */
interface Stager {
  /** Adds a row; returns a promise when the caller must wait (backpressure). */
  push(values: unknown[]): Promise<void> | undefined;
  finish(): Promise<void>;
  abort(error: unknown): Promise<void>;
}

/** Batches of column arrays, one INSERT … SELECT FROM unnest(…) each, one batch in flight. */
function unnestStager(tx: Db, spec: KindSpec, batchSize: number): Stager {
  const width = spec.stageColumns.length;
  let batch = newBatch(width);
  let pending: Promise<void> = Promise.resolve();
  return {
    push(values) {
      for (let i = 0; i < width; i++) batch[i]!.push(values[i]);
      if (batch[0]!.length < batchSize) return undefined;
      const full = batch;
      batch = newBatch(width);
      const previous = pending;
      pending = previous.then(() => stageRows(tx, spec.kind, full));
      // Parse the next batch while this one is written; wait if two would be in flight.
      return previous;
    },
    async finish() {
      await pending;
      await stageRows(tx, spec.kind, batch);
    },
    async abort() {
      await pending.catch(() => {});
    },
  };
}

/** COPY … FROM STDIN in text format (PostgreSQL servers; PGlite has no COPY over the wire). */
async function copyStager(tx: Db, spec: KindSpec, batchSize: number): Promise<Stager> {
  const stream = await copyIntoStage(tx, spec.kind);
  let lines: string[] = [];
  let failed: unknown;
  stream.on("error", (error) => {
    failed = error;
  });
  const flush = (): Promise<void> | undefined => {
    const chunk = lines.join("");
    lines = [];
    if (failed) throw failed;
    if (stream.write(chunk)) return undefined;
    // events.once rejects on 'error' and removes its listeners either way.
    return once(stream, "drain").then(() => undefined);
  };
  return {
    push(values) {
      lines.push(copyLine(values));
      return lines.length >= batchSize ? flush() : undefined;
    },
    async finish() {
      await flush();
      await new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
      if (failed) throw failed;
    },
    async abort(error) {
      if (!stream.destroyed) stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await new Promise((r) => setImmediate(r));
    },
  };
}

/** One row in COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyLine(values: unknown[]): string {
  let out = "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += "\t";
    if (v === null || v === undefined) out += "\\N";
    else if (typeof v === "number") out += String(v);
    else {
      const s = String(v);
      out += /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
    }
  }
  return `${out}\n`;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function newlinesIn(record: string[]): number {
  let n = 0;
  for (const field of record) {
    for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) n++;
  }
  return n;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10 || c === 0xa0 || c === 0xfeff;

function trimmed(v: string): string {
  return v.length > 0 && (isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(v.length - 1))) ? v.trim() : v;
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
