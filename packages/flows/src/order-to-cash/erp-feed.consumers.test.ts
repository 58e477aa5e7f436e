import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseTargets } from '@tradelane/testkit';
import { orderToCashHarness, type OrderToCashHarness } from './order-to-cash.fixture.js';

for (const target of databaseTargets()) {
  describe(`order-to-cash after the commit, driven by the ERP change feed, on ${target.name}`, () => {
    let h: OrderToCashHarness;
    before(async () => {
      h = await orderToCashHarness(await target.open());
    });
    after(async () => {
      await h.close();
      await h.db.close();
    });

    async function poll(): Promise<number> {
      let total = 0;
      for (const poller of h.o2c.pollers) total += await poller.runOnce();
      await h.settle();
      return total;
    }

    it('takes one order through backorder, fill, ship confirm, invoice and payment, with the timeline in order', async () => {
      const ctx = await h.customer('4242');
      const placed = await h.o2c.commands.submitOrder(ctx, {
        customerPoNumber: 'PO-LIFE-1',
        lines: [
          { sku: 'FAS-1001', quantity: '2', unit: 'EA' },
          { sku: 'FAS-1007', quantity: '5', unit: 'EA' },
        ],
      });
      await h.settleUntil(async () => (await h.o2cStore.queries.getOrder(ctx, placed.id))?.orderNumber !== undefined);
      let view = (await h.o2cStore.queries.getOrder(ctx, placed.id))!;
      assert.equal(view.lines[1]!.quantityBackordered, '5');
      assert.ok(view.timeline.some((e) => e.status === 'Backordered' && e.lineNumber === 2));
      assert.ok(view.timeline.some((e) => e.status === 'BackorderExpected' && e.lineNumber === 2), 'validation predicted the backorder');

      await poll(); // catch up with everything the ERP did so far
      h.sim.receiveStock('FAS-1007', 'M10', 25);
      assert.ok((await poll()) > 0);
      view = (await h.o2cStore.queries.getOrder(ctx, placed.id))!;
      assert.equal(view.lines[1]!.quantityAllocated, '5');
      assert.ok(view.timeline.some((e) => e.status === 'Allocated' && e.lineNumber === 2), 'the filled backorder shows as allocated');

      const shippedAt = h.clock.now().toISOString();
      await h.erp.erpSalesOrders.confirmShipment(h.system, view.orderNumber!, {
        reference: 'shp_01JABCDEFGHJKMNPQRSTVWXYZ0',
        carrierCode: 'UPSN',
        trackingNumber: '1Z999AA10123456784',
        shippedAt,
        lines: [
          { lineNumber: 1, quantity: '2' },
          { lineNumber: 2, quantity: '5' },
        ],
      });
      await poll();
      const invoices = await h.o2cStore.queries.listInvoices(ctx, {});
      assert.equal(invoices.items.length, 1);
      const invoice = invoices.items[0]!;
      assert.equal(invoice.orderId, placed.id);
      assert.equal((await h.o2cStore.queries.getInvoice(ctx, invoice.id))?.invoiceNumber, invoice.invoiceNumber);
      assert.equal(await h.o2cStore.queries.getInvoice(await h.customer('4243'), invoice.id), null, 'another customer cannot read it');
      const balance = await h.o2cStore.queries.getBalance(ctx);
      assert.equal(balance.balance, invoice.openAmount.amount);
      assert.equal(balance.aging.current, invoice.openAmount.amount);

      h.sim.postPayment({ DOC: Number(invoice.invoiceNumber), PAAP: invoice.openAmount.amount, CKNU: 'CHK-1', PYIN: 'C' } as never);
      await poll();
      assert.equal((await h.o2cStore.queries.getInvoice(ctx, invoice.id))?.status, 'Paid');
      assert.equal((await h.o2cStore.queries.getBalance(ctx)).balance, '0.00');
      view = (await h.o2cStore.queries.getOrder(ctx, placed.id))!;
      assert.equal(view.status, 'Closed', 'the ERP closes a fully shipped and paid order');
      const statuses = view.timeline.map((e) => e.status);
      const order = ['Received', 'Accepted', 'Committed', 'Acknowledged', 'Backordered', 'Invoiced', 'Paid'];
      let last = -1;
      for (const s of order) {
        const at = statuses.indexOf(s, last + 1);
        assert.ok(at > last, `${s} follows in ${statuses.join(' → ')}`);
        last = at;
      }
      assert.equal(new Set(view.timeline.map((e) => e.seq)).size, view.timeline.length);
    });

    it('takes a return from request through ERP authorization and receipt to its credit memo', async () => {
      const ctx = await h.customer('4242');
      const [summary] = (await h.o2cStore.queries.listOrders(ctx, { q: 'PO-LIFE-1' })).items;
      const requested = await h.o2c.commands.requestReturn(ctx, { orderId: summary!.id, reason: 'two boxes arrived crushed', lines: [{ lineNumber: 1, quantity: '1', reasonCode: 'damaged_in_transit' }] });
      assert.equal(requested.status, 'Requested');
      await h.settle();
      let rma = (await h.o2cStore.queries.getReturn(ctx, requested.id))!;
      assert.equal(rma.status, 'Authorized');
      assert.ok(rma.rmaNumber);
      assert.equal(await h.o2cStore.queries.getReturn(await h.customer('4243'), requested.id), null);
      await h.o2c.receiveReturn(h.system, requested.id);
      await poll();
      rma = (await h.o2cStore.queries.getReturn(ctx, requested.id))!;
      assert.equal(rma.status, 'Credited');
      assert.ok(rma.creditMemoId);
      assert.deepEqual(rma.timeline.map((e) => e.status), ['ReturnRequested', 'ReturnAuthorized', 'ReturnReceived', 'Credited']);
      const memo = await h.o2cStore.queries.getInvoice(ctx, rma.creditMemoId!);
      assert.equal(memo?.kind, 'credit_memo');
    });

    it('applies every change once: polling again changes nothing', async () => {
      const ctx = await h.customer('4242');
      const before = await h.o2cStore.queries.listOrders(ctx, {});
      const timelineSizes = await Promise.all(before.items.map(async (o) => (await h.o2cStore.queries.getOrder(ctx, o.id))!.timeline.length));
      assert.equal(await poll(), 0);
      const after = await Promise.all(before.items.map(async (o) => (await h.o2cStore.queries.getOrder(ctx, o.id))!.timeline.length));
      assert.deepEqual(after, timelineSizes);
    });

    it('searches items with the customer’s price and availability', async () => {
      const ctx = await h.customer('4242');
      const page = await h.o2cStore.queries.searchItems(ctx, { q: 'FAS-100', limit: 5 });
      assert.ok(page.items.length > 0);
      assert.ok(page.items.some((i) => i.priceSource === 'contract'));
      for (const i of page.items) assert.ok(!Number.isNaN(Date.parse(i.asOf)));
      assert.deepEqual((await h.o2cStore.queries.searchItems({ ...ctx, partnerId: undefined }, {})).items, []);
    });

    it('resolves hashed API keys to the customer, shown once', async () => {
      const ctx = await h.customer('4243');
      const created = await h.o2cStore.apiKeys.createApiKey(h.system, { partnerId: ctx.partnerId!, scopes: ['orders:read', 'orders:write'] });
      const { rows } = await h.db.query<{ key_hash: string }>('SELECT key_hash FROM tl_o2c_api_keys WHERE id = $1', [created.id]);
      assert.notEqual(rows[0]!.key_hash, created.apiKey);
      const resolved = await h.o2cStore.apiKeys.resolve(created.apiKey, 'corr-1');
      assert.equal(resolved?.partnerId, ctx.partnerId);
      assert.equal(resolved?.tenantId, 'acme');
      assert.deepEqual(resolved?.scopes, ['orders:read', 'orders:write']);
      assert.equal(await h.o2cStore.apiKeys.resolve(`${created.apiKey}x`, 'corr-2'), null);
      assert.equal(await h.o2cStore.apiKeys.revokeApiKey(h.system, created.id), true);
      assert.equal(await h.o2cStore.apiKeys.resolve(created.apiKey, 'corr-3'), null);
    });
  });
}
