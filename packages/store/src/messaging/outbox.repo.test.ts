import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore, type Store } from '../store.js';
import { ctxFor, manualClock, testEvent, type ManualClock } from '../store.fixture.js';

const acme = ctxFor('acme');
const LEASE = 30_000;

for (const target of databaseTargets()) {
  describe(`outbox on ${target.name}`, () => {
    let db: Database;
    let clock: ManualClock;
    let store: Store;
    before(async () => {
      db = await target.open();
      clock = manualClock();
      store = createStore(db, { clock });
    });
    beforeEach(() => db.query('DELETE FROM tl_outbox'));
    after(() => db.close());

    const append = (subject: string, extra: { aggregateId?: string; availableAt?: Date } = {}) =>
      store.transaction(async (tx) => (await tx.outbox.append(acme, { envelope: testEvent('acme', subject), ...extra }))[0]!);
    const claim = (limit = 100) => store.messaging.outbox.claim({ limit, leaseMs: LEASE, now: clock.now() });

    test('append derives the aggregate, keeps the envelope, and refuses another tenant or no aggregate', async () => {
      const ev = testEvent('acme', 'wid_1');
      await store.transaction((tx) => tx.outbox.append(acme, { envelope: ev }));
      const [row] = await claim();
      assert.equal(row!.id, ev.id);
      assert.equal(row!.tenantId, 'acme');
      assert.equal(row!.aggregateType, 'widget');
      assert.equal(row!.aggregateId, 'wid_1');
      assert.equal(row!.eventType, 'widget.changed');
      assert.deepEqual(row!.envelope, ev);
      await assert.rejects(
        store.transaction((tx) => tx.outbox.append(acme, { envelope: testEvent('globex', 'wid_2') })),
        (e: unknown) => e instanceof InputError && e.code === 'TL_STORE_TENANT_MISMATCH',
      );
      const { subject: _omitted, ...noSubject } = testEvent('acme', 'x');
      await assert.rejects(
        store.transaction((tx) => tx.outbox.append(acme, { envelope: noSubject })),
        (e: unknown) => e instanceof InputError && e.code === 'TL_STORE_NO_AGGREGATE',
      );
    });

    test('claim leases rows in sequence order; a lease hides them until it expires; published rows are done', async () => {
      const a = await append('a');
      const b = await append('b');
      const c = await append('c');
      const first = await claim(2);
      assert.deepEqual(first.map((r) => r.id), [a.id, b.id]);
      assert.deepEqual((await claim()).map((r) => r.id), [c.id], 'leased rows are not claimed twice');
      assert.deepEqual(await claim(), []);
      await store.messaging.outbox.markPublished(a.id, clock.now());
      clock.advance(LEASE);
      assert.deepEqual((await claim()).map((r) => r.id), [b.id, c.id], 'expired leases are claimable again; published rows never');
      assert.deepEqual(await store.messaging.outbox.pending(), { count: 2, nextAt: new Date(clock.now().getTime() + LEASE) });
    });

    test('a round marks the rows it published in one call; each aggregate then offers its next event', async () => {
      const x1 = await append('x');
      const x2 = await append('x');
      const y1 = await append('y');
      const z1 = await append('z');
      const round = await claim();
      assert.deepEqual(round.map((r) => r.id), [x1.id, y1.id, z1.id]);
      await store.messaging.outbox.markPublished([x1.id, y1.id], clock.now());
      await store.messaging.outbox.markPublished([], clock.now());
      assert.deepEqual((await claim()).map((r) => r.id), [x2.id], 'z1 is still leased; x moved on to its next event');
      assert.equal((await store.messaging.outbox.pending()).count, 2);
    });

    test('with followers, a claimed aggregate brings its later rows, in order, up to its first row that must wait', async () => {
      const x1 = await append('x');
      const y1 = await append('y');
      const x2 = await append('x');
      const x3 = await append('x', { availableAt: new Date(clock.now().getTime() + 60_000) });
      const x4 = await append('x');
      const y2 = await append('y');
      const z1 = await append('z');
      const claimFollowing = (limit: number, followers: number) => store.messaging.outbox.claim({ limit, leaseMs: LEASE, now: clock.now(), followers });
      assert.deepEqual(
        (await claimFollowing(2, 10)).map((r) => r.id),
        [x1.id, y1.id, x2.id, y2.id],
        'x stops before x3 (not yet available), so x4 stays behind it; z is not among the 2 aggregates',
      );
      assert.deepEqual((await claimFollowing(10, 10)).map((r) => r.id), [z1.id], 'leased rows are not claimed again');
      // A run that failed part-way gives the rest of its rows back.
      await store.messaging.outbox.markPublished([x1.id, y1.id, y2.id, z1.id], clock.now());
      await store.messaging.outbox.release([x2.id]);
      clock.advance(60_000);
      assert.deepEqual((await claimFollowing(10, 1)).map((r) => r.id), [x2.id, x3.id], 'followers are capped in all');
      await store.messaging.outbox.release([x2.id, x3.id]);
      const perAggregate = await store.messaging.outbox.claim({ limit: 10, leaseMs: LEASE, now: clock.now(), followers: 10, followersPerAggregate: 1 });
      assert.deepEqual(perAggregate.map((r) => r.id), [x2.id, x3.id], 'and per aggregate: x4 waits for the next round');
      void x4;
    });

    test('a claimed row says whether deliveries of it, or pending retries before it in its aggregate, exist', async () => {
      await db.query('DELETE FROM tl_deliveries');
      const x1 = await append('x');
      const [row] = await claim();
      assert.equal(row!.noDeliveries, true, 'nothing recorded: the dispatcher need not look');
      // A consumer failed on x1 and waits for its retry: x2 must be checked against it.
      await store.messaging.deliveries.schedule(
        { consumer: 'ledger', tenantId: 'acme', envelope: row!.envelope, seq: row!.seq, aggregateType: row!.aggregateType, aggregateId: row!.aggregateId },
        { attempts: 1, nextAttemptAt: clock.now(), lastError: 'boom', now: clock.now() },
      );
      await store.messaging.outbox.markPublished(x1.id, clock.now());
      await append('x');
      const y = await append('y');
      const claimed = await claim();
      assert.deepEqual(claimed.map((r) => r.noDeliveries ?? false), [false, true]);
      assert.equal(claimed[1]!.id, y.id);
      await db.query('DELETE FROM tl_deliveries');
    });

    test('a rescheduled row waits, counts its attempts and keeps its error', async () => {
      const a = await append('a');
      await claim();
      await store.messaging.outbox.reschedule(a.id, new Date(clock.now().getTime() + 5_000), 'TL_NATS_DOWN: no servers');
      assert.deepEqual(await claim(), []);
      clock.advance(5_000);
      const [row] = await claim();
      assert.equal(row!.attempts, 1);
      assert.equal(row!.lastError, 'TL_NATS_DOWN: no servers');
      assert.ok(await store.messaging.outbox.pending().then((p) => p.count === 1));
    });

    test('only the earliest unpublished event of an aggregate is claimable', async () => {
      const x1 = await append('x');
      const x2 = await append('x');
      const y1 = await append('y');
      const x3 = await append('x');
      assert.deepEqual((await claim()).map((r) => r.id), [x1.id, y1.id]);
      await store.messaging.outbox.markPublished(x1.id, clock.now());
      await store.messaging.outbox.reschedule(y1.id, clock.now(), 'retry');
      assert.deepEqual((await claim()).map((r) => r.id), [x2.id, y1.id]);
      // A head that must wait (failed publish) holds back the rest of its aggregate.
      await store.messaging.outbox.reschedule(x2.id, new Date(clock.now().getTime() + 60_000), 'busy');
      await store.messaging.outbox.markPublished(y1.id, clock.now());
      assert.deepEqual(await claim(), []);
      clock.advance(60_000);
      assert.deepEqual((await claim()).map((r) => r.id), [x2.id]);
      await store.messaging.outbox.markPublished(x2.id, clock.now());
      assert.deepEqual((await claim()).map((r) => r.id), [x3.id]);
    });

    test('a row that becomes visible after later rows were published is still claimed (no high-water mark)', async () => {
      const late = testEvent('acme', 'late');
      const a = await append('a');
      const b = await append('b');
      for (const row of await claim()) await store.messaging.outbox.markPublished(row.id, clock.now());
      // A transaction that took a lower sequence number but commits only now.
      await db.query(
        `INSERT INTO tl_outbox (seq, id, tenant_id, aggregate_type, aggregate_id, event_type, envelope, created_at, available_at)
         VALUES ($1::bigint - 1, $2, 'acme', 'widget', 'late', 'widget.changed', $3::jsonb, $4, $4)`,
        [a.seq, late.id, JSON.stringify(late), clock.now()],
      );
      assert.ok(BigInt(a.seq) - 1n < BigInt(b.seq));
      assert.deepEqual((await claim()).map((r) => r.id), [late.id]);
    });

    if (target.name === 'postgres') {
      test('a transaction holding a lower sequence number commits after later ones: its event is not skipped', async () => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let appended!: () => void;
        const hasAppended = new Promise<void>((resolve) => (appended = resolve));
        const slow = store.transaction(async (tx) => {
          const [row] = await tx.outbox.append(acme, { envelope: testEvent('acme', 'slow') });
          appended();
          await held;
          return row!;
        });
        await hasAppended;
        const fast = await append('fast');
        const firstClaim = await claim();
        assert.deepEqual(firstClaim.map((r) => r.id), [fast.id], 'the uncommitted row is invisible, the later one is claimed');
        await store.messaging.outbox.markPublished(fast.id, clock.now());
        release();
        const slowRow = await slow;
        assert.ok(BigInt(slowRow.seq) < BigInt(fast.seq), 'the slow transaction took the lower sequence number');
        assert.deepEqual((await claim()).map((r) => r.id), [slowRow.id]);
      });
    }

    test('concurrent claimers never hold the same row and together get every row', async () => {
      const ids = new Set<string>();
      await store.transaction(async (tx) => {
        for (let i = 0; i < 40; i += 1) ids.add((await tx.outbox.append(acme, { envelope: testEvent('acme', `agg-${i}`) }))[0]!.id);
      });
      const got: string[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (;;) {
            const batch = await claim(5);
            if (batch.length === 0) return;
            got.push(...batch.map((r) => r.id));
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        }),
      );
      assert.equal(got.length, 40, 'no row claimed twice');
      assert.deepEqual(new Set(got), ids);
    });
  });
}
