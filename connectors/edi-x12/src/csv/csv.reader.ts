/**
 * Reads a CSV file into rows with their line numbers, using csv-parse: quoted fields with embedded delimiters,
 * quotes and line breaks, a byte order mark, CRLF / LF / CR line ends, blank lines. A record csv-parse cannot read
 * is reported with its line and the rest of the file is still read.
 */
import { parse } from 'csv-parse/sync';
import type { CsvFormat } from './csv-mapping.schema.js';

/** One data row: the 1-based line it starts on and its values (untrimmed). */
export interface CsvRow {
  readonly line: number;
  readonly values: readonly string[];
}

/** A problem with the file itself (not with one field of a row). */
export interface CsvSyntaxError {
  /** 1-based line the problem starts on. */
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/** A CSV file as rows. */
export interface CsvTable {
  /** Header names (trimmed) when the format has a header row, else undefined. */
  readonly header: readonly string[] | undefined;
  /** Line of the header row. */
  readonly headerLine: number | undefined;
  readonly rows: CsvRow[];
  readonly errors: CsvSyntaxError[];
}

/** Byte offsets where each line of `bytes` starts (line breaks: CRLF, LF or CR). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i += 1) {
    const ch = bytes[i];
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13 && bytes[i + 1] !== 10) starts.push(i + 1);
  }
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function breaksIn(values: readonly string[]): number {
  let n = 0;
  for (const v of values) n += (v.match(/\r\n|\r|\n/g) ?? []).length;
  return n;
}

function syntaxMessage(err: unknown): string {
  const e = (err ?? {}) as { code?: string; message?: string };
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted value opened on this line is never closed (the rest of the file was not read)';
  if (e.code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quoted value is followed by other characters before the next delimiter';
  return `the record cannot be read as CSV (${e.code ?? 'error'}): ${e.message ?? String(err)}`;
}

/**
 * Decodes and splits a CSV file. Rows keep their values untrimmed; fully blank lines are skipped.
 * @example const table = readCsvTable(bytes, mapping.format); table.rows[0].line // 2 (after the header)
 */
export function readCsvTable(bytes: Uint8Array, format: CsvFormat): CsvTable {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(format.encoding);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // csv-parse counts positions (info.bytes) in UTF-8 bytes, so lines are located in the UTF-8 form of the text.
  const utf8 = Buffer.from(text, 'utf8');
  const starts = lineStarts(utf8);
  const isBreak = (i: number) => utf8[i] === 10 || utf8[i] === 13;
  const records: CsvRow[] = [];
  const errors: CsvSyntaxError[] = [];
  let lastEnd = 0;
  const startLineAfter = (offset: number): number => {
    let i = offset;
    while (i < utf8.length && isBreak(i)) i += 1;
    return lineAt(starts, Math.min(i, Math.max(0, utf8.length - 1)));
  };
  try {
    parse(utf8, {
      delimiter: format.delimiter,
      quote: format.quote,
      escape: format.quote,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      from_line: format.skipLines + 1,
      on_skip: (err) => {
        errors.push({ line: startLineAfter(lastEnd), code: 'TL_EDI_CSV_SYNTAX', message: syntaxMessage(err) });
        return undefined;
      },
      on_record: (record: string[], info) => {
        // The record ends at info.bytes (after its line break); it starts as many line breaks earlier as its
        // quoted values contain.
        let endOffset = info.bytes - 1;
        while (endOffset > 0 && isBreak(endOffset)) endOffset -= 1;
        const endLine = lineAt(starts, endOffset);
        records.push({ line: endLine - breaksIn(record), values: record });
        lastEnd = info.bytes;
        return record;
      },
    });
  } catch (err) {
    errors.push({ line: startLineAfter(lastEnd), code: 'TL_EDI_CSV_SYNTAX', message: syntaxMessage(err) });
  }
  if (!format.header) return { header: undefined, headerLine: undefined, rows: records, errors };
  const [head, ...rows] = records;
  return { header: head?.values.map((v) => v.trim()), headerLine: head?.line, rows, errors };
}
