/**
 * Shared plumbing of the CSV mappers: the mapping context, grouping rows into documents, checking that header
 * fields agree within a document, and validating a built document with its canonical schema while blaming the
 * rows an issue is about (so one bad row does not sink the others).
 */
import { newId, type Id, type IdPrefix } from '@tradelane/canonical';
import type { DocumentLookups } from '../mappers/document-lookups.js';
import type { PartnerProfile } from '../mappers/partner-profile.schema.js';
import { csvFieldsByDocument, type CsvDocumentType } from './csv-mapping.schema.js';
import { rowError, type CsvFieldRow, type CsvRowError } from './csv-rows.js';

/** What the CSV mappers need besides the rows. */
export interface CsvMappingContext {
  tenantId: string;
  profile: PartnerProfile;
  /** The partner's party id; defaults to `profile.partyId`. */
  partyId?: Id<'pty'> | undefined;
  /** Clock for created timestamps. @default () => new Date() */
  now?: (() => Date) | undefined;
  /** Id factory. @default canonical newId */
  newId?: (<P extends IdPrefix>(prefix: P) => Id<P>) | undefined;
  /** When the file was received (documents' receivedAt, inventory's default asOf). @default now */
  receivedAt?: Date | undefined;
  lookups?: DocumentLookups | undefined;
}

/** One document built from rows, with the lines of those rows. */
export interface CsvDocument<D> {
  readonly document: D;
  /** Lines of the rows the document was built from. */
  readonly rows: number[];
}

/** The documents a CSV file produced and every row error (bad rows are left out, good ones still mapped). */
export interface CsvMappingResult<D> {
  readonly documents: CsvDocument<D>[];
  readonly errors: CsvRowError[];
  /** Data rows in the file. */
  readonly rowCount: number;
}

/** `2025-03-01T12:00:00.000Z` → `2025-03-01T12:00:00Z`. */
export function instant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Clock, id factory, received time and party id of a context. */
export function csvTools(ctx: CsvMappingContext): { now: Date; receivedAt: Date; id: <P extends IdPrefix>(prefix: P) => Id<P>; partyId: Id<'pty'> | undefined } {
  const now = (ctx.now ?? (() => new Date()))();
  return { now, receivedAt: ctx.receivedAt ?? now, id: ctx.newId ?? newId, partyId: ctx.partyId ?? (ctx.profile.partyId as Id<'pty'> | undefined) };
}

/** Rows grouped by a key, in order of first appearance. */
export function groupRows(rows: readonly CsvFieldRow[], key: (row: CsvFieldRow) => string): CsvFieldRow[][] {
  const groups = new Map<string, CsvFieldRow[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.values()];
}

/**
 * Keeps the rows whose header fields agree with the first row of the group; reports the others
 * (`TL_EDI_CSV_INCONSISTENT`). A header field empty on a later row takes the first row's value.
 */
export function consistentRows(group: readonly CsvFieldRow[], document: CsvDocumentType, what: string, errors: CsvRowError[]): CsvFieldRow[] {
  const fields = csvFieldsByDocument[document];
  const headerFields = Object.entries(fields).filter(([, spec]) => spec.header).map(([name]) => name);
  const first = group[0];
  if (!first) return [];
  const kept: CsvFieldRow[] = [first];
  for (const row of group.slice(1)) {
    const differs = headerFields.find((f) => row.values[f] !== undefined && first.values[f] !== undefined && row.values[f] !== first.values[f]);
    if (differs) {
      errors.push(rowError(row, differs, 'TL_EDI_CSV_INCONSISTENT', `${differs} is "${String(row.values[differs])}" here but "${String(first.values[differs])}" on line ${first.line} of the same ${what}`));
    } else {
      kept.push(row);
    }
  }
  return kept;
}

/** The first value of a header field among the rows of a group. */
export function headerValue<T = string>(rows: readonly CsvFieldRow[], field: string): T | undefined {
  for (const row of rows) if (row.values[field] !== undefined) return row.values[field] as T;
  return undefined;
}

/** A schema that can be checked without throwing. */
interface SafeSchema<D> {
  safeParse(value: unknown): { success: true; data: D } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/**
 * Builds and validates a document from `rows`; when the schema refuses it, blames the rows an issue points at
 * (`blame(path)`, e.g. the row of `lines.3`), drops them and tries again; an issue no single row explains fails
 * every remaining row. Returns the document, or undefined when no row is left.
 */
export function buildValidated<D>(
  rows: CsvFieldRow[],
  schema: SafeSchema<D>,
  build: (rows: CsvFieldRow[]) => unknown,
  blame: (path: readonly PropertyKey[], rows: CsvFieldRow[]) => { row: CsvFieldRow; field?: string | undefined } | undefined,
  what: string,
  errors: CsvRowError[],
): CsvDocument<D> | undefined {
  let current = rows;
  while (current.length > 0) {
    const parsed = schema.safeParse(build(current));
    if (parsed.success) return { document: parsed.data, rows: current.map((r) => r.line) };
    const blamed = new Map<CsvFieldRow, { field?: string | undefined; message: string }>();
    for (const issue of parsed.error.issues) {
      const target = blame(issue.path, current);
      const path = issue.path.map(String).join('.');
      if (!target) {
        for (const row of current) errors.push(rowError(row, undefined, 'TL_EDI_CSV_DOCUMENT_INVALID', `the ${what} is not valid: ${path ? `${path}: ` : ''}${issue.message}`));
        return undefined;
      }
      if (!blamed.has(target.row)) blamed.set(target.row, { field: target.field, message: `${path}: ${issue.message}` });
    }
    for (const [row, why] of blamed) errors.push(rowError(row, why.field, 'TL_EDI_CSV_DOCUMENT_INVALID', `the ${what} refuses this row: ${why.message}`));
    current = current.filter((r) => !blamed.has(r));
  }
  return undefined;
}
