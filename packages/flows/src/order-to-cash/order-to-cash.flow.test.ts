import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrderSubmission, OrderView, TenantContext, TimelineEntry } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import { orderToCashHarness, type OrderToCashHarness } from './order-to-cash.fixture.js';

const CUSTOMERS = ['4242', '4243', '4245'];

function submission(po: string, lines: OrderSubmission['lines'], extra: Partial<OrderSubmission> = {}): OrderSubmission {
  return { customerPoNumber: po, lines, ...extra };
}

const smallLine = (sku = 'FAS-1001') => ({ sku, quantity: '2', unit: 'EA' });

async function views(h: OrderToCashHarness, placed: Array<{ ctx: TenantContext; id: string }>): Promise<OrderView[]> {
  const out: OrderView[] = [];
  for (const p of placed) {
    const v = await h.o2cStore.queries.getOrder(p.ctx, p.id);
    assert.ok(v, `order ${p.id} is visible to its customer`);
    out.push(v);
  }
  return out;
}

for (const target of databaseTargets()) {
  describe(`order-to-cash on ${target.name}`, () => {
    let h: OrderToCashHarness;
    before(async () => {
      h = await orderToCashHarness(await target.open());
    });
    after(async () => {
      await h.close();
      await h.db.close();
    });

    it('buffers 20 orders of 3 customers while the ERP is down, then commits each exactly once in submission order per customer', async () => {
      await h.sim.setFaults({ down: true });
      const placed: Array<{ ctx: TenantContext; id: string; account: string }> = [];
      for (let i = 0; i < 20; i += 1) {
        const account = CUSTOMERS[i % 3]!;
        const ctx = await h.customer(account);
        const view = await h.o2c.commands.submitOrder(ctx, submission(`PO-DOWN-${i}`, [smallLine(i % 2 ? 'FAS-1001' : 'FAS-1002')]));
        assert.equal(view.status, 'Received');
        assert.deepEqual(view.timeline.map((e) => e.status), ['Received']);
        placed.push({ ctx, id: view.id, account });
      }
      await h.settle();
      h.clock.advance(60_000);
      await h.settle();
      for (const v of await views(h, placed)) {
        assert.equal(v.orderNumber, undefined, 'nothing reaches the ERP while it is down');
        assert.ok(['Received', 'Accepted', 'OnHold'].includes(v.status), `still accepted, got ${v.status}`);
      }
      assert.equal(Object.keys(h.sim.stats().ordersByExternalRef).filter((r) => r.startsWith('so_')).length, 0);

      await h.sim.setFaults({ down: false });
      await h.settleUntil(async () => (await views(h, placed)).every((v) => v.orderNumber !== undefined));

      const stats = h.sim.stats();
      assert.deepEqual(stats.duplicateExternalRefs, []);
      for (const p of placed) assert.equal(stats.ordersByExternalRef[p.id], 1, `order ${p.id} is in the ERP exactly once`);
      const all = await views(h, placed);
      for (const account of CUSTOMERS) {
        const numbers = placed.map((p, i) => ({ p, v: all[i]! })).filter((x) => x.p.account === account).map((x) => Number(x.v.orderNumber));
        assert.deepEqual([...numbers].sort((a, b) => a - b), numbers, `customer ${account}: ERP order numbers follow submission order`);
      }
      const first = all[0]!;
      const statuses = first.timeline.map((e) => e.status);
      assert.deepEqual(statuses.slice(0, 4), ['Received', 'Accepted', 'Committed', 'Acknowledged']);
      assert.ok(statuses.includes('Allocated'));
      assert.equal(first.lines[0]!.quantityAllocated, '2');
    });

    it('commits exactly once when 30% of commits lose their answer', async () => {
      await h.sim.setFaults({ commitThenTimeout: 0.3 });
      const placed: Array<{ ctx: TenantContext; id: string }> = [];
      for (let i = 0; i < 20; i += 1) {
        const ctx = await h.customer(CUSTOMERS[i % 3]!);
        placed.push({ ctx, id: (await h.o2c.commands.submitOrder(ctx, submission(`PO-CTT-${i}`, [smallLine()]))).id });
      }
      await h.settleUntil(async () => (await views(h, placed)).every((v) => v.orderNumber !== undefined), { stepMs: 31_000 });
      const stats = h.sim.stats();
      assert.ok(stats.faults.commitThenTimeout > 0, 'the fault fired');
      assert.deepEqual(stats.duplicateExternalRefs, []);
      for (const p of placed) assert.equal(stats.ordersByExternalRef[p.id], 1);
      await h.sim.clearFaults();
    });

    it('rejects invalid orders with specific reasons on the timeline', async () => {
      const ctx = await h.customer('4242');
      const unknownItem = await h.o2c.commands.submitOrder(ctx, submission('PO-BAD-ITEM', [{ sku: 'NOPE-0000', quantity: '1', unit: 'EA' }]));
      const badShipTo = await h.o2c.commands.submitOrder(ctx, submission('PO-BAD-SHIPTO', [smallLine()], { shipTo: '14243' }));
      const badUnit = await h.o2c.commands.submitOrder(ctx, submission('PO-BAD-UNIT', [{ sku: 'FAS-1001', quantity: '1', unit: 'GAL' }]));
      await h.settle();
      const expect = async (id: string, pattern: RegExp) => {
        const v = await h.o2cStore.queries.getOrder(ctx, id);
        assert.equal(v?.status, 'Rejected');
        const rejected = v!.timeline.find((e) => e.status === 'Rejected');
        assert.match(rejected?.detail ?? '', pattern);
      };
      await expect(unknownItem.id, /line 1: item NOPE-0000 is unknown/);
      await expect(badShipTo.id, /ship-to 14243 does not belong to account 4242/);
      await expect(badUnit.id, /line 1: unit GAL is not sold for item FAS-1001/);
      assert.equal(h.sim.stats().ordersByExternalRef[unknownItem.id], undefined, 'a rejected order never reaches the ERP');
    });

    it('resolves customer part numbers and GTINs, applies the contract price and flags a different expected price', async () => {
      const ctx = await h.customer('4242');
      const { rows } = await h.db.query<{ sku: string; part: string; gtin: string }>(
        `SELECT i.sku, x.value->>'partNumber' AS part,
                (SELECT g.value->>'gtin' FROM jsonb_array_elements(i.doc->'crossReferences') g WHERE g.value->>'kind' = 'gtin' AND g.value->>'unit' = i.doc->>'baseUnit' LIMIT 1) AS gtin
           FROM tl_o2c_items i, jsonb_array_elements(i.doc->'crossReferences') x
          WHERE i.tenant_id = 'acme' AND x.value->>'kind' = 'customer_part' AND x.value->>'customerId' = $1 AND i.doc->>'status' = 'active'
          ORDER BY i.sku LIMIT 1`,
        [ctx.partnerId],
      );
      const ref = rows[0]!;
      const itemUnit = (await h.db.query<{ unit: string }>(`SELECT doc->>'baseUnit' AS unit FROM tl_o2c_items WHERE sku = $1`, [ref.sku])).rows[0]!.unit;
      const view = await h.o2c.commands.submitOrder(
        ctx,
        submission('PO-XREF', [
          { customerPartNumber: ref.part, quantity: '1', unit: itemUnit, expectedUnitPrice: '0.01' },
          { gtin: ref.gtin, quantity: '1', unit: itemUnit },
        ]),
      );
      await h.settleUntil(async () => (await h.o2cStore.queries.getOrder(ctx, view.id))?.orderNumber !== undefined);
      const v = (await h.o2cStore.queries.getOrder(ctx, view.id))!;
      assert.equal(v.lines[0]!.sku, ref.sku);
      assert.equal(v.lines[1]!.sku, ref.sku);
      assert.equal(v.lines[0]!.priceMismatch?.expected, '0.01');
      assert.ok(v.timeline.some((e) => e.status === 'PriceMismatch' && e.lineNumber === 1));
      assert.notEqual(v.status, 'Rejected');
    });

    it('keeps customers apart: a customer never sees another customer’s order', async () => {
      const a = await h.customer('4242');
      const b = await h.customer('4243');
      const order = await h.o2c.commands.submitOrder(a, submission('PO-ISOLATION', [smallLine()]));
      assert.equal(await h.o2cStore.queries.getOrder(b, order.id), null);
      const listB = await h.o2cStore.queries.listOrders(b, { limit: 500 });
      assert.ok(!listB.items.some((o) => o.id === order.id));
      const listA = await h.o2cStore.queries.listOrders(a, { q: 'PO-ISOLATION' });
      assert.deepEqual(listA.items.map((o) => o.id), [order.id]);
      const noPartner = { ...a, partnerId: undefined };
      assert.equal(await h.o2cStore.queries.getOrder(noPartner, order.id), null);
      await h.settle();
    });

    it('tells timeline watchers about entries after they commit', async () => {
      const ctx = await h.customer('4243');
      const order = await h.o2c.commands.submitOrder(ctx, submission('PO-WATCH', [smallLine()]));
      const seen: TimelineEntry[] = [];
      const stop = h.o2cStore.queries.watchTimeline(ctx, order.id, (e) => seen.push(e));
      const intruder: TimelineEntry[] = [];
      const stopIntruder = h.o2cStore.queries.watchTimeline(await h.customer('4242'), order.id, (e) => intruder.push(e));
      await new Promise((r) => setTimeout(r, 20));
      await h.settleUntil(async () => seen.some((e) => e.status === 'Committed'));
      stop();
      stopIntruder();
      assert.ok(seen.map((e) => e.status).includes('Accepted'));
      assert.deepEqual(intruder, []);
    });
  });
}
