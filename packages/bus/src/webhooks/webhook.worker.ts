import {
  systemClock,
  systemContext,
  type Clock,
  type DueWebhookDelivery,
  type WebhookAttempt,
  type WebhookDeliveryStatus,
  type WebhookStore,
} from '@tradelane/core';
import { performance } from 'node:perf_hooks';
import { createSsrfGuard, type SsrfGuard } from './ssrf-guard.js';
import { signWebhook } from './webhook-signature.js';
import { sendWebhookRequest, type WebhookSender } from './webhook.sender.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delay before each retry, after attempt 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h — eight attempts over
 * about 31.6 hours; after the last one the delivery is given up (`failed`).
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR];

/** When a subscription is disabled automatically: this many failed attempts in a row, failing for at least this long. */
export interface WebhookDisablePolicy {
  /** @default 15 */
  readonly consecutiveFailures: number;
  /** @default 172800000 (48 hours) */
  readonly failingForMs: number;
}

/** The default {@link WebhookDisablePolicy}. */
export const DEFAULT_WEBHOOK_DISABLE_POLICY: WebhookDisablePolicy = { consecutiveFailures: 15, failingForMs: 48 * HOUR };

/** What one attempt did, reported to `onAttempt` (logs, metrics, tests). */
export interface WebhookAttemptReport {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly url: string;
  readonly attempt: WebhookAttempt;
  readonly status: WebhookDeliveryStatus;
  /** Set when this attempt disabled the subscription. */
  readonly disabledReason?: string | undefined;
}

/** Options of {@link createWebhookWorker}. */
export interface WebhookWorkerOptions {
  readonly store: Pick<WebhookStore, 'claimDue' | 'recordAttempt' | 'pending' | 'setStatus'>;
  /** @default createSsrfGuard() (nothing allow-listed) */
  readonly guard?: SsrfGuard | undefined;
  /** Time of attempts and schedules. @default systemClock */
  readonly clock?: Clock | undefined;
  /** @default DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS */
  readonly retryScheduleMs?: readonly number[] | undefined;
  /** @default DEFAULT_WEBHOOK_DISABLE_POLICY */
  readonly disable?: Partial<WebhookDisablePolicy> | undefined;
  /** Budget of one attempt. @default 15000 */
  readonly timeoutMs?: number | undefined;
  /** Deliveries claimed per round. @default 50 */
  readonly batchSize?: number | undefined;
  /** Attempts in flight at once. @default 10 */
  readonly concurrency?: number | undefined;
  /** Lease of a claimed delivery (longer than `timeoutMs`). @default 60000 */
  readonly leaseMs?: number | undefined;
  /** Idle wait between polls when started (real time). @default 1000 */
  readonly pollIntervalMs?: number | undefined;
  /** @default sendWebhookRequest (node:http/https) */
  readonly send?: WebhookSender | undefined;
  readonly onAttempt?: ((report: WebhookAttemptReport) => void) | undefined;
  readonly onError?: ((err: unknown) => void) | undefined;
}

/** Sends due webhook deliveries, signs them, retries on the schedule and disables failing subscriptions. */
export interface WebhookWorker {
  /** Attempts every delivery due now (by the worker's clock), round after round until none is due; returns how many. */
  runDue(): Promise<number>;
  /** Polls in the background until {@link WebhookWorker.stop}. */
  start(): void;
  /** Asks a started worker to poll now. */
  wake(): void;
  /** Stops polling and waits for attempts in flight. */
  stop(): Promise<void>;
}

function errorOf(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' && e.code.startsWith('TL_') ? e.code : 'TL_WEBHOOK_SEND_FAILED', message: typeof e?.message === 'string' ? e.message : String(err) };
}

/**
 * Builds the delivery worker. Each attempt: check and resolve the target through the SSRF guard (a forbidden target
 * fails the delivery and disables the subscription without any connection), sign with every valid secret, POST with
 * a timeout and no redirects; 2xx is delivered, 410 Gone disables the subscription, anything else is retried on the
 * schedule until it runs out. Sustained failure (the disable policy) disables the subscription.
 * @example const worker = createWebhookWorker({ store: createWebhookRepo(db, clock), clock }); worker.start();
 */
export function createWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const clock = options.clock ?? systemClock;
  const guard = options.guard ?? createSsrfGuard();
  const schedule = options.retryScheduleMs ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS;
  const policy: WebhookDisablePolicy = { ...DEFAULT_WEBHOOK_DISABLE_POLICY, ...options.disable };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const batchSize = options.batchSize ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 10);
  const leaseMs = options.leaseMs ?? Math.max(60_000, timeoutMs * 2);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const send = options.send ?? sendWebhookRequest;

  async function attempt(due: DueWebhookDelivery): Promise<void> {
    const { delivery } = due;
    const number = delivery.attempts + 1;
    const at = clock.now();
    const started = performance.now();
    let statusCode: number | undefined;
    let failure: { code: string; message: string } | undefined;
    let final = false;
    let disable: string | undefined;
    try {
      if (due.secrets.length === 0) {
        failure = { code: 'TL_WEBHOOK_NO_SECRET', message: 'the subscription has no valid signing secret' };
      } else {
        await guard.resolve(due.url);
        const headers = signWebhook({ id: delivery.eventId, timestamp: Math.floor(at.getTime() / 1000), body: delivery.body, secrets: due.secrets });
        const response = await send({
          url: due.url,
          body: delivery.body,
          timeoutMs,
          lookup: guard.lookup,
          headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Tradelane-Webhooks/1.0' },
        });
        statusCode = response.statusCode;
        if (statusCode >= 200 && statusCode < 300) {
          failure = undefined;
        } else if (statusCode === 410) {
          failure = { code: 'TL_WEBHOOK_GONE', message: 'the endpoint answered 410 Gone' };
          final = true;
          disable = 'the endpoint answered 410 Gone';
        } else {
          failure = { code: 'TL_WEBHOOK_HTTP_STATUS', message: `the endpoint answered ${statusCode}${statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : ''}` };
        }
      }
    } catch (err) {
      failure = errorOf(err);
      if (failure.code === 'TL_WEBHOOK_TARGET_FORBIDDEN' || failure.code === 'TL_WEBHOOK_BAD_URL') {
        final = true;
        disable = `target refused: ${failure.message}`;
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const delay = failure && !final ? schedule[number - 1] : undefined;
    const status: WebhookDeliveryStatus = !failure ? 'delivered' : delay === undefined ? 'failed' : 'pending';
    const record: WebhookAttempt = {
      deliveryId: delivery.id,
      attempt: number,
      at,
      statusCode,
      durationMs,
      errorCode: failure?.code,
      error: failure?.message,
      nextAttemptAt: status === 'pending' ? new Date(at.getTime() + delay!) : undefined,
    };
    const subscription = await options.store.recordAttempt({
      deliveryId: delivery.id,
      tenantId: delivery.tenantId,
      subscriptionId: delivery.subscriptionId,
      attempt: record,
      status,
      disableSubscription: disable,
    });
    if (!disable && failure && subscription.status === 'enabled' && subscription.failingSince) {
      const failingFor = at.getTime() - subscription.failingSince.getTime();
      if (subscription.consecutiveFailures >= policy.consecutiveFailures && failingFor >= policy.failingForMs) {
        disable = `sustained failure: ${subscription.consecutiveFailures} failed attempts in a row since ${subscription.failingSince.toISOString()}`;
        await options.store.setStatus(systemContext(delivery.tenantId, delivery.id, 'webhook-worker'), delivery.subscriptionId, { status: 'disabled', reason: disable });
      }
    }
    options.onAttempt?.({
      tenantId: delivery.tenantId,
      subscriptionId: delivery.subscriptionId,
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      url: due.url,
      attempt: record,
      status,
      disabledReason: disable,
    });
  }

  async function runDue(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 1000; round++) {
      const due = await options.store.claimDue({ now: clock.now(), limit: batchSize, leaseMs });
      if (due.length === 0) break;
      for (let i = 0; i < due.length; i += concurrency) {
        await Promise.all(
          due.slice(i, i + concurrency).map((d) =>
            attempt(d).catch((err) => {
              options.onError?.(err);
            }),
          ),
        );
      }
      total += due.length;
      if (due.length < batchSize) break;
    }
    return total;
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  return {
    runDue,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await runDue();
          } catch (err) {
            options.onError?.(err);
          }
          if (!running) break;
          await new Promise<void>((resolve) => {
            wakeUp = resolve;
            timer = setTimeout(resolve, pollIntervalMs);
          });
          wakeUp = undefined;
        }
      })();
    },
    wake() {
      if (timer) clearTimeout(timer);
      wakeUp?.();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wakeUp?.();
      await loop;
      loop = undefined;
    },
  };
}
