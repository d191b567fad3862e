/**
 * Streaming CSV records for the import: papaparse's core parser fed chunk by chunk, each call
 * parsing up to the last complete record and the rest carried to the next chunk (how papaparse's
 * own streamers drive it). A chunk without a quote is split on line breaks and commas, which
 * is why it parses a million rows in under half the CPU of csv-parse.
 *
 * What it adds around the parser:
 * - bytes decoded as UTF-8 across chunk boundaries, a leading byte-order mark dropped;
 * - CRLF read as LF everywhere, so files that mix both (a spreadsheet export with lines added
 *   in an editor) parse; the line break is otherwise guessed from the first chunk (LF, or a
 *   lone CR);
 * - quote errors thrown as {@link CsvSyntaxError} once the records before them were yielded, so
 *   the caller, which counts lines, knows the line of the bad record;
 * - a record may not exceed {@link MAX_RECORD} characters: an unclosed quote early in a large
 *   file would otherwise carry the rest of the file along chunk after chunk.
 */
import { StringDecoder } from "node:string_decoder";
import Papa from "papaparse";

export const MAX_RECORD = 1 << 20;

/** A quote error in the CSV text, about the record after the last one yielded. */
export class CsvSyntaxError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "CsvSyntaxError";
  }
}

export interface CsvBurst {
  records: string[][];
  /** How many lines each record spans; null when each spans one (no quote in this stretch). */
  spans: number[] | null;
}

const REASONS = {
  MissingQuotes: 'a quoted field is never closed (a missing ")',
  InvalidQuotes: 'a quote is followed by other characters; double a quote inside a quoted field ("")',
} as const;

export async function* csvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<CsvBurst> {
  const decoder = new StringDecoder("utf8");
  let parser: Papa.Parser | null = null;
  let newline: "\n" | "\r" = "\n";
  let carry = "";
  let first = true;

  function* parse(text: string, last: boolean): Generator<CsvBurst> {
    if (parser === null) {
      if (!last && !text.includes("\n") && !text.includes("\r")) {
        keep(text); // no line break yet to guess from
        return;
      }
      // A CR that ends the text may be half of a CRLF split between chunks.
      const cr = text.indexOf("\r");
      newline = !text.includes("\n") && cr !== -1 && cr < text.length - 1 ? "\r" : "\n";
      parser = new Papa.Parser({ delimiter: ",", newline, quoteChar: '"' });
    }
    // Only whole lines go to the parser before the end: a chunk may end just after a closing
    // quote, and the parser calls a quote followed by nothing yet (or by the CR of a CRLF cut
    // in two) malformed.
    const cut = last ? text.length : text.lastIndexOf(newline) + 1;
    const piece = cut === text.length ? text : text.slice(0, cut);
    const result = (
      cut === 0 ? { data: [], errors: [], meta: { cursor: 0 } } : parser.parse(piece, 0, !last)
    ) as Pick<Papa.ParseResult<string[]>, "data" | "errors"> & { meta: { cursor: number } };
    const quoted = piece.includes('"');
    const error = result.errors.find((e) => e.code === "MissingQuotes" || e.code === "InvalidQuotes");
    // The records before the bad one are sound; the bad one and the rest are not.
    const records = error ? result.data.slice(0, error.row ?? 0) : result.data;
    if (records.length > 0) yield { records, spans: quoted ? records.map((r) => spanOf(r, newline)) : null };
    if (error) throw new CsvSyntaxError(REASONS[error.code as keyof typeof REASONS]);
    keep(last ? "" : text.slice(result.meta.cursor));
  }

  /** Carries the unparsed rest to the next chunk, unless it is already too long for a record. */
  function keep(rest: string): void {
    if (rest.length > MAX_RECORD) {
      throw new CsvSyntaxError(
        rest.includes('"')
          ? 'a quoted field runs on for more than a million characters: a closing " is probably missing'
          : "a line is longer than a million characters: is this a CSV file?",
      );
    }
    carry = rest;
  }

  for await (const chunk of source) {
    let text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    text = carry + text;
    // A CR at the end of the chunk may be the first half of a CRLF: it stays in the carried
    // partial record, which is the line it ends.
    if (text.includes("\r")) text = text.replaceAll("\r\n", "\n");
    yield* parse(text, false);
  }
  let rest = carry + decoder.end();
  if (rest.includes("\r")) rest = rest.replaceAll("\r\n", "\n");
  if (rest.length > 0) yield* parse(rest, true);
}

/** Lines a record spans: 1 plus the line breaks inside its quoted fields. */
function spanOf(record: string[], newline: string): number {
  let n = 1;
  for (const field of record) {
    for (let i = field.indexOf(newline); i !== -1; i = field.indexOf(newline, i + 1)) n++;
  }
  return n;
}
