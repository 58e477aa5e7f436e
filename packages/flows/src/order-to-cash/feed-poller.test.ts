import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InventoryPosition } from '@tradelane/canonical';
import type { ErpChange, Page } from '@tradelane/connector-kit';
import { databaseTargets } from '@tradelane/testkit';
import { createOrderToCashStore, createStore, type Database } from '@tradelane/store';
import { createFeedPoller } from './feed-poller.js';
import { foldInventoryChanges, foldPurchaseOrderSnapshots } from './order-to-cash.js';

const TENANT = 'acme';

function position(sku: string, location: string, onHand: string): InventoryPosition {
  return {
    schemaVersion: 1,
    tenantId: TENANT,
    itemId: `itm_${sku.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    sku,
    locationId: location,
    unit: 'EA',
    onHand,
    allocated: '0',
    available: onHand,
    inbound: [],
    asOf: '2026-12-01T10:00:00.000Z',
  } as InventoryPosition;
}

function stock(changeId: string, ...positions: InventoryPosition[]): ErpChange {
  return { kind: 'inventory.changed', positions, at: '2026-12-01T10:00:00.000Z', changeId };
}

function purchaseOrder(changeId: string, poNumber: string): ErpChange {
  return { kind: 'purchase_order.updated', purchaseOrder: { poNumber } as never, at: '2026-12-01T10:00:00.000Z', changeId };
}

describe('folding the inventory changes of a page', () => {
  it('keeps one change, at the place of the last one, with the latest position per item and location', () => {
    const page: Page<ErpChange> = {
      items: [
        stock('1', position('FAS-1001', 'M10', '5'), position('FAS-1002', 'M10', '7')),
        purchaseOrder('2', '9001'),
        stock('3', position('FAS-1001', 'M10', '3'), position('FAS-1001', 'M20', '1')),
        purchaseOrder('4', '9002'),
        stock('5', position('FAS-1002', 'M10', '0')),
      ],
      nextCursor: '5',
    };
    const folded = foldInventoryChanges(page);
    assert.deepEqual(
      folded.items.map((c) => `${c.kind}:${c.changeId}`),
      ['purchase_order.updated:2', 'purchase_order.updated:4', 'inventory.changed:5'],
    );
    const last = folded.items[2] as Extract<ErpChange, { kind: 'inventory.changed' }>;
    assert.deepEqual(
      last.positions.map((p) => `${p.sku}@${p.locationId}=${p.onHand}`).sort(),
      ['FAS-1001@M10=3', 'FAS-1001@M20=1', 'FAS-1002@M10=0'],
    );
    assert.equal(folded.nextCursor, '5');
  });

  it('leaves a page with at most one inventory change as it is', () => {
    const page: Page<ErpChange> = { items: [purchaseOrder('1', '9001'), stock('2', position('FAS-1001', 'M10', '5'))], nextCursor: null };
    assert.equal(foldInventoryChanges(page), page);
  });
});

describe('folding the purchase order snapshots of a page', () => {
  it('keeps the last snapshot of each purchase order at its place, and every other change', () => {
    const receipt: ErpChange = { kind: 'receipt.recorded', receipt: { poNumber: '9001' } as never, at: '2026-12-01T10:00:00.000Z', changeId: '3' };
    const page: Page<ErpChange> = {
      items: [purchaseOrder('1', '9001'), purchaseOrder('2', '9002'), receipt, purchaseOrder('4', '9001'), stock('5', position('FAS-1001', 'M10', '5')), purchaseOrder('6', '9001')],
      nextCursor: '6',
    };
    const folded = foldPurchaseOrderSnapshots(page);
    assert.deepEqual(
      folded.items.map((c) => `${c.kind}:${c.changeId}`),
      ['purchase_order.updated:2', 'receipt.recorded:3', 'inventory.changed:5', 'purchase_order.updated:6'],
    );
    assert.equal(folded.nextCursor, '6', 'the cursor still moves past every change read');
  });

  it('leaves a page with one snapshot per purchase order as it is', () => {
    const page: Page<ErpChange> = { items: [purchaseOrder('1', '9001'), purchaseOrder('2', '9002')], nextCursor: null };
    assert.equal(foldPurchaseOrderSnapshots(page), page);
  });
});

for (const target of databaseTargets()) {
  describe(`the feed poller's sequences, on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    it('puts each item in its sequence (the feed by default) and moves the cursor once per page', async () => {
      const o2c = createOrderToCashStore(createStore(db));
      const items = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, group: i % 2 === 0 ? undefined : `g${id}` }));
      const poller = createFeedPoller<{ id: string; group: string | undefined }>({
        name: 'test-feed',
        tenantIds: [TENANT],
        transactions: o2c.transactions,
        fetch: async (_ctx, page) => {
          const from = page.cursor ? Number(page.cursor) : 0;
          const slice = items.slice(from, from + (page.limit ?? 100));
          return { items: slice, nextCursor: slice.length > 0 ? String(from + slice.length) : null };
        },
        toEvent: (item) => ({ type: 'test_feed.changed', data: { id: item.id }, subject: item.id }),
        sequenceOf: (item) => item.group,
        pageSize: 3,
      });
      assert.equal(await poller.runOnce(), 4);
      const { rows } = await db.query<{ aggregate_type: string; aggregate_id: string; subject: string }>(
        `SELECT aggregate_type, aggregate_id, envelope->>'subject' AS subject FROM tl_outbox WHERE event_type = 'test_feed.changed' ORDER BY seq`,
      );
      assert.deepEqual(
        rows.map((r) => `${r.subject}:${r.aggregate_type}/${r.aggregate_id}`),
        ['a:feed/test-feed', 'b:feed/test-feed/gb', 'c:feed/test-feed', 'd:feed/test-feed/gd'],
      );
      assert.equal(await poller.runOnce(), 0, 'nothing read twice');
    });
  });
}
