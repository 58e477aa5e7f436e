import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError, TransientError } from '@tradelane/core';
import type { Database, StoreTx } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { anyPayload, ctxFor, effectsOf, manualClock, wireBus, testEvent, writeEffect } from './bus.fixture.js';
import { defineConsumers } from './consumer-registry.js';
import { createRelay } from './relay.js';

const acme = ctxFor('acme');
const widget = { safeParse: (d: unknown) => (typeof (d as { subject?: unknown })?.subject === 'string' ? { success: true as const, data: d as { subject: string } } : { success: false as const, error: { issues: [{ path: ['subject'], message: 'required' }] } }) };

for (const target of databaseTargets()) {
  describe(`relay and consumers on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('every subscribed consumer applies each event once, in its own transaction with its inbox record', async () => {
      const consumers = defineConsumers({
        ledger: { 'widget.changed': { schema: widget, handler: async (_ctx, event, tx: StoreTx) => writeEffect(tx, 'ledger', event) } },
        audit: {
          'widget.changed': { schema: anyPayload, handler: async (_ctx, event, tx) => writeEffect(tx, 'audit', event) },
          'widget.removed': { schema: anyPayload, handler: async (_ctx, event, tx) => writeEffect(tx, 'audit', event) },
        },
      });
      const bus = await wireBus(db, consumers);
      const events = [testEvent('acme', 'w1'), testEvent('acme', 'w2'), testEvent('acme', 'w1', 'widget.removed'), testEvent('acme', 'w3', 'gadget.ignored')];
      await bus.publish(acme, ...events);
      await bus.relay().drain();
      assert.deepEqual((await effectsOf(bus.db, 'ledger')).map((e) => e.event_id), [events[0]!.id, events[1]!.id]);
      assert.deepEqual((await effectsOf(bus.db, 'audit')).map((e) => e.event_id), [events[0]!.id, events[1]!.id, events[2]!.id]);
      const { rows } = await bus.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tl_inbox');
      assert.equal(rows[0]!.n, 5);
      assert.deepEqual(await bus.store.messaging.outbox.pending(), { count: 0, nextAt: undefined });
      assert.ok(await bus.store.inbox.has(acme, 'audit', events[2]!.id));
      assert.equal(await bus.store.inbox.has(ctxFor('globex'), 'audit', events[2]!.id), false, 'inbox reads are tenant-scoped');
    });

    test('transient failures are retried with exponential backoff and jitter, across a restart, then succeed', async () => {
      const clock = manualClock();
      let calls = 0;
      const consumers = defineConsumers({
        erp: {
          'widget.changed': {
            schema: widget,
            retry: { maxAttempts: 5, initialDelayMs: 1_000, multiplier: 2, jitter: 'full' },
            handler: async (_ctx, event, tx: StoreTx, info) => {
              calls += 1;
              assert.equal(info.attempt, calls);
              if (calls <= 2) throw new TransientError('TL_ERP_BUSY', `busy ${calls}`);
              await writeEffect(tx, 'erp', event);
            },
          },
        },
      });
      const bus = await wireBus(db, consumers, { clock, random: () => 0.5 });
      const ev = testEvent('acme', 'w1');
      await bus.publish(acme, ev);
      assert.equal(await bus.relay().runOnce(), 1);
      const first = bus.outcomes.at(-1)!;
      assert.equal(first.result, 'retry_scheduled');
      assert.equal(first.nextAttemptAt!.getTime() - clock.now().getTime(), 500, 'full jitter × 0.5 of 1000 ms');
      assert.deepEqual(await bus.store.messaging.outbox.pending(), { count: 0, nextAt: undefined }, 'the event is published; the retry is per consumer');

      // A new relay (a restart) picks the retry up from the delivery table, not before it is due.
      const restarted = bus.relay();
      clock.advance(499);
      assert.equal(await restarted.runOnce(), 0);
      clock.advance(1);
      assert.equal(await restarted.runOnce(), 1);
      assert.equal(bus.outcomes.at(-1)!.result, 'retry_scheduled');
      assert.equal(bus.outcomes.at(-1)!.nextAttemptAt!.getTime() - clock.now().getTime(), 1_000, 'second backoff doubles');
      clock.advance(1_000);
      assert.equal(await restarted.runOnce(), 1);
      assert.equal(bus.outcomes.at(-1)!.result, 'applied');
      assert.equal(calls, 3);
      assert.equal((await effectsOf(bus.db, 'erp')).length, 1);
      const { rows } = await bus.db.query<{ status: string; attempts: number; last_error: string }>(
        'SELECT status, attempts, last_error FROM tl_deliveries WHERE event_id = $1',
        [ev.id],
      );
      assert.deepEqual(rows, [{ status: 'done', attempts: 2, last_error: 'TL_ERP_BUSY: busy 2' }]);
    });

    test('a permanent error dead-letters at once with its kind and attempt; other consumers are unaffected', async () => {
      const consumers = defineConsumers({
        strict: {
          'widget.changed': {
            schema: widget,
            handler: async (): Promise<void> => {
              throw new PermanentError('TL_ERP_REJECTED', 'unknown customer');
            },
          },
        },
        ledger: { 'widget.changed': { schema: widget, handler: async (_ctx, event, tx: StoreTx) => writeEffect(tx, 'ledger', event) } },
      });
      const bus = await wireBus(db, consumers);
      const ev = testEvent('acme', 'w1');
      await bus.publish(acme, ev);
      await bus.relay().drain();
      const { items } = await bus.store.messaging.deadLetters.list({});
      assert.equal(items.length, 1);
      const dl = items[0]!;
      assert.equal(dl.consumer, 'strict');
      assert.equal(dl.eventId, ev.id);
      assert.equal(dl.eventType, 'widget.changed');
      assert.equal(dl.tenantId, 'acme');
      assert.equal(dl.errorKind, 'permanent');
      assert.equal(dl.attempts, 1);
      assert.equal(dl.error, 'TL_ERP_REJECTED: unknown customer');
      assert.deepEqual(dl.envelope, ev);
      assert.equal((await effectsOf(bus.db, 'ledger')).length, 1);
      assert.equal(await bus.store.inbox.has(acme, 'strict', ev.id), false, 'the failed attempt left no inbox record');
    });

    test('a payload that fails the schema is dead-lettered at once and the handler never runs', async () => {
      let ran = 0;
      const consumers = defineConsumers({
        ledger: {
          'widget.changed': {
            schema: widget,
            handler: async (_ctx, event, tx: StoreTx) => {
              ran += 1;
              await writeEffect(tx, 'ledger', event);
            },
          },
        },
      });
      const bus = await wireBus(db, consumers);
      await bus.publish(acme, testEvent('acme', 'w1', 'widget.changed', { wrong: true }));
      await bus.relay().drain();
      assert.equal(ran, 0);
      const [dl] = (await bus.store.messaging.deadLetters.list({})).items;
      assert.equal(dl!.errorKind, 'permanent');
      assert.equal(dl!.attempts, 1);
      assert.match(dl!.error, /^TL_BUS_INVALID_PAYLOAD: widget.changed payload does not match the schema of ledger: subject: required/);
    });

    test('exhausted retries dead-letter with the attempt count, and the event then counts as done for that consumer', async () => {
      const clock = manualClock();
      const consumers = defineConsumers({
        flaky: {
          'widget.changed': {
            schema: widget,
            retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 'none' },
            handler: async (_ctx, event, tx: StoreTx) => {
              if ((event.data as { subject: string }).subject === 'doomed') throw new Error('socket hang up');
              await writeEffect(tx, 'flaky', event);
            },
          },
        },
      });
      const bus = await wireBus(db, consumers, { clock });
      const doomed = testEvent('acme', 'doomed');
      const next = testEvent('acme', 'doomed', 'widget.changed', { subject: 'fine' });
      await bus.publish(acme, doomed, next);
      const t0 = clock.now().getTime();
      await bus.relay().drain();
      assert.equal(clock.now().getTime() - t0, 300, 'waited 100 + 200 ms of clock time between the three attempts');
      const [dl] = (await bus.store.messaging.deadLetters.list({ consumer: 'flaky' })).items;
      assert.equal(dl!.attempts, 3);
      assert.equal(dl!.errorKind, 'transient');
      assert.equal(dl!.error, 'Error: socket hang up');
      assert.equal(dl!.firstFailedAt.getTime(), t0);
      assert.equal(dl!.lastFailedAt.getTime(), t0 + 300);
      assert.deepEqual((await effectsOf(bus.db, 'flaky')).map((e) => e.event_id), [next.id], 'the later event of the aggregate went on');
      const { rows } = await bus.db.query<{ status: string }>('SELECT status FROM tl_deliveries WHERE event_id = $1', [doomed.id]);
      assert.deepEqual(rows, [{ status: 'dead' }]);
    });

    test('per-aggregate order: a later event waits while an earlier one retries for that consumer, and only for it', async () => {
      const clock = manualClock();
      let failuresLeft = 2;
      const consumers = defineConsumers({
        erp: {
          'widget.changed': {
            schema: widget,
            retry: { initialDelayMs: 1_000, jitter: 'none' },
            handler: async (_ctx, event, tx: StoreTx) => {
              if (event.data.subject === 'x' && (event.data as { n?: number }).n === 1 && failuresLeft-- > 0) {
                throw new TransientError('TL_ERP_DOWN', 'down');
              }
              await writeEffect(tx, 'erp', event, (event.data as { n?: number }).n ?? 0);
            },
          },
        },
        search: {
          'widget.changed': { schema: widget, handler: async (_ctx, event, tx: StoreTx) => writeEffect(tx, 'search', event, (event.data as { n?: number }).n ?? 0) },
        },
      });
      const bus = await wireBus(db, consumers, { clock });
      const x = [1, 2, 3].map((n) => testEvent('acme', 'x', 'widget.changed', { subject: 'x', n }));
      const y = testEvent('acme', 'y', 'widget.changed', { subject: 'y', n: 9 });
      await bus.publish(acme, x[0]!, x[1]!, y, x[2]!);
      const relay = bus.relay();
      // Publish everything without letting retries fall due.
      while ((await relay.runOnce()) > 0);
      assert.deepEqual((await effectsOf(bus.db, 'search')).map((e) => `${e.aggregate_id}${e.n}`), ['x1', 'x2', 'y9', 'x3'], 'search is not held back: it takes every event in order');
      assert.deepEqual((await effectsOf(bus.db, 'erp')).map((e) => `${e.aggregate_id}${e.n}`), ['y9'], 'erp holds x2 and x3 behind x1; y goes on');
      const deferred = bus.outcomes.filter((o) => o.consumer === 'erp' && o.result === 'deferred').map((o) => o.eventId);
      assert.deepEqual(deferred, [x[1]!.id, x[2]!.id]);
      await relay.drain();
      assert.deepEqual((await effectsOf(bus.db, 'erp')).map((e) => `${e.aggregate_id}${e.n}`), ['y9', 'x1', 'x2', 'x3']);
      assert.equal(failuresLeft, -1);
    });

    test('a refused publish keeps the row and tries again after a backoff', async () => {
      const clock = manualClock();
      const consumers = defineConsumers({
        ledger: { 'widget.changed': { schema: widget, handler: async (_ctx, event, tx: StoreTx) => writeEffect(tx, 'ledger', event) } },
      });
      const bus = await wireBus(db, consumers, { clock });
      const ev = testEvent('acme', 'w1');
      await bus.publish(acme, ev);
      let refuse = true;
      const errors: unknown[] = [];
      const relay = createRelay({
        outbox: bus.store.messaging.outbox,
        clock,
        random: () => 1,
        publishRetry: { initialDelayMs: 2_000 },
        onError: (err) => errors.push(err),
        transport: {
          name: 'flaky-broker',
          async publish(envelope, position) {
            if (refuse) throw new TransientError('TL_NATS_UNAVAILABLE', 'no servers');
            return { messageId: envelope.id, duplicate: false, deliveries: await bus.dispatcher.deliver(envelope, position) };
          },
        },
      });
      assert.equal(await relay.runOnce(), 1);
      assert.equal(errors.length, 1);
      const pending = await bus.store.messaging.outbox.pending();
      assert.deepEqual(pending, { count: 1, nextAt: new Date(clock.now().getTime() + 2_000) });
      refuse = false;
      assert.equal(await relay.runOnce(), 0, 'not before the backoff');
      clock.advance(2_000);
      assert.equal(await relay.runOnce(), 1);
      assert.equal((await effectsOf(bus.db, 'ledger')).length, 1);
      const { rows } = await bus.db.query<{ attempts: number; last_error: string }>('SELECT attempts, last_error FROM tl_outbox');
      assert.deepEqual(rows, [{ attempts: 1, last_error: 'TL_NATS_UNAVAILABLE: no servers' }]);
    });

    test('start() delivers in the background, wake() cuts the poll short, stop() lets the batch in flight finish', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      const consumers = defineConsumers({
        ledger: {
          'widget.changed': {
            schema: widget,
            handler: async (_ctx, event, tx: StoreTx) => {
              if (event.data.subject === 'slow') {
                entered();
                await gate;
              }
              await writeEffect(tx, 'ledger', event);
            },
          },
        },
      });
      const bus = await wireBus(db, consumers);
      const relay = bus.relay({ pollIntervalMs: 60_000 });
      const unsubscribe = bus.store.onEventsCommitted(() => relay.wake());
      relay.start();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the loop is now idle for a minute
      const started = Date.now();
      await bus.publish(acme, testEvent('acme', 'w1'));
      while ((await effectsOf(bus.db, 'ledger')).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.ok(Date.now() - started < 5_000, 'woken, not polled');

      await bus.publish(acme, testEvent('acme', 'slow'));
      await inHandler;
      const stopping = relay.stop();
      let stopped = false;
      void stopping.then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(stopped, false, 'stop waits for the batch in flight');
      release();
      await stopping;
      assert.equal(relay.running, false);
      assert.equal((await effectsOf(bus.db, 'ledger')).length, 2);
      assert.deepEqual(await bus.store.messaging.outbox.pending(), { count: 0, nextAt: undefined }, 'the in-flight row was marked published');
      unsubscribe();
    });
  });
}
