import type { Clock, MessagingTx, WebhookOutbox } from '@tradelane/core';
import { systemClock } from '@tradelane/core';
import { defineConsumers, type ConsumerRegistry, type EventHandlerDefinition } from '../consumer-registry.js';
import { eventPartnerId, matchesAnyFilter, webhookBody, webhookEventTypes } from './webhook-events.js';

/** Consumer name of the webhook fan-out in the consumer registry (and in inbox, delivery and dead-letter rows). */
export const WEBHOOK_CONSUMER = 'webhooks';

/** Options of {@link webhookConsumers}. */
export interface WebhookConsumerOptions<Tx extends MessagingTx> {
  /** The webhook outbox bound to the consumer's transaction, e.g. `(tx) => createWebhookRepo(tx.sql, clock)`. */
  readonly outboxOf: (tx: Tx) => WebhookOutbox;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** Event types to fan out. @default webhookEventTypes */
  readonly eventTypes?: readonly string[] | undefined;
  /** Called after deliveries were enqueued (inside the transaction), e.g. to wake the delivery worker soon. */
  readonly onEnqueued?: (() => void) | undefined;
}

const anyData = { safeParse: (data: unknown) => ({ success: true as const, data }) };

/**
 * The consumer that turns events into webhook deliveries: for each subscribable event with a partner, one pending
 * delivery per enabled subscription of that partner whose filters match, written in the consumer's transaction
 * (so the inbox record and the deliveries commit together). The delivery worker sends them.
 * @example mergeConsumers([orderToCash.consumers, webhookConsumers<OrderToCashStoreTx>({ outboxOf: (tx) => createWebhookRepo(tx.sql, clock) })])
 */
export function webhookConsumers<Tx extends MessagingTx>(options: WebhookConsumerOptions<Tx>): ConsumerRegistry<Tx> {
  const clock = options.clock ?? systemClock;
  const handlers: Record<string, EventHandlerDefinition<Tx, unknown>> = {};
  for (const type of options.eventTypes ?? webhookEventTypes) {
    handlers[type] = {
      schema: anyData,
      retry: { maxAttempts: 10 },
      handler: async (ctx, event, tx) => {
        const partnerId = eventPartnerId(event);
        if (partnerId === undefined) return;
        const outbox = options.outboxOf(tx);
        const subscriptions = (await outbox.enabledSubscriptions(ctx, partnerId)).filter((s) => matchesAnyFilter(s.eventTypes, event.type));
        if (subscriptions.length === 0) return;
        const body = webhookBody(event);
        let enqueued = false;
        for (const s of subscriptions) {
          enqueued = (await outbox.enqueue(ctx, { subscriptionId: s.id, eventId: event.id, eventType: event.type, body, dueAt: clock.now() })) || enqueued;
        }
        if (enqueued) options.onEnqueued?.();
      },
    };
  }
  return defineConsumers<Tx, Record<string, Record<string, unknown>>>({ [WEBHOOK_CONSUMER]: handlers } as never);
}
