import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectorContract, type ErpChange } from '@tradelane/connector-kit';
import { PermanentError, TransientError } from '@tradelane/core';
import { trytonConfigSchema, trytonConnector } from './index.js';
import { sampleOrder } from './sample-order.fixture.js';
import { trytonSuite } from './tryton.test-support.js';

trytonSuite({ title: 'Tryton connector against a real trytond', name: 'tryton-test' }, ({ tryton, rpc, ctx, config, instance, readFeed }) => {
  connectorContract(trytonConnector, {
    config: () => trytonConfigSchema.parse(config()),
    badConfig: { config: { url: 'ftp://erp.example', database: 'x', user: 'admin', password: 'secret' }, field: 'url' },
    sampleOrder: () => sampleOrder('contract-test', [{ sku: 'TL-1001', quantity: '2' }]),
    makeUnreachable: async () => {
      await tryton().stop();
      return async () => {
        await tryton().start();
      };
    },
  });

  describe('master data from the seeded database', () => {
    test('customers, items with units, list prices, stock per warehouse and credit', async () => {
      const erp = await instance();
      try {
        const parties = (await erp.erpMasterData.listCustomers(ctx, { limit: 50 })).items;
        const customers = parties.filter((p) => p.kind === 'customer');
        assert.deepEqual(customers.map((c) => c.code).sort(), ['C1001', 'C1002']);
        const shipTos = parties.filter((p) => p.kind === 'ship_to');
        assert.equal(shipTos.length, 2, 'one ship-to per customer address');
        assert.ok(shipTos.every((s) => s.kind === 'ship_to' && customers.some((c) => c.id === s.parentPartyId && s.code.startsWith(`${c.code}-`))));
        const acme = customers.find((c) => c.code === 'C1001')!;
        assert.equal(acme.kind, 'customer');
        assert.equal(acme.address.city, 'Chicago');
        assert.equal(acme.address.country, 'US');
        assert.equal(acme.kind === 'customer' && acme.paymentTerms?.netDays, 30);
        const items = (await erp.erpMasterData.listItems(ctx, { limit: 2 }));
        assert.equal(items.items.length, 2);
        assert.ok(items.nextCursor);
        const rest = await erp.erpMasterData.listItems(ctx, { cursor: items.nextCursor, limit: 10 });
        const all = [...items.items, ...rest.items];
        assert.deepEqual(all.map((i) => i.sku), ['TL-1001', 'TL-1002', 'TL-2001', 'TL-3001']);
        assert.equal(all.find((i) => i.sku === 'TL-2001')!.baseUnit, 'KG');
        const prices = (await erp.erpMasterData.listPrices(ctx, { limit: 10 })).items;
        assert.equal(prices.find((p) => p.sku === 'TL-1001')!.tiers[0]!.unitPrice.amount, '12.50');
        const stock = (await erp.erpMasterData.listInventory(ctx, { limit: 10 })).items;
        const bolts = stock.find((s) => s.sku === 'TL-1001')!;
        assert.ok(Number(bolts.onHand) >= 400, `on hand ${bolts.onHand}`);
        assert.equal(stock.find((s) => s.sku === 'TL-3001')!.onHand, '0');
        const credit = await erp.erpMasterData.getCustomerCredit(ctx, 'C1001');
        assert.equal(credit.currency, 'USD');
        assert.equal(credit.onHold, false);
        await assert.rejects(erp.erpMasterData.getCustomerCredit(ctx, 'NOPE'), (e: unknown) => e instanceof PermanentError);
      } finally {
        await erp.close();
      }
    });
  });

  describe('sales orders', () => {
    test('a committed order is confirmed and processed in Tryton, priced from the list price', async () => {
      const erp = await instance();
      try {
        const order = sampleOrder('acme', [{ sku: 'TL-1002', quantity: '10' }, { sku: 'TL-2001', quantity: '2.5', unit: 'KG' }]);
        const { record, duplicate } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
        assert.equal(duplicate, false);
        assert.equal(record.reference, order.id);
        assert.match(record.erpOrderNumber, /\S/);
        assert.ok(['Released', 'Entered'].includes(record.status), record.status);
        assert.deepEqual(record.lines.map((l) => [l.sku, l.quantity, l.unit, l.unitPrice]), [['TL-1002', '10', 'EA', '4.20'], ['TL-2001', '2.5', 'KG', '9.80']]);
        assert.equal(record.total, '66.50');
      } finally {
        await erp.close();
      }
    });

    test('change and cancel work on quotations; a processed sale refuses them with a permanent error', async () => {
      const erp = await instance({ commitState: 'quotation' });
      const confirmed = await instance();
      try {
        const order = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '3' }]);
        const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
        const changed = await erp.erpSalesOrders.changeOrder(ctx, record.erpOrderNumber, { lines: [{ lineNumber: 1, quantity: '5' }] });
        assert.equal(changed.lines[0]!.quantity, '5');
        const cancelled = await erp.erpSalesOrders.cancelOrder(ctx, record.erpOrderNumber, 'customer asked');
        assert.equal(cancelled.status, 'Cancelled');
        const other = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '1' }]);
        const done = (await confirmed.erpSalesOrders.commitOrder(ctx, other, other.id)).record;
        await assert.rejects(confirmed.erpSalesOrders.changeOrder(ctx, done.erpOrderNumber, { lines: [{ lineNumber: 1, quantity: '2' }] }), (e: unknown) => e instanceof PermanentError);
      } finally {
        await erp.close();
        await confirmed.close();
      }
    });

    test('confirmShipment ships the open customer shipment once (idempotent on the shipment reference)', async () => {
      const erp = await instance();
      try {
        const order = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '4' }]);
        const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
        const shipment = { reference: `shp_${order.id.slice(3)}`, carrierCode: 'UPS', trackingNumber: '1Z999', shippedAt: new Date().toISOString(), lines: [{ lineNumber: 1, quantity: '4' }] };
        const shipped = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, shipment);
        assert.equal(shipped.lines[0]!.quantityShipped, '4');
        assert.ok(['Shipped', 'Invoiced', 'Closed'].includes(shipped.status), shipped.status);
        const again = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, shipment);
        assert.equal(again.lines[0]!.quantityShipped, '4');
      } finally {
        await erp.close();
      }
    });
  });

  describe('exactly once under commit-then-timeout', () => {
    const countSales = async (reference: string) => (await rpc().call<number[]>(ctx, 'model.sale.sale.search', [[['reference', '=', reference]], 0, null, null])).length;

    test('the create succeeds but its answer is lost: committing again finds the sale, flagged duplicate, one sale in Tryton', async () => {
      const erp = await instance();
      const realFetch = globalThis.fetch;
      let lost = 0;
      globalThis.fetch = async (input, init) => {
        const res = await realFetch(input, init);
        if (lost === 0 && typeof init?.body === 'string' && init.body.includes('"model.sale.sale.create"')) {
          lost += 1;
          await res.text();
          throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
        }
        return res;
      };
      try {
        const order = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '1' }]);
        await assert.rejects(erp.erpSalesOrders.commitOrder(ctx, order, order.id), (e: unknown) => e instanceof TransientError);
        assert.equal(lost, 1);
        assert.equal(await countSales(order.id), 1, 'the lost create did happen');
        globalThis.fetch = realFetch;
        // a restarted worker: a fresh instance with no memory of the first attempt
        const fresh = await instance();
        try {
          const again = await fresh.erpSalesOrders.commitOrder(ctx, order, order.id);
          assert.equal(again.duplicate, true);
          assert.equal(again.record.reference, order.id);
          assert.notEqual(again.record.status, 'Entered', 'the retry finished what the lost attempt started (quote, confirm)');
          const third = await fresh.erpSalesOrders.commitOrder(ctx, order, order.id);
          assert.equal(third.record.erpOrderNumber, again.record.erpOrderNumber);
        } finally {
          await fresh.close();
        }
        assert.equal(await countSales(order.id), 1, 'still exactly one sale');
      } finally {
        globalThis.fetch = realFetch;
        await erp.close();
      }
    });
  });

  describe('change feed on write_date', () => {
    test('records sharing a write_date are each returned once, across pages and a restart, with a limit of 1', async () => {
      const erp = await instance();
      try {
        // drain what exists so far and keep the cursor (as the hub stores it)
        let cursor: string | null = null;
        for (;;) {
          const page = await erp.erpChangeFeed.fetchChanges(ctx, { cursor, limit: 100 });
          cursor = page.nextCursor;
          if (page.items.length === 0) break;
        }
        const [party] = await rpc().call<number[]>(ctx, 'model.party.party.search', [[['code', '=', 'C1002']], 0, 1, null]);
        const refs = [1, 2, 3, 4].map((i) => `so_feed${Date.now().toString(36)}${i}`);
        // one create call: one transaction, one create_date for all four
        const ids = await rpc().call<number[]>(ctx, 'model.sale.sale.create', [refs.map((reference) => ({ party, reference }))]);
        const first = await readFeed(erp, cursor, 1, 50);
        const refsOf = (changes: ErpChange[]) => changes.map((c) => (c.kind === 'order.updated' ? c.order.reference : '?'));
        assert.deepEqual(refsOf(first.changes), refs, 'each of the four once, in id order');
        const stamps = new Set(first.changes.map((c) => c.at));
        assert.equal(stamps.size, 1, 'they share one timestamp');

        // one write call on three of them: again one write_date; a restarted reader resumes from the stored cursor
        await rpc().call(ctx, 'model.sale.sale.write', [ids.slice(0, 3), { description: 'changed together' }]);
        const restarted = await instance();
        try {
          const second = await readFeed(restarted, first.cursor, 2, 10);
          assert.deepEqual(refsOf(second.changes), refs.slice(0, 3), 'the three written, once each, nothing else');
          assert.equal(new Set(second.changes.map((c) => c.changeId)).size, 3);
          const idle = await restarted.erpChangeFeed.fetchChanges(ctx, { cursor: second.cursor, limit: 10 });
          assert.deepEqual(idle.items, []);
          assert.equal(idle.nextCursor, second.cursor, 'an empty page keeps the position');
        } finally {
          await restarted.close();
        }
      } finally {
        await erp.close();
      }
    });

    test('a change younger than settleMs waits for the next poll', async () => {
      const erp = await instance({ settleMs: 60_000 });
      try {
        const [party] = await rpc().call<number[]>(ctx, 'model.party.party.search', [[['code', '=', 'C1002']], 0, 1, null]);
        const reference = `so_settle${Date.now().toString(36)}`;
        await rpc().call(ctx, 'model.sale.sale.create', [[{ party, reference }]]);
        const all: ErpChange[] = [];
        let cursor: string | null = null;
        for (;;) {
          const page = await erp.erpChangeFeed.fetchChanges(ctx, { cursor, limit: 100 });
          if (page.items.length === 0) break;
          all.push(...page.items);
          cursor = page.nextCursor;
        }
        assert.ok(!all.some((c) => c.kind === 'order.updated' && c.order.reference === reference));
      } finally {
        await erp.close();
      }
    });
  });
});
