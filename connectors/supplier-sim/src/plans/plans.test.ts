import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SupplierPurchaseOrderView } from '@tradelane/core';
import { seededRandom } from '../seeded-random.js';
import { parseSupplierSimInput, supplierBehaviourSchema } from '../supplier-sim-config.schema.js';
import { planAcknowledgment } from './acknowledgment.plan.js';
import { addDays } from './decimal.js';
import { planInvoice } from './invoice.plan.js';
import { planShipments } from './shipment.plan.js';

const po: SupplierPurchaseOrderView = {
  id: 'po_1',
  poNumber: 'PO-1',
  status: 'New',
  revision: 2,
  awaitingAcknowledgment: true,
  orderDate: '2025-03-01',
  shipTo: { code: 'M10', name: 'Chicago' },
  currency: 'USD',
  total: { amount: '0', currency: 'USD' },
  updatedAt: '2025-03-01T00:00:00Z',
  lines: [
    { lineNumber: 1, sku: 'A', quantity: '100', unit: 'EA', unitPrice: { amount: '10.0000', currency: 'USD' }, requestedDate: '2025-03-20', status: 'Open', quantityShipped: '0', quantityReceived: '0' },
    { lineNumber: 2, sku: 'B', quantity: '7', unit: 'CS', unitPrice: { amount: '3.50', currency: 'USD' }, requestedDate: '2025-03-22', status: 'Open', quantityShipped: '0', quantityReceived: '0' },
    { lineNumber: 3, sku: 'C', quantity: '5', unit: 'EA', unitPrice: { amount: '1.00', currency: 'USD' }, requestedDate: '2025-03-22', status: 'Cancelled', quantityShipped: '0', quantityReceived: '0' },
  ],
};
const behaviour = (b: unknown) => parseSupplierSimInput(supplierBehaviourSchema, b);

test('accept answers every open line of the revision', () => {
  const plan = planAcknowledgment(po, behaviour({}), seededRandom(1), 'ACK-1');
  assert.equal(plan.action, 'accept');
  assert.deepEqual(plan.submission, { acknowledgmentNumber: 'ACK-1', revision: 2, lines: [{ lineNumber: 1, action: 'accept' }, { lineNumber: 2, action: 'accept' }] });
  assert.deepEqual(plan.committed.map((l) => [l.quantity, l.unitPrice, l.dueDate]), [['100', '10.0000', '2025-03-20'], ['7', '3.50', '2025-03-22']]);
});

test('changes stay inside the tolerance, out-of-tolerance changes go beyond it', () => {
  const tol = { quantityPct: 5, pricePct: 2, dateDays: 3 };
  const q = planAcknowledgment(po, behaviour({ ack: { mix: { changeQuantity: 1 }, tolerance: tol } }), seededRandom(1), 'A');
  assert.deepEqual(q.submission.lines[0], { lineNumber: 1, action: 'change', quantity: '98', note: 'quantity within tolerance' });
  assert.deepEqual(q.submission.lines[1], { lineNumber: 2, action: 'accept' }, 'no whole-unit change fits 5% of 7');
  const p = planAcknowledgment(po, behaviour({ ack: { mix: { changePrice: 1 }, tolerance: tol } }), seededRandom(1), 'A');
  assert.equal(p.submission.lines[0]!.unitPrice, '10.1000');
  const d = planAcknowledgment(po, behaviour({ ack: { mix: { changeDate: 1 }, tolerance: tol } }), seededRandom(1), 'A');
  assert.equal(d.submission.lines[0]!.promisedDate, '2025-03-21');
  for (let seed = 1; seed <= 30; seed++) {
    const o = planAcknowledgment(po, behaviour({ ack: { mix: { outOfTolerance: 1 }, tolerance: tol } }), seededRandom(seed), 'A');
    o.submission.lines.forEach((l, i) => {
      const line = po.lines[i]!;
      assert.equal(l.action, 'change');
      const beyond =
        (l.quantity !== undefined && Math.abs(Number(l.quantity) / Number(line.quantity) - 1) * 100 > tol.quantityPct) ||
        (l.unitPrice !== undefined && (Number(l.unitPrice) / Number(line.unitPrice.amount) - 1) * 100 > tol.pricePct) ||
        (l.promisedDate !== undefined && l.promisedDate > addDays(line.requestedDate, tol.dateDays));
      assert.ok(beyond, JSON.stringify(l));
    });
  }
});

test('reject and backorder', () => {
  const r = planAcknowledgment(po, behaviour({ ack: { mix: { rejectLines: 1 } } }), seededRandom(3), 'A');
  assert.equal(r.submission.lines.filter((l) => l.action === 'reject').length, 1);
  assert.equal(r.committed.length, 1);
  const b = planAcknowledgment(po, behaviour({ ack: { mix: { backorder: 1 }, backorderDays: 10 } }), seededRandom(3), 'A');
  assert.deepEqual(b.submission.lines.map((l) => [l.action, l.promisedDate]), [['backorder', '2025-03-30'], ['backorder', '2025-04-01']]);
});

test('partial shipments add up to the committed quantity; invoices follow the shipments', () => {
  const committed = planAcknowledgment(po, behaviour({}), seededRandom(1), 'A').committed;
  const ship = behaviour({ ship: { mode: 'partial', partialFraction: 0.6, remainderAfterDays: 5 } }).ship;
  const asns = planShipments('PO-1', committed, ship, seededRandom(1));
  assert.equal(asns.length, 2);
  assert.deepEqual(asns.map((a) => a.submission.asnNumber), ['ASN-PO-1-1', 'ASN-PO-1-2']);
  assert.deepEqual(asns[0]!.submission.lines.map((l) => l.quantity), ['60', '4']);
  assert.deepEqual(asns[1]!.submission.lines.map((l) => l.quantity), ['40', '3']);
  assert.equal(asns[0]!.submission.shipDate, '2025-03-18');
  assert.equal(asns[1]!.submission.shipDate, '2025-03-23');
  const late = planShipments('PO-1', committed, behaviour({ ship: { mode: 'late', lateDays: 7 } }).ship, seededRandom(1));
  assert.equal(late[0]!.submission.shipDate, '2025-03-29');
  assert.deepEqual(planShipments('PO-1', committed, behaviour({ ship: { mode: 'none' } }).ship, seededRandom(1)), []);

  const subs = asns.map((a) => a.submission);
  const correct = planInvoice('PO-1', 'USD', committed, subs, behaviour({}).invoice)!;
  assert.deepEqual(correct.lines.map((l) => [l.quantity, l.unitPrice]), [['100', '10.0000'], ['7', '3.50']]);
  assert.equal(correct.invoiceDate, '2025-03-23');
  const price = planInvoice('PO-1', 'USD', committed, subs, behaviour({ invoice: { mode: 'priceVariance', priceVariancePct: 4 } }).invoice)!;
  assert.deepEqual(price.lines.map((l) => l.unitPrice), ['10.4000', '3.6400']);
  const qty = planInvoice('PO-1', 'USD', committed, subs, behaviour({ invoice: { mode: 'quantityVariance', quantityVariancePct: 10 } }).invoice)!;
  assert.deepEqual(qty.lines.map((l) => l.quantity), ['110', '8']);
  assert.equal(planInvoice('PO-1', 'USD', committed, [], behaviour({}).invoice), null);
});
