import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryPositionSchema, invoiceSchema, itemSchema, newId, partySchema, paymentSchema, priceSchema, returnAuthorizationSchema, type ReturnAuthorization } from '@tradelane/canonical';
import { silentLog, type ConnectorInstance, type ErpChange } from '@tradelane/connector-kit';
import { InputError, PermanentError, systemClock, systemContext, TransientError } from '@tradelane/core';
import type { ErpSimCapability } from './erp-sim.client.js';
import { erpSimConnector } from './index.js';
import { itemIdOf, partyIdOf } from './mappers/derived-id.js';
import { sampleOrder } from './sample-order.fixture.js';
import { startErpSim, type ErpSim } from './sim/erp-sim.server.js';

const ctx = systemContext('acme', 'client-test');
const deps = { clock: systemClock, log: silentLog };
let sim: ErpSim;
let erp: ConnectorInstance<ErpSimCapability>;

before(async () => {
  sim = await startErpSim({ port: 0, seed: 1 });
  erp = await erpSimConnector.instantiate(deps, { baseUrl: sim.url, timeoutMs: 1000, pageSize: 7 });
});
after(async () => {
  await erp.close();
  await sim.close();
});
beforeEach(async () => {
  await sim.reset();
  sim.engine.settings.releaseMode = 'auto';
});

async function allPages<T>(read: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await read(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

async function changesSince(cursor: string | null): Promise<{ changes: ErpChange[]; cursor: string | null }> {
  const changes: ErpChange[] = [];
  let next = cursor;
  for (;;) {
    const page = await erp.erpChangeFeed.fetchChanges(ctx, { cursor: next, limit: 5 });
    if (page.nextCursor === null) return { changes, cursor: next };
    changes.push(...page.items);
    next = page.nextCursor;
  }
}

describe('configuration', () => {
  test('bad configuration names each field', async () => {
    await assert.rejects(erpSimConnector.instantiate(deps, { baseUrl: 'http://x', timeoutMs: 5, company: 'ACME', extra: 1 }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      const fields = (e.details?.errors as Array<{ path: string }>).map((x) => x.path).sort();
      assert.deepEqual(fields, ['(root)', 'company', 'timeoutMs']);
      return true;
    });
  });
});

describe('master data', () => {
  test('customers with ship-tos, items, prices and inventory page through as valid canonical documents', async () => {
    const parties = await allPages((cursor) => erp.erpMasterData.listCustomers(ctx, { cursor, limit: 3 }));
    assert.equal(parties.length, 11);
    for (const p of parties) partySchema.parse(p);
    assert.equal(parties.filter((p) => p.kind === 'customer').length, 4);
    const items = await allPages((cursor) => erp.erpMasterData.listItems(ctx, { cursor }));
    assert.equal(items.length, 60);
    for (const i of items) itemSchema.parse(i);
    const prices = await allPages((cursor) => erp.erpMasterData.listPrices(ctx, { cursor, limit: 50 }));
    for (const p of prices) priceSchema.parse(p);
    assert.ok(prices.some((p) => p.kind === 'contract'));
    const positions = await allPages((cursor) => erp.erpMasterData.listInventory(ctx, { cursor, limit: 40 }));
    assert.equal(positions.length, 120);
    for (const p of positions) inventoryPositionSchema.parse(p);
    assert.equal(positions[0]!.itemId, itemIdOf('acme', 'FAS-1001'));
  });

  test('credit standing by party id or address number', async () => {
    const held = await erp.erpMasterData.getCustomerCredit(ctx, partyIdOf('acme', 4244));
    assert.equal(held.onHold, true);
    assert.equal(held.holdReason, 'Past-due balance over 90 days');
    assert.equal(held.currency, 'USD');
    const fine = await erp.erpMasterData.getCustomerCredit(ctx, '4242');
    assert.deepEqual([fine.onHold, fine.exposure], [false, '0.00']);
    await assert.rejects(erp.erpMasterData.getCustomerCredit(ctx, partyIdOf('acme', 9999)), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_UNKNOWN_CUSTOMER');
  });
});

describe('sales orders', () => {
  test('commit resolves customer, ship-to and items (by SKU, customer part number or item id); holds are return values', async () => {
    const items = sim.engine.listItems({ max: 100 }).ROWS;
    const part = items.flatMap((i) => i.XREF).find((x) => x.XRT === 'C' && x.AN8 === 4242)!.CITM;
    const order = sampleOrder('acme', [{ sku: 'PLB-1001', quantity: '1', unit: 'CS' }, { customerPartNumber: part, quantity: '1' }, { sku: 'FAS-1002', quantity: '3' }], { shan: 24242 });
    delete order.lines[2]!.sku;
    order.lines[2]!.itemId = itemIdOf('acme', 'FAS-1002');
    const { record, duplicate } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
    assert.equal(duplicate, false);
    assert.equal(record.status, 'Released');
    assert.deepEqual(record.lines.map((l) => [l.lineNumber, l.unit, l.quantityAllocated]), [[1, 'CS', '1'], [2, 'EA', '1'], [3, 'EA', '3']]);
    assert.equal(sim.engine.getOrder(Number(record.erpOrderNumber)).SHAN, 24242);

    const held = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '1' }], { an8: 4244, shan: 14244 });
    const onHold = await erp.erpSalesOrders.commitOrder(ctx, held, held.id);
    assert.equal(onHold.record.status, 'OnHold');
    assert.match(onHold.record.holdReason ?? '', /C1/);
    const backordered = sampleOrder('acme', [{ sku: 'FAS-1007', quantity: '4' }]);
    assert.equal((await erp.erpSalesOrders.commitOrder(ctx, backordered, backordered.id)).record.status, 'Backordered');
  });

  test('validation refusals are permanent with the simulator message; faults are transient', async () => {
    const bad = sampleOrder('acme', [{ sku: 'NOPE-1', quantity: '1' }]);
    await assert.rejects(erp.erpSalesOrders.commitOrder(ctx, bad, bad.id), (e: unknown) => {
      assert.ok(e instanceof PermanentError);
      assert.equal(e.code, 'TL_ERP_SIM_HTTP_422');
      assert.match(e.message, /ITM001 LINES\.0\.LITM: item NOPE-1 is not in the item master/);
      return true;
    });
    const kg = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '1', unit: 'KG' }]);
    await assert.rejects(erp.erpSalesOrders.commitOrder(ctx, kg, kg.id), /ITM003/);
    const stranger = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '1' }], { an8: 7777 });
    await assert.rejects(erp.erpSalesOrders.commitOrder(ctx, stranger, stranger.id), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_UNKNOWN_CUSTOMER');

    await sim.setFaults({ maintenanceUntil: new Date(Date.now() + 60_000).toISOString() });
    await assert.rejects(erp.erpSalesOrders.findOrder(ctx, 'so_x'), (e: unknown) => e instanceof TransientError && e.retryAfterMs === 60_000 && e.code === 'TL_ERP_SIM_HTTP_503');
    await sim.setFaults({ maintenanceUntil: null, errorRate: 1 });
    await assert.rejects(erp.erpSalesOrders.findOrder(ctx, 'so_x'), (e: unknown) => e instanceof TransientError && e.code === 'TL_ERP_SIM_HTTP_500');
    await sim.setFaults({ errorRate: 0, slowMs: 1500 });
    await assert.rejects(erp.erpSalesOrders.findOrder(ctx, 'so_x'), (e: unknown) => e instanceof TransientError && /timed out/.test(e.message));
    await sim.clearFaults();
    assert.deepEqual(await erp.health(), { ok: true });
  });

  test('change and cancel before release; refused (permanent) after; partial ship confirm, idempotent on the shipment', async () => {
    sim.engine.settings.releaseMode = 'manual';
    const order = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '10' }, { sku: 'FAS-1002', quantity: '5' }]);
    const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
    assert.equal(record.status, 'Allocated');
    const changed = await erp.erpSalesOrders.changeOrder(ctx, record.erpOrderNumber, { lines: [{ lineNumber: 1, quantity: '8' }] });
    assert.equal(changed.lines[0]!.quantity, '8');
    assert.equal(changed.lines[0]!.quantityAllocated, '8');

    sim.releaseOrder(Number(record.erpOrderNumber));
    await assert.rejects(erp.erpSalesOrders.changeOrder(ctx, record.erpOrderNumber, { lines: [{ lineNumber: 1, quantity: '2' }] }), (e: unknown) => e instanceof PermanentError && /STS001/.test(e.message));
    await assert.rejects(erp.erpSalesOrders.cancelOrder(ctx, record.erpOrderNumber, 'too late'), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_SIM_HTTP_409');

    const shipment = { reference: newId('shp'), carrierCode: 'UPSN', trackingNumber: '1Z999AA10123456784', shippedAt: '2025-03-01T14:05:00Z', lines: [{ lineNumber: 1, quantity: '3' }] };
    const partly = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, shipment);
    assert.equal(partly.status, 'PartiallyShipped');
    assert.equal(partly.lines[0]!.quantityShipped, '3');
    const again = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, shipment);
    assert.equal(again.lines[0]!.quantityShipped, '3', 'the same shipment is recorded once');
    assert.equal(sim.engine.getOrder(Number(record.erpOrderNumber)).SHIPMENTS[0]!.SHPJ, 125060);

    const other = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '1' }]);
    const open = await erp.erpSalesOrders.commitOrder(ctx, other, other.id);
    const cancelled = await erp.erpSalesOrders.cancelOrder(ctx, open.record.erpOrderNumber, 'customer request');
    assert.equal(cancelled.status, 'Cancelled');
    assert.equal(sim.engine.getOrder(Number(open.record.erpOrderNumber)).RSTX, 'customer request');
    await assert.rejects(erp.erpSalesOrders.cancelOrder(ctx, 'SO-1', 'x'), (e: unknown) => e instanceof PermanentError);
  });
});

describe('change feed and returns', () => {
  test('order updates, invoices, payments, credit memos and inventory arrive in order with valid documents', async () => {
    const start = await changesSince(null);
    assert.deepEqual(start.changes, []);
    const order = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '4' }]);
    const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
    const shipmentId = newId('shp');
    await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, {
      reference: shipmentId, carrierCode: 'FDEG', trackingNumber: 'T-1', shippedAt: new Date().toISOString(), lines: [{ lineNumber: 1, quantity: '4' }],
    });
    const first = await changesSince(start.cursor);
    assert.deepEqual(first.changes.map((c) => c.kind), ['order.updated', 'inventory.changed', 'order.updated', 'inventory.changed', 'invoice.issued']);
    const issued = first.changes[4]!;
    assert.ok(issued.kind === 'invoice.issued');
    invoiceSchema.parse(issued.invoice);
    assert.equal(issued.orderReference, order.id);
    assert.deepEqual(issued.invoice.shipmentIds, [shipmentId]);
    const shipped = first.changes[2]!;
    assert.ok(shipped.kind === 'order.updated' && shipped.order.status === 'Invoiced');

    sim.postPayment({ DOC: Number(issued.invoice.invoiceNumber), PAAP: issued.invoice.totals.total.amount });
    const rma: ReturnAuthorization = returnAuthorizationSchema.parse({
      schemaVersion: 1, id: newId('rma'), tenantId: 'acme', rmaNumber: 'RMA-1', customerId: partyIdOf('acme', 4242), status: 'Requested',
      requestedAt: new Date().toISOString(), returnToLocationId: 'M10', currency: 'USD',
      lines: [{ lineNumber: 1, salesOrderId: order.id, salesOrderLineNumber: 1, sku: 'FAS-1001', quantity: '2', unit: 'EA', reasonCode: 'defective' }],
      externalIds: {}, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
    });
    const requested = await erp.erpReturns.requestReturn(ctx, rma, rma.id);
    assert.deepEqual([requested.duplicate, requested.record.status], [false, 'Authorized']);
    const repeated = await erp.erpReturns.requestReturn(ctx, rma, rma.id);
    assert.deepEqual([repeated.duplicate, repeated.record.erpReturnNumber], [true, requested.record.erpReturnNumber]);
    const tooMany = { ...rma, id: newId('rma'), lines: [{ ...rma.lines[0]!, quantity: '3' }] };
    assert.equal((await erp.erpReturns.requestReturn(ctx, tooMany, tooMany.id)).record.status, 'Rejected');
    const credited = await erp.erpReturns.receiveReturn(ctx, requested.record.erpReturnNumber, [{ lineNumber: 1, quantity: '2' }]);
    assert.equal(credited.status, 'Credited');
    assert.ok(credited.creditMemoNumber);

    const second = await changesSince(first.cursor);
    assert.deepEqual(second.changes.map((c) => c.kind), ['order.updated', 'payment.received', 'inventory.changed', 'credit_memo.issued']);
    const [closed, paid, , memo] = second.changes;
    assert.ok(closed!.kind === 'order.updated' && closed!.order.status === 'Closed');
    assert.ok(paid!.kind === 'payment.received');
    paymentSchema.parse(paid!.payment);
    assert.ok(memo!.kind === 'credit_memo.issued');
    assert.equal(memo!.invoice.kind, 'credit_memo');
    assert.equal(memo!.returnReference, rma.id);
    assert.equal(memo!.invoice.invoiceNumber, credited.creditMemoNumber);
    assert.deepEqual((await erp.erpChangeFeed.fetchChanges(ctx, { cursor: second.cursor })).items, []);
    await assert.rejects(erp.erpChangeFeed.fetchChanges(ctx, { cursor: 'abc' }), PermanentError);
  });
});
