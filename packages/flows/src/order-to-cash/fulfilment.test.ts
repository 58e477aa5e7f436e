import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrderView, TimelineEntry } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import { orderToCashHarness, type OrderToCashHarness } from './order-to-cash.fixture.js';

for (const target of databaseTargets()) {
  describe(`order-to-cash fulfilment with the warehouse and two carriers, on ${target.name}`, () => {
    let h: OrderToCashHarness;
    before(async () => {
      // One order line per shipment, so an order with two lines in stock leaves in two shipments.
      h = await orderToCashHarness(await target.open(), { fulfilment: { maxLinesPerLpn: 1, maxLinesPerShipment: 1 } });
    });
    after(async () => {
      await h.close();
      await h.db.close();
    });

    /** Reads every feed, delivers every event, and lets retry timers pass until `done`. */
    async function until(ctx: Parameters<OrderToCashHarness['o2cStore']['queries']['getOrder']>[0], orderId: string, done: (v: OrderView) => boolean): Promise<OrderView> {
      for (let round = 0; round < 40; round += 1) {
        for (const poller of h.o2c.pollers) await poller.runOnce();
        await h.settle();
        const view = (await h.o2cStore.queries.getOrder(ctx, orderId))!;
        if (done(view)) return view;
        h.clock.advance(31_000);
      }
      const view = (await h.o2cStore.queries.getOrder(ctx, orderId))!;
      assert.fail(`condition not reached; timeline: ${view.timeline.map((e) => e.status).join(' → ')}`);
    }

    const since = (timeline: TimelineEntry[], seq: number) => timeline.filter((e) => e.seq > seq);
    const brief = (e: TimelineEntry) => `${e.source}:${e.status}${e.lineNumber ? `:${e.lineNumber}` : ''}`;

    it('takes an order through release, a split shipment, a backorder shipped later, delivery with POD, invoices, payment and a return', async () => {
      const ctx = await h.customer('4242');
      const placed = await h.o2c.commands.submitOrder(ctx, {
        customerPoNumber: 'PO-FULL-LIFE',
        lines: [
          { sku: 'FAS-1001', quantity: '2', unit: 'EA' },
          { sku: 'FAS-1007', quantity: '5', unit: 'EA' },
          { sku: 'FAS-1002', quantity: '3', unit: 'EA' },
        ],
      });

      // Commit, acknowledgment, allocation and backorder per line, and the release of what is in stock.
      let view = await until(ctx, placed.id, (v) => v.timeline.some((e) => e.source === 'hub' && e.status === 'Released'));
      assert.deepEqual(view.timeline.map(brief), [
        'hub:Received',
        'hub:Accepted',
        'hub:BackorderExpected:2',
        'erp:Committed',
        'erp:Acknowledged',
        'erp:Allocated:1',
        'erp:Backordered:2',
        'erp:Allocated:3',
        'erp:Released',
        'hub:Released',
      ]);
      assert.match(view.timeline[9]!.detail, /^released to warehouse M10 as \S+: line 1 × 2 EA, line 3 × 3 EA$/);
      let seen = view.timeline.length;

      // The warehouse picks, packs and ships the two lines in stock as two shipments; the ERP confirms and invoices each.
      await h.wms!.advance(undefined, { toEnd: true });
      view = await until(ctx, placed.id, (v) => v.timeline.filter((e) => e.status === 'Invoiced').length === 2);
      const shipped = since(view.timeline, seen);
      assert.deepEqual(
        shipped.filter((e) => e.source === 'wms').map((e) => e.status),
        ['Released', 'Picked', 'Packed', 'Shipped', 'Shipped'],
      );
      assert.match(shipped.find((e) => e.source === 'wms')!.detail, /picking wave \S+ planned in M10/);
      assert.equal(view.shipments.length, 2, 'a split shipment');
      assert.deepEqual(view.shipments.map((s) => s.lines.map((l) => `${l.lineNumber}×${l.quantity}`).join()).sort(), ['1×2', '3×3']);
      assert.ok(view.shipments.every((s) => s.carrierCode === 'PRCL' && s.trackingNumber.length > 0));
      assert.equal(shipped.filter((e) => e.status === 'ShipConfirmed').length, 2, 'each shipment confirmed in the ERP');
      assert.equal(view.status, 'PartiallyShipped', 'shipped and invoiced what was in stock; the backordered line is still open');
      assert.deepEqual(view.lines.map((l) => [l.lineNumber, l.status, l.quantityShipped]), [
        [1, 'Shipped', '2'],
        [2, 'Backordered', '0'],
        [3, 'Shipped', '3'],
      ]);
      seen = view.timeline.length;

      // The carrier moves both parcels to delivered, with proof of delivery.
      h.carriers!.parcelo.advance(undefined, { toEnd: true });
      view = await until(ctx, placed.id, (v) => v.shipments.every((s) => s.status === 'Delivered'));
      const tracked = since(view.timeline, seen);
      assert.ok(tracked.every((e) => e.source === 'carrier' && e.shipmentId));
      for (const s of view.shipments) {
        const statuses = view.timeline.filter((e) => e.source === 'carrier' && e.shipmentId === s.shipmentId).map((e) => e.status);
        assert.equal(statuses[0], 'InfoReceived');
        assert.ok(statuses.includes('InTransit'));
        assert.equal(statuses.at(-1), 'Delivered');
        assert.ok(s.proofOfDelivery?.signedBy, 'proof of delivery');
        assert.ok(s.deliveredAt);
      }
      assert.match(tracked.find((e) => e.status === 'Delivered')!.detail, /^PRCL \S+: delivered, signed by .+/);
      seen = view.timeline.length;

      // Stock arrives for the backorder: the ERP allocates and releases it, the hub releases it to the warehouse, and it
      // ships later, with the other carrier.
      h.wms!.configure({ defaultCarrier: 'FRLK' });
      h.sim.receiveStock('FAS-1007', 'M10', 25);
      view = await until(ctx, placed.id, (v) => v.timeline.some((e) => e.seq > seen && e.source === 'hub' && e.status === 'Released'));
      assert.deepEqual(since(view.timeline, seen).map(brief), ['erp:Allocated:2', 'hub:Released']);
      assert.match(since(view.timeline, seen)[1]!.detail, /line 2 × 5 EA$/);
      seen = view.timeline.length;
      await h.wms!.advance(undefined, { toEnd: true });
      view = await until(ctx, placed.id, (v) => v.shipments.length === 3 && v.timeline.filter((e) => e.status === 'Invoiced').length === 3);
      assert.equal(view.shipments[2]!.carrierCode, 'FRLK');
      assert.deepEqual(view.lines.map((l) => l.status), ['Shipped', 'Shipped', 'Shipped']);
      h.carriers!.freightLink.advance(undefined, { toEnd: true });
      view = await until(ctx, placed.id, (v) => v.shipments.every((s) => s.status === 'Delivered'));
      assert.ok(view.timeline.some((e) => e.source === 'carrier' && e.status === 'Delivered' && e.detail.startsWith('FRLK ')));
      seen = view.timeline.length;

      // The customer pays every invoice.
      const invoices = (await h.o2cStore.queries.listInvoices(ctx, {})).items.filter((i) => i.orderId === placed.id);
      assert.equal(invoices.length, 3);
      for (const invoice of invoices) h.sim.postPayment({ DOC: Number(invoice.invoiceNumber), PAAP: invoice.openAmount.amount, CKNU: `CHK-${invoice.invoiceNumber}`, PYIN: 'C' } as never);
      view = await until(ctx, placed.id, (v) => v.status === 'Closed');
      // The ERP reports the closing of the order and the last payment in its own order.
      assert.deepEqual(since(view.timeline, seen).map((e) => e.status).sort(), ['Closed', 'Paid', 'Paid', 'Paid']);
      seen = view.timeline.length;

      // A return of one damaged unit: authorised by the ERP, received, credited.
      const requested = await h.o2c.commands.requestReturn(ctx, { orderId: placed.id, reason: 'one box crushed', lines: [{ lineNumber: 1, quantity: '1', reasonCode: 'damaged_in_transit' }] });
      await until(ctx, placed.id, (v) => v.timeline.some((e) => e.status === 'ReturnAuthorized'));
      await h.o2c.receiveReturn(h.system, requested.id);
      view = await until(ctx, placed.id, (v) => v.timeline.some((e) => e.status === 'Credited'));
      assert.deepEqual(since(view.timeline, seen).map(brief), ['customer:ReturnRequested', 'erp:ReturnAuthorized', 'wms:ReturnReceived', 'erp:Credited']);

      // The whole timeline, entry by entry (the harness drives the feeds in a fixed order, so it is deterministic).
      const parcel = ['carrier:InTransit', 'carrier:InTransit', 'carrier:InTransit', 'carrier:OutForDelivery', 'carrier:Delivered'];
      assert.deepEqual(view.timeline.map(brief), [
        'hub:Received', 'hub:Accepted', 'hub:BackorderExpected:2', 'erp:Committed', 'erp:Acknowledged',
        'erp:Allocated:1', 'erp:Backordered:2', 'erp:Allocated:3', 'erp:Released', 'hub:Released',
        'wms:Released', 'wms:Picked', 'wms:Packed', 'wms:Shipped', 'wms:Shipped', 'carrier:InfoReceived', 'carrier:InfoReceived',
        'erp:ShipConfirmed', 'erp:ShipConfirmed', 'erp:Invoiced', 'erp:Invoiced',
        ...parcel, ...parcel,
        'erp:Allocated:2', 'hub:Released', 'wms:Released', 'wms:Picked', 'wms:Packed', 'wms:Shipped', 'carrier:InfoReceived',
        'erp:ShipConfirmed', 'erp:Invoiced', 'carrier:InTransit', 'carrier:InTransit', 'carrier:OutForDelivery', 'carrier:Delivered',
        'erp:Paid', 'erp:Paid', 'erp:Closed', 'erp:Paid',
        'customer:ReturnRequested', 'erp:ReturnAuthorized', 'wms:ReturnReceived', 'erp:Credited',
      ]);
      assert.ok(view.timeline.every((e, i) => i === 0 || e.seq > view.timeline[i - 1]!.seq));
      // Every fact landed once; the ERP holds one order with three shipments.
      assert.equal(new Set(view.timeline.map((e) => e.seq)).size, view.timeline.length);
      const erpOrder = await h.erp.erpSalesOrders.findOrder(h.system, placed.id);
      assert.deepEqual(erpOrder?.lines.map((l) => l.quantityShipped), ['2', '5', '3']);
      const releases = await h.o2cStore.transactions.transaction((tx) => tx.orderToCash.fulfilment.releasesOf(h.system, placed.id));
      assert.deepEqual(releases.map((r) => r.reference), [`${placed.id}-R1`, `${placed.id}-R2`]);
    });

    it('applies nothing twice: reading every feed again changes no order', async () => {
      const ctx = await h.customer('4242');
      const [summary] = (await h.o2cStore.queries.listOrders(ctx, { q: 'PO-FULL-LIFE' })).items;
      const before = (await h.o2cStore.queries.getOrder(ctx, summary!.id))!;
      for (const poller of h.o2c.pollers) await poller.runOnce();
      await h.settle();
      assert.deepEqual(await h.o2cStore.queries.getOrder(ctx, summary!.id), before);
    });
  });
}
