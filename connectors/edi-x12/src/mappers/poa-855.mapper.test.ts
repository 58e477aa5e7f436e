import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PurchaseOrder } from '@tradelane/canonical';
import { X12MappingError } from '../errors.js';
import { InMemoryControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { createInterchange } from '../codec/writer/envelope.builder.js';
import { writeX12 } from '../codec/writer/x12.writer.js';
import { validateX12 } from '../codec/validate/envelope.validator.js';
import { parseX12 } from '../codec/x12.reader.js';
import type { X12TransactionSet } from '../codec/x12.types.js';
import { contextFor, fixedNow, fixtureSet, itemIds, supplierId, supplierProfile } from './mapping-test.fixture.js';
import { envelopeSettingsFor } from './partner-profile.schema.js';
import { x12850ToPurchaseOrder } from './po-850.to-canonical.js';
import { acknowledgmentTo855 } from './poa-855.from-canonical.js';
import { purchaseOrderNumberOf855, x12855ToAcknowledgment } from './poa-855.to-canonical.js';

const po: PurchaseOrder = x12850ToPurchaseOrder(fixtureSet('po-850.edi'), contextFor(supplierProfile), { itemIdForSku: (s) => itemIds.get(s) });

function withSegments(set: X12TransactionSet, map: (tag: string, els: string[]) => string[] | undefined): X12TransactionSet {
  return {
    ...set,
    segments: set.segments.flatMap((s) => {
      const els = map(s.tag, s.elements as string[]);
      return els === undefined ? [s] : els.length === 0 ? [] : [{ ...s, elements: els }];
    }),
  };
}

describe('855 → canonical', () => {
  it('reads accept, quantity change + backorder, and price change per line', () => {
    const set = fixtureSet('poa-855.edi');
    assert.equal(purchaseOrderNumberOf855(set), 'PO-2025-0042');
    const ack = x12855ToAcknowledgment(set, contextFor(supplierProfile), po);
    assert.equal(ack.ackType, 'accepted_with_changes');
    assert.equal(ack.purchaseOrderId, po.id);
    assert.equal(ack.supplierId, supplierId);
    assert.equal(ack.ackNumber, 'SO-ACM-66120');
    assert.equal(ack.acknowledgedAt, '2025-03-02T00:00:00Z');
    assert.deepEqual(ack.lines, [
      { lineNumber: 1, sku: 'AC-1001', supplierPartNumber: 'ACM-1001-CS', action: 'accept', quantity: '24', unit: 'CS', scheduledDate: '2025-03-05' },
      { lineNumber: 2, sku: 'AC-2040', supplierPartNumber: 'ACM-2040', action: 'change_quantity', originalQuantity: '10', quantity: '6', unit: 'EA', scheduledDate: '2025-03-05' },
      { lineNumber: 2, sku: 'AC-2040', supplierPartNumber: 'ACM-2040', action: 'backorder', quantity: '4', unit: 'EA', scheduledDate: '2025-03-19' },
      { lineNumber: 3, sku: 'AC-0300', supplierPartNumber: 'ACM-0300-BX', action: 'change_price', originalUnitPrice: { amount: '6.75', currency: 'USD' }, unitPrice: { amount: '7.10', currency: 'USD' } },
    ]);
  });

  it('reads IR as reject, DR as a date change, IC by comparing with the order', () => {
    const set = withSegments(fixtureSet('poa-855.edi'), (tag, els) => {
      if (tag !== 'ACK') return undefined;
      if (els[0] === 'IA') return ['R2', '24', 'CA'];
      if (els[0] === 'IQ') return ['DR', '10', 'EA', '068', '20250328'];
      if (els[0] === 'IB') return [];
      if (els[0] === 'IP') return ['IC', '100', 'BX'];
      return undefined;
    });
    const ack = x12855ToAcknowledgment(set, contextFor(supplierProfile), po);
    assert.deepEqual(
      ack.lines.map((l) => [l.lineNumber, l.action, 'reasonCode' in l ? l.reasonCode : 'scheduledDate' in l ? l.scheduledDate : 'quantity' in l ? l.quantity : '']),
      [
        [1, 'reject', 'unknown_item'],
        [2, 'change_date', '2025-03-28'],
        [3, 'change_quantity', '100'],
        [3, 'change_price', ''],
      ],
    );
  });

  it('header-only acknowledgments answer every line', () => {
    const accept = withSegments(fixtureSet('poa-855.edi'), (tag, els) => (tag === 'PO1' || tag === 'ACK' ? [] : tag === 'BAK' ? ['00', 'AT', ...els.slice(2)] : undefined));
    assert.deepEqual(x12855ToAcknowledgment(accept, contextFor(supplierProfile), po).lines.map((l) => l.action), ['accept', 'accept', 'accept']);
    const reject = withSegments(accept, (tag, els) => (tag === 'BAK' ? ['00', 'RJ', ...els.slice(2)] : undefined));
    const ack = x12855ToAcknowledgment(reject, contextFor(supplierProfile), po);
    assert.equal(ack.ackType, 'rejected');
  });

  it('partner code overrides and unknown codes', () => {
    const set = withSegments(fixtureSet('poa-855.edi'), (tag, els) => (tag === 'ACK' && els[0] === 'IA' ? ['ZZ', ...els.slice(1)] : undefined));
    assert.throws(() => x12855ToAcknowledgment(set, contextFor(supplierProfile), po), (e: unknown) => e instanceof X12MappingError && e.element === 'ACK01' && e.position?.index === 6);
    const profile = { ...supplierProfile, codes: { ...supplierProfile.codes, acknowledgment: { ZZ: 'accept' as const } } };
    assert.equal(x12855ToAcknowledgment(set, contextFor(profile), po).lines[0]?.action, 'accept');
  });

  it('refuses an acknowledgment of another order', () => {
    assert.throws(() => x12855ToAcknowledgment(fixtureSet('poa-855.edi'), contextFor(supplierProfile), { ...po, poNumber: 'PO-OTHER' }), (e: unknown) => e instanceof X12MappingError && e.element === 'BAK03');
  });
});

describe('canonical → 855', () => {
  it('writes an 855 that validates and reads back to the same answers', async () => {
    const ack = x12855ToAcknowledgment(fixtureSet('poa-855.edi'), contextFor(supplierProfile), po);
    const set = acknowledgmentTo855(ack, po, supplierProfile);
    const ic = await createInterchange(envelopeSettingsFor(supplierProfile, { asPartner: true }), [{ functionalId: 'PR', sets: [set] }], { sequence: new InMemoryControlNumberSequence(), now: () => fixedNow });
    const text = writeX12(ic, { lineEnding: '\n' });
    assert.deepEqual((await validateX12(text)).errors, []);
    assert.match(text, /^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*ACMESUPPLY {5}\*ZZ\*TLDEMO/);
    const back = x12855ToAcknowledgment(parseX12(text).interchanges[0]!.groups[0]!.sets[0]!, contextFor(supplierProfile), po);
    assert.deepEqual(back.lines, ack.lines);
    assert.equal(back.ackType, ack.ackType);
    assert.equal(back.ackNumber, ack.ackNumber);
  });
});
