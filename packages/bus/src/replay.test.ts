import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '@tradelane/canonical';
import { ConflictError, NotFoundError, PermanentError, type TenantContext } from '@tradelane/core';
import type { Database, StoreTx } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { ctxFor, effectsOf, manualClock, testEvent, wireBus, type BusHarness } from './bus.fixture.js';
import { defineConsumersFor } from './consumer-registry.js';

const acme = ctxFor('acme');
const globex = ctxFor('globex');
const payload = { safeParse: (d: unknown) => ({ success: true as const, data: d as { subject: string } }) };

/** Consumers that reject every event until `fixed` is set, as a bug would until it is fixed. */
function brokenConsumers(state: { fixed: boolean; runs: number }) {
  const handler = (name: string) => async (_ctx: TenantContext, event: EventEnvelope<{ subject: string }>, tx: StoreTx) => {
    state.runs += 1;
    if (!state.fixed) throw new PermanentError('TL_MAPPING_BROKEN', `cannot map ${event.type}`);
    await tx.sql.query('INSERT INTO test_effects (consumer, event_id, tenant_id, aggregate_id) VALUES ($1, $2, $3, $4)', [
      name,
      event.id,
      event.tenantid,
      event.subject ?? '',
    ]);
  };
  return defineConsumersFor<StoreTx>()({
    erp: { 'widget.changed': { schema: payload, handler: handler('erp') }, 'widget.removed': { schema: payload, handler: handler('erp') } },
    wms: { 'widget.changed': { schema: payload, handler: handler('wms') } },
  });
}

for (const target of databaseTargets()) {
  describe(`dead-letter replay on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    async function deadLettered(state: { fixed: boolean; runs: number }, clock = manualClock()): Promise<BusHarness> {
      const bus = await wireBus(db, brokenConsumers(state), { clock });
      await bus.publish(acme, testEvent('acme', 'a1'));
      await bus.relay().drain();
      clock.advance(60_000);
      await bus.publish(acme, testEvent('acme', 'a2', 'widget.removed'));
      await bus.publish(globex, testEvent('globex', 'g1'));
      await bus.relay().drain();
      return bus;
    }

    test('replay by id runs the consumer again and marks the dead letter replayed; a second replay is refused', async () => {
      const state = { fixed: false, runs: 0 };
      const bus = await deadLettered(state);
      const open = (await bus.store.messaging.deadLetters.list({})).items;
      assert.equal(open.length, 5, 'erp × 3 events, wms × 2 widget.changed events');
      const dl = open.find((d) => d.consumer === 'erp' && d.tenantId === 'acme' && d.eventType === 'widget.changed')!;
      state.fixed = true;
      const result = await bus.replayer.replayDeadLetter(dl.id);
      assert.deepEqual(result, { id: dl.id, consumer: 'erp', eventId: dl.eventId, outcome: 'replayed', result: 'applied' });
      const after = (await bus.store.messaging.deadLetters.get(dl.id))!;
      assert.equal(after.status, 'replayed');
      assert.equal(after.replayCount, 1);
      assert.ok(after.replayedAt instanceof Date);
      assert.deepEqual((await effectsOf(db, 'erp')).map((e) => e.event_id), [dl.eventId]);
      const { rows } = await db.query<{ status: string }>('SELECT status FROM tl_deliveries WHERE consumer = $1 AND event_id = $2', ['erp', dl.eventId]);
      assert.deepEqual(rows, [{ status: 'done' }]);
      await assert.rejects(bus.replayer.replayDeadLetter(dl.id), (e: unknown) => e instanceof ConflictError && e.code === 'TL_BUS_DEAD_LETTER_NOT_OPEN');
      await assert.rejects(bus.replayer.replayDeadLetter('dl_missing'), NotFoundError);
    });

    test('a failed replay keeps the dead letter open, with the new error and one more replay and attempt', async () => {
      const state = { fixed: false, runs: 0 };
      const bus = await deadLettered(state);
      const [dl] = (await bus.store.messaging.deadLetters.list({ consumer: 'wms', tenantId: 'acme' })).items;
      const result = await bus.replayer.replayDeadLetter(dl!.id);
      assert.equal(result.outcome, 'failed');
      assert.equal(result.errorKind, 'permanent');
      assert.equal(result.error, 'TL_MAPPING_BROKEN: cannot map widget.changed');
      const after = (await bus.store.messaging.deadLetters.get(dl!.id))!;
      assert.equal(after.status, 'open');
      assert.equal(after.replayCount, 1);
      assert.equal(after.attempts, dl!.attempts + 1);
      assert.equal((await effectsOf(db, 'wms')).length, 0);
    });

    test('replay by filter: consumer, event type, tenant and time', async () => {
      const state = { fixed: false, runs: 0 };
      const clock = manualClock();
      const start = clock.now();
      const bus = await deadLettered(state, clock);
      state.fixed = true;
      const byTenant = await bus.replayer.replayDeadLetters({ tenantId: 'globex' });
      assert.equal(byTenant.replayed, 2);
      assert.ok(byTenant.results.every((r) => r.outcome === 'replayed'));
      const byType = await bus.replayer.replayDeadLetters({ eventType: 'widget.removed' });
      assert.deepEqual(byType.results.map((r) => r.consumer), ['erp']);
      const since = await bus.replayer.replayDeadLetters({ consumer: 'erp', since: new Date(start.getTime() + 1) });
      assert.equal(since.replayed, 0, 'the remaining erp dead letter failed before that time');
      const byConsumer = await bus.replayer.replayDeadLetters({ consumer: 'wms' });
      assert.equal(byConsumer.replayed, 1);
      const left = (await bus.store.messaging.deadLetters.list({})).items;
      assert.deepEqual(left.map((d) => `${d.consumer}/${d.tenantId}/${d.eventType}`), ['erp/acme/widget.changed']);
      assert.equal((await bus.store.messaging.deadLetters.list({ status: 'replayed' })).items.length, 4);
      assert.equal((await effectsOf(db, 'erp')).length + (await effectsOf(db, 'wms')).length, 4);
    });

    test('replaying an event the consumer already applied is deduplicated by its inbox', async () => {
      const state = { fixed: false, runs: 0 };
      const bus = await deadLettered(state);
      const [dl] = (await bus.store.messaging.deadLetters.list({ consumer: 'wms', tenantId: 'acme' })).items;
      // The effect committed elsewhere (e.g. a replay on another node) before this replay.
      await bus.store.transaction((tx) => tx.inbox.record(acme, 'wms', dl!.eventId));
      const runs = state.runs;
      state.fixed = true;
      const result = await bus.replayer.replayDeadLetter(dl!.id);
      assert.equal(result.outcome, 'replayed');
      assert.equal(result.result, 'duplicate');
      assert.equal(state.runs, runs, 'the handler did not run');
      assert.equal((await effectsOf(db, 'wms')).length, 0);
    });

    test('discard gives a dead letter up; tenant scope hides other tenants', async () => {
      const state = { fixed: false, runs: 0 };
      const bus = await deadLettered(state);
      const [mine] = (await bus.store.messaging.deadLetters.list({ tenantId: 'acme', consumer: 'wms' })).items;
      await assert.rejects(bus.replayer.discardDeadLetter(mine!.id, { tenantId: 'globex' }), NotFoundError);
      await assert.rejects(bus.replayer.replayDeadLetter(mine!.id, { tenantId: 'globex' }), NotFoundError);
      await bus.replayer.discardDeadLetter(mine!.id, { tenantId: 'acme' });
      const after = (await bus.store.messaging.deadLetters.get(mine!.id))!;
      assert.equal(after.status, 'discarded');
      assert.ok(after.discardedAt instanceof Date);
      await assert.rejects(bus.replayer.replayDeadLetter(mine!.id), ConflictError);
      await assert.rejects(bus.replayer.discardDeadLetter(mine!.id), ConflictError);
      state.fixed = true;
      const all = await bus.replayer.replayDeadLetters({});
      assert.equal(all.replayed, 4, 'discarded ones are not replayed');
    });
  });
}
