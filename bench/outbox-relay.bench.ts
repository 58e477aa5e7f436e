/**
 * What the transactional outbox costs. Baseline: N transactions that each write a state change and its effect
 * directly. Ours: N transactions that write the state change plus an outbox event, then the relay delivers every
 * event to a consumer that applies the same effect through its inbox (exactly once). Same process, same embedded
 * database, same N. Prints one line: events/s through outbox + relay + inbox, direct writes/s, ratio.
 */
import { makeEvent } from '@tradelane/canonical';
import { systemContext } from '@tradelane/core';
import { createDispatcher, createLocalTransport, createRelay, defineConsumers } from '@tradelane/bus';
import { createStore, openPglite, migrate, type StoreTx } from '@tradelane/store';

const N = Number(process.env.TL_BENCH_EVENTS ?? 2000);
const ctx = systemContext('bench', 'bench');

async function main(): Promise<void> {
  const db = await openPglite('memory://');
  await migrate(db);
  await db.exec(`CREATE TABLE bench_state (id text PRIMARY KEY, v int NOT NULL);
                 CREATE TABLE bench_effects (event_id text PRIMARY KEY, state_id text NOT NULL)`);
  const store = createStore(db);

  // Baseline: state change and effect written directly, one transaction each.
  let t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await store.transaction(async (tx) => {
      await tx.sql.query('INSERT INTO bench_state (id, v) VALUES ($1, 1)', [`d${i}`]);
      await tx.sql.query('INSERT INTO bench_effects (event_id, state_id) VALUES ($1, $2)', [`de${i}`, `d${i}`]);
    });
  }
  const directPerSec = N / ((performance.now() - t0) / 1000);

  // Ours: state change + outbox event, then relay → local transport → consumer with inbox dedupe.
  const consumers = defineConsumers<StoreTx, { effects: { 'bench.changed': unknown } }>({
    effects: {
      'bench.changed': {
        schema: { safeParse: (data: unknown) => ({ success: true as const, data }) },
        handler: async (_ctx, event, tx) => {
          await tx.sql.query('INSERT INTO bench_effects (event_id, state_id) VALUES ($1, $2)', [event.id, event.subject ?? '']);
        },
      },
    },
  });
  const dispatcher = createDispatcher<StoreTx>({
    consumers,
    transactions: store,
    deliveries: store.messaging.deliveries,
    deadLetters: store.messaging.deadLetters,
  });
  const relay = createRelay({ outbox: store.messaging.outbox, transport: createLocalTransport(dispatcher), dispatcher, batchSize: 200 });
  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await store.transaction(async (tx) => {
      await tx.sql.query('INSERT INTO bench_state (id, v) VALUES ($1, 1)', [`o${i}`]);
      await tx.outbox.append(ctx, {
        envelope: makeEvent({ type: 'bench.changed', source: '/bench', tenantId: 'bench', subject: `o${i}`, data: { i }, dataVersion: 1 }),
      });
    });
  }
  await relay.drain({ timeoutMs: 600_000 });
  const oursPerSec = N / ((performance.now() - t0) / 1000);
  const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM bench_effects WHERE state_id LIKE 'o%'`);
  if (Number(rows[0]!.n) !== N) throw new Error(`expected ${N} effects, found ${rows[0]!.n}`);
  await db.close();
  console.log(
    `bus outbox-to-consumer: tradelane ${oursPerSec.toFixed(0)} events/s (write + relay + inbox, exactly once) vs direct ${directPerSec.toFixed(0)} writes/s ratio ${(oursPerSec / directPerSec).toFixed(2)} (n=${N}, PGlite)`,
  );
}

await main();
