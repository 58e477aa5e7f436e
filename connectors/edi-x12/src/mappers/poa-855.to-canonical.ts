/**
 * EDI 855 (purchase order acknowledgment) to a canonical PurchaseOrderAcknowledgment. ACK01 line status codes are
 * read as accept, change (quantity, date or price), reject or backorder — built-in table, partner overrides.
 */
import {
  type AcknowledgmentLine,
  type PurchaseOrder,
  type PurchaseOrderAcknowledgment,
  addDecimal,
  compareDecimal,
  money,
  purchaseOrderAcknowledgmentSchema,
} from '@tradelane/canonical';
import type { X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import { productIdsOf } from './po-850.to-canonical.js';
import { ackCodeReadings, ackRejectReasons } from './x12-code.maps.js';
import { type X12MappingContext, X12SetReader, contextTools, externalIdsFor, isoInstant } from './x12-set.reader.js';

/** The purchase order being acknowledged (as much of it as the mapping needs). */
export type AcknowledgedPurchaseOrder = Pick<PurchaseOrder, 'id' | 'poNumber' | 'revision' | 'currency' | 'lines'>;

/** Reads BAK03, the purchase order number, so the caller can look the order up before mapping. */
export function purchaseOrderNumberOf855(set: X12TransactionSet): string {
  const r: X12SetReader = new X12SetReader(set, '855');
  return r.requireText(r.require('BAK'), 3, 'purchase order number');
}

const HEADER_ACCEPT = new Set(['AC', 'AD', 'AE', 'AK', 'AP', 'AT', 'NA']);
const HEADER_REJECT = new Set(['RD', 'RF', 'RJ', 'RO']);

/**
 * An 855 as a purchase order acknowledgment, checked against the purchase order it answers.
 * @example
 * const po = await purchaseOrders.byNumber(ctx, purchaseOrderNumberOf855(set));
 * const ack = x12855ToAcknowledgment(set, { tenantId, profile }, po);
 */
export function x12855ToAcknowledgment(set: X12TransactionSet, ctx: X12MappingContext, po: AcknowledgedPurchaseOrder): PurchaseOrderAcknowledgment {
  const r: X12SetReader = new X12SetReader(set, '855');
  const profile = ctx.profile;
  const { now, id, partyId } = contextTools(ctx);
  const bak = r.require('BAK');
  const poNumber = r.requireText(bak, 3, 'purchase order number');
  if (poNumber !== po.poNumber) r.fail(bak, 3, `acknowledges ${poNumber}, not ${po.poNumber}`);
  const headerCode = r.requireText(bak, 2, 'acknowledgment type');
  const ackDate = r.date(bak, 9);
  const header = r.before('PO1');
  const cur = r.first('CUR', header);
  const currency = cur ? r.requireText(cur, 2, 'currency') : po.currency;
  const poLine = (n: number) => po.lines.find((l) => l.lineNumber === n);
  const lines: AcknowledgmentLine[] = [];
  const push = (line: AcknowledgmentLine, seg: X12Segment): void => {
    const same = lines.find((l) => l.lineNumber === line.lineNumber && l.action === line.action);
    if (!same) {
      lines.push(line);
      return;
    }
    if ((same.action === 'accept' || same.action === 'backorder' || same.action === 'change_quantity') && 'quantity' in line && same.unit === line.unit) {
      same.quantity = addDecimal(same.quantity, line.quantity);
      return;
    }
    r.fail(seg, 1, `line ${line.lineNumber} has two ${line.action} answers that cannot be combined`);
  };

  const loops = r.loops('PO1', ['CTT', 'AMT']);
  loops.forEach((loop, i) => {
    const po1 = loop[0] as X12Segment;
    const ids = productIdsOf(r, po1, 6, profile);
    const assigned = r.text(po1, 1);
    const byIds = po.lines.find((l) => (ids.sku && l.sku === ids.sku) || (ids.partnerPart && l.supplierPartNumber === ids.partnerPart));
    const lineNumber = /^\d{1,5}$/.test(assigned) && poLine(Number(assigned)) ? Number(assigned) : (byIds?.lineNumber ?? i + 1);
    const ordered = poLine(lineNumber);
    if (!ordered) r.fail(po1, 1, `line ${lineNumber} is not on purchase order ${po.poNumber}`);
    const base = {
      lineNumber,
      ...(ids.sku ? { sku: ids.sku } : { sku: ordered.sku }),
      ...(ids.partnerPart ? { supplierPartNumber: ids.partnerPart.slice(0, 48) } : {}),
    };
    const lineQty = r.text(po1, 2) ? r.quantity(po1, 2, 'quantity') : ordered.quantity;
    const lineUnit = r.text(po1, 3) ? r.unit(po1, 3, profile) : ordered.unit;
    const acks = r.all('ACK', loop);
    if (acks.length === 0) {
      if (HEADER_REJECT.has(headerCode)) push({ ...base, action: 'reject', reasonCode: 'other' }, po1);
      else push({ ...base, action: 'accept', quantity: lineQty, unit: lineUnit }, po1);
      return;
    }
    for (const ack of acks) {
      const code = r.requireText(ack, 1, 'line item status code');
      const reading = profile.codes.acknowledgment[code] ?? ackCodeReadings[code];
      if (!reading) r.fail(ack, 1, `line item status code "${code}" is not known (add it to the partner profile's codes.acknowledgment)`);
      const quantity = r.text(ack, 2) ? r.quantity(ack, 2, 'acknowledged quantity') : lineQty;
      const unit = r.text(ack, 3) ? r.unit(ack, 3, profile) : lineUnit;
      const qualifier = r.text(ack, 4);
      const scheduledDate = qualifier && profile.elements.scheduledDateQualifiers.includes(qualifier) ? r.date(ack, 5) : undefined;
      const dated = scheduledDate ? { scheduledDate } : {};
      switch (reading) {
        case 'accept':
          push({ ...base, action: 'accept', quantity, unit, ...dated }, ack);
          break;
        case 'backorder':
          push({ ...base, action: 'backorder', quantity, unit, ...dated }, ack);
          break;
        case 'reject':
          push({ ...base, action: 'reject', reasonCode: ackRejectReasons[code] ?? 'other' }, ack);
          break;
        case 'change': {
          const newPrice = r.text(po1, 4) ? r.price(po1, 4, 'unit price') : undefined;
          const qtyChanged = code === 'IQ' || (code === 'IC' && (compareDecimal(quantity, ordered.quantity) !== 0 || unit !== ordered.unit));
          const dateChanged = code === 'DR' || (code === 'IC' && scheduledDate !== undefined && scheduledDate !== ordered.requestedDate);
          const priceChanged = code === 'IP' || (code === 'IC' && newPrice !== undefined && compareDecimal(newPrice, ordered.unitPrice.amount) !== 0);
          if (code === 'DR' && !scheduledDate) r.fail(ack, 5, 'a rescheduled line needs the new date (ACK04/ACK05)');
          if (code === 'IP' && newPrice === undefined) r.fail(po1, 4, 'a price change needs the new price in PO104');
          if (qtyChanged) push({ ...base, action: 'change_quantity', originalQuantity: ordered.quantity, quantity, unit, ...dated }, ack);
          if (dateChanged && scheduledDate) push({ ...base, action: 'change_date', originalDate: ordered.requestedDate, scheduledDate }, ack);
          if (priceChanged && newPrice !== undefined) {
            push({ ...base, action: 'change_price', originalUnitPrice: ordered.unitPrice, unitPrice: money(newPrice, currency) }, ack);
          }
          if (!qtyChanged && !dateChanged && !priceChanged) push({ ...base, action: 'accept', quantity, unit, ...dated }, ack);
          break;
        }
      }
    }
  });
  if (loops.length === 0) {
    if (!HEADER_ACCEPT.has(headerCode) && !HEADER_REJECT.has(headerCode)) r.fail(bak, 2, `acknowledgment type "${headerCode}" without line detail is not understood`);
    for (const l of po.lines) {
      const base = { lineNumber: l.lineNumber, sku: l.sku, ...(l.supplierPartNumber ? { supplierPartNumber: l.supplierPartNumber } : {}) };
      if (HEADER_REJECT.has(headerCode)) lines.push({ ...base, action: 'reject', reasonCode: 'other' });
      else lines.push({ ...base, action: 'accept', quantity: l.quantity, unit: l.unit });
    }
  }
  const ackType: PurchaseOrderAcknowledgment['ackType'] = lines.every((l) => l.action === 'accept')
    ? 'accepted'
    : lines.every((l) => l.action === 'reject')
      ? 'rejected'
      : 'accepted_with_changes';
  const notes = r
    .all('MSG', header)
    .map((m) => r.text(m, 1))
    .concat(r.all('NTE', header).map((n) => r.text(n, 2)))
    .filter(Boolean)
    .join('\n');
  const at = isoInstant(now);
  const doc = {
    schemaVersion: 1 as const,
    id: id('poa'),
    tenantId: ctx.tenantId,
    purchaseOrderId: po.id,
    poNumber,
    poRevision: po.revision,
    supplierId: partyId,
    ...(r.text(bak, 8) ? { ackNumber: r.text(bak, 8).slice(0, 40) } : {}),
    ackType,
    acknowledgedAt: ackDate ? `${ackDate}T00:00:00Z` : at,
    receivedVia: 'edi' as const,
    currency,
    lines,
    ...(notes ? { note: notes.slice(0, 2000) } : {}),
    externalIds: externalIdsFor(ctx, r),
    receivedAt: at,
  };
  const parsed = purchaseOrderAcknowledgmentSchema.safeParse(doc);
  if (!parsed.success) r.schemaFailure('acknowledgment', parsed.error.issues);
  return parsed.data;
}
