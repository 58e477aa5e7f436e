/**
 * One entry point for a CSV file: read it with the mapping's dialect, read the mapped fields of every row, and map
 * the good rows to the mapping's canonical document.
 */
import type { AdvanceShipNotice, InventoryPosition, PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import { globToRegExp } from '../file-name.patterns.js';
import type { CsvMapping } from './csv-mapping.schema.js';
import { readCsvTable } from './csv.reader.js';
import { readCsvFields } from './csv-rows.js';
import type { CsvMappingContext, CsvMappingResult } from './csv-documents.js';
import { csvToAcknowledgments } from './poa-csv.to-canonical.js';
import { csvToAdvanceShipNotices } from './asn-csv.to-canonical.js';
import { csvToInventoryPositions } from './inventory-csv.to-canonical.js';

/** Any canonical document a CSV file can carry. */
export type CsvCanonicalDocument = PurchaseOrderAcknowledgment | AdvanceShipNotice | InventoryPosition;

/**
 * Reads and maps one CSV file with `mapping`: every bad row is reported (line, column, field, message; in file
 * order), every good row is mapped.
 * @example const { documents, errors } = await mapCsvFile(bytes, mapping, { tenantId, profile, lookups });
 */
export async function mapCsvFile(bytes: Uint8Array, mapping: CsvMapping, ctx: CsvMappingContext): Promise<CsvMappingResult<CsvCanonicalDocument>> {
  const fields = readCsvFields(readCsvTable(bytes, mapping.format), mapping);
  const result: CsvMappingResult<CsvCanonicalDocument> =
    mapping.document === 'purchase-order-acknowledgment'
      ? await csvToAcknowledgments(fields, ctx)
      : mapping.document === 'advance-ship-notice'
        ? await csvToAdvanceShipNotices(fields, ctx)
        : await csvToInventoryPositions(fields, ctx);
  // errors in file order (a stable sort keeps several errors of one row in the order they were found)
  return { ...result, errors: [...result.errors].sort((a, b) => a.row - b.row) };
}

/** The first mapping whose file name patterns match `fileName`, if any. */
export function csvMappingFor(mappings: readonly CsvMapping[], fileName: string): CsvMapping | undefined {
  return mappings.find((m) => m.fileNamePatterns.some((p) => globToRegExp(p).test(fileName)));
}
