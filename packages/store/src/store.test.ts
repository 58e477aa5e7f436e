import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from './driver/database.js';
import { createStore, type Store } from './store.js';
import { ctxFor, testEvent } from './store.fixture.js';

const acme = ctxFor('acme');

for (const target of databaseTargets()) {
  describe(`store transactions on ${target.name}`, () => {
    let db: Database;
    let store: Store;
    before(async () => {
      db = await target.open();
      store = createStore(db);
    });
    after(() => db.close());

    const outboxIds = async () => (await db.query<{ id: string }>('SELECT id FROM tl_outbox ORDER BY seq')).rows.map((r) => r.id);

    test('a state change and its events commit together', async () => {
      const commits: number[] = [];
      const unsubscribe = store.onEventsCommitted(() => commits.push(Date.now()));
      const ev = testEvent('acme', 'so_1', 'sales_order.accepted');
      const seqs = await store.transaction(async (tx) => {
        await tx.documents.insert(acme, { docType: 'sales_order', id: 'so_1', status: 'Accepted', body: {} });
        const appended = await tx.outbox.append(acme, { envelope: ev });
        assert.equal(commits.length, 0, 'listeners hear of events only after the commit');
        return appended;
      });
      assert.equal(seqs[0]!.id, ev.id);
      assert.equal(commits.length, 1);
      assert.ok(await store.documents.get(acme, 'sales_order', 'so_1'));
      assert.deepEqual(await outboxIds(), [ev.id]);
      await store.transaction((tx) => tx.documents.get(acme, 'sales_order', 'so_1'));
      assert.equal(commits.length, 1, 'a transaction without events wakes nobody');
      unsubscribe();
    });

    test('when the transaction fails, neither the state change nor its events remain, and nobody is woken', async () => {
      let woken = 0;
      const unsubscribe = store.onEventsCommitted(() => (woken += 1));
      const ev = testEvent('acme', 'so_2', 'sales_order.accepted');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.documents.insert(acme, { docType: 'sales_order', id: 'so_2', status: 'Accepted', body: {} });
          await tx.outbox.append(acme, { envelope: ev });
          // A stale write later in the same unit of work aborts everything.
          await tx.documents.update(acme, { docType: 'sales_order', id: 'so_2', expectedVersion: 7, body: {} });
        }),
        (e: unknown) => e instanceof ConflictError && e.code === 'TL_STORE_VERSION_CONFLICT',
      );
      assert.equal(await store.documents.get(acme, 'sales_order', 'so_2'), undefined);
      assert.ok(!(await outboxIds()).includes(ev.id));
      assert.equal(woken, 0);
      unsubscribe();
    });

    test('a listener that throws does not fail the committed transaction', async () => {
      const unsubscribe = store.onEventsCommitted(() => {
        throw new Error('listener broke');
      });
      const ev = testEvent('acme', 'so_3', 'sales_order.accepted');
      await store.transaction((tx) => tx.outbox.append(acme, [{ envelope: ev }]));
      assert.ok((await outboxIds()).includes(ev.id));
      unsubscribe();
    });
  });
}
