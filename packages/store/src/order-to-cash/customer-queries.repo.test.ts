import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InvoiceView, OrderView, TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore } from '../store.js';
import { ctxFor, manualClock } from '../store.fixture.js';
import { createOrderToCashStore, type OrderToCashStore } from './order-to-cash.store.js';

const acme = ctxFor('acme');
const alice: TenantContext = { ...acme, partnerId: 'cus_alice' };
const bob: TenantContext = { ...acme, partnerId: 'cus_bob' };

function view(id: string): OrderView {
  return {
    id,
    customerPoNumber: `PO-${id}`,
    status: 'Received',
    orderedAt: '2026-03-01T10:00:00.000Z',
    shipTo: { code: 'MAIN', name: 'Main' },
    lines: [{ lineNumber: 1, sku: 'FAS-1001', quantity: '10', unit: 'EA', unitPrice: { amount: '4.25', currency: 'USD' }, status: 'Open', quantityAllocated: '0', quantityBackordered: '0', quantityShipped: '0' }],
    shipments: [],
    total: { amount: '0', currency: 'USD' },
    timeline: [],
  };
}

for (const target of databaseTargets()) {
  describe(`customer order read on ${target.name}`, () => {
    let db: Database;
    let o2c: OrderToCashStore;
    before(async () => {
      db = await target.open();
      o2c = createOrderToCashStore(createStore(db));
    });
    after(() => db.close());

    test('getOrder answers the order with its timeline in sequence (the same as the timeline read), only to its partner', async () => {
      const id = 'so_01JZQUERY0000000000000000A';
      await o2c.repos.orders.insert(acme, { id, partnerId: 'cus_alice', submission: { customerPoNumber: `PO-${id}`, lines: [] }, view: view(id) });
      const empty = await o2c.queries.getOrder(alice, id);
      assert.deepEqual(empty, view(id), 'no entries: an empty timeline');
      await o2c.repos.orders.appendTimeline(acme, id, [
        { key: 'received', status: 'Received', at: '2026-03-01T10:00:00.000Z', source: 'hub', detail: 'Order received' },
        { key: 'accepted', status: 'Accepted', at: '2026-03-01T10:00:01.000Z', source: 'erp', detail: 'Accepted as 100042' },
      ]);
      await o2c.repos.orders.appendTimeline(acme, id, [{ key: 'allocated-1', status: 'Allocated', at: '2026-03-01T10:00:02.000Z', source: 'erp', detail: 'Line 1 allocated', lineNumber: 1 }]);
      const order = await o2c.queries.getOrder(alice, id);
      const timeline = await o2c.repos.orders.timeline(acme, id);
      assert.equal(timeline.length, 3);
      assert.deepEqual(order, { ...view(id), timeline });
      assert.deepEqual(order!.timeline.map((e) => [e.seq, e.status]), timeline.map((e) => [e.seq, e.status]));
      assert.ok(order!.timeline.every((e, i, all) => i === 0 || e.seq > all[i - 1]!.seq), 'in sequence');
      assert.equal(await o2c.queries.getOrder(bob, id), null, 'another partner does not see it');
      assert.equal(await o2c.queries.getOrder(ctxFor('other'), id), null, 'no partner, another tenant: nothing');
      assert.equal(await o2c.queries.getOrder({ ...ctxFor('other'), partnerId: 'cus_alice' }, id), null, 'the same partner id in another tenant: nothing');
      assert.equal(await o2c.queries.getOrder(alice, 'so_01JZQUERY0000000000000000Z'), null);
    });
  });
}

function invoice(id: string, kind: InvoiceView['kind'], total: string, open: string, dueDate: string): InvoiceView {
  return {
    id,
    invoiceNumber: `N-${id.slice(-4)}`,
    kind,
    status: open === '0.00' ? 'Paid' : 'Issued',
    invoiceDate: '2026-03-01',
    dueDate,
    total: { amount: total, currency: 'USD' },
    openAmount: { amount: open, currency: 'USD' },
    lines: [],
  };
}

for (const target of databaseTargets()) {
  describe(`customer invoices and balance on ${target.name}`, () => {
    let db: Database;
    let o2c: OrderToCashStore;
    before(async () => {
      db = await target.open();
      o2c = createOrderToCashStore(createStore(db, { clock: manualClock(new Date('2026-04-15T12:00:00.000Z')) }));
    });
    after(() => db.close());

    test('a credit memo takes off the balance: a 25.00 credit on a paid invoice is a balance of -25.00, in two decimals', async () => {
      const carol: TenantContext = { ...acme, partnerId: 'cus_carol' };
      assert.deepEqual((await o2c.queries.getBalance(carol)).balance, '0.00', 'nothing yet');
      await o2c.repos.invoices.upsert(acme, 'cus_carol', invoice('inv_01JZBALANCE000000000000001', 'invoice', '37.50', '0.00', '2026-04-30'));
      await o2c.repos.invoices.upsert(acme, 'cus_carol', invoice('inv_01JZBALANCE000000000000002', 'credit_memo', '25.00', '25.00', '2026-04-10'));
      const balance = await o2c.queries.getBalance(carol);
      assert.equal(balance.balance, '-25.00');
      assert.equal(balance.currency, 'USD');
      assert.deepEqual(balance.aging, { current: '0.00', days1to30: '-25.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' }, 'the credit counts in the bucket of its due date');
    });

    test('open invoices add up, open credit memos take off, buckets add up to the balance, every figure in two decimals', async () => {
      const dave: TenantContext = { ...acme, partnerId: 'cus_dave' };
      await o2c.repos.invoices.upsert(acme, 'cus_dave', invoice('inv_01JZBALANCE000000000000011', 'invoice', '37.50', '25', '2026-04-30'));
      await o2c.repos.invoices.upsert(acme, 'cus_dave', invoice('inv_01JZBALANCE000000000000012', 'invoice', '100.00', '12.5', '2026-01-01'));
      await o2c.repos.invoices.upsert(acme, 'cus_dave', invoice('inv_01JZBALANCE000000000000013', 'credit_memo', '10.00', '10.00', '2026-04-15'));
      await o2c.repos.invoices.upsert(acme, 'cus_dave', invoice('inv_01JZBALANCE000000000000014', 'credit_memo', '5.00', '0.00', '2026-04-15'));
      const balance = await o2c.queries.getBalance(dave);
      assert.equal(balance.balance, '27.50', '25 + 12.50 - 10 (the used-up credit counts nothing)');
      assert.deepEqual(balance.aging, { current: '15.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '12.50' });
      assert.deepEqual((await o2c.queries.getBalance(alice)).balance, '0.00', 'another customer owes nothing');
    });

    test('the customer reads an invoice without the hub’s settlement bookkeeping', async () => {
      const erin: TenantContext = { ...acme, partnerId: 'cus_erin' };
      const id = 'inv_01JZBALANCE000000000000021';
      const view = invoice(id, 'invoice', '37.50', '25.00', '2026-04-30');
      await o2c.repos.invoices.upsert(acme, 'cus_erin', { ...view, settlement: { snapshotAt: '2026-04-01T00:00:00.000Z', erpOpenAmount: '37.50', payments: { pay_1: '12.50' } } });
      assert.deepEqual(await o2c.queries.getInvoice(erin, id), view);
      assert.deepEqual((await o2c.queries.listInvoices(erin, {})).items, [view]);
      assert.deepEqual((await o2c.repos.invoices.find(acme, id))?.invoice.settlement?.payments, { pay_1: '12.50' }, 'the process still reads it');
    });
  });
}
