/**
 * Canonical PurchaseOrderAcknowledgment to an EDI 855 transaction set (the supplier simulator's answer).
 */
import type { AcknowledgmentLine, PurchaseOrder, PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import type { X12OutboundSet } from '../codec/writer/envelope.builder.js';
import type { X12SegmentInput } from '../codec/x12.types.js';
import { productQualifiers, type PartnerProfile } from './partner-profile.schema.js';
import { x12Date } from './po-850.from-canonical.js';
import { ackCodeForAction } from './x12-code.maps.js';
import { unitToX12 } from './x12-set.reader.js';

const BAK02: Readonly<Record<PurchaseOrderAcknowledgment['ackType'], string>> = {
  accepted: 'AD',
  accepted_with_changes: 'AC',
  rejected: 'RJ',
};

function ackSegment(line: AcknowledgmentLine, ordered: PurchaseOrder['lines'][number], profile: PartnerProfile): X12SegmentInput {
  const code = ackCodeForAction[line.action] ?? 'IA';
  const qty = 'quantity' in line ? line.quantity : ordered.quantity;
  const unit = 'unit' in line ? line.unit : ordered.unit;
  const date = 'scheduledDate' in line ? line.scheduledDate : undefined;
  const els = [code, qty, unitToX12(unit, profile)];
  if (date) els.push('068', x12Date(date));
  return { tag: 'ACK', elements: els };
}

/**
 * The body of an 855 for an acknowledgment of `po`: BAK, then per acknowledged line PO1 and one ACK per answer, CTT.
 * A price change travels as the new PO104. Wrap it with `createInterchange` (functional id `PR`).
 * @example const set = acknowledgmentTo855(ack, po, supplierSideProfile);
 */
export function acknowledgmentTo855(ack: PurchaseOrderAcknowledgment, po: Pick<PurchaseOrder, 'orderedAt' | 'lines'>, profile: PartnerProfile): X12OutboundSet {
  const q = productQualifiers(profile);
  const segs: X12SegmentInput[] = [];
  const bak = ['00', BAK02[ack.ackType], ack.poNumber, x12Date(po.orderedAt)];
  if (ack.ackNumber) bak.push('', '', '', ack.ackNumber, x12Date(ack.acknowledgedAt));
  segs.push({ tag: 'BAK', elements: bak });
  if (ack.note) segs.push({ tag: 'MSG', elements: [ack.note.replace(/\s+/g, ' ').slice(0, 264)] });
  const numbers = [...new Set(ack.lines.map((l) => l.lineNumber))];
  for (const n of numbers) {
    const ordered = po.lines.find((l) => l.lineNumber === n);
    if (!ordered) continue;
    const answers = ack.lines.filter((l) => l.lineNumber === n);
    const priceChange = answers.find((l) => l.action === 'change_price');
    const price = priceChange && priceChange.action === 'change_price' ? priceChange.unitPrice.amount : ordered.unitPrice.amount;
    const ids = [q.sku[0] ?? 'BP', ordered.sku];
    if (ordered.supplierPartNumber) ids.push(q.partnerPart[0] ?? 'VP', ordered.supplierPartNumber);
    segs.push({ tag: 'PO1', elements: [String(n), ordered.quantity, unitToX12(ordered.unit, profile), price, '', ...ids] });
    for (const a of answers) segs.push(ackSegment(a, ordered, profile));
  }
  segs.push({ tag: 'CTT', elements: [String(numbers.length)] });
  return { id: '855', segments: segs };
}
