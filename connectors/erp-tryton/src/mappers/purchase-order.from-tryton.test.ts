import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TrytonIncomingMove, TrytonPurchaseLineRecord, TrytonPurchaseRecord } from '../wire/tryton-purchase-records.js';
import { acknowledgmentOfNote, commentWithDispute, disputeOfComment, noteWithAcknowledgment } from './acknowledgment-note.js';
import { lineQuantities, purchaseOrderFromTryton, purchaseOrderStatusFromTryton } from './purchase-order.from-tryton.js';

const dt = (iso: string) => {
  const d = new Date(iso);
  return { __class__: 'datetime', year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), microsecond: 0 };
};
const move = (id: number, quantity: number, state: string, extra: Partial<TrytonIncomingMove> = {}): TrytonIncomingMove => ({ id, quantity, state, recreated: false, plannedDate: '2026-01-10', ...extra });
const line = (lineNumber: number, quantity: number, moves: TrytonIncomingMove[], extra: Partial<TrytonPurchaseLineRecord> = {}): TrytonPurchaseLineRecord => ({
  id: lineNumber * 10,
  lineNumber,
  productId: lineNumber,
  sku: `TL-100${lineNumber}`,
  description: null,
  supplierPartNumber: `NW-${lineNumber}`,
  quantity,
  unitSymbol: 'u',
  unitPrice: { __class__: 'Decimal', decimal: '7.0000' },
  deliveryDate: '2026-01-08',
  note: null,
  moves,
  invoiced: 0,
  ...extra,
});
const purchase = (lines: TrytonPurchaseLineRecord[], extra: Partial<TrytonPurchaseRecord> = {}): TrytonPurchaseRecord => ({
  id: 7,
  number: 'PO00007',
  reference: null,
  state: 'processing',
  shipment_state: 'waiting',
  invoice_state: 'none',
  party: 3,
  partyName: 'Northwind Fasteners',
  currency: 'USD',
  purchaseDate: '2026-01-03',
  paymentTermName: 'Net 30',
  warehouseCode: 'WH',
  warehouseName: 'Warehouse',
  companyName: 'Tradelane Demo Distribution',
  description: null,
  comment: null,
  untaxed_amount: { __class__: 'Decimal', decimal: '70.00' },
  tax_amount: { __class__: 'Decimal', decimal: '0' },
  total_amount: { __class__: 'Decimal', decimal: '70.00' },
  fromRequests: false,
  invoices: { count: 0, disputed: false, approved: false },
  create_date: dt('2026-01-03T10:00:00Z'),
  write_date: dt('2026-01-03T10:05:00Z'),
  lines,
  ...extra,
});

test('line quantities come from the incoming moves: done, cancelled, on a draft supplier shipment, still expected', () => {
  const q = lineQuantities(line(1, 10, [move(1, 2, 'done'), move(2, 3, 'draft', { shipmentId: 5, shipmentState: 'draft', shipmentPlannedDate: '2026-01-12' }), move(3, 4, 'draft'), move(4, 1, 'cancelled'), move(5, 9, 'cancelled', { recreated: true })]));
  assert.deepEqual(q, { received: 2, inTransit: 3, open: 4, cancelled: 1, plannedDate: '2026-01-10', expectedDate: '2026-01-12' });
  assert.deepEqual(lineQuantities(line(1, 10, [])), { received: 0, inTransit: 0, open: 10, cancelled: 0 }, 'confirmed, not processed yet');
});

test('purchase status follows state, acknowledgments, shipments, receipts and recorded invoices', () => {
  const ack = 'Supplier acknowledgment: accepted';
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [])], { state: 'quotation' })), 'Entered');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'draft')])])), 'Approved');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'draft')], { note: ack })])), 'Acknowledged');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'draft', { shipmentId: 1, shipmentState: 'draft' })], { note: ack })])), 'InTransit');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 4, 'done'), move(2, 6, 'draft')])])), 'PartiallyReceived');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'done')])])), 'Received');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'done')], { invoiced: 10 })])), 'Invoiced');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'cancelled')], { note: 'Supplier acknowledgment: rejected' })])), 'Cancelled');
  assert.equal(purchaseOrderStatusFromTryton(purchase([line(1, 10, [move(1, 10, 'done')])], { state: 'done' })), 'Closed');
});

test('a purchase maps to an ErpPurchaseOrder with a valid canonical document', () => {
  const po = purchaseOrderFromTryton(
    purchase([line(1, 10, [move(1, 8, 'draft', { plannedDate: '2026-01-15' })], { quantity: 8, note: 'Supplier acknowledgment: changed — short stock' }), line(2, 4, [move(2, 4, 'cancelled')], { note: 'Supplier acknowledgment: rejected' })]),
    { tenantId: 'acme' },
  );
  assert.equal(po.poNumber, 'PO00007');
  assert.match(po.purchaseOrder.id, /^po_/);
  assert.match(po.purchaseOrder.supplierId, /^pty_/);
  assert.deepEqual(po.lines.map((l) => [l.quantityOrdered, l.quantityCancelled, l.unitPrice, l.requestedDate, l.promisedDate, l.acknowledgment]), [
    ['8', '0', '7.00', '2026-01-08', '2026-01-15', 'changed'],
    ['4', '4', '7.00', '2026-01-08', undefined, 'rejected'],
  ]);
  assert.deepEqual(po.purchaseOrder.lines.map((l) => [l.status, l.quantityAcknowledged]), [['Changed', '8'], ['Rejected', '0']]);
  assert.equal(po.purchaseOrder.status, 'Acknowledged');
});

test('the acknowledgment note line is replaced, other note lines kept, and writing the same answer again gives the same text', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 30 }).filter((x) => !x.includes('\n') && !x.startsWith('Supplier acknowledgment:')), { maxLength: 3 }), fc.constantFrom('accepted', 'changed', 'backordered', 'rejected' as const), fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), (others, state, supplierNote) => {
      const before = others.join('\n');
      const once = noteWithAcknowledgment(before, state, supplierNote);
      assert.equal(acknowledgmentOfNote(once), state);
      assert.equal(noteWithAcknowledgment(once, state, supplierNote), once);
      assert.equal(noteWithAcknowledgment(noteWithAcknowledgment(once, 'accepted'), state, supplierNote), once);
    }),
  );
  assert.equal(acknowledgmentOfNote('deliver to dock 2'), undefined);
  const held = commentWithDispute('checked by AP', 'price 7.40 over 7.00');
  assert.equal(disputeOfComment(held), 'price 7.40 over 7.00');
  assert.equal(commentWithDispute(held, undefined), 'checked by AP');
});
