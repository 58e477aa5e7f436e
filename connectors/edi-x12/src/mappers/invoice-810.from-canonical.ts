/**
 * Canonical Invoice to an EDI 810 transaction set (the supplier simulator's invoice).
 */
import { type Invoice, moneyToMinor } from '@tradelane/canonical';
import type { X12OutboundSet } from '../codec/writer/envelope.builder.js';
import type { X12SegmentInput } from '../codec/x12.types.js';
import { productQualifiers, type PartnerProfile } from './partner-profile.schema.js';
import { termsSegment, x12Date } from './po-850.from-canonical.js';
import { partySegments } from './x12-party.reader.js';
import { unitToX12 } from './x12-set.reader.js';

const BIG07: Readonly<Record<Invoice['kind'], string>> = { invoice: 'DI', credit_memo: 'CR', debit_memo: 'DR' };
const TXI01: Readonly<Record<Invoice['taxes'][number]['type'], string>> = { sales: 'ST', vat: 'VA', gst: 'GS', excise: 'EV', other: 'ZZ' };

/** An amount as an N2 element (implied two decimals): `2809.00` → `280900`. */
function n2(amount: { amount: string; currency: string }): string {
  return moneyToMinor(amount, 2).toString();
}

/**
 * The body of an 810 for an invoice: BIG, CUR, N1 RE/BT, ITD, IT1 (+PID) per line, TDS, TXI, SAC, CTT. Wrap it with
 * `createInterchange` (functional id `IN`).
 * @example const set = invoiceTo810(invoice, profile);
 */
export function invoiceTo810(invoice: Invoice, profile: PartnerProfile): X12OutboundSet {
  const q = productQualifiers(profile);
  const segs: X12SegmentInput[] = [];
  const po = invoice.orderRefs.find((o) => o.kind === 'purchase_order');
  const poNumber = po && po.kind === 'purchase_order' ? po.poNumber : '';
  segs.push({ tag: 'BIG', elements: [x12Date(invoice.invoiceDate), invoice.invoiceNumber, '', poNumber, '', '', BIG07[invoice.kind]] });
  segs.push({ tag: 'CUR', elements: ['SE', invoice.currency] });
  if (invoice.remitTo) segs.push(...partySegments('RE', invoice.remitTo));
  segs.push(...partySegments('BT', invoice.billTo));
  const itd = termsSegment(invoice.terms);
  const els = [...(itd.elements as string[])];
  while (els.length < 7) els.push('');
  els[5] = x12Date(invoice.dueDate);
  segs.push({ tag: 'ITD', elements: els });
  for (const line of invoice.lines) {
    const ids: string[] = [];
    if (line.sku) ids.push(q.sku[0] ?? 'BP', line.sku);
    if (line.partNumber) ids.push(q.partnerPart[0] ?? 'VP', line.partNumber);
    segs.push({ tag: 'IT1', elements: [String(line.orderLineNumber ?? line.lineNumber), line.quantity, unitToX12(line.unit, profile), line.unitPrice.amount, '', ...ids] });
    if (line.description) segs.push({ tag: 'PID', elements: ['F', '', '', '', line.description.slice(0, 80)] });
  }
  segs.push({ tag: 'TDS', elements: [n2(invoice.totals.total)] });
  for (const tax of invoice.taxes) {
    segs.push({ tag: 'TXI', elements: tax.rate ? [TXI01[tax.type], tax.amount.amount, tax.rate] : [TXI01[tax.type], tax.amount.amount] });
  }
  if (invoice.totals.discount && moneyToMinor(invoice.totals.discount, 2) !== 0n) {
    segs.push({ tag: 'SAC', elements: ['A', 'C310', '', '', n2(invoice.totals.discount)] });
  }
  if (moneyToMinor(invoice.totals.freight, 2) !== 0n) segs.push({ tag: 'SAC', elements: ['C', 'D240', '', '', n2(invoice.totals.freight)] });
  segs.push({ tag: 'CTT', elements: [String(invoice.lines.length)] });
  return { id: '810', segments: segs };
}
