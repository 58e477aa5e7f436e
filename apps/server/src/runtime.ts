import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { createDispatcher, createLocalTransport, createRelay, createReplayer, defineConsumers, type ConsumerRegistry, type Relay, type Replayer } from '@tradelane/bus';
import { createFlowEngine, type FlowDefinition, type FlowEngine } from '@tradelane/flows';
import { createFlowStore, createStore, type Database, type Store, type StoreTx } from '@tradelane/store';
import type { ServerConfig } from './config.js';
import type { Component } from './component.js';

/** The hub's moving parts on one database: store, bus (dispatcher, relay, replay) and the flow engine. */
export interface Runtime {
  store: Store;
  relay: Relay;
  replayer: Replayer;
  engine: FlowEngine;
  /** Background components for the server to start and stop: the relay and the flow worker. */
  components: Component[];
}

/** What business modules add to the runtime. */
export interface RuntimeModules {
  consumers?: ConsumerRegistry<StoreTx>;
  flows?: readonly FlowDefinition<any, any>[];
}

/**
 * Composes the store, the in-process bus and the flow engine on an open, migrated database.
 * @example const rt = createRuntime(db, config, logger, { consumers, flows }); for (const c of rt.components) await c.start();
 */
export function createRuntime(db: Database, config: Pick<ServerConfig, 'bus' | 'flows'>, logger: Logger, modules: RuntimeModules = {}): Runtime {
  const store = createStore(db);
  const consumers = modules.consumers ?? defineConsumers<StoreTx, Record<string, Record<string, unknown>>>({});
  const busLog = logger.child({ component: 'bus' });
  const dispatcher = createDispatcher<StoreTx>({
    consumers,
    transactions: store,
    deliveries: store.messaging.deliveries,
    deadLetters: store.messaging.deadLetters,
    onOutcome: (o) => {
      if (o.result === 'dead_lettered') busLog.error({ consumer: o.consumer, eventId: o.eventId }, 'event dead-lettered');
      else if (o.result === 'retry_scheduled') busLog.warn({ consumer: o.consumer, eventId: o.eventId }, 'delivery failed; retry scheduled');
    },
  });
  const relay = createRelay({
    outbox: store.messaging.outbox,
    transport: createLocalTransport(dispatcher),
    dispatcher,
    pollIntervalMs: config.bus.pollIntervalMs,
    onError: (err) => busLog.error({ err }, 'relay error'),
  });
  store.onEventsCommitted(() => relay.wake());
  const replayer = createReplayer({ dispatcher, deadLetters: store.messaging.deadLetters });
  const flowLog = logger.child({ component: 'flows' });
  const engine = createFlowEngine({
    store: createFlowStore(db),
    flows: modules.flows ?? [],
    pollIntervalMs: config.flows.pollIntervalMs,
    workerId: config.flows.workerId ?? `${hostname()}:${process.pid}`,
    logger: ({ level, message, fields, ...where }) => flowLog[level]({ ...where, ...fields }, message),
  });
  const components: Component[] = [
    { name: 'outbox-relay', start: () => relay.start(), stop: () => relay.stop() },
    { name: 'flow-worker', start: () => engine.startWorker(), stop: () => engine.stop() },
  ];
  return { store, relay, replayer, engine, components };
}
