/**
 * CSV import: a streaming parse (papaparse, see csv.ts), zod per row, reference and duplicate checks, then
 * chunks staged and merged while the next ones are parsed, all in one transaction. A file with any bad row writes
 * nothing and is answered row by row (line, column, value, reason).
 */
import { Readable, type Writable } from "node:stream";
import type { Logger } from "pino";
import type { Db, Sql } from "../client.js";
import { restoreForeignKeyChecks, skipForeignKeyChecks } from "../repositories/bulk.js";
import {
  addMissingLocations,
  type ImportCounts as Counts,
  copyIntoFact,
  copyIntoStage,
  createImportRun,
  createStage,
  dropPrimaryKeyForLoad,
  finishImportRun,
  type ImportCounts,
  importOnlyTableIsEmpty,
  knownFamilies,
  lockedCycles,
  mergeStage,
  type RowError,
  restorePrimaryKey,
  stageRows,
  unitPrices,
} from "../repositories/imports.js";
import { LOCK, lockXact } from "../repositories/locks.js";
import { bumpDataVersion } from "../repositories/plan.js";
import { CsvSyntaxError, csvRecords } from "./csv.js";
import { KeyLines } from "./key-lines.js";
import { type ImportKind, KINDS, type KindSpec } from "./kinds.js";

export type { RowError } from "../repositories/imports.js";

export interface ImportOptions {
  fileName?: string | null;
  source?: "cli" | "api" | "demo" | "test";
  signal?: AbortSignal;
  /** Called every batch with bytes read so far and rows seen. */
  onProgress?: (progress: { bytes: number; rows: number }) => void;
  logger?: Logger;
  /** Rows per staging statement (and per progress report). */
  batchSize?: number;
  /** Rows merged into the fact table at a time, while the next chunk is parsed. */
  chunkSize?: number;
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

  // Each known SKU's entry: its unit price and the locations the file has named with it.
  const skus = spec.references === "sku" ? skuEntries(await unitPrices(tx)) : null;
  const families = spec.references === "family" ? new Set(await knownFamilies(tx)) : null;
  // Consensus rows for a locked cycle refuse the file; checked again before the commit.
  const locked = spec.kind === "forecasts" ? new Set(await lockedCycles(tx)) : null;
  const lockedSeen = new Set<string>();

  const key = keyFunction(spec.kind);
  const seen = key ? new KeyLines(key.range) : null;
  let header: string[] | null = null;
  const intoEmpty = await importOnlyTableIsEmpty(tx, spec.kind);
  const keyDropped = intoEmpty && (await dropPrimaryKeyForLoad(tx, spec.kind));
  // A first load over COPY goes straight into the fact table: staging and merging a million
  // rows cost PostgreSQL 4.4 s of a 6.1 s import, the COPY alone under 1 s. (The embedded
  // engine stages through batched INSERTs either way.)
  const load = intoEmpty && options.copy ? spec.load : undefined;
  if (!load) await createStage(tx, spec.kind);
  const values = load
    ? (row: Record<string, unknown>, sku: SkuEntry | undefined) => load.values(row, sku?.unitPrice ?? 0)
    : spec.stageValues;
  const chunks = chunkedMerge(tx, spec, runId, {
    intoEmpty,
    copy: options.copy ?? false,
    load,
    batchSize,
    chunkSize: options.chunkSize ?? 50_000,
  });

  const source = toStream(input);
  let bytes = 0;
  async function* counted(): AsyncGenerator<Buffer | string> {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      yield chunk;
    }
  }
  const onAbort = () => source.destroy(new ImportAbortedError());
  options.signal?.addEventListener("abort", onAbort, { once: true });

  let nextLine = 1;
  let sinceProgress = 0;
  try {
    for await (const { records, spans } of csvRecords(counted()))
      for (let r = 0; r < records.length; r++) {
        const record = records[r]!;
        const line = nextLine;
        nextLine += spans === null ? 1 : spans[r]!;
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
        const sku = skus?.get(row.sku as string);
        if (skus && sku === undefined) {
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
          const first = seen!.add(key.group(row, sku), key.low(row), line);
          if (first !== undefined) {
            fail({
              line,
              column: null,
              value: spec.keyColumns.map((c) => String(raw[c] ?? "")).join(", "),
              reason: `repeats line ${first}: the same ${spec.keyColumns.join(", ")}`,
            });
            continue;
          }
        }
        if (locked && row.source === "consensus" && locked.has(row.cycle as string)) {
          lockedSeen.add(row.cycle as string);
        }
        // Nothing will be written: just keep finding errors.
        if (state.errorCount > 0 || lockedSeen.size > 0) continue;
        const wait = chunks.push(values(row, sku), row.location as string | undefined);
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
    await chunks.abort();
    if (error instanceof Refused || error instanceof ImportAbortedError) throw error;
    if (options.signal?.aborted) throw new ImportAbortedError();
    if (error instanceof CsvSyntaxError) {
      // Every record before the bad one was read: it starts on the next line.
      fail({ line: nextLine, column: null, value: null, reason: error.reason });
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
    await chunks.abort();
    throw new Refused(null);
  }
  if (lockedSeen.size > 0) {
    await chunks.abort();
    throw new Refused(lockedMessage([...lockedSeen]));
  }
  const counts = await chunks.finish();
  if (keyDropped) await restorePrimaryKey(tx, spec.kind);
  options.onProgress?.({ bytes, rows: state.rows });
  // An executive may have locked a plan while the file was read: check again before committing.
  if (locked) {
    const nowLocked = await lockedCycles(tx, chunks.consensusCycles());
    if (nowLocked.length > 0) throw new Refused(lockedMessage(nowLocked));
  }
  if (counts.inserted + counts.updated + counts.deleted > 0) await bumpDataVersion(tx);
  options.logger?.debug(
    { kind: spec.kind, rows: state.rows, seconds: (performance.now() - started) / 1000 },
    "import merged",
  );
  return counts;
}

function lockedMessage(cycles: string[]): string {
  return `the consensus plan of cycle ${cycles
    .map((m) => m.slice(0, 7))
    .sort()
    .join(", ")} is locked by the executive sign-off; an executive must reopen the step before it can change`;
}

/**
 * Where validated rows go: chunks of rows are staged (COPY on a server, batched INSERTs from
 * unnest on the embedded engine) and merged into the fact table while the next chunk is parsed,
 * so parsing in Node and merging in PostgreSQL overlap. All of it runs in the import's one
 * transaction: a bad row found later rolls every merged chunk back.
 */
interface ChunkedMerge {
  /** Adds a row; returns a promise when the caller must wait (two chunks in flight). */
  push(values: unknown[], location: string | undefined): Promise<void> | undefined;
  /** Merges what is left and returns the counts of the whole file. */
  finish(): Promise<Counts>;
  /** Waits for the chunk in flight, ignoring its outcome (the transaction is rolled back). */
  abort(): Promise<void>;
  /** The consensus cycles staged so far (first-of-month dates). */
  consensusCycles(): string[];
}

function chunkedMerge(
  tx: Db,
  spec: KindSpec,
  runId: number,
  options: {
    copy: boolean;
    batchSize: number;
    chunkSize: number;
    intoEmpty: boolean;
    /** Rows go straight into the empty fact table (COPY only). */
    load: KindSpec["load"];
  },
): ChunkedMerge {
  const load = options.load;
  // Every COPY line ends with the import's id when rows go straight into the fact table.
  const lineEnd = load ? `\t${runId}\n` : "\n";
  const totals: Counts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  const knownLocations = new Set<string>();
  const cycles = new Set<string>();
  const cycleColumn = spec.kind === "forecasts" ? spec.stageColumns.findIndex(([n]) => n === "cycle") : -1;
  const sourceColumn = spec.kind === "forecasts" ? spec.stageColumns.findIndex(([n]) => n === "source") : -1;
  const width = spec.stageColumns.length;
  // A chunk is kept in the form it travels in, never as row objects: COPY text on a server,
  // column arrays of `batchSize` rows (one INSERT … unnest each) on the embedded engine. COPY
  // lines are joined every thousand rows, so they die young instead of being promoted to the old
  // generation and inflating the heap until the next full collection (peak RSS for a million
  // sales rows: 355 → 259 MB).
  let lines: string[] = [];
  let parts: string[] = [];
  let batches: unknown[][][] = [];
  let columns: unknown[][] = newColumns(width);
  let rows = 0;
  let newLocations: string[] = [];
  let merged = 0;
  let inFlight: Promise<void> = Promise.resolve();

  const mergeChunk = async (
    chunk: { text: string; rows: number } | { batches: unknown[][][] },
    locations: string[],
  ) => {
    await addMissingLocations(tx, locations);
    if (load && "text" in chunk) {
      // The rows' SKUs were checked against the items read in this transaction, under the
      // import lock, and their locations were just created: no foreign-key trigger per row.
      const skipped = await skipForeignKeyChecks(tx);
      try {
        await copyText(await copyIntoFact(tx, load.table, [...load.columns, "import_id"]), chunk.text);
      } finally {
        if (skipped) await restoreForeignKeyChecks(tx);
      }
      merged++;
      totals.inserted += chunk.rows;
      return;
    }
    if ("text" in chunk) await copyChunk(tx, spec, chunk.text);
    else for (const batch of chunk.batches) await stageRows(tx, spec.kind, batch);
    const c = await mergeStage(tx, spec.kind, runId, { first: merged++ === 0, intoEmpty: options.intoEmpty });
    totals.inserted += c.inserted;
    totals.updated += c.updated;
    totals.unchanged += c.unchanged;
    totals.deleted += c.deleted;
  };
  const flush = (): Promise<void> => {
    let chunk: { text: string; rows: number } | { batches: unknown[][][] };
    if (options.copy) {
      parts.push(lines.join(""));
      chunk = { text: parts.join(""), rows };
      lines = [];
      parts = [];
    } else {
      if (columns[0]!.length > 0) batches.push(columns);
      chunk = { batches };
      batches = [];
      columns = newColumns(width);
    }
    const locations = newLocations;
    rows = 0;
    newLocations = [];
    const previous = inFlight;
    inFlight = previous.then(() => mergeChunk(chunk, locations));
    // Handled here so a failure while the parser runs is not an unhandled rejection; it is
    // thrown to the parser at the next flush, or by finish().
    inFlight.catch(() => {});
    return previous;
  };
  return {
    push(values, location) {
      if (options.copy) {
        lines.push(copyLine(values, lineEnd));
        if (lines.length >= 1000) {
          parts.push(lines.join(""));
          lines = [];
        }
      } else {
        for (let i = 0; i < width; i++) columns[i]!.push(values[i]);
        if (columns[0]!.length >= options.batchSize) {
          batches.push(columns);
          columns = newColumns(width);
        }
      }
      if (location !== undefined && !knownLocations.has(location)) {
        knownLocations.add(location);
        newLocations.push(location);
      }
      if (cycleColumn >= 0 && values[sourceColumn] === "consensus") cycles.add(values[cycleColumn] as string);
      return ++rows >= options.chunkSize ? flush() : undefined;
    },
    async finish() {
      // The supply snapshot replaces the open supply even when the file has no rows.
      if (rows > 0 || merged === 0) await flush();
      await inFlight;
      return totals;
    },
    async abort() {
      await inFlight.catch(() => {});
    },
    consensusCycles: () => [...cycles],
  };
}

/** One chunk through COPY … FROM STDIN in text format (PostgreSQL servers). */
async function copyChunk(tx: Db, spec: KindSpec, text: string): Promise<void> {
  await copyText(await copyIntoStage(tx, spec.kind), text);
}

async function copyText(stream: Writable, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.end(text, () => resolve());
  });
}

function newColumns(width: number): unknown[][] {
  return Array.from({ length: width }, () => []);
}

/** One row in COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyLine(values: unknown[], end: string): string {
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
  return out + end;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10 || c === 0xa0 || c === 0xfeff;

function trimmed(v: string): string {
  return v.length > 0 && (isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(v.length - 1))) ? v.trim() : v;
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

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Month number since 1900-01, < 4096 for the accepted years (read digit by digit: no substrings). */
function monthIndex(firstOfMonth: string): number {
  const d = (i: number) => firstOfMonth.charCodeAt(i) - 48;
  return (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3) - 1900) * 12 + d(5) * 10 + d(6) - 1;
}

function dayIndex(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + 25_567; // days since 1900-01-01
}

const SOURCES: Record<string, number> = { statistical: 0, sales: 1, marketing: 2, consensus: 3 };

/**
 * A compact number per natural key, so a million keys fit in memory: strings are interned to
 * small integers and months and days packed beside them.
 */
function keyFunction(kind: ImportKind): KeyParts | null {
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  // A SKU-location pair's number, found from the SKU's entry (already looked up for the SKU
  // check) by a scan of its few locations: two Map lookups a row cost 0.3 s a million rows.
  let pairCount = 0;
  const pair = (r: Record<string, unknown>, sku: SkuEntry | undefined) => {
    const entry = sku!;
    const location = r.location as string;
    const locations = entry.locations;
    for (let i = 0; i < locations.length; i++) if (locations[i] === location) return entry.pairs[i]!;
    locations.push(location);
    entry.pairs.push(pairCount);
    return pairCount++;
  };
  switch (kind) {
    case "items":
      return { group: (r) => intern(r.sku as string), low: () => 0, range: 1 };
    case "sales":
      return { group: pair, low: (r) => monthIndex(r.period as string), range: 4096 };
    case "forecasts":
      return {
        group: pair,
        low: (r) =>
          (monthIndex(r.period as string) * 4096 + monthIndex(r.cycle as string)) * 4 +
          SOURCES[r.source as string]!,
        range: 4096 * 4096 * 4,
      };
    case "inventory":
      return { group: pair, low: (r) => dayIndex(r.as_of as string), range: 131_072 };
    case "capacity":
      return {
        group: (r) => intern(r.family as string),
        low: (r) => monthIndex(r.period as string),
        range: 4096,
      };
    case "supply":
      return null;
  }
}

/**
 * A natural key as two numbers: the group (a SKU-location pair, a SKU or a family, numbered as
 * first seen) and what distinguishes keys within it (a month, a day, a forecast's month, cycle
 * and source), below `range`.
 */
interface KeyParts {
  group(row: Record<string, unknown>, sku: SkuEntry | undefined): number;
  low(row: Record<string, unknown>): number;
  range: number;
}

/** A known SKU, for the rows that name it: its unit price and the locations seen with it. */
interface SkuEntry {
  unitPrice: number;
  locations: string[];
  pairs: number[];
}

function skuEntries(unitPrices: Map<string, number>): Map<string, SkuEntry> {
  const entries = new Map<string, SkuEntry>();
  for (const [sku, unitPrice] of unitPrices) entries.set(sku, { unitPrice, locations: [], pairs: [] });
  return entries;
}
