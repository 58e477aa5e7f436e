import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invoiceSchema, newId, paymentSchema, totalOf } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { invoiceIdOf, partyIdOf } from './derived-id.js';
import { invoiceFromSim } from './invoice.from-sim.js';
import { paymentFromSim } from './payment.from-sim.js';

test('an invoice, a payment and a credit memo map to valid canonical documents', () => {
  const engine = new ErpSimEngine({ seed: 1 });
  const terms = new Map(engine.paymentTerms().map((t) => [t.PTC, t]));
  const ctx = { tenantId: 'acme', terms };
  const soId = newId('so');
  const shpId = newId('shp');
  const { order } = engine.createOrder({ AN8: 4242, VR01: 'PO-77', EXTREF: soId, LINES: [{ LITM: 'FAS-1001', UORG: 3, UOM: 'BX' }, { LITM: 'SAF-1009', UORG: 2 }] });
  engine.confirmShipment(order.DOCO, { SHPREF: shpId, CARS: 'UPSN', TRKN: '1Z', LINES: [{ LNID: '1.000', SOQS: 3 }, { LNID: '2.000', SOQS: 1 }] });
  const simInvoice = engine.listInvoices({ DOCO: order.DOCO })[0]!;

  const invoice = invoiceSchema.parse(invoiceFromSim(simInvoice, ctx));
  assert.equal(invoice.id, invoiceIdOf('acme', 'RI', simInvoice.DOC));
  assert.equal(invoice.kind, 'invoice');
  assert.equal(invoice.status, 'Issued');
  assert.equal(invoice.partyId, partyIdOf('acme', 4242));
  assert.deepEqual(invoice.orderRefs, [{ kind: 'sales_order', salesOrderId: soId, customerPoNumber: 'PO-77' }]);
  assert.deepEqual(invoice.shipmentIds, [shpId]);
  assert.equal(invoice.lines[0]!.unit, 'BX');
  assert.equal(invoice.lines[1]!.orderLineNumber, 2);
  assert.equal(invoice.terms.code, '210');
  assert.equal(invoice.totals.total.amount, totalOf(invoice.totals).amount);
  assert.equal(invoice.taxes[0]!.rate, '10.25');
  assert.notEqual(invoice.totals.tax.amount, '0.00');

  const { payment } = engine.postPayment({ DOC: simInvoice.DOC, PAAP: '1.00', CKNU: 'CHK-9', PYIN: 'A' });
  const canonicalPayment = paymentSchema.parse(paymentFromSim(payment, { tenantId: 'acme' }));
  assert.equal(canonicalPayment.method, 'ach');
  assert.equal(canonicalPayment.allocations[0]!.invoiceId, invoice.id);
  const partly = invoiceSchema.parse(invoiceFromSim(engine.getInvoice('RI', simInvoice.DOC), ctx));
  assert.equal(partly.status, 'PartiallyPaid');

  const { rma } = engine.createReturn({ EXTREF: 'rma-x', AN8: 4242, LINES: [{ LITM: 'FAS-1001', UOM: 'BX', UORG: 1, RCD: 'DEF', OEXT: soId }] });
  const received = engine.receiveReturn(rma.RMAN, { LINES: [{ LNID: '1.000', QTY: 1 }] }).rma;
  const memo = invoiceSchema.parse(invoiceFromSim(engine.getInvoice('RM', received.CMDOC!), ctx));
  assert.equal(memo.kind, 'credit_memo');
  assert.ok(!memo.totals.total.amount.startsWith('-'), 'canonical credit memo amounts are positive');
  assert.equal(memo.lines[0]!.unitPrice.amount, order.LINES[0]!.UPRC);
  assert.deepEqual(memo.orderRefs.map((r) => r.kind === 'sales_order' && r.salesOrderId), [soId]);
});
