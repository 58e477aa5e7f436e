import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { createDispatcher, createLocalTransport, createRelay, createReplayer, type ConsumerRegistry, type Relay, type Replayer } from '@tradelane/bus';
import { createFlowEngine, type FlowDefinition, type FlowEngine } from '@tradelane/flows';
import {
  createFlowStore,
  createOrderToCashStore,
  createProcureToPayStore,
  createStore,
  type Database,
  type OrderToCashStore,
  type ProcureToPayStore,
  type ProcureToPayStoreTx,
  type Store,
} from '@tradelane/store';
import type { ServerConfig } from './config.js';
import type { Component } from './component.js';
import { mergeConsumers } from './consumers.js';

/** The hub's moving parts on one database: store, bus (dispatcher, relay, replay) and the flow engine. */
export interface Runtime {
  store: Store;
  /** Order-to-cash persistence: its transactions (the dispatcher's), customer queries, API keys, timeline watchers. */
  orderToCash: OrderToCashStore;
  /** Procure-to-pay persistence; its transactions (a superset of order-to-cash's) are the dispatcher's. */
  procureToPay: ProcureToPayStore;
  relay: Relay;
  replayer: Replayer;
  engine: FlowEngine;
  /** Background components for the server to start and stop: the relay, the flow worker, then the modules' ones. */
  components: Component[];
}

/** What a business module adds to the runtime. */
export interface RuntimeModules {
  /** Consumers; their handlers get a {@link ProcureToPayStoreTx} (a `StoreTx` plus the order-to-cash and procure-to-pay repositories). */
  consumers?: ConsumerRegistry<ProcureToPayStoreTx> | undefined;
  flows?: readonly FlowDefinition<any, any>[] | undefined;
  /** Background work of the module (feed pollers …), started after the relay and the flow worker. */
  components?: readonly Component[] | undefined;
}

/** The runtime's parts a module may compose with; `engine()` is late-bound (the engine is built with the modules' flows). */
export interface RuntimeParts {
  store: Store;
  orderToCash: OrderToCashStore;
  procureToPay: ProcureToPayStore;
  engine(): FlowEngine;
}

/** A business module: its consumers, flows and components, or a function building them from the runtime's parts. */
export type RuntimeModule = RuntimeModules | ((parts: RuntimeParts) => RuntimeModules);

/**
 * Composes the store, the in-process bus and the flow engine on an open, migrated database. The dispatcher runs
 * consumers in procure-to-pay transactions (which bind the order-to-cash repositories too), so handlers written
 * against `StoreTx`, order-to-cash and procure-to-pay handlers share it. API keys resolved through
 * `orderToCash.apiKeys` are cached for `config.auth.credentialCacheMs` (none without it).
 * @example const rt = createRuntime(db, config, logger, [orderToCash.module]); for (const c of rt.components) await c.start();
 */
export function createRuntime(db: Database, config: Pick<ServerConfig, 'bus' | 'flows'> & Partial<Pick<ServerConfig, 'auth'>>, logger: Logger, modules: RuntimeModule | readonly RuntimeModule[] = []): Runtime {
  const store = createStore(db);
  const busLog = logger.child({ component: 'bus' });
  const onAfterCommitError = (err: unknown) => busLog.error({ err }, 'after-commit work failed');
  const orderToCash = createOrderToCashStore(store, { onError: onAfterCommitError, apiKeyCache: { ttlMs: config.auth?.credentialCacheMs ?? 0 } });
  const procureToPay = createProcureToPayStore(store, { watchers: orderToCash.watchers, onError: onAfterCommitError });
  let engine: FlowEngine | undefined;
  const parts: RuntimeParts = {
    store,
    orderToCash,
    procureToPay,
    engine: () => {
      if (!engine) throw new Error('the flow engine is used before createRuntime has built it');
      return engine;
    },
  };
  const built = (Array.isArray(modules) ? modules : [modules]).map((m: RuntimeModule) => (typeof m === 'function' ? m(parts) : m));

  const dispatcher = createDispatcher<ProcureToPayStoreTx>({
    consumers: mergeConsumers(built.flatMap((m) => (m.consumers ? [m.consumers] : []))),
    transactions: procureToPay.transactions,
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
    concurrency: config.bus.concurrency,
    onError: (err) => busLog.error({ err }, 'relay error'),
  });
  store.onEventsCommitted(() => relay.wake());
  const replayer = createReplayer({ dispatcher, deadLetters: store.messaging.deadLetters });
  const flowLog = logger.child({ component: 'flows' });
  engine = createFlowEngine({
    store: createFlowStore(db),
    flows: built.flatMap((m) => m.flows ?? []),
    pollIntervalMs: config.flows.pollIntervalMs,
    workerId: config.flows.workerId ?? `${hostname()}:${process.pid}`,
    logger: ({ level, message, fields, ...where }) => flowLog[level]({ ...where, ...fields }, message),
  });
  const worker = engine;
  const components: Component[] = [
    { name: 'outbox-relay', start: () => relay.start(), stop: () => relay.stop() },
    { name: 'flow-worker', start: () => worker.startWorker(), stop: () => worker.stop() },
    ...built.flatMap((m) => m.components ?? []),
  ];
  return { store, orderToCash, procureToPay, relay, replayer, engine, components };
}
