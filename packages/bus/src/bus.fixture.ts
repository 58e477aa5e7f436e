import { makeEvent, type EventEnvelope } from '@tradelane/canonical';
import { systemClock, systemContext, type Clock, type TenantContext } from '@tradelane/core';
import { createStore, type Database, type Store, type StoreTx } from '@tradelane/store';
import type { ConsumerRegistry } from './consumer-registry.js';
import { createDispatcher, type DeliveryOutcome, type Dispatcher } from './dispatcher.js';
import { createLocalTransport } from './local.transport.js';
import { createRelay, type Relay, type RelayOptions } from './relay.js';
import { createReplayer, type Replayer } from './replay.js';

export { manualClock, type ManualClock } from '@tradelane/testkit';

/** A system context for a test tenant. */
export function ctxFor(tenantId: string): TenantContext {
  return systemContext(tenantId, `corr-${tenantId}`, 'test');
}

/** A valid test event about `subject`. */
export function testEvent(tenantId: string, subject: string, type = 'widget.changed', data: unknown = { subject }): EventEnvelope {
  return makeEvent({ type, source: '/tradelane/test', tenantId, subject, data, dataVersion: 1 });
}

/** A schema that accepts anything (the `safeParse` shape zod has). */
export const anyPayload = { safeParse: (data: unknown) => ({ success: true as const, data }) };

/** Creates the table where test consumers write their effects: one row per applied event and consumer. */
export async function createEffectsTable(db: Database): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS test_effects (
    consumer text NOT NULL, event_id text NOT NULL, tenant_id text NOT NULL, aggregate_id text NOT NULL, n integer NOT NULL DEFAULT 0,
    applied_seq bigserial)`);
}

/** Writes one effect row through the consumer's transaction. */
export async function writeEffect(tx: StoreTx, consumer: string, event: EventEnvelope, n = 0): Promise<void> {
  await tx.sql.query('INSERT INTO test_effects (consumer, event_id, tenant_id, aggregate_id, n) VALUES ($1, $2, $3, $4, $5)', [
    consumer,
    event.id,
    event.tenantid,
    event.subject ?? '',
    n,
  ]);
}

/** The effects a consumer applied, in the order they committed. */
export async function effectsOf(db: Database, consumer: string): Promise<{ event_id: string; aggregate_id: string; n: number }[]> {
  const { rows } = await db.query<{ event_id: string; aggregate_id: string; n: number }>(
    'SELECT event_id, aggregate_id, n FROM test_effects WHERE consumer = $1 ORDER BY applied_seq',
    [consumer],
  );
  return rows;
}

/** A bus wired on a real database, the way apps/server wires it. */
export interface BusHarness {
  readonly db: Database;
  readonly store: Store;
  readonly clock: Clock;
  readonly dispatcher: Dispatcher;
  readonly replayer: Replayer;
  /** Every delivery outcome reported so far. */
  readonly outcomes: DeliveryOutcome[];
  /** A new relay over the harness's outbox and dispatcher. */
  relay(options?: Partial<RelayOptions>): Relay;
  /** Appends events, one transaction each. */
  publish(ctx: TenantContext, ...events: EventEnvelope[]): Promise<void>;
}

/**
 * Wires store, dispatcher, local transport, relay and replayer on `db` (open and migrated), after emptying the
 * messaging tables and the effects table, so tests of one file can share one database.
 */
export async function wireBus(
  db: Database,
  consumers: ConsumerRegistry<StoreTx>,
  options: { clock?: Clock; random?: () => number } = {},
): Promise<BusHarness> {
  await createEffectsTable(db);
  await db.exec('TRUNCATE tl_outbox, tl_inbox, tl_deliveries, tl_dead_letters, tl_documents, test_effects');
  const clock = options.clock ?? systemClock;
  const store = createStore(db, { clock });
  const outcomes: DeliveryOutcome[] = [];
  const dispatcher = createDispatcher({
    consumers,
    transactions: store,
    deliveries: store.messaging.deliveries,
    deadLetters: store.messaging.deadLetters,
    clock,
    random: options.random ?? (() => 0.5),
    onOutcome: (o) => outcomes.push(o),
  });
  return {
    db,
    store,
    clock,
    dispatcher,
    outcomes,
    replayer: createReplayer({ dispatcher, deadLetters: store.messaging.deadLetters, clock }),
    relay: (relayOptions = {}) =>
      createRelay({
        outbox: store.messaging.outbox,
        transport: createLocalTransport(dispatcher),
        dispatcher,
        clock,
        pollIntervalMs: 20,
        ...relayOptions,
      }),
    async publish(ctx, ...events) {
      for (const envelope of events) await store.transaction((tx) => tx.outbox.append(ctx, { envelope }));
    },
  };
}
