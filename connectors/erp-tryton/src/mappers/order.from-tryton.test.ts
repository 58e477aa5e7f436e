import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderFromTryton, orderStatusFromTryton } from './order.from-tryton.js';
import type { TrytonSaleRecord } from '../wire/tryton-records.js';

const dt = (second: number, microsecond = 0) => ({ __class__: 'datetime', year: 2026, month: 3, day: 4, hour: 10, minute: 0, second, microsecond });

test('Tryton sale states map to the hub lifecycle', () => {
  const s = (state: TrytonSaleRecord['state'], shipment_state: TrytonSaleRecord['shipment_state'] = 'none', invoice_state: TrytonSaleRecord['invoice_state'] = 'none') =>
    orderStatusFromTryton({ state, shipment_state, invoice_state });
  assert.equal(s('draft'), 'Entered');
  assert.equal(s('quotation'), 'Entered');
  assert.equal(s('confirmed'), 'Entered');
  assert.equal(s('processing', 'waiting'), 'Released');
  assert.equal(s('processing', 'exception'), 'Backordered');
  assert.equal(s('processing', 'partially shipped'), 'PartiallyShipped');
  assert.equal(s('processing', 'sent', 'waiting'), 'Shipped');
  assert.equal(s('processing', 'sent', 'paid'), 'Invoiced');
  assert.equal(s('done', 'sent', 'paid'), 'Closed');
  assert.equal(s('cancelled'), 'Cancelled');
});

test('a sale maps to an ErpOrder: reference, number, product lines only, units, shipped quantities, money', () => {
  const order = orderFromTryton({
    id: 7,
    number: 'SO-0007',
    reference: 'so_01HZX',
    state: 'processing',
    shipment_state: 'partially shipped',
    invoice_state: 'none',
    total_amount: { __class__: 'Decimal', decimal: '66.5' },
    'warehouse.code': 'WH',
    create_date: dt(1),
    write_date: dt(5, 250000),
    lines: [
      { id: 1, sequence: 1, type: 'line', 'product.code': 'TL-1002', quantity: 10, 'unit.symbol': 'u', unit_price: { __class__: 'Decimal', decimal: '4.2000' }, shipped: 4, assigned: 0 },
      { id: 2, sequence: 2, type: 'comment', quantity: null },
      { id: 3, sequence: 3, type: 'line', 'product.code': 'TL-2001', quantity: 2.5, 'unit.symbol': 'kg', unit_price: { __class__: 'Decimal', decimal: '9.8' }, shipped: 0 },
    ],
  });
  assert.equal(order.reference, 'so_01HZX');
  assert.equal(order.erpOrderNumber, 'SO-0007');
  assert.equal(order.status, 'PartiallyShipped');
  assert.equal(order.total, '66.50');
  assert.equal(order.updatedAt, '2026-03-04T10:00:05.250Z');
  assert.deepEqual(
    order.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unit, l.quantityShipped, l.quantityReleased, l.unitPrice, l.warehouseId]),
    [
      [1, 'TL-1002', '10', 'EA', '4', '10', '4.20', 'WH'],
      [2, 'TL-2001', '2.5', 'KG', '0', '2.5', '9.80', 'WH'],
    ],
  );
});

test('a draft without a number is known by its id and has nothing released', () => {
  const order = orderFromTryton({ id: 42, number: null, reference: null, state: 'draft', shipment_state: 'none', invoice_state: 'none', create_date: dt(1), write_date: null, lines: [] });
  assert.equal(order.erpOrderNumber, '42');
  assert.equal(order.reference, '');
  assert.equal(order.updatedAt, '2026-03-04T10:00:01.000Z');
});

test('a processing sale waiting for its next shipment after one was done is PartiallyShipped (Tryton 6.0 says waiting)', () => {
  const sale = (shipped: number): TrytonSaleRecord => ({
    id: 8,
    number: 'SO-0008',
    reference: 'so_01HZY',
    state: 'processing',
    shipment_state: 'waiting',
    invoice_state: 'waiting',
    create_date: dt(1),
    write_date: dt(2),
    lines: [{ id: 1, sequence: 1, type: 'line', 'product.code': 'TL-1001', quantity: 6, 'unit.symbol': 'u', shipped, assigned: 0 }],
  });
  assert.equal(orderFromTryton(sale(4)).status, 'PartiallyShipped');
  assert.deepEqual(orderFromTryton(sale(4)).lines.map((l) => [l.quantityShipped, l.quantityReleased]), [['4', '6']]);
  assert.equal(orderFromTryton(sale(0)).status, 'Released');
});
