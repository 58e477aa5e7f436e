import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, InputError, NotFoundError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore, type Store } from '../store.js';
import { ctxFor } from '../store.fixture.js';

const acme = ctxFor('acme');
const globex = ctxFor('globex');

for (const target of databaseTargets()) {
  describe(`document repository on ${target.name}`, () => {
    let db: Database;
    let store: Store;
    before(async () => {
      db = await target.open();
      store = createStore(db);
    });
    after(() => db.close());

    test('insert, get, update with the expected version', async () => {
      const created = await store.documents.insert(acme, { docType: 'sales_order', id: 'so_1', status: 'Received', body: { lines: [1, 2] } });
      assert.equal(created.version, 1);
      assert.equal(created.tenantId, 'acme');
      assert.deepEqual(created.body, { lines: [1, 2] });
      const updated = await store.documents.update(acme, { docType: 'sales_order', id: 'so_1', expectedVersion: 1, status: 'Accepted', body: { lines: [1] } });
      assert.equal(updated.version, 2);
      assert.equal(updated.status, 'Accepted');
      const kept = await store.documents.update(acme, { docType: 'sales_order', id: 'so_1', expectedVersion: 2, body: { lines: [] } });
      assert.equal(kept.status, 'Accepted', 'status stays when the change names none');
      assert.deepEqual((await store.documents.getOrThrow(acme, 'sales_order', 'so_1')).body, { lines: [] });
      await assert.rejects(
        store.documents.insert(acme, { docType: 'sales_order', id: 'so_1', status: 'Received', body: {} }),
        (e: unknown) => e instanceof ConflictError && e.code === 'TL_STORE_DUPLICATE',
      );
    });

    test('a stale version is a conflict naming both versions', async () => {
      await store.documents.insert(acme, { docType: 'sales_order', id: 'so_stale', status: 'Received', body: { n: 0 } });
      await store.documents.update(acme, { docType: 'sales_order', id: 'so_stale', expectedVersion: 1, body: { n: 1 } });
      await assert.rejects(
        store.documents.update(acme, { docType: 'sales_order', id: 'so_stale', expectedVersion: 1, body: { n: 2 } }),
        (e: unknown) =>
          e instanceof ConflictError &&
          e.code === 'TL_STORE_VERSION_CONFLICT' &&
          e.details?.expectedVersion === 1 &&
          e.details?.actualVersion === 2,
      );
      assert.deepEqual((await store.documents.getOrThrow(acme, 'sales_order', 'so_stale')).body, { n: 1 });
    });

    test('concurrent updates from one version: exactly one wins', async () => {
      await store.documents.insert(acme, { docType: 'sales_order', id: 'so_race', status: 'Received', body: { by: 'nobody' } });
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          store.transaction((tx) => tx.documents.update(acme, { docType: 'sales_order', id: 'so_race', expectedVersion: 1, body: { by: i } })),
        ),
      );
      const won = attempts.filter((a) => a.status === 'fulfilled');
      const lost = attempts.filter((a) => a.status === 'rejected');
      assert.equal(won.length, 1);
      assert.ok(lost.every((a) => a.status === 'rejected' && a.reason instanceof ConflictError && a.reason.code === 'TL_STORE_VERSION_CONFLICT'));
      assert.equal((await store.documents.getOrThrow(acme, 'sales_order', 'so_race')).version, 2);
    });

    test('tenant isolation: another tenant can neither read, list, update nor shadow a document', async () => {
      await store.documents.insert(acme, { docType: 'invoice', id: 'inv_1', status: 'Open', body: { total: '10.00' } });
      assert.equal(await store.documents.get(globex, 'invoice', 'inv_1'), undefined);
      await assert.rejects(store.documents.getOrThrow(globex, 'invoice', 'inv_1'), NotFoundError);
      assert.deepEqual((await store.documents.list(globex, 'invoice')).items, []);
      await assert.rejects(
        store.documents.update(globex, { docType: 'invoice', id: 'inv_1', expectedVersion: 1, status: 'Paid', body: { total: '0.00' } }),
        (e: unknown) => e instanceof NotFoundError && e.code === 'TL_STORE_NOT_FOUND',
      );
      // The same id in another tenant is another document.
      await store.documents.insert(globex, { docType: 'invoice', id: 'inv_1', status: 'Draft', body: { total: '99.00' } });
      const mine = await store.documents.getOrThrow(acme, 'invoice', 'inv_1');
      assert.equal(mine.status, 'Open');
      assert.equal(mine.version, 1);
      assert.deepEqual(mine.body, { total: '10.00' });
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tl_documents WHERE id = 'inv_1'`);
      assert.equal(rows[0]!.n, 2);
    });

    test('list pages through documents in id order and filters by status', async () => {
      for (let i = 0; i < 7; i += 1) {
        await store.documents.insert(acme, { docType: 'asn', id: `asn_${i}`, status: i % 2 ? 'Shipped' : 'Received', body: { i } });
      }
      await store.documents.insert(globex, { docType: 'asn', id: 'asn_x', status: 'Received', body: {} });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.documents.list(acme, 'asn', { limit: 3, cursor });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ['asn_0', 'asn_1', 'asn_2', 'asn_3', 'asn_4', 'asn_5', 'asn_6']);
      const shipped = await store.documents.list(acme, 'asn', { status: 'Shipped' });
      assert.deepEqual(shipped.items.map((d) => d.id), ['asn_1', 'asn_3', 'asn_5']);
      assert.equal(shipped.nextCursor, undefined);
      const both = await store.documents.list(acme, 'asn', { status: ['Shipped', 'Received'], limit: 10 });
      assert.equal(both.items.length, 7);
      await assert.rejects(store.documents.list(acme, 'asn', { cursor: 'garbage' }), (e: unknown) => e instanceof InputError && e.code === 'TL_STORE_BAD_CURSOR');
    });
  });
}
