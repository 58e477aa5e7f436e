import { test } from 'node:test';
import assert from 'node:assert/strict';
import { purchaseOrderSchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { toJulian } from '../wire/julian-date.js';
import { itemIdOf, partyIdOf, purchaseOrderIdOf } from './derived-id.js';
import { canonicalPurchaseOrderFromSim, purchaseOrderFromSim } from './purchase-order.from-sim.js';

test('a purchase order maps through its lifecycle to the hub status and a valid canonical PurchaseOrder', () => {
  const engine = new ErpSimEngine({ seed: 1, autoReplenish: false });
  const p = engine.purchasing;
  const ctx = { tenantId: 'acme', terms: new Map(engine.paymentTerms().map((t) => [t.PTC, t])) };
  const view = (doco: number) => purchaseOrderFromSim(p.getPurchaseOrder(doco), ctx);
  const states = (doco: number) => {
    const v = view(doco);
    purchaseOrderSchema.parse(v.purchaseOrder);
    return [v.status, v.purchaseOrder.status];
  };

  const { order } = p.createPurchaseOrder({ AN8: 5101, MCU: 'M10', BUYR: 'Jo Buyer', HDTX: 'restock', LINES: [{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 4 }] });
  const doco = order.DOCO;
  assert.deepEqual(states(doco), ['Entered', 'Draft']);
  const entered = view(doco);
  assert.deepEqual([entered.poNumber, entered.origin, entered.purchaseOrder.id, entered.purchaseOrder.supplierId], [String(doco), 'buyer', purchaseOrderIdOf('acme', doco), partyIdOf('acme', 5101)]);
  const doc = entered.purchaseOrder;
  assert.deepEqual([doc.channel, doc.currency, doc.paymentTerms?.code, doc.shipToLocationId, doc.shipTo.address.line1, doc.buyer?.name, doc.notes], ['edi', 'USD', 'N30', 'M10', '2800 S Ashland Ave', 'Jo Buyer', 'restock']);
  assert.deepEqual([doc.lines[0]!.itemId, doc.lines[0]!.unit, doc.lines[0]!.quantity, doc.lines[0]!.supplierPartNumber], [itemIdOf('acme', 'FAS-1001'), 'BX', '10', order.LINES[0]!.VITM]);
  assert.equal(doc.totals.total.amount, order.OTOT);

  p.approvePurchaseOrder(doco);
  assert.deepEqual(states(doco), ['Approved', 'Approved']);
  p.acknowledgePurchaseOrder(doco, { LINES: [{ LNID: '1.000', ACKC: 'IA' }] });
  assert.deepEqual(states(doco), ['Approved', 'PartiallyAcknowledged']);
  p.acknowledgePurchaseOrder(doco, { LINES: [{ LNID: '2.000', ACKC: 'IB', PDDJ: 125100 }] });
  assert.deepEqual(states(doco), ['Acknowledged', 'Acknowledged']);
  const acked = view(doco);
  assert.deepEqual(acked.lines.map((l) => l.acknowledgment), ['accepted', 'backordered']);
  assert.deepEqual(acked.purchaseOrder.lines.map((l) => [l.status, l.quantityAcknowledged]), [['Acknowledged', '10'], ['Backordered', '4']]);
  assert.equal(acked.purchaseOrder.lines[1]!.promisedDate, '2025-04-10');
  p.changePurchaseOrder(doco, { LINES: [{ LNID: '1.000', UORG: 12 }] });
  assert.deepEqual(states(doco), ['Approved', 'Changed']);
  assert.equal(view(doco).purchaseOrder.revision, 1);
  p.acknowledgePurchaseOrder(doco, { LINES: [{ LNID: '1.000', ACKC: 'IC', UORG: 11 }] });
  assert.deepEqual(view(doco).purchaseOrder.lines.map((l) => l.status), ['Changed', 'Backordered']);

  p.recordExpectedReceipt({ AN8: 5101, VASN: 'S-1', EXDJ: toJulian(new Date()), LINES: [{ DOCO: doco, LNID: '1.000', QTY: 11 }] });
  assert.deepEqual(states(doco), ['InTransit', 'Shipped']);
  assert.deepEqual([view(doco).lines[0]!.quantityInTransit, view(doco).purchaseOrder.lines[0]!.quantityShipped], ['11', '11']);
  p.receivePurchaseOrder(doco, { RCTREF: 'r-1', LINES: [{ LNID: '1.000', UREC: 11 }] });
  assert.deepEqual(states(doco), ['PartiallyReceived', 'PartiallyReceived']);
  p.receivePurchaseOrder(doco, { RCTREF: 'r-2', LINES: [{ LNID: '2.000', UREC: 4 }] });
  assert.deepEqual(states(doco), ['Received', 'Received']);
  const voucher = p.recordVoucher({ AN8: 5101, VINV: 'V-1', DIVJ: 125100, LINES: [{ DOCO: doco, LNID: '1.000', QTY: 11, UPRC: '1' }, { DOCO: doco, LNID: '2.000', QTY: 4, UPRC: '1' }] }).voucher;
  assert.deepEqual(states(doco), ['Invoiced', 'Invoiced']);
  assert.equal(view(doco).purchaseOrder.lines[0]!.quantityInvoiced, '11');
  p.decideMatch(voucher.DOC, { MTCH: 'D', HRSN: 'price' });
  assert.deepEqual(states(doco), ['Received', 'Disputed']);
  p.decideMatch(voucher.DOC, { MTCH: 'A' });
  assert.deepEqual(states(doco), ['Closed', 'Closed']);
  assert.deepEqual(view(doco).purchaseOrder.lines.map((l) => l.status), ['Closed', 'Closed']);

  const rejected = p.approvePurchaseOrder(p.createPurchaseOrder({ AN8: 5104, MCU: 'M20', LINES: [{ LITM: 'SAF-1001', UORG: 1 }, { LITM: 'SAF-1002', UORG: 2 }] }).order.DOCO);
  p.acknowledgePurchaseOrder(rejected.DOCO, { LINES: [{ LNID: '1.000', ACKC: 'IR' }] });
  const canadian = canonicalPurchaseOrderFromSim(p.getPurchaseOrder(rejected.DOCO), ctx);
  assert.deepEqual([canadian.channel, canadian.currency, canadian.lines[0]!.status, canadian.lines[0]!.quantity, canadian.lines[0]!.quantityAcknowledged], ['csv', 'CAD', 'Rejected', '1', '0']);
  p.cancelPurchaseOrder(rejected.DOCO, {});
  assert.deepEqual(states(rejected.DOCO), ['Cancelled', 'Cancelled']);
  assert.deepEqual(canonicalPurchaseOrderFromSim(p.getPurchaseOrder(rejected.DOCO), ctx).lines.map((l) => l.status), ['Rejected', 'Cancelled']);
});

test('a replenishment order is flagged as such', () => {
  const engine = new ErpSimEngine({ seed: 1, autoReplenish: false });
  const [po] = engine.purchasing.replenish({ LITM: 'PLB-1003', MCU: 'M10' });
  const view = purchaseOrderFromSim(po!, { tenantId: 'acme', terms: new Map(engine.paymentTerms().map((t) => [t.PTC, t])) });
  assert.deepEqual([view.origin, view.status, view.purchaseOrder.channel, view.purchaseOrder.buyer?.name], ['replenishment', 'Approved', 'portal', 'REORDER POINT']);
});
