import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderView, TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore } from '../store.js';
import { ctxFor } from '../store.fixture.js';
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
