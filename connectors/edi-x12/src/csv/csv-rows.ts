/**
 * Applies a CSV mapping to a read table: finds each mapped column, reads every field of every row with its kind, and
 * reports each bad value with its row (line), column and field. Rows with an error are left out; the rest go on.
 */
import type { EdiMessageError } from '@tradelane/core';
import { csvFieldsByDocument, type CsvFieldSpec, type CsvMapping } from './csv-mapping.schema.js';
import type { CsvTable } from './csv.reader.js';
import { readCsvAction, readCsvDate, readCsvDateTime, readCsvDecimal, readCsvInt, readCsvPackaging, readCsvUnit, type CsvValueResult } from './csv-values.js';

/** A problem with one row (or the whole file): 1-based line, column name (or `#n`), field, code and message. */
export type CsvRowError = EdiMessageError & { readonly row: number };

/** Values of one good row, by canonical field; `line` is where the row starts. */
export interface CsvFieldRow {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
  /** Column label of each field read from a column (for later messages). */
  readonly columns: Readonly<Record<string, string>>;
}

/** The rows that read cleanly and every error found. */
export interface CsvFieldRows {
  readonly rows: CsvFieldRow[];
  readonly errors: CsvRowError[];
  /** Data rows in the file (good and bad). */
  readonly rowCount: number;
}

function readValue(text: string, spec: CsvFieldSpec, mapping: CsvMapping): CsvValueResult<unknown> {
  const f = mapping.format;
  switch (spec.kind) {
    case 'int':
      return readCsvInt(text);
    case 'quantity':
      return readCsvDecimal(text, f, { maxScale: 6, sign: 'non-negative' });
    case 'positiveQuantity':
      return readCsvDecimal(text, f, { maxScale: 6, sign: 'positive' });
    case 'signedQuantity':
      return readCsvDecimal(text, f, { maxScale: 6, sign: 'any' });
    case 'price':
      return readCsvDecimal(text, f, { maxScale: 4, sign: 'non-negative' });
    case 'date':
      return readCsvDate(text, mapping);
    case 'datetime':
      return readCsvDateTime(text, mapping);
    case 'unit':
      return readCsvUnit(text, mapping);
    case 'action':
      return readCsvAction(text, mapping);
    case 'packaging':
      return readCsvPackaging(text, mapping);
    case 'currency':
      return /^[A-Za-z]{3}$/.test(text) ? { ok: true, value: text.toUpperCase() } : { ok: false, code: 'TL_EDI_CSV_BAD_VALUE', message: `"${text}" is not an ISO 4217 currency code` };
    case 'text': {
      if (!spec.schema) return { ok: true, value: text };
      const parsed = spec.schema.safeParse(text);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, code: 'TL_EDI_CSV_BAD_VALUE', message: `"${text}": ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    }
  }
}

/**
 * Reads every row of `table` into canonical field values with `mapping`. A column the header does not have fails
 * every row (one error naming the column); a row with more values than the header is reported.
 * @example const { rows, errors } = readCsvFields(readCsvTable(bytes, mapping.format), mapping);
 */
export function readCsvFields(table: CsvTable, mapping: CsvMapping): CsvFieldRows {
  const fields = csvFieldsByDocument[mapping.document];
  const errors: CsvRowError[] = table.errors.map((e) => ({ row: e.line, code: e.code, message: e.message }));
  const header = table.header;
  const located: Array<{ field: string; spec: CsvFieldSpec; index: number | undefined; label: string }> = [];
  for (const [field, spec] of Object.entries(fields)) {
    const ref = mapping.columns[field];
    if (ref === undefined) {
      if (mapping.constants[field] !== undefined) located.push({ field, spec, index: undefined, label: '(constant)' });
      continue;
    }
    if (typeof ref === 'number') {
      located.push({ field, spec, index: ref - 1, label: header?.[ref - 1] ? `${header[ref - 1]} (#${ref})` : `#${ref}` });
      continue;
    }
    const wanted = ref.trim().toLowerCase();
    const matches = (header ?? []).flatMap((h, i) => (h.toLowerCase() === wanted ? [i] : []));
    if (matches.length !== 1) {
      errors.push({
        row: table.headerLine ?? 1,
        column: ref,
        field,
        code: matches.length === 0 ? 'TL_EDI_CSV_COLUMN_MISSING' : 'TL_EDI_CSV_COLUMN_AMBIGUOUS',
        message:
          matches.length === 0
            ? `the header has no column "${ref}" (mapped to ${field}); it has: ${(header ?? []).join(', ') || '(nothing)'}`
            : `the header has ${matches.length} columns named "${ref}" (mapped to ${field})`,
      });
      continue;
    }
    located.push({ field, spec, index: matches[0], label: ref });
  }
  if (errors.some((e) => e.code === 'TL_EDI_CSV_COLUMN_MISSING' || e.code === 'TL_EDI_CSV_COLUMN_AMBIGUOUS')) {
    return { rows: [], errors, rowCount: table.rows.length };
  }

  const rows: CsvFieldRow[] = [];
  for (const row of table.rows) {
    const rowErrors: CsvRowError[] = [];
    if (header && row.values.length > header.length && row.values.slice(header.length).some((v) => v.trim() !== '')) {
      rowErrors.push({
        row: row.line,
        column: `#${header.length + 1}`,
        code: 'TL_EDI_CSV_TOO_MANY_COLUMNS',
        message: `the row has ${row.values.length} values but the header only ${header.length} columns (an unquoted "${mapping.format.delimiter}" inside a value?)`,
      });
    }
    const values: Record<string, unknown> = {};
    const columns: Record<string, string> = {};
    for (const { field, spec, index, label } of located) {
      const fromColumn = index === undefined ? '' : (row.values[index] ?? '').trim();
      const text = fromColumn !== '' ? fromColumn : (mapping.constants[field] ?? '');
      if (index !== undefined) columns[field] = label;
      if (text === '') {
        if (spec.required) rowErrors.push({ row: row.line, column: label, field, code: 'TL_EDI_CSV_REQUIRED', message: `${field} is required (${spec.description}) but the value is empty` });
        continue;
      }
      const result = readValue(text, spec, mapping);
      if (result.ok) values[field] = result.value;
      else rowErrors.push({ row: row.line, column: fromColumn !== '' ? label : '(constant)', field, code: result.code, message: `${field}: ${result.message}` });
    }
    for (const [field, spec] of Object.entries(fields)) {
      if (spec.required && !located.some((l) => l.field === field)) {
        rowErrors.push({ row: row.line, field, code: 'TL_EDI_CSV_REQUIRED', message: `${field} is required but the mapping gives it no column` });
      }
    }
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else rows.push({ line: row.line, values, columns });
  }
  if (table.rows.length === 0 && errors.length === 0) {
    errors.push({ row: (table.headerLine ?? 0) + 1, code: 'TL_EDI_CSV_EMPTY', message: 'the file has no data rows' });
  }
  return { rows, errors, rowCount: table.rows.length };
}

/** An error about a row, naming the column the field came from. */
export function rowError(row: CsvFieldRow, field: string | undefined, code: string, message: string): CsvRowError {
  return { row: row.line, ...(field ? { field, column: row.columns[field] ?? '(constant)' } : {}), code, message };
}
