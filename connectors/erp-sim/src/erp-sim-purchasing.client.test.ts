import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  advanceShipNoticeSchema,
  inventoryPositionSchema,
  invoiceSchema,
  newId,
  partySchema,
  purchaseOrderSchema,
  receiptSchema,
  type AdvanceShipNotice,
  type Invoice,
  type Receipt,
} from '@tradelane/canonical';
import { silentLog, type ConnectorInstance, type ErpChange } from '@tradelane/connector-kit';
import { PermanentError, systemClock, systemContext, TransientError } from '@tradelane/core';
import type { ErpSimCapability } from './erp-sim.client.js';
import { erpSimConnector } from './index.js';
import { partyIdOf, purchaseOrderIdOf } from './mappers/derived-id.js';
import { sampleOrder } from './sample-order.fixture.js';
import { startErpSim, type ErpSim } from './sim/erp-sim.server.js';

const ctx = systemContext('acme', 'purchasing-test');
let sim: ErpSim;
let erp: ConnectorInstance<ErpSimCapability>;

before(async () => {
  sim = await startErpSim({ port: 0, seed: 1 });
  erp = await erpSimConnector.instantiate({ clock: systemClock, log: silentLog }, { baseUrl: sim.url, timeoutMs: 1000, pageSize: 7 });
});
after(async () => {
  await erp.close();
  await sim.close();
});
beforeEach(async () => {
  await sim.reset();
});

async function changesSince(cursor: string | null): Promise<{ changes: ErpChange[]; cursor: string | null }> {
  const changes: ErpChange[] = [];
  let next = cursor;
  for (;;) {
    const page = await erp.erpChangeFeed.fetchChanges(ctx, { cursor: next, limit: 10 });
    if (page.nextCursor === null) return { changes, cursor: next };
    changes.push(...page.items);
    next = page.nextCursor;
  }
}

/** An approved buyer purchase order of supplier 5101 at M10: FAS-1001 10 BX, FAS-1002 4 BX. */
function approvedPo(): number {
  const { order } = sim.engine.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 4 }] });
  return sim.engine.purchasing.approvePurchaseOrder(order.DOCO).DOCO;
}

const supplier = { name: 'Midwest Fastener Corp.', address: { line1: '2750 S Kilbourn Ave', city: 'Chicago', country: 'US' } };

function shipNotice(poNumber: string, quantity: string, asnNumber = 'MF-SN-1'): AdvanceShipNotice {
  const now = new Date().toISOString();
  return advanceShipNoticeSchema.parse({
    schemaVersion: 1, id: newId('asn'), tenantId: 'acme', asnNumber, supplierId: partyIdOf('acme', 5101), purpose: 'original', shipFrom: supplier,
    shipToLocationId: 'M10', carrier: { code: 'FDEG' }, shippedAt: now,
    orders: [{ poNumber, packs: [{ sscc: '006141411234567890', packaging: 'pallet', items: [{ lineNumber: 1, sku: 'FAS-1001', quantity, unit: 'BX' }] }] }],
    receivedVia: 'edi', receivedAt: now, externalIds: {},
  });
}

function receiptOf(poNumber: string, quantity: string, asnId?: string): Receipt {
  return receiptSchema.parse({
    purchaseOrderId: purchaseOrderIdOf('acme', Number(poNumber)), poNumber, ...(asnId ? { asnId } : {}), locationId: 'M10', receivedAt: new Date().toISOString(),
    lines: [{ lineNumber: 1, sku: 'FAS-1001', quantity, unit: 'BX' }],
  });
}

function supplierInvoice(poNumber: string, unitPrice: string, invoiceNumber = 'MF-INV-1'): Invoice {
  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const amount = (Math.round(Number(unitPrice) * 800) / 100).toFixed(2);
  const now = new Date().toISOString();
  return invoiceSchema.parse({
    schemaVersion: 1, id: newId('inv'), tenantId: 'acme', direction: 'payable', invoiceNumber, kind: 'invoice', status: 'Received', partyId: partyIdOf('acme', 5101),
    billTo: { name: 'Tradelane Demo Distribution Co.', address: { line1: '233 S Wacker Dr', city: 'Chicago', country: 'US' } },
    orderRefs: [{ kind: 'purchase_order', poNumber }], shipmentIds: [], invoiceDate: now.slice(0, 10), dueDate: now.slice(0, 10), terms: { code: 'N30', netDays: 30 }, currency: 'USD',
    lines: [{ lineNumber: 1, orderLineNumber: 1, sku: 'FAS-1001', quantity: '8', unit: 'BX', unitPrice: usd(unitPrice), lineAmount: usd(amount) }],
    taxes: [], totals: { subtotal: usd(amount), tax: usd('0.00'), freight: usd('0.00'), total: usd(amount) }, amountDue: usd(amount),
    externalIds: {}, createdAt: now, updatedAt: now,
  });
}

describe('suppliers and purchase orders', () => {
  test('suppliers list as supplier parties; the customer list keeps to customers and ship-tos', async () => {
    const suppliers = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof erp.erpPurchasing.listSuppliers>> = await erp.erpPurchasing.listSuppliers(ctx, { cursor, limit: 4 });
      suppliers.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.equal(suppliers.length, 6);
    for (const s of suppliers) assert.equal(partySchema.parse(s).kind, 'supplier');
    const customers = (await erp.erpMasterData.listCustomers(ctx, { limit: 100 })).items;
    assert.deepEqual([...new Set(customers.map((p) => p.kind))].sort(), ['customer', 'ship_to']);
  });

  test('a backorder makes the ERP replenish: the purchase order arrives on the change feed, is found by number and pages in the list', async () => {
    const start = await changesSince(null);
    const order = sampleOrder('acme', [{ sku: 'FAS-1007', quantity: '4' }]);
    assert.equal((await erp.erpSalesOrders.commitOrder(ctx, order, order.id)).record.status, 'Backordered');
    const { changes } = await changesSince(start.cursor);
    assert.deepEqual(changes.map((c) => c.kind), ['order.updated', 'purchase_order.updated', 'inventory.changed']);
    const updated = changes[1]!;
    assert.ok(updated.kind === 'purchase_order.updated');
    const po = updated.purchaseOrder;
    purchaseOrderSchema.parse(po.purchaseOrder);
    assert.deepEqual([po.origin, po.status, po.purchaseOrder.status, po.purchaseOrder.channel, po.lines[0]!.sku, po.lines[0]!.warehouseId], ['replenishment', 'Approved', 'Approved', 'edi', 'FAS-1007', 'M10']);
    assert.equal(po.purchaseOrder.supplierId, partyIdOf('acme', 5101));
    const stock = changes[2]!;
    assert.ok(stock.kind === 'inventory.changed');
    const m10 = inventoryPositionSchema.parse(stock.positions.find((p) => p.locationId === 'M10'));
    assert.deepEqual(m10.inbound.map((i) => [i.source, i.purchaseOrderId, i.quantity]), [['po', po.purchaseOrder.id, String(Number(po.lines[0]!.quantityOrdered) * 100)]]);

    assert.deepEqual(await erp.erpPurchasing.findPurchaseOrder(ctx, po.poNumber), po);
    assert.equal(await erp.erpPurchasing.findPurchaseOrder(ctx, '999999'), null);
    assert.equal(await erp.erpPurchasing.findPurchaseOrder(ctx, 'PO-ABC'), null);

    sim.engine.purchasing.replenish({});
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof erp.erpPurchasing.listPurchaseOrders>> = await erp.erpPurchasing.listPurchaseOrders(ctx, { cursor, limit: 5 });
      for (const p of page.items) {
        assert.ok(!seen.has(p.poNumber), 'no purchase order twice');
        seen.add(p.poNumber);
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.equal(seen.size, sim.stats().purchaseOrders);
  });
});

describe('the supplier side written back', () => {
  test('acknowledgment, ship notice, receipt and supplier invoice with the match decision; retries are duplicates', async () => {
    const poNumber = String(approvedPo());
    const acked = await erp.erpPurchasing.applyAcknowledgment(ctx, poNumber, [
      { lineNumber: 1, action: 'change', quantity: '8', promisedDate: '2030-03-10' },
      { lineNumber: 2, action: 'reject', note: 'discontinued' },
    ]);
    assert.deepEqual(acked.lines.map((l) => [l.acknowledgment, l.quantityOrdered, l.quantityCancelled]), [['changed', '8', '0'], ['rejected', '4', '4']]);
    assert.equal(acked.lines[0]!.promisedDate, '2030-03-10');
    assert.equal(acked.status, 'Acknowledged');

    const notice = shipNotice(poNumber, '8');
    const shipped = await erp.erpPurchasing.recordExpectedReceipt(ctx, notice);
    assert.deepEqual([shipped.duplicate, shipped.record.status, shipped.record.poNumbers, shipped.record.asnNumber], [false, 'InTransit', [poNumber], 'MF-SN-1']);
    const again = await erp.erpPurchasing.recordExpectedReceipt(ctx, { ...notice, id: newId('asn') });
    assert.deepEqual([again.duplicate, again.record.erpNumber], [true, shipped.record.erpNumber], 'the same ship notice number of the supplier');
    assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.lines[0]!.quantityInTransit, '8');

    await assert.rejects(erp.erpPurchasing.recordReceipt(ctx, receiptOf(poNumber, '9'), 'rct_over'), (e: unknown) => {
      assert.ok(e instanceof PermanentError);
      assert.match(e.message, /RCV002 LINES\.0\.UREC: .*over-receipt is not allowed/);
      return true;
    });
    const sent = receiptOf(poNumber, '8', notice.id);
    const received = await erp.erpPurchasing.recordReceipt(ctx, sent, 'rct_1');
    assert.deepEqual([received.duplicate, received.record.reference, received.record.poNumber], [false, 'rct_1', poNumber]);
    assert.deepEqual(received.record.receipt, { ...sent, receivedAt: `${sent.receivedAt.slice(0, 19)}Z` }, 'the ERP keeps the time to the second');
    assert.equal((await erp.erpPurchasing.recordReceipt(ctx, sent, 'rct_1')).duplicate, true);
    assert.equal(sim.stats().receipts, 1);
    assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.status, 'Received');

    const invoice = supplierInvoice(poNumber, '4.1000');
    const recorded = await erp.erpPurchasing.recordSupplierInvoice(ctx, invoice);
    assert.deepEqual([recorded.duplicate, recorded.record.matchStatus, recorded.record.invoice.id, recorded.record.invoiceNumber], [false, 'Pending', invoice.id, 'MF-INV-1']);
    const resent = await erp.erpPurchasing.recordSupplierInvoice(ctx, { ...invoice, id: newId('inv') });
    assert.deepEqual([resent.duplicate, resent.record.erpVoucherNumber, resent.record.invoice.id], [true, recorded.record.erpVoucherNumber, invoice.id], 'a duplicate invoice number is reported, not stored twice');
    assert.deepEqual([sim.stats().vouchers, sim.stats().duplicateSupplierInvoices], [1, 1]);

    const disputed = await erp.erpPurchasing.setInvoiceMatchDecision(ctx, invoice.id, 'disputed', 'unit price 4.10 over PO price');
    assert.deepEqual([disputed.matchStatus, disputed.disputeReason, disputed.invoice.status], ['Disputed', 'unit price 4.10 over PO price', 'Disputed']);
    assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.purchaseOrder.status, 'Disputed');
    const approved = await erp.erpPurchasing.setInvoiceMatchDecision(ctx, recorded.record.erpVoucherNumber, 'approved');
    assert.deepEqual([approved.matchStatus, approved.invoice.status], ['Approved', 'Approved']);
    const closed = (await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!;
    assert.deepEqual([closed.status, closed.purchaseOrder.status, closed.lines[0]!.quantityInvoiced], ['Closed', 'Closed', '8']);
    await assert.rejects(erp.erpPurchasing.setInvoiceMatchDecision(ctx, invoice.id, 'disputed', 'too late'), (e: unknown) => e instanceof PermanentError && /AP003/.test(e.message));

    const { changes } = await changesSince(null);
    const invoices = changes.filter((c) => c.kind === 'supplier_invoice.recorded');
    assert.deepEqual(invoices.map((c) => c.kind === 'supplier_invoice.recorded' && c.supplierInvoice.matchStatus), ['Pending', 'Disputed', 'Approved']);
    const receipts = changes.filter((c) => c.kind === 'receipt.recorded');
    assert.ok(receipts.length === 1 && receipts[0]!.kind === 'receipt.recorded' && receipts[0]!.receipt.reference === 'rct_1');
  });

  test('unknown suppliers and invoices are permanent errors; a cancel ship notice withdraws the in-transit supply', async () => {
    const poNumber = String(approvedPo());
    const stranger = { ...shipNotice(poNumber, '1'), supplierId: partyIdOf('acme', 4242) };
    await assert.rejects(erp.erpPurchasing.recordExpectedReceipt(ctx, stranger), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_UNKNOWN_SUPPLIER');
    await assert.rejects(erp.erpPurchasing.setInvoiceMatchDecision(ctx, newId('inv'), 'approved'), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_UNKNOWN_SUPPLIER_INVOICE');
    await assert.rejects(erp.erpPurchasing.applyAcknowledgment(ctx, 'PO-1', [{ lineNumber: 1, action: 'accept' }]), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_BAD_NUMBER');
    await assert.rejects(erp.erpPurchasing.recordSupplierInvoice(ctx, { ...supplierInvoice(poNumber, '1.0000'), direction: 'receivable' }), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_NOT_PAYABLE');

    const notice = shipNotice(poNumber, '3', 'MF-SN-2');
    await erp.erpPurchasing.recordExpectedReceipt(ctx, notice);
    const cancelled = await erp.erpPurchasing.recordExpectedReceipt(ctx, { ...notice, purpose: 'cancel' });
    assert.deepEqual([cancelled.duplicate, cancelled.record.status], [false, 'Cancelled']);
    assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.lines[0]!.quantityInTransit, '0');
  });

  test('faults are transient; an invoice whose answer was lost is found as the duplicate on the retry', async () => {
    const poNumber = String(approvedPo());
    await sim.setFaults({ errorRate: 1 });
    await assert.rejects(erp.erpPurchasing.recordReceipt(ctx, receiptOf(poNumber, '1'), 'rct_fault'), (e: unknown) => e instanceof TransientError && e.code === 'TL_ERP_SIM_HTTP_500');
    await sim.setFaults({ errorRate: 0, commitThenTimeout: 1 });
    const invoice = supplierInvoice(poNumber, '1.0000', 'MF-LOST');
    await assert.rejects(erp.erpPurchasing.recordSupplierInvoice(ctx, invoice), (e: unknown) => e instanceof TransientError);
    await sim.clearFaults();
    const retry = await erp.erpPurchasing.recordSupplierInvoice(ctx, invoice);
    assert.deepEqual([retry.duplicate, retry.record.invoice.id, sim.stats().vouchers, sim.stats().receipts], [true, invoice.id, 1, 0]);
  });
});
