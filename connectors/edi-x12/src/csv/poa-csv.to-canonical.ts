/**
 * CSV purchase order acknowledgments to canonical PurchaseOrderAcknowledgment documents: one row per answered line,
 * one document per purchase order number (and acknowledgment number).
 */
import {
  money,
  purchaseOrderAcknowledgmentSchema,
  type AcknowledgmentAction,
  type AcknowledgmentLine,
  type PurchaseOrderAcknowledgment,
  type UnitOfMeasure,
} from '@tradelane/canonical';
import type { AcknowledgedPurchaseOrder } from '../mappers/poa-855.to-canonical.js';
import { csvReasonCodes } from './csv-mapping.schema.js';
import { buildValidated, consistentRows, csvTools, groupRows, headerValue, instant, type CsvMappingContext, type CsvMappingResult } from './csv-documents.js';
import { rowError, type CsvFieldRow, type CsvFieldRows, type CsvRowError } from './csv-rows.js';

type Line = AcknowledgmentLine;

function lineFor(row: CsvFieldRow, po: AcknowledgedPurchaseOrder, currency: string, errors: CsvRowError[]): Line | undefined {
  const v = row.values;
  const lineNumber = v.lineNumber as number;
  const action = v.action as AcknowledgmentAction;
  const ordered = po.lines.find((l) => l.lineNumber === lineNumber);
  if (po.lines.length > 0 && !ordered) {
    errors.push(rowError(row, 'lineNumber', 'TL_EDI_CSV_LOOKUP_FAILED', `purchase order ${po.poNumber} has no line ${lineNumber}`));
    return undefined;
  }
  const base = {
    lineNumber,
    ...(v.sku !== undefined ? { sku: v.sku as string } : ordered?.sku ? { sku: ordered.sku } : {}),
    ...(v.supplierPartNumber !== undefined ? { supplierPartNumber: v.supplierPartNumber as string } : {}),
    ...(v.note !== undefined ? { note: v.note as string } : {}),
  };
  const need = (field: string, why: string): undefined => {
    errors.push(rowError(row, field, 'TL_EDI_CSV_REQUIRED', `${field} is required for action ${action}: ${why}`));
    return undefined;
  };
  switch (action) {
    case 'accept':
    case 'change_quantity':
    case 'backorder': {
      const quantity = v.quantity as string | undefined;
      if (quantity === undefined) return need('quantity', 'the quantity the supplier confirms');
      const unit = (v.unit as UnitOfMeasure | undefined) ?? ordered?.unit;
      if (unit === undefined) return need('unit', 'the unit of the quantity (the purchase order line is not known)');
      const scheduledDate = v.scheduledDate as string | undefined;
      if (action === 'change_quantity') {
        const originalQuantity = (v.originalQuantity as string | undefined) ?? ordered?.quantity;
        return { ...base, action, quantity, unit, ...(originalQuantity ? { originalQuantity } : {}), ...(scheduledDate ? { scheduledDate } : {}) };
      }
      return { ...base, action, quantity, unit, ...(scheduledDate ? { scheduledDate } : {}) };
    }
    case 'change_date': {
      const scheduledDate = v.scheduledDate as string | undefined;
      if (scheduledDate === undefined) return need('scheduledDate', 'the new date');
      const originalDate = (v.originalDate as string | undefined) ?? ordered?.requestedDate;
      return { ...base, action, scheduledDate, ...(originalDate ? { originalDate } : {}) };
    }
    case 'change_price': {
      const unitPrice = v.unitPrice as string | undefined;
      if (unitPrice === undefined) return need('unitPrice', 'the new unit price');
      const original = v.originalUnitPrice !== undefined ? money(v.originalUnitPrice as string, currency) : ordered?.unitPrice;
      return { ...base, action, unitPrice: money(unitPrice, currency), ...(original ? { originalUnitPrice: original } : {}) };
    }
    case 'reject': {
      const code = (v.reasonCode as string | undefined)?.toLowerCase() ?? 'other';
      if (!(csvReasonCodes as readonly string[]).includes(code)) {
        errors.push(rowError(row, 'reasonCode', 'TL_EDI_CSV_UNKNOWN_CODE', `reasonCode "${code}" is not one of ${csvReasonCodes.join(', ')}`));
        return undefined;
      }
      return { ...base, action, reasonCode: code as (typeof csvReasonCodes)[number], ...(v.reason !== undefined ? { reason: v.reason as string } : {}) };
    }
  }
}

/**
 * Maps the rows of an acknowledgment file. Each purchase order is looked up by number (`lookups.purchaseOrder`);
 * rows of an unknown order, rows for a line the order does not have and rows missing what their action needs are
 * reported, the others are acknowledged. `ackType` follows the lines: all accept → accepted, all reject → rejected,
 * else accepted_with_changes.
 * @example const { documents, errors } = await csvToAcknowledgments(readCsvFields(table, mapping), { tenantId, profile, lookups });
 */
export async function csvToAcknowledgments(input: CsvFieldRows, ctx: CsvMappingContext): Promise<CsvMappingResult<PurchaseOrderAcknowledgment>> {
  const errors = [...input.errors];
  const documents: CsvMappingResult<PurchaseOrderAcknowledgment>['documents'] = [];
  const { now, receivedAt, id, partyId } = csvTools(ctx);
  for (const group of groupRows(input.rows, (r) => `${String(r.values.poNumber)}\u0000${String(r.values.ackNumber ?? '')}`)) {
    const rows = consistentRows(group, 'purchase-order-acknowledgment', 'acknowledgment', errors);
    const first = rows[0];
    if (!first) continue;
    const poNumber = first.values.poNumber as string;
    if (!partyId) {
      for (const row of rows) errors.push(rowError(row, undefined, 'TL_EDI_CSV_LOOKUP_FAILED', 'the partner has no party id: set partyId in the partner profile'));
      continue;
    }
    const po = await ctx.lookups?.purchaseOrder?.(poNumber);
    if (!po) {
      for (const row of rows) errors.push(rowError(row, 'poNumber', 'TL_EDI_CSV_LOOKUP_FAILED', `purchase order ${poNumber} is not known${ctx.lookups?.purchaseOrder ? '' : ' (no purchase order lookup is configured)'}`));
      continue;
    }
    const currency = headerValue<string>(rows, 'currency') ?? po.currency;
    const lines = new Map<CsvFieldRow, Line>();
    const seen = new Map<string, CsvFieldRow>();
    for (const row of rows) {
      const key = `${String(row.values.lineNumber)}:${String(row.values.action)}`;
      const earlier = seen.get(key);
      if (earlier) {
        errors.push(rowError(row, 'action', 'TL_EDI_CSV_INCONSISTENT', `line ${String(row.values.lineNumber)} already has a ${String(row.values.action)} answer on line ${earlier.line}`));
        continue;
      }
      const line = lineFor(row, po, currency, errors);
      if (line) {
        lines.set(row, line);
        seen.set(key, row);
      }
    }
    const ackNumber = headerValue<string>(rows, 'ackNumber');
    const acknowledgedAt = headerValue<string>(rows, 'acknowledgedAt') ?? instant(now);
    const doc = buildValidated(
      [...lines.keys()],
      purchaseOrderAcknowledgmentSchema,
      (kept) => {
        const ls = kept.map((r) => lines.get(r) as Line);
        const ackType = ls.every((l) => l.action === 'accept') ? 'accepted' : ls.every((l) => l.action === 'reject') ? 'rejected' : 'accepted_with_changes';
        return {
          schemaVersion: 1,
          id: id('poa'),
          tenantId: ctx.tenantId,
          purchaseOrderId: po.id,
          poNumber,
          poRevision: po.revision,
          supplierId: partyId,
          ...(ackNumber ? { ackNumber } : {}),
          ackType,
          acknowledgedAt,
          receivedVia: 'csv',
          currency,
          lines: ls,
          externalIds: {},
          receivedAt: instant(receivedAt),
        };
      },
      (path, kept) => {
        if (path[0] !== 'lines' || typeof path[1] !== 'number') return undefined;
        const row = kept[path[1]];
        return row ? { row, field: typeof path[2] === 'string' ? path[2] : undefined } : undefined;
      },
      `acknowledgment of ${poNumber}`,
      errors,
    );
    if (doc) documents.push(doc);
  }
  return { documents, errors, rowCount: input.rowCount };
}
