import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invoiceSchema, newId, totalOf, type Invoice } from '@tradelane/canonical';
import { PermanentError } from '@tradelane/core';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { voucherRequestSchema } from '../sim/purchasing-request.schemas.js';
import { invoiceIdOf, partyIdOf, purchaseOrderIdOf } from './derived-id.js';
import { supplierInvoiceFromSim } from './supplier-invoice.from-sim.js';
import { supplierInvoiceToSim } from './supplier-invoice.to-sim.js';

function payable(tenantId: string, poNumber: string, lines: Array<{ orderLineNumber?: number; sku?: string; quantity: string; unit: string; unitPrice: string; lineAmount: string }>, extra: Partial<Invoice> = {}): Invoice {
  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const subtotal = lines.reduce((n, l) => n + Math.round(Number(l.lineAmount) * 100), 0);
  const at = '2025-03-01T10:00:00Z';
  return invoiceSchema.parse({
    schemaVersion: 1, id: newId('inv'), tenantId, direction: 'payable', invoiceNumber: 'MF-2025-0042', kind: 'invoice', status: 'Received',
    partyId: partyIdOf(tenantId, 5101), billTo: { name: 'Tradelane Demo Distribution Co.', address: { line1: '233 S Wacker Dr', city: 'Chicago', country: 'US' } },
    orderRefs: [{ kind: 'purchase_order', poNumber }], shipmentIds: [], invoiceDate: '2025-03-01', dueDate: '2025-03-31', terms: { code: 'N30', netDays: 30 },
    currency: 'USD',
    lines: lines.map((l, i) => ({ lineNumber: i + 1, ...l, unitPrice: usd(l.unitPrice), lineAmount: usd(l.lineAmount) })),
    taxes: [{ type: 'sales', amount: usd('2.00') }],
    totals: { subtotal: usd((subtotal / 100).toFixed(2)), tax: usd('2.00'), freight: usd('5.00'), total: usd(((subtotal + 700) / 100).toFixed(2)) },
    amountDue: usd(((subtotal + 700) / 100).toFixed(2)),
    externalIds: {}, createdAt: at, updatedAt: at, ...extra,
  });
}

test('a payable invoice becomes a voucher request the simulator accepts, and the voucher maps back to the same invoice', () => {
  const engine = new ErpSimEngine({ seed: 1, autoReplenish: false });
  const ctx = { tenantId: 'acme', terms: new Map(engine.paymentTerms().map((t) => [t.PTC, t])) };
  const { order } = engine.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 2 }] });
  engine.purchasing.approvePurchaseOrder(order.DOCO);
  const invoice = payable('acme', String(order.DOCO), [
    { orderLineNumber: 1, sku: 'FAS-1001', quantity: '10', unit: 'BX', unitPrice: '4.1000', lineAmount: '41.00' },
    { sku: 'FAS-1002', quantity: '100', unit: 'EA', unitPrice: '0.0500', lineAmount: '5.00' },
  ]);
  const request = supplierInvoiceToSim(invoice, 5101);
  assert.deepEqual([request.VINV, request.INVREF, request.STAM, request.FRTA, request.DIVJ, request.DDJ], ['MF-2025-0042', invoice.id, '2.00', '5.00', 125060, 125090]);
  assert.deepEqual(request.LINES, [
    { DOCO: order.DOCO, LNID: '1.000', QTY: '10', UPRC: '4.1000', UOM: 'BX' },
    { DOCO: order.DOCO, LITM: 'FAS-1002', QTY: '100', UPRC: '0.0500', UOM: 'EA' },
  ]);
  const { voucher } = engine.purchasing.recordVoucher(voucherRequestSchema.parse(request));
  const mapped = supplierInvoiceFromSim(voucher, ctx);
  assert.deepEqual([mapped.invoiceNumber, mapped.erpVoucherNumber, mapped.matchStatus, mapped.poNumbers], ['MF-2025-0042', String(voucher.DOC), 'Pending', [String(order.DOCO)]]);
  const back = invoiceSchema.parse(mapped.invoice);
  assert.deepEqual([back.id, back.direction, back.status, back.partyId, back.invoiceDate, back.dueDate], [invoice.id, 'payable', 'Received', partyIdOf('acme', 5101), '2025-03-01', '2025-03-31']);
  assert.deepEqual(back.orderRefs, [{ kind: 'purchase_order', purchaseOrderId: purchaseOrderIdOf('acme', order.DOCO), poNumber: String(order.DOCO) }]);
  assert.deepEqual(back.lines.map((l) => [l.orderLineNumber, l.sku, l.quantity, l.unit, l.unitPrice.amount, l.lineAmount.amount]), [[1, 'FAS-1001', '10', 'BX', '4.1000', '41.00'], [2, 'FAS-1002', '100', 'EA', '0.0500', '5.00']]);
  assert.deepEqual(back.totals, invoice.totals);
  assert.equal(totalOf(back.totals).amount, back.totals.total.amount);
  assert.equal(back.remitTo?.partyId, partyIdOf('acme', 5101));
  assert.equal(engine.purchasing.getPurchaseOrder(order.DOCO).LINES[1]!.UVCH, 2, '100 EA invoiced are two boxes of 50 on the order line');

  const disputed = supplierInvoiceFromSim(engine.purchasing.decideMatch(voucher.DOC, { MTCH: 'D', HRSN: 'unit price 4.10 over 3.95' }).voucher, ctx);
  assert.deepEqual([disputed.matchStatus, disputed.disputeReason, disputed.invoice.status], ['Disputed', 'unit price 4.10 over 3.95', 'Disputed']);
  const approved = supplierInvoiceFromSim(engine.purchasing.decideMatch(voucher.DOC, { MTCH: 'A' }).voucher, ctx);
  assert.deepEqual([approved.matchStatus, approved.disputeReason, approved.invoice.status], ['Approved', undefined, 'Approved']);

  const anonymous = supplierInvoiceFromSim({ ...voucher, INVREF: 'SUPPLIER-REF' }, ctx);
  assert.equal(anonymous.invoice.id, invoiceIdOf('acme', 'PV', voucher.DOC), 'without a hub id the id is derived from the voucher');
});

test('what cannot be vouchered against one purchase order is a permanent error naming why', () => {
  const line = { orderLineNumber: 1, quantity: '1', unit: 'EA', unitPrice: '1.00', lineAmount: '1.00' };
  const refuses = (invoice: Invoice, code: string) =>
    assert.throws(() => supplierInvoiceToSim(invoice, 5101), (e: unknown) => e instanceof PermanentError && e.code === code);
  refuses(payable('acme', '400001', [line], { direction: 'receivable' }), 'TL_ERP_SIM_NOT_PAYABLE');
  refuses(payable('acme', '400001', [line], { kind: 'credit_memo' }), 'TL_ERP_SIM_UNSUPPORTED_INVOICE');
  refuses(payable('acme', '400001', [line], { orderRefs: [] }), 'TL_ERP_SIM_INVOICE_PO_REF');
  refuses(payable('acme', 'PO-ABC', [line]), 'TL_ERP_SIM_BAD_NUMBER');
  refuses(payable('acme', '400001', [{ quantity: '1', unit: 'EA', unitPrice: '1.00', lineAmount: '1.00' }]), 'TL_ERP_SIM_INVOICE_LINE_UNLINKED');
});
