import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore, type Store } from '../store.js';
import { ctxFor, manualClock, type ManualClock } from '../store.fixture.js';

const acme = ctxFor('acme');
const globex = ctxFor('globex');
const scope = 'cli_42 POST /v1/orders';
const created = { status: 201, headers: { location: '/v1/orders/so_1' }, body: { id: 'so_1', lines: [1, 2] } };

for (const target of databaseTargets()) {
  describe(`idempotency keys on ${target.name}`, () => {
    let db: Database;
    let clock: ManualClock;
    let store: Store;
    before(async () => {
      db = await target.open();
      clock = manualClock();
      store = createStore(db, { clock });
    });
    after(() => db.close());

    test('same key and body: started, then in flight, then the stored response is replayed', async () => {
      const req = { scope, key: 'k-replay', requestHash: 'h1' };
      assert.equal(await store.idempotency.begin(acme, req), 'started');
      assert.equal(await store.idempotency.begin(acme, req), 'in_flight');
      await store.idempotency.complete(acme, req, created);
      assert.deepEqual(await store.idempotency.begin(acme, req), { replay: created });
      assert.deepEqual(await store.idempotency.begin(acme, req), { replay: created }, 'replays every time');
    });

    test('same key with another body is a mismatch, whether in flight or completed', async () => {
      const req = { scope, key: 'k-mismatch', requestHash: 'h1' };
      assert.equal(await store.idempotency.begin(acme, req), 'started');
      assert.equal(await store.idempotency.begin(acme, { ...req, requestHash: 'h2' }), 'mismatch');
      await store.idempotency.complete(acme, req, created);
      assert.equal(await store.idempotency.begin(acme, { ...req, requestHash: 'h2' }), 'mismatch');
    });

    test('keys are per tenant and per scope', async () => {
      const req = { scope, key: 'k-shared', requestHash: 'h1' };
      assert.equal(await store.idempotency.begin(acme, req), 'started');
      assert.equal(await store.idempotency.begin(globex, { ...req, requestHash: 'other' }), 'started', 'another tenant has its own keys');
      assert.equal(await store.idempotency.begin(acme, { ...req, scope: 'cli_42 POST /v1/asns' }), 'started', 'another route has its own keys');
      await store.idempotency.complete(globex, req, { status: 200, headers: {}, body: null });
      assert.equal(await store.idempotency.begin(acme, req), 'in_flight', "globex's completion did not touch acme's key");
      await assert.rejects(store.idempotency.complete(globex, { scope, key: 'k-never' }, created), ConflictError);
    });

    test('concurrent begin with one key: exactly one started', async () => {
      const req = { scope, key: 'k-concurrent', requestHash: 'h1' };
      const results = await Promise.all(Array.from({ length: 12 }, () => store.idempotency.begin(acme, req)));
      assert.equal(results.filter((r) => r === 'started').length, 1);
      assert.equal(results.filter((r) => r === 'in_flight').length, 11);
    });

    test('concurrent begin inside transactions: exactly one started', async () => {
      const req = { scope, key: 'k-concurrent-tx', requestHash: 'h1' };
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.transaction((tx) => tx.idempotency.begin(acme, req))),
      );
      assert.equal(results.filter((r) => r === 'started').length, 1);
    });

    test('release lets a retry start again; an abandoned in-flight key is taken over after its lock', async () => {
      const req = { scope, key: 'k-release', requestHash: 'h1' };
      assert.equal(await store.idempotency.begin(acme, req), 'started');
      await store.idempotency.release(acme, req);
      assert.equal(await store.idempotency.begin(acme, req), 'started');

      const crashed = { scope, key: 'k-crashed', requestHash: 'h1' };
      assert.equal(await store.idempotency.begin(acme, crashed, { lockMs: 1_000 }), 'started');
      clock.advance(999);
      assert.equal(await store.idempotency.begin(acme, crashed), 'in_flight');
      clock.advance(1);
      assert.equal(await store.idempotency.begin(acme, { ...crashed, requestHash: 'h2' }), 'mismatch', 'another body never takes over');
      assert.equal(await store.idempotency.begin(acme, crashed), 'started');
    });

    test('keys expire after their retention and can then be used again', async () => {
      const req = { scope, key: 'k-expire', requestHash: 'h1' };
      assert.equal(await store.idempotency.begin(acme, req, { ttlMs: 10_000 }), 'started');
      await store.idempotency.complete(acme, req, created);
      clock.advance(10_000);
      assert.equal(await store.idempotency.begin(acme, { ...req, requestHash: 'h2' }), 'started', 'an expired key is free for any request');
      const other = { scope, key: 'k-expire-2', requestHash: 'h1' };
      await store.idempotency.begin(globex, other, { ttlMs: 1 });
      await store.idempotency.begin(acme, other, { ttlMs: 1 });
      clock.advance(1);
      const removed = await store.idempotency.expire(acme, clock.now());
      assert.ok(removed >= 1);
      const { rows } = await db.query<{ tenant_id: string }>(`SELECT tenant_id FROM tl_idempotency_keys WHERE key = 'k-expire-2'`);
      assert.deepEqual(rows.map((r) => r.tenant_id), ['globex'], "expire only touches the context's tenant");
    });
  });
}
