/**
 * Canonical purchase order to an EDI 850 transaction set (outbound to a supplier).
 */
import { type PurchaseOrder, addDecimal } from '@tradelane/canonical';
import type { X12OutboundSet } from '../codec/writer/envelope.builder.js';
import type { X12SegmentInput } from '../codec/x12.types.js';
import { productQualifiers, type PartnerProfile } from './partner-profile.schema.js';
import { partySegments, perSegment } from './x12-party.reader.js';
import { unitToX12 } from './x12-set.reader.js';

/** `2025-03-01` or an RFC 3339 instant → `20250301`. */
export function x12Date(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '');
}

/** ITD for payment terms: ITD01 type, ITD02 basis 3 (invoice date), ITD03 %, ITD05 discount days, ITD07 net days, ITD12 text. */
export function termsSegment(terms: NonNullable<PurchaseOrder['paymentTerms']>): X12SegmentInput {
  const code = /^\d{2}$/.test(terms.code) ? terms.code : '01';
  return {
    tag: 'ITD',
    elements: [code, '3', terms.discountPercent ?? '', '', terms.discountDays === undefined ? '' : String(terms.discountDays), '', String(terms.netDays), '', '', '', '', terms.description ?? ''].slice(
      0,
      terms.description ? 12 : 7,
    ),
  };
}

/**
 * The body of an 850 for a purchase order, in the partner's codes: BEG, CUR, PER, ITD, TD5, N1 loops, PO1/PID/DTM per
 * line, CTT and AMT. Wrap it with `createInterchange` (functional id `PO`).
 * @example
 * const set = purchaseOrderTo850(po, profile);
 * const ic = await createInterchange(envelopeSettingsFor(profile), [{ functionalId: 'PO', sets: [set] }], { sequence });
 */
export function purchaseOrderTo850(po: PurchaseOrder, profile: PartnerProfile): X12OutboundSet {
  const q = productQualifiers(profile);
  const skuQual = q.sku[0] ?? 'BP';
  const partQual = q.partnerPart[0] ?? 'VP';
  const segs: X12SegmentInput[] = [];
  segs.push({ tag: 'BEG', elements: [po.revision > 0 ? '05' : '00', po.dropShipSalesOrderId ? 'DS' : 'SA', po.poNumber, '', x12Date(po.orderedAt)] });
  segs.push({ tag: 'CUR', elements: ['BY', po.currency] });
  if (po.buyer) segs.push(perSegment('BD', po.buyer));
  if (po.paymentTerms) segs.push(termsSegment(po.paymentTerms));
  if (po.requestedCarrier) {
    const c = po.requestedCarrier;
    const routing = [c.name, c.service].filter(Boolean).join(' ').slice(0, 35);
    segs.push({ tag: 'TD5', elements: routing ? ['', '2', c.code, '', routing] : ['', '2', c.code] });
  }
  if (po.notes) segs.push({ tag: 'MSG', elements: [po.notes.replace(/\s+/g, ' ').slice(0, 264)] });
  segs.push(...partySegments('ST', po.shipTo, po.shipToLocationId));
  if (po.billTo) segs.push(...partySegments('BT', po.billTo));
  let hash = '0';
  for (const line of po.lines) {
    const ids = [skuQual, line.sku];
    if (line.supplierPartNumber) ids.push(partQual, line.supplierPartNumber);
    segs.push({ tag: 'PO1', elements: [String(line.lineNumber), line.quantity, unitToX12(line.unit, profile), line.unitPrice.amount, '', ...ids] });
    if (line.description) segs.push({ tag: 'PID', elements: ['F', '', '', '', line.description.slice(0, 80)] });
    segs.push({ tag: 'DTM', elements: ['002', x12Date(line.requestedDate)] });
    hash = addDecimal(hash, line.quantity);
  }
  segs.push({ tag: 'CTT', elements: [String(po.lines.length), hash] });
  segs.push({ tag: 'AMT', elements: ['TT', po.totals.total.amount] });
  return { id: '850', segments: segs };
}
