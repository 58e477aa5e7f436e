import type { EventEnvelope } from '@tradelane/canonical';
import { InputError, retryPolicy, type MessagingTx, type RetryPolicy, type TenantContext } from '@tradelane/core';

/** Anything that validates a payload the way zod does: `safeParse` returning success and data, or an error. */
export interface SafeParseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** Facts about the delivery a handler is running in. */
export interface DeliveryInfo {
  readonly consumer: string;
  /** 1 for the first attempt; replays count on from the dead letter's attempts. */
  readonly attempt: number;
  /** True when an operator replays a dead letter. */
  readonly replay: boolean;
}

/**
 * Handles one event for one consumer. It runs inside the transaction that records the event in the consumer's
 * inbox: write every effect through `tx`, so effect and inbox record commit together (exactly-once effects).
 */
export type EventHandler<Tx, T> = (ctx: TenantContext, event: EventEnvelope<T>, tx: Tx, info: DeliveryInfo) => Promise<void>;

/** What a consumer does with one event type: validate, handle, retry. */
export interface EventHandlerDefinition<Tx, T> {
  /** Validates `event.data`; a payload that fails is a permanent error (dead-lettered at once). */
  readonly schema: SafeParseSchema<T>;
  readonly handler: EventHandler<Tx, T>;
  /** Retry policy of transient failures. @default defaultRetryPolicy */
  readonly retry?: Partial<RetryPolicy> | undefined;
}

/** One consumer's handler of one event type, as registered. */
export interface RegisteredHandler<Tx> {
  readonly consumer: string;
  readonly eventType: string;
  readonly schema: SafeParseSchema<unknown>;
  readonly handler: EventHandler<Tx, unknown>;
  readonly retry: RetryPolicy;
}

/** Every consumer and the event types it handles. */
export interface ConsumerRegistry<Tx extends MessagingTx = MessagingTx> {
  /** Consumer names, in definition order. */
  readonly consumerNames: readonly string[];
  /** Handlers subscribed to an event type, in definition order. */
  subscribers(eventType: string): readonly RegisteredHandler<Tx>[];
  /** The handler of one consumer for one event type, if it has one. */
  handler(consumer: string, eventType: string): RegisteredHandler<Tx> | undefined;
}

/** The definitions object of {@link defineConsumers}: consumer name → event type → definition. */
export type ConsumerDefinitions<Tx, M> = { [C in keyof M]: { [E in keyof M[C]]: EventHandlerDefinition<Tx, M[C][E]> } };

const NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Declares consumers, keyed by consumer name, each mapping event types to `{ schema, handler, retry }`. The payload
 * type of each handler is inferred from its schema; annotate one handler's `tx` to type them all.
 * @example
 * const consumers = defineConsumers({
 *   'inventory-projection': {
 *     'sales_order.accepted': { schema: salesOrderAcceptedData, retry: { maxAttempts: 8 }, handler: async (ctx, event, tx: StoreTx) => { ... } },
 *   },
 * });
 */
export function defineConsumers<Tx extends MessagingTx, M extends Record<string, Record<string, unknown>>>(
  definitions: ConsumerDefinitions<Tx, M>,
): ConsumerRegistry<Tx> {
  const byType = new Map<string, RegisteredHandler<Tx>[]>();
  const byKey = new Map<string, RegisteredHandler<Tx>>();
  const consumerNames: string[] = [];
  for (const [consumer, events] of Object.entries(definitions as Record<string, Record<string, EventHandlerDefinition<Tx, unknown>>>)) {
    if (!NAME.test(consumer)) throw new InputError('TL_BUS_BAD_CONSUMER', `consumer name "${consumer}" must be 1-128 letters, digits, "_", ".", ":" or "-"`);
    consumerNames.push(consumer);
    for (const [eventType, def] of Object.entries(events)) {
      if (!def || typeof def.schema?.safeParse !== 'function' || typeof def.handler !== 'function') {
        throw new InputError('TL_BUS_BAD_CONSUMER', `${consumer} / ${eventType}: a definition needs a schema with safeParse and a handler`);
      }
      const registered: RegisteredHandler<Tx> = {
        consumer,
        eventType,
        schema: def.schema,
        handler: def.handler,
        retry: retryPolicy(def.retry),
      };
      byKey.set(`${consumer}\u0000${eventType}`, registered);
      const list = byType.get(eventType) ?? [];
      list.push(registered);
      byType.set(eventType, list);
    }
  }
  return {
    consumerNames,
    subscribers: (eventType) => byType.get(eventType) ?? [],
    handler: (consumer, eventType) => byKey.get(`${consumer}\u0000${eventType}`),
  };
}

/**
 * {@link defineConsumers} with the transaction type fixed up front, so every handler's `tx` is typed without
 * annotations (also when handlers are written as standalone functions).
 * @example const consumers = defineConsumersFor<StoreTx>()({ 'search-index': { 'item.changed': { schema, handler } } })
 */
export function defineConsumersFor<Tx extends MessagingTx>(): <M extends Record<string, Record<string, unknown>>>(
  definitions: ConsumerDefinitions<Tx, M>,
) => ConsumerRegistry<Tx> {
  return (definitions) => defineConsumers(definitions);
}
