import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryPositionSchema, invoiceSchema, newId, paymentSchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { changeFromSim } from './change.from-sim.js';

test('every change of an order-to-cash run maps to a hub change with valid documents', () => {
  const engine = new ErpSimEngine({ seed: 1 });
  const terms = new Map(engine.paymentTerms().map((t) => [t.PTC, t]));
  const soId = newId('so');
  const { order } = engine.createOrder({ AN8: 4243, VR01: 'PO-1', EXTREF: soId, LINES: [{ LITM: 'ELC-1001', UORG: 1, UOM: 'RL' }] });
  engine.confirmShipment(order.DOCO, { SHPREF: newId('shp'), CARS: 'FDEG', TRKN: 'T', LINES: [{ LNID: '1.000', SOQS: 1 }] });
  const inv = engine.listInvoices({ DOCO: order.DOCO })[0]!;
  engine.postPayment({ DOC: inv.DOC, PAAP: inv.AG });
  const { rma } = engine.createReturn({ EXTREF: 'rma_c', AN8: 4243, LINES: [{ LITM: 'ELC-1001', UOM: 'RL', UORG: 1, RCD: 'DMG', OEXT: soId }] });
  engine.receiveReturn(rma.RMAN, { LINES: [{ LNID: '1.000', QTY: 1 }] });

  const changes = engine.changesAfter(0, 1000).CHANGES.map((c) => changeFromSim(c, { tenantId: 'acme', terms }));
  assert.deepEqual([...new Set(changes.map((c) => c.kind))].sort(), ['credit_memo.issued', 'inventory.changed', 'invoice.issued', 'order.updated', 'payment.received']);
  for (const c of changes) {
    if (c.kind === 'invoice.issued') {
      invoiceSchema.parse(c.invoice);
      assert.equal(c.orderReference, soId);
    }
    if (c.kind === 'credit_memo.issued') {
      assert.equal(invoiceSchema.parse(c.invoice).kind, 'credit_memo');
      assert.equal(c.returnReference, 'rma_c');
    }
    if (c.kind === 'payment.received') paymentSchema.parse(c.payment);
    if (c.kind === 'inventory.changed') {
      assert.equal(c.positions.length, 2, 'both branches of the item');
      for (const p of c.positions) inventoryPositionSchema.parse(p);
    }
  }
  const last = changes.filter((c) => c.kind === 'order.updated').at(-1)!;
  assert.equal(last.kind === 'order.updated' && last.order.status, 'Closed');
});
