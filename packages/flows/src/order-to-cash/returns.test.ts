import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, type Invoice } from '@tradelane/canonical';
import type { ErpChange, ErpReturns } from '@tradelane/connector-kit';
import type { OrderView, TenantContext } from '@tradelane/core';
import { createOrderToCashStore, createStore, type Database, type OrderToCashStore } from '@tradelane/store';
import { databaseTargets, manualClock } from '@tradelane/testkit';
import { createCircuitBreaker } from './circuit-breaker.js';
import { applyErpChange, type ErpChangeData } from './erp-feed.consumers.js';
import { erpReceivable, TENANT } from './order-to-cash.fixture.js';
import { createReturns, RETURN_REQUESTED, type ReturnRequestedData } from './returns.js';


/** A receivable invoice or credit memo due on the first of the month. */
const erpDocument = (kind: Invoice['kind'], id: string, number: string, orderId: string, total: string, open: string): Invoice =>
  erpReceivable(id, number, orderId, total, open, { kind, dueDate: '2026-12-01' });

for (const target of databaseTargets()) {
  describe(`returns: receipt and credit memo on the order's timeline in cause order, on ${target.name}`, () => {
    let db: Database;
    let o2c: OrderToCashStore;
    const clock = manualClock(new Date('2026-12-01T12:00:00.000Z'));
    const system: TenantContext = { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, scopes: ['*'], correlationId: 'corr-returns' };
    const customer: TenantContext = { ...system, partnerId: 'pty_01JZRETURNSCUSTOMER0000001', actor: { kind: 'client', id: 'key-1' } };
    /** What the fake ERP does when a receipt is recorded, before it answers. */
    let onReceipt: (erpReturnNumber: string) => Promise<void> = async () => {};
    const erpReturns: ErpReturns = {
      async requestReturn(_ctx, rma, reference) {
        return { record: { reference, erpReturnNumber: `RMA-${rma.id.slice(-4)}`, status: 'Authorized' }, duplicate: false };
      },
      async receiveReturn(_ctx, erpReturnNumber) {
        await onReceipt(erpReturnNumber);
        return { reference: erpReturnNumber, erpReturnNumber, status: 'Received' };
      },
    };
    let returns: ReturnType<typeof createReturns>;

    before(async () => {
      db = await target.open();
      o2c = createOrderToCashStore(createStore(db, { clock }));
      returns = createReturns({ transactions: o2c.transactions, erpReturns, erpBreaker: createCircuitBreaker({ name: 'erp', clock }), clock });
    });
    after(() => db.close());

    const apply = (change: ErpChange) =>
      o2c.transactions.transaction((tx) =>
        applyErpChange(system, makeEvent<ErpChangeData>({ type: 'erp.change', source: '/test', tenantId: TENANT, data: { change }, dataVersion: 1, correlationId: 'corr-returns' }), tx),
      );
    const creditMemo = (returnId: string, orderId: string, suffix: string): ErpChange => ({
      kind: 'credit_memo.issued',
      invoice: erpDocument('credit_memo', `inv_01JZRETURNSMEMO00000000${suffix}`, `CN-${suffix}`, orderId, '25.00', '25.00'),
      returnReference: returnId,
      at: '2026-12-01T12:00:05.000Z',
      changeId: `memo-${suffix}`,
    });

    /** A committed, shipped order of the customer; its invoice of 37.50 paid in full. */
    async function paidOrder(suffix: string): Promise<string> {
      const id = `so_01JZRETURNSORDER00000000${suffix}`;
      const view: OrderView = {
        id,
        customerPoNumber: `PO-${suffix}`,
        orderNumber: `SO-${suffix}`,
        status: 'Shipped',
        orderedAt: '2026-12-01T10:00:00.000Z',
        shipTo: { name: 'Main' },
        lines: [{ lineNumber: 1, sku: 'TL-1001', quantity: '3', unit: 'EA', unitPrice: { amount: '12.50', currency: 'USD' }, status: 'Shipped', quantityAllocated: '3', quantityBackordered: '0', quantityShipped: '3' }],
        shipments: [],
        total: { amount: '37.50', currency: 'USD' },
        timeline: [],
      };
      await o2c.repos.orders.insert(system, { id, partnerId: customer.partnerId!, submission: { customerPoNumber: view.customerPoNumber, lines: [] }, view });
      const invoice = erpDocument('invoice', `inv_01JZRETURNSINVOICE000000${suffix}`, `INV-${suffix}`, id, '37.50', '0.00');
      await apply({ kind: 'invoice.issued', invoice, orderReference: id, at: '2026-12-01T11:00:00.000Z', changeId: `invoice-${suffix}` });
      return id;
    }

    /** A return of two of the order's three, authorised by the ERP. */
    async function authorizedReturn(orderId: string): Promise<string> {
      const requested = await returns.requestReturn(customer, { orderId, reason: 'two arrived damaged', lines: [{ lineNumber: 1, quantity: '2', reasonCode: 'damaged_in_transit' }] });
      const event = makeEvent<ReturnRequestedData>({ type: RETURN_REQUESTED, source: '/test', tenantId: TENANT, data: { returnId: requested.id, orderId, partnerId: customer.partnerId! }, dataVersion: 1, correlationId: 'corr-returns' });
      await o2c.transactions.transaction((tx) => returns.authorize(system, event, tx));
      assert.equal((await o2c.queries.getReturn(customer, requested.id))?.status, 'Authorized');
      return requested.id;
    }

    const statuses = async (returnId: string) => (await o2c.queries.getReturn(customer, returnId))!.timeline.map((e) => [e.source, e.status]);
    const inCauseOrder = [
      ['customer', 'ReturnRequested'],
      ['erp', 'ReturnAuthorized'],
      ['wms', 'ReturnReceived'],
      ['erp', 'Credited'],
    ];

    it('the credit memo applied before the receipt commits: ReturnReceived still reads before Credited, once', async () => {
      const orderId = await paidOrder('01');
      const returnId = await authorizedReturn(orderId);
      // The ERP issues the credit memo on the receipt, and the change feed applies it before the receipt's own write.
      onReceipt = async () => apply(creditMemo(returnId, orderId, '01'));
      const received = await returns.receiveReturn(system, returnId);
      onReceipt = async () => {};
      assert.equal(received.status, 'Credited', 'the receipt finds the return credited already and leaves it so');
      assert.deepEqual(await statuses(returnId), inCauseOrder);
      const rma = (await o2c.queries.getReturn(customer, returnId))!;
      assert.equal(rma.status, 'Credited');
      assert.equal(rma.creditMemoId, 'inv_01JZRETURNSMEMO0000000001');
      await apply(creditMemo(returnId, orderId, '01')); // redelivered
      assert.deepEqual(await statuses(returnId), inCauseOrder);
    });

    it('the credit memo after the receipt: the same timeline, the receipt written by the receipt', async () => {
      const orderId = await paidOrder('02');
      const returnId = await authorizedReturn(orderId);
      const received = await returns.receiveReturn(system, returnId);
      assert.equal(received.status, 'Received');
      await apply(creditMemo(returnId, orderId, '02'));
      await apply(creditMemo(returnId, orderId, '02'));
      assert.deepEqual(await statuses(returnId), inCauseOrder);
      const receipt = (await o2c.queries.getReturn(customer, returnId))!.timeline.find((e) => e.status === 'ReturnReceived')!;
      assert.equal(receipt.at, clock.now().toISOString(), 'the hub’s receipt time');
    });

    it('a 25.00 credit memo on a paid invoice leaves the customer 25.00 in credit for each return', async () => {
      const memo = await o2c.queries.getInvoice(customer, 'inv_01JZRETURNSMEMO0000000001');
      assert.deepEqual([memo?.kind, memo?.status, memo?.total.amount, memo?.openAmount.amount], ['credit_memo', 'Issued', '25.00', '25.00']);
      const balance = await o2c.queries.getBalance(customer);
      assert.equal(balance.balance, '-50.00', 'two paid invoices, two credit memos of 25.00');
      assert.equal(balance.aging.current, '-50.00');
    });

    it('a credit memo for a return the ERP never authorised credits it without claiming a receipt', async () => {
      const orderId = await paidOrder('03');
      const requested = await returns.requestReturn(customer, { orderId, reason: 'not wanted', lines: [{ lineNumber: 1, quantity: '1', reasonCode: 'other' }] });
      await apply(creditMemo(requested.id, orderId, '03'));
      assert.deepEqual(await statuses(requested.id), [
        ['customer', 'ReturnRequested'],
        ['erp', 'Credited'],
      ]);
    });
  });
}
