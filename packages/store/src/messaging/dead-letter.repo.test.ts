import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '@tradelane/canonical';
import { InputError, type DeliveryTarget } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore, type Store } from '../store.js';
import { manualClock, testEvent, type ManualClock } from '../store.fixture.js';

const LEASE = 10_000;
let seq = 0;

/** A delivery target of `consumer` for a new event of aggregate `aggregateId`. */
function targetOf(consumer: string, aggregateId: string, envelope: EventEnvelope = testEvent('acme', aggregateId)): DeliveryTarget {
  seq += 1;
  return { consumer, tenantId: envelope.tenantid, aggregateType: 'widget', aggregateId, seq: String(seq), envelope };
}

for (const target of databaseTargets()) {
  describe(`delivery state and dead letters on ${target.name}`, () => {
    let db: Database;
    let clock: ManualClock;
    let store: Store;
    before(async () => {
      db = await target.open();
      clock = manualClock();
      store = createStore(db, { clock });
    });
    beforeEach(() => db.exec('TRUNCATE tl_deliveries, tl_dead_letters'));
    after(() => db.close());

    const later = (ms: number) => new Date(clock.now().getTime() + ms);
    const claimDue = () => store.messaging.deliveries.claimDue({ limit: 100, leaseMs: LEASE, now: clock.now() });

    test('retries fall due in time, one per consumer and aggregate, leased against a second claimer', async () => {
      const { deliveries } = store.messaging;
      const x1 = targetOf('erp', 'x');
      const x2 = targetOf('erp', 'x');
      const y1 = targetOf('erp', 'y');
      const x1search: DeliveryTarget = { ...x1, consumer: 'search' };
      await deliveries.schedule(x1, { attempts: 1, nextAttemptAt: later(1_000), lastError: 'busy', now: clock.now() });
      await deliveries.schedule(x2, { attempts: 0, nextAttemptAt: clock.now(), lastError: null, now: clock.now() });
      await deliveries.schedule(y1, { attempts: 2, nextAttemptAt: later(500), lastError: 'busy', now: clock.now() });
      await deliveries.schedule(x1search, { attempts: 1, nextAttemptAt: clock.now(), lastError: 'down', now: clock.now() });

      const lookup = await deliveries.lookup({ eventId: x2.envelope.id, tenantId: 'acme', aggregateType: 'widget', aggregateId: 'x', seq: x2.seq });
      assert.deepEqual([...lookup.existing.keys()], ['erp']);
      assert.deepEqual([...lookup.blocked].sort(), ['erp', 'search'], 'earlier pending x1 blocks both consumers');

      assert.deepEqual((await claimDue()).map((d) => `${d.consumer}:${d.envelope.id}`), [`search:${x1.envelope.id}`]);
      assert.deepEqual(await store.messaging.deliveries.pending(), { count: 4, nextAt: later(500) }, 'y1 is next: x2 waits behind x1, search:x1 is leased');
      clock.advance(500);
      assert.deepEqual((await claimDue()).map((d) => d.envelope.id), [y1.envelope.id], 'search:x1 is leased; y1 is due; x2 is blocked');
      clock.advance(500);
      const [due] = await claimDue();
      assert.equal(due!.envelope.id, x1.envelope.id);
      assert.equal(due!.attempts, 1);
      assert.equal(due!.lastError, 'busy');
      assert.deepEqual(due!.envelope, x1.envelope);
      await deliveries.markDone('erp', x1.envelope.id, clock.now());
      assert.deepEqual((await claimDue()).map((d) => d.envelope.id), [x2.envelope.id], 'x2 is due once x1 is done');
      clock.advance(LEASE);
      const reclaimed = (await claimDue()).map((d) => `${d.consumer}:${d.envelope.id}`).sort();
      assert.deepEqual(reclaimed, [`erp:${x2.envelope.id}`, `erp:${y1.envelope.id}`, `search:${x1.envelope.id}`].sort(), 'expired leases come back');
    });

    test('a done or dead delivery is never made pending again', async () => {
      const { deliveries } = store.messaging;
      const t = targetOf('erp', 'z');
      await deliveries.schedule(t, { attempts: 1, nextAttemptAt: clock.now(), lastError: 'busy', now: clock.now() });
      await deliveries.markDone('erp', t.envelope.id, clock.now());
      await deliveries.schedule(t, { attempts: 2, nextAttemptAt: clock.now(), lastError: 'late', now: clock.now() });
      const { rows } = await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM tl_deliveries');
      assert.deepEqual(rows, [{ status: 'done', attempts: 1 }]);
      assert.deepEqual(await claimDue(), []);
    });

    test('adding a dead letter marks the delivery dead, once per open message', async () => {
      const t = targetOf('erp', 'd');
      await store.messaging.deliveries.schedule(t, { attempts: 2, nextAttemptAt: clock.now(), lastError: 'busy', now: clock.now() });
      const input = { target: t, error: 'Error: busy', errorKind: 'transient' as const, attempts: 3, firstFailedAt: later(-60_000), now: clock.now() };
      const id = await store.messaging.deadLetters.add(input);
      assert.match(id, /^dl_[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(await store.messaging.deadLetters.add({ ...input, attempts: 4 }), id, 'the same open message is not stored twice');
      const dl = (await store.messaging.deadLetters.get(id))!;
      assert.equal(dl.status, 'open');
      assert.equal(dl.attempts, 3);
      assert.equal(dl.firstFailedAt.getTime(), clock.now().getTime() - 60_000);
      assert.deepEqual(dl.envelope, t.envelope);
      const { rows } = await db.query<{ status: string }>('SELECT status FROM tl_deliveries');
      assert.deepEqual(rows, [{ status: 'dead' }]);
      assert.deepEqual(await claimDue(), []);
      // A message dead-lettered on its first attempt has no delivery row yet: one is created, dead.
      const first = targetOf('erp', 'e');
      await store.messaging.deadLetters.add({ ...input, target: first, attempts: 1 });
      const after = await db.query<{ status: string }>('SELECT status FROM tl_deliveries WHERE event_id = $1', [first.envelope.id]);
      assert.deepEqual(after.rows, [{ status: 'dead' }]);
    });

    test('list filters and pages; replayed, failed-replay and discarded states', async () => {
      const dls = store.messaging.deadLetters;
      const add = async (consumer: string, tenant: string, type: string) => {
        clock.advance(1_000);
        const t = targetOf(consumer, `agg-${seq}`, testEvent(tenant, 'w', type));
        return dls.add({ target: t, error: 'TL_X: no', errorKind: 'permanent', attempts: 1, firstFailedAt: clock.now(), now: clock.now() });
      };
      const a = await add('erp', 'acme', 'widget.changed');
      const since = later(1);
      const b = await add('erp', 'globex', 'widget.changed');
      const c = await add('wms', 'acme', 'widget.removed');
      const d = await add('erp', 'acme', 'widget.removed');
      const ids = async (filter: Parameters<typeof dls.list>[0]) => (await dls.list(filter, { limit: 100 })).items.map((x) => x.id);
      assert.deepEqual(await ids({}), [a, b, c, d]);
      assert.deepEqual(await ids({ consumer: 'erp' }), [a, b, d]);
      assert.deepEqual(await ids({ tenantId: 'acme', eventType: 'widget.removed' }), [c, d]);
      assert.deepEqual(await ids({ since }), [b, c, d]);
      const page1 = await dls.list({}, { limit: 3 });
      const page2 = await dls.list({}, { limit: 3, cursor: page1.nextCursor });
      assert.deepEqual([...page1.items, ...page2.items].map((x) => x.id), [a, b, c, d]);
      assert.equal(page2.nextCursor, undefined);
      await assert.rejects(dls.list({}, { limit: 0 }), InputError);

      await dls.recordReplayFailure(a, { error: 'TL_X: still no', errorKind: 'permanent', now: clock.now() });
      const failed = (await dls.get(a))!;
      assert.deepEqual([failed.status, failed.replayCount, failed.attempts, failed.error], ['open', 1, 2, 'TL_X: still no']);
      assert.equal(await dls.markReplayed(a, clock.now()), true);
      assert.equal(await dls.markReplayed(a, clock.now()), false, 'only an open dead letter is replayed');
      assert.equal(await dls.discard(b, clock.now()), true);
      assert.equal(await dls.discard(b, clock.now()), false);
      assert.deepEqual(await ids({}), [c, d], 'open by default');
      assert.deepEqual(await ids({ status: 'replayed' }), [a]);
      assert.deepEqual(await ids({ status: 'discarded' }), [b]);
      assert.deepEqual(await ids({ status: 'any' }), [a, b, c, d]);
      assert.equal((await dls.get(a))!.replayCount, 2);
    });
  });
}
