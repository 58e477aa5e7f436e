import type { Logger } from 'pino';
import {
  createSsrfGuard,
  createWebhookService,
  createWebhookWorker,
  webhookConsumers,
  type SsrfAllowList,
  type WebhookDisablePolicy,
  type WebhookService,
  type WebhookWorker,
} from '@tradelane/bus';
import { createGovernanceStore, type OrderToCashStoreTx, type Store } from '@tradelane/store';
import type { RuntimeModule } from './runtime.js';

/** Options of {@link webhooksModule}. */
export interface WebhooksModuleOptions {
  logger: Logger;
  /** Hosts and CIDR ranges exempt from the SSRF guard. @default nothing */
  allow?: SsrfAllowList | undefined;
  /** Retry delays after attempt 1, 2, … @default DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS */
  retryScheduleMs?: readonly number[] | undefined;
  disable?: Partial<WebhookDisablePolicy> | undefined;
  /** Idle poll of the delivery worker. @default 1000 */
  pollIntervalMs?: number | undefined;
}

/** Outbound webhooks as a runtime module, plus the service the governance routes will call. */
export interface WebhooksModule {
  /** Pass to `createRuntime`: the `webhooks` consumer (events → deliveries) and the delivery worker (a component). */
  readonly module: RuntimeModule;
  /** The subscription commands and delivery queries on a store (for the governance API). */
  service(store: Store): WebhookService;
  /** The delivery worker; throws before `createRuntime` has run the module. */
  worker(): WebhookWorker;
}

/**
 * Composes outbound webhooks: a consumer that turns subscribable events into deliveries inside the dispatcher's
 * transaction, and a background worker that signs, sends, retries and disables.
 * @example const webhooks = webhooksModule({ logger }); createRuntime(db, config, logger, [webhooks.module, o2c.module]);
 */
export function webhooksModule(options: WebhooksModuleOptions): WebhooksModule {
  const guard = createSsrfGuard({ allow: options.allow });
  const log = options.logger.child({ component: 'webhooks' });
  let built: WebhookWorker | undefined;
  return {
    module: (parts) => {
      const governance = createGovernanceStore(parts.store);
      const worker = createWebhookWorker({
        store: governance.webhooks,
        guard,
        clock: parts.store.clock,
        retryScheduleMs: options.retryScheduleMs,
        disable: options.disable,
        pollIntervalMs: options.pollIntervalMs,
        onAttempt: (r) => {
          const fields = { tenantId: r.tenantId, subscriptionId: r.subscriptionId, deliveryId: r.deliveryId, attempt: r.attempt.attempt, statusCode: r.attempt.statusCode, errorCode: r.attempt.errorCode };
          if (r.disabledReason) log.warn({ ...fields, reason: r.disabledReason }, 'webhook subscription disabled');
          else if (r.status !== 'delivered') log.warn({ ...fields, status: r.status }, 'webhook attempt failed');
        },
        onError: (err) => log.error({ err }, 'webhook worker error'),
      });
      built = worker;
      return {
        consumers: webhookConsumers<OrderToCashStoreTx>({
          outboxOf: governance.outboxOf,
          clock: parts.store.clock,
          // enqueued inside the consumer's transaction: poke the worker shortly after it commits (polling covers the rest)
          onEnqueued: () => void setTimeout(() => worker.wake(), 25).unref(),
        }),
        components: [{ name: 'webhook-worker', start: () => worker.start(), stop: () => worker.stop() }],
      };
    },
    service: (store) => createWebhookService({ transactions: createGovernanceStore(store).transactions, guard, clock: store.clock }),
    worker: () => {
      if (!built) throw new Error('the webhook worker is used before createRuntime has built it');
      return built;
    },
  };
}
