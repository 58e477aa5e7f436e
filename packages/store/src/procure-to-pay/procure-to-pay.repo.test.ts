import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExceptionView, StoredPurchaseOrder } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore, type Store } from '../store.js';
import { ctxFor } from '../store.fixture.js';
import { createProcureToPayStore, type ProcureToPayStore } from './procure-to-pay.store.js';

const a = ctxFor('t_p2p_a');
const b = ctxFor('t_p2p_b');

function po(id: string, poNumber: string, supplierId: string, updatedAt: string, awaiting = true): StoredPurchaseOrder {
  return {
    id,
    poNumber,
    supplierId,
    warehouseId: 'M10',
    erpRevision: 0,
    erpStatus: 'Approved',
    shipped: {},
    counters: 0,
    reminderAt: '2030-01-02T00:00:00.000Z',
    reminderSent: false,
    view: {
      id,
      poNumber,
      status: 'New',
      revision: 0,
      awaitingAcknowledgment: awaiting,
      acknowledgmentDueBy: '2030-01-03T00:00:00.000Z',
      orderDate: '2030-01-01',
      shipTo: { code: 'M10', name: 'Chicago' },
      currency: 'USD',
      total: { amount: '10.00', currency: 'USD' },
      lines: [{ lineNumber: 1, sku: 'SKU-1', quantity: '10', unit: 'EA', unitPrice: { amount: '1.0000', currency: 'USD' }, requestedDate: '2030-01-05', status: 'Open', quantityShipped: '0', quantityReceived: '0' }],
      updatedAt,
    },
  };
}

function exception(id: string, createdAt: string, dueAt: string, type: ExceptionView['type'] = 'invoice_dispute'): ExceptionView {
  return {
    id,
    type,
    ownerRole: type === 'invoice_dispute' ? 'finance' : 'buyer',
    status: 'Open',
    subject: { kind: 'supplier_invoice', id: `inv-${id}` },
    summary: id,
    evidence: {},
    actions: ['approve_variance'],
    sla: { dueAt, state: 'ok' },
    createdAt,
    history: [],
  };
}

for (const target of databaseTargets()) {
  describe(`procure-to-pay repositories on ${target.name}`, () => {
    let db: Database;
    let store: Store;
    let p2p: ProcureToPayStore;
    before(async () => {
      db = await target.open();
      store = createStore(db);
      p2p = createProcureToPayStore(store);
    });
    after(async () => {
      await db.close();
    });

    it('keeps purchase orders per tenant and supplier, pages them by last change and finds those awaiting acknowledgment', async () => {
      const r = p2p.repos.purchaseOrders;
      await r.upsert(a, po('po_1', '1001', 'pty_s1', '2030-01-01T10:00:00.000Z'));
      await r.upsert(a, po('po_2', '1002', 'pty_s1', '2030-01-01T11:00:00.000Z', false));
      await r.upsert(a, po('po_3', '1003', 'pty_s2', '2030-01-01T12:00:00.000Z'));
      await r.upsert(b, po('po_1', '1001', 'pty_s1', '2030-01-01T10:00:00.000Z'));
      assert.equal((await r.get(a, '1002'))?.id, 'po_2');
      assert.equal((await r.get(a, 'po_3'))?.supplierId, 'pty_s2');
      assert.equal(await r.get(b, 'po_2'), undefined, 'another tenant does not see it');
      const first = await r.list(a, 'pty_s1', { limit: 1 });
      assert.deepEqual(first.items.map((p) => p.id), ['po_1']);
      const second = await r.list(a, 'pty_s1', { limit: 1, cursor: first.nextCursor! });
      assert.deepEqual([second.items.map((p) => p.id), second.nextCursor], [['po_2'], null]);
      assert.deepEqual((await r.list(a, 'pty_s1', { awaitingAcknowledgment: true })).items.map((p) => p.id), ['po_1']);
      assert.deepEqual((await r.list(a, 'pty_s1', { updatedSince: '2030-01-01T10:30:00.000Z' })).items.map((p) => p.id), ['po_2']);
      assert.deepEqual((await r.listAwaitingAcknowledgment(a, new Date('2030-01-01T23:00:00Z'), 10)).map((p) => p.id), []);
      assert.deepEqual((await r.listAwaitingAcknowledgment(a, new Date('2030-01-02T01:00:00Z'), 10)).map((p) => p.id).sort(), ['po_1', 'po_3']);
      await r.upsert(a, { ...po('po_1', '1001', 'pty_s1', '2030-01-01T10:00:00.000Z'), reminderSent: true, ackMissingRaised: true });
      assert.deepEqual((await r.listAwaitingAcknowledgment(a, new Date('2030-01-04T00:00:00Z'), 10)).map((p) => p.id), ['po_3']);
    });

    it('lists exceptions by type, status and SLA state computed from the due time', async () => {
      const r = p2p.repos.exceptions;
      await r.insert(a, { view: exception('exc_1', '2030-01-01T00:00:00.000Z', '2030-01-01T08:00:00.000Z'), context: {} });
      await r.insert(a, { view: exception('exc_2', '2030-01-01T00:00:00.000Z', '2030-01-02T00:00:00.000Z'), context: {} });
      await r.insert(a, { view: exception('exc_3', '2030-01-01T00:00:00.000Z', '2030-01-01T12:00:00.000Z', 'acknowledgment_missing'), context: { purchaseOrderId: 'po_1' } });
      const now = new Date('2030-01-01T10:00:00Z');
      const ids = async (q: Parameters<typeof r.list>[1]) => (await r.list(a, q, now)).items.map((e) => e.id);
      assert.deepEqual(await ids({ slaState: 'breached' }), ['exc_1']);
      assert.deepEqual(await ids({ slaState: 'due_soon' }), ['exc_3']);
      assert.deepEqual(await ids({ slaState: 'ok' }), ['exc_2']);
      assert.deepEqual(await ids({ ownerRole: 'finance' }), ['exc_1', 'exc_2']);
      assert.deepEqual(await ids({ type: 'acknowledgment_missing', status: 'Open' }), ['exc_3']);
      const page = await r.list(a, { limit: 2 }, now);
      assert.deepEqual((await r.list(a, { limit: 2, cursor: page.nextCursor! }, now)).items.map((e) => e.id), ['exc_3']);
      assert.deepEqual((await r.list(b, {}, now)).items, []);
      const stored = (await r.get(a, 'exc_1'))!;
      await r.save(a, { ...stored, view: { ...stored.view, status: 'Resolved' } });
      assert.deepEqual(await ids({ slaState: 'breached' }), [], 'a resolved exception has no SLA to breach');
      assert.deepEqual((await r.findOpen(a, 'acknowledgment_missing', 'inv-exc_3')).map((e) => e.context), [{ purchaseOrderId: 'po_1' }]);
    });

    it('orders inbound supply by expected date, records scorecard facts once and finds promises that are due', async () => {
      const s = p2p.repos.supply;
      const supply = { purchaseOrderId: 'po_1', poNumber: '1001', lineNumber: 1, supplierId: 'pty_s1', sku: 'SKU-9', warehouseId: 'M10', quantity: '10', unit: 'EA', expectedDate: '2030-01-09', confidence: 'acknowledged' as const };
      await s.putInbound(a, supply);
      await s.putInbound(a, { ...supply, purchaseOrderId: 'po_2', poNumber: '1002', expectedDate: '2030-01-05' });
      assert.deepEqual((await s.inboundOf(a, 'SKU-9')).map((x) => [x.poNumber, x.expectedDate]), [['1002', '2030-01-05'], ['1001', '2030-01-09']]);
      await s.putInbound(a, { ...supply, lineNumber: 2, sku: 'SKU-8' });
      assert.deepEqual((await s.inboundOfPurchaseOrder(a, 'po_1')).map((x) => [x.lineNumber, x.sku]), [[1, 'SKU-9'], [2, 'SKU-8']], 'one order\'s lines, whatever their SKU');
      assert.deepEqual(await s.inboundOfPurchaseOrder(b, 'po_1'), [], 'another tenant sees none');
      await s.putInbound(a, { ...supply, lineNumber: 2, sku: 'SKU-8', quantity: '0' });
      await s.putInbound(a, { ...supply, quantity: '0' });
      assert.deepEqual((await s.inboundOf(a, 'SKU-9')).map((x) => x.poNumber), ['1002'], 'nothing left to arrive removes the supply');
      assert.deepEqual(await s.inboundOf(b, 'SKU-9'), []);

      const f = p2p.repos.scorecard;
      const fact = { supplierId: 'pty_s1', kind: 'acknowledged' as const, key: 'ack:po_1', at: '2030-01-01T05:00:00.000Z', value: { latencyHours: 5 } };
      assert.equal(await f.record(a, fact), true);
      assert.equal(await f.record(a, { ...fact, value: { latencyHours: 9 } }), false);
      assert.deepEqual((await f.list(a, 'pty_s1', { from: '2030-01-01T00:00:00.000Z', to: '2030-01-02T00:00:00.000Z' })).map((x) => x.value), [{ latencyHours: 5 }]);

      await s.putPromise(a, { orderId: 'so_1', partnerId: 'pty_c', lineNumber: 1, sku: 'SKU-9', promisedDate: '2030-01-05', supplyKey: '1002:1' });
      assert.deepEqual(await s.listPromisesDue(a, '2030-01-05', 10), []);
      assert.deepEqual((await s.listPromisesDue(a, '2030-01-06', 10)).map((p) => [p.orderId, p.promisedDate]), [['so_1', '2030-01-05']]);
      await s.putPromise(a, { orderId: 'so_1', partnerId: 'pty_c', lineNumber: 1, sku: 'SKU-9', promisedDate: '2030-01-05', supplyKey: '1002:1', missedRaisedFor: '2030-01-05' });
      assert.deepEqual(await s.listPromisesDue(a, '2030-01-06', 10), [], 'raised once per promised date');
      assert.equal((await s.getPromise(a, 'so_1', 1))?.missedRaisedFor, '2030-01-05');
    });
  });
}
