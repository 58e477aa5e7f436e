import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryPositionSchema, invoiceSchema, newId, paymentSchema, purchaseOrderSchema, receiptSchema } from '@tradelane/canonical';
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

test('purchasing changes map to purchase_order.updated, receipt.recorded and supplier_invoice.recorded with valid documents', () => {
  const engine = new ErpSimEngine({ seed: 1, autoReplenish: false });
  const terms = new Map(engine.paymentTerms().map((t) => [t.PTC, t]));
  const start = engine.stats().lastSeq;
  const { order } = engine.createOrder({ AN8: 4242, VR01: 'PO-9', LINES: [{ LITM: 'PLB-1003', UORG: 2 }] });
  const [po] = engine.purchasing.replenish({ LITM: 'PLB-1003', MCU: 'M10' });
  engine.purchasing.receivePurchaseOrder(po!.DOCO, { RCTREF: 'rct-feed', LINES: [{ LNID: '1.000', UREC: 1 }] });
  const { voucher } = engine.purchasing.recordVoucher({ AN8: po!.AN8, VINV: 'GL-1', INVREF: 'inv_01JABCDEFGHJKMNPQRSTVWXYZ0', DIVJ: 125100, LINES: [{ DOCO: po!.DOCO, LNID: '1.000', QTY: 1, UPRC: po!.LINES[0]!.PRRC }] });
  engine.purchasing.decideMatch(voucher.DOC, { MTCH: 'D', HRSN: 'freight not agreed' });

  const changes = engine.changesAfter(start, 1000).CHANGES.map((c) => changeFromSim(c, { tenantId: 'acme', terms }));
  assert.deepEqual(changes.map((c) => c.kind), [
    'order.updated', 'inventory.changed', // the backordered sales order
    'purchase_order.updated', 'inventory.changed', // replenishment
    'order.updated', 'purchase_order.updated', 'inventory.changed', 'receipt.recorded', // receipt fills the backorder
    'purchase_order.updated', 'supplier_invoice.recorded', // voucher
    'purchase_order.updated', 'supplier_invoice.recorded', // dispute
  ]);
  for (const c of changes) {
    if (c.kind === 'purchase_order.updated') purchaseOrderSchema.parse(c.purchaseOrder.purchaseOrder);
    if (c.kind === 'receipt.recorded') receiptSchema.parse(c.receipt.receipt);
    if (c.kind === 'supplier_invoice.recorded') invoiceSchema.parse(c.supplierInvoice.invoice);
    if (c.kind === 'inventory.changed') for (const p of c.positions) inventoryPositionSchema.parse(p);
  }
  const [filled] = changes.filter((c) => c.kind === 'order.updated').slice(-1);
  assert.ok(filled?.kind === 'order.updated' && filled.order.reference === '' && filled.order.lines[0]!.quantityBackordered === '0' && filled.order.erpOrderNumber === String(order.DOCO));
  const received = changes.find((c) => c.kind === 'receipt.recorded');
  assert.ok(received?.kind === 'receipt.recorded' && received.receipt.reference === 'rct-feed' && received.receipt.receipt.lines[0]!.quantity === '1');
  const [recorded, disputed] = changes.filter((c) => c.kind === 'supplier_invoice.recorded');
  assert.ok(recorded?.kind === 'supplier_invoice.recorded' && recorded.supplierInvoice.matchStatus === 'Pending' && recorded.supplierInvoice.invoice.id === 'inv_01JABCDEFGHJKMNPQRSTVWXYZ0');
  assert.ok(disputed?.kind === 'supplier_invoice.recorded' && disputed.supplierInvoice.matchStatus === 'Disputed' && disputed.supplierInvoice.disputeReason === 'freight not agreed');
  const first = changes.find((c) => c.kind === 'purchase_order.updated');
  assert.ok(first?.kind === 'purchase_order.updated' && first.purchaseOrder.origin === 'replenishment' && first.purchaseOrder.status === 'Approved');
});
