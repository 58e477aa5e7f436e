/**
 * The exactly-once proof: concurrent writers commit state changes with their events out of sequence order while
 * relays come and go, one of them dying between "consumer effect committed" and "outbox row marked published".
 * Every event must be applied exactly once by every consumer, none skipped, each aggregate in order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransientError, type DeadLetterStore, type DeliveryStore, type OutboxReader, type TenantContext } from '@tradelane/core';
import type { Database, StoreTx } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { ctxFor, testEvent, wireBus, writeEffect } from './bus.fixture.js';
import { defineConsumersFor } from './consumer-registry.js';
import { createDispatcher, type DeliveryOutcome } from './dispatcher.js';
import { createLocalTransport } from './local.transport.js';
import { createRelay, type Relay } from './relay.js';

const WRITERS = 4;
const AGGREGATES_PER_WRITER = 5;
const LEASE_MS = 300;

interface Change {
  subject: string;
  writer: number;
  /** Position of the event within its aggregate, from 1. */
  n: number;
}

const changeSchema = {
  safeParse: (d: unknown) =>
    typeof (d as Change)?.n === 'number' ? { success: true as const, data: d as Change } : { success: false as const, error: new Error('not a change') },
};

/** Thrown by every port of a relay that has "died". */
class ProcessDied extends Error {}

/** Wraps every method of `port` so that it fails once `dead()` is true, as calls into a dead process would. */
function mortal<T extends object>(port: T, dead: () => boolean): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (dead()) throw new ProcessDied('process died');
        return value.apply(target, args);
      };
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rand = (max: number) => Math.floor(Math.random() * max);

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

for (const target of databaseTargets()) {
  describe(`exactly-once delivery on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('4 concurrent writers, out-of-order commits, relay stop and restart, a crash before marking published: every event applied exactly once', async () => {
      const perWriter = target.name === 'postgres' ? 60 : 40;
      const total = WRITERS * perWriter;
      const consumers = defineConsumersFor<StoreTx>()({
        ledger: {
          'widget.changed': { schema: changeSchema, handler: async (_ctx, event, tx) => writeEffect(tx, 'ledger', event, event.data.n) },
        },
        projection: {
          'widget.changed': {
            schema: changeSchema,
            retry: { maxAttempts: 30, initialDelayMs: 5, maxDelayMs: 40 },
            handler: async (_ctx, event, tx) => {
              await writeEffect(tx, 'projection', event, event.data.n);
              // Fails after writing its effect: the rollback must take the effect and the inbox record with it.
              if (Math.random() < 0.1) throw new TransientError('TL_TEST_FLAKY', 'projection store hiccup');
            },
          },
        },
      });
      const bus = await wireBus(db, consumers);
      const { store } = bus;

      // --- writers --------------------------------------------------------------------------------------------
      let written = 0;
      const commitOrder: bigint[] = [];
      let crashed!: () => void;
      const hasCrashed = new Promise<void>((resolve) => (crashed = resolve));
      const writer = async (w: number) => {
        const ctx: TenantContext = ctxFor(w % 2 ? 'acme' : 'globex');
        const counts = new Map<string, number>();
        for (let i = 0; i < perWriter; i += 1) {
          if (i === Math.floor(perWriter / 4)) await hasCrashed; // the crash happens mid-stream
          const subject = `w${w}-a${i % AGGREGATES_PER_WRITER}`;
          const n = (counts.get(subject) ?? 0) + 1;
          counts.set(subject, n);
          const seq = await store.transaction(async (tx) => {
            if (n === 1) await tx.documents.insert(ctx, { docType: 'widget', id: subject, status: 'Active', body: { n } });
            else await tx.documents.update(ctx, { docType: 'widget', id: subject, expectedVersion: n - 1, body: { n } });
            await sleep(rand(3));
            const [row] = await tx.outbox.append(ctx, { envelope: testEvent(ctx.tenantId, subject, 'widget.changed', { subject, writer: w, n }) });
            // Hold some transactions open so that later sequence numbers commit first.
            await sleep(i % 5 === 2 ? 20 + rand(40) : rand(3));
            return BigInt(row!.seq);
          });
          commitOrder.push(seq);
          written += 1;
          await sleep(rand(6));
        }
      };
      const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

      // --- relay A: dies between "effects committed" and "marked published" -----------------------------------
      let dead = false;
      let crashedEventId: string | undefined;
      let markedRows = 0;
      const outcomesOfA: DeliveryOutcome[] = [];
      const outboxOfA: OutboxReader = {
        ...mortal(store.messaging.outbox, () => dead),
        async markPublished(ids, now) {
          if (dead) throw new ProcessDied('process died');
          markedRows += typeof ids === 'string' ? 1 : ids.length;
          if (markedRows >= 5) {
            dead = true;
            crashedEventId = typeof ids === 'string' ? ids : ids[0];
            crashed();
            throw new ProcessDied('process died before marking the row published');
          }
          return store.messaging.outbox.markPublished(ids, now);
        },
      };
      const dispatcherOfA = createDispatcher({
        consumers,
        transactions: {
          transaction: <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => (dead ? Promise.reject(new ProcessDied('process died')) : store.transaction(fn)),
        },
        deliveries: mortal<DeliveryStore>(store.messaging.deliveries, () => dead),
        deadLetters: mortal<DeadLetterStore>(store.messaging.deadLetters, () => dead),
        leaseMs: LEASE_MS,
        onOutcome: (o) => outcomesOfA.push(o),
      });
      const relayA = createRelay({
        outbox: outboxOfA,
        transport: createLocalTransport(dispatcherOfA),
        dispatcher: dispatcherOfA,
        leaseMs: LEASE_MS,
        pollIntervalMs: 10,
        batchSize: 10,
        concurrency: 2,
        onError: () => {},
      });
      const started = Date.now();
      relayA.start();
      await hasCrashed;
      await relayA.stop();
      const crashedId = crashedEventId!;
      assert.ok(
        outcomesOfA.some((o) => o.eventId === crashedId && o.consumer === 'ledger' && o.result === 'applied'),
        'the crashed event had its ledger effect committed before the crash',
      );

      // --- relays B and C take over; B is stopped mid-stream and replaced by a new instance D ------------------
      const errors: unknown[] = [];
      const newRelay = (): Relay => bus.relay({ leaseMs: 10_000, pollIntervalMs: 10, batchSize: 10, concurrency: 2, onError: (e) => errors.push(e) });
      const relayB = newRelay();
      const relayC = newRelay();
      relayB.start();
      relayC.start();
      await until(() => written >= total * 0.6, 'writers to reach 60%');
      assert.ok(written < total, 'relay B stops while writers are still writing');
      await relayB.stop();
      const relayD = newRelay();
      relayD.start();
      await writing;
      await relayC.stop();
      await relayD.stop();
      const drained = await newRelay().drain({ timeoutMs: 30_000 });
      assert.ok(drained.rounds >= 1);
      assert.deepEqual(errors, [], 'the surviving relays saw no errors');

      // --- the proof ---------------------------------------------------------------------------------------------
      const { rows: outbox } = await db.query<{ n: number; unpublished: number }>(
        'SELECT count(*)::int AS n, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM tl_outbox',
      );
      assert.deepEqual(outbox[0], { n: total, unpublished: 0 });
      for (const consumer of ['ledger', 'projection']) {
        const { rows } = await db.query<{ applied: number; distinct_events: number; max_per_event: number }>(
          `SELECT count(*)::int AS applied, count(DISTINCT event_id)::int AS distinct_events,
                  COALESCE(max(per_event), 0)::int AS max_per_event
             FROM (SELECT event_id, count(*) OVER (PARTITION BY event_id) AS per_event FROM test_effects WHERE consumer = $1) e`,
          [consumer],
        );
        assert.deepEqual(rows[0], { applied: total, distinct_events: total, max_per_event: 1 }, `${consumer}: every event exactly once`);
        const { rows: missing } = await db.query(
          `SELECT o.id FROM tl_outbox o WHERE NOT EXISTS (SELECT 1 FROM test_effects e WHERE e.consumer = $1 AND e.event_id = o.id)`,
          [consumer],
        );
        assert.deepEqual(missing, [], `${consumer}: no event skipped`);
        // Per-aggregate order: each aggregate's events were applied as 1, 2, 3, …
        const { rows: applied } = await db.query<{ aggregate_id: string; n: number }>(
          'SELECT aggregate_id, n FROM test_effects WHERE consumer = $1 ORDER BY applied_seq',
          [consumer],
        );
        const last = new Map<string, number>();
        for (const { aggregate_id, n } of applied) {
          assert.equal(n, (last.get(aggregate_id) ?? 0) + 1, `${consumer}: ${aggregate_id} applied in order`);
          last.set(aggregate_id, n);
        }
      }
      const { rows: inbox } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tl_inbox');
      assert.equal(inbox[0]!.n, total * 2);
      assert.deepEqual((await store.messaging.deadLetters.list({ status: 'any' })).items, []);

      // The crashed event was delivered again and the inbox turned the redelivery away.
      assert.ok(
        bus.outcomes.some((o) => o.eventId === crashedId && o.consumer === 'ledger' && o.result === 'duplicate'),
        'the redelivered event was deduplicated by the inbox',
      );
      const redeliveries = bus.outcomes.filter((o) => o.result === 'duplicate').length;
      const retries = [...outcomesOfA, ...bus.outcomes].filter((o) => o.result === 'retry_scheduled').length;
      const outOfOrderCommits = commitOrder.filter((seq, i) => i > 0 && seq < commitOrder[i - 1]!).length;
      if (target.name === 'postgres') assert.ok(outOfOrderCommits > 0, 'some transactions committed after later sequence numbers');
      console.log(
        `# ${target.name}: ${total} events × 2 consumers applied exactly once; ${redeliveries} redeliveries deduplicated, ` +
          `${retries} transient failures retried, ${outOfOrderCommits} out-of-order commits, ${Date.now() - started} ms`,
      );
    });
  });
}
