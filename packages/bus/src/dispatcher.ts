import type { EventEnvelope } from '@tradelane/canonical';
import {
  classifyError,
  decideRetry,
  describeError,
  PermanentError,
  systemClock,
  systemContext,
  type Clock,
  type DeadLetterStore,
  type DeliveryStore,
  type DeliveryTarget,
  type ErrorKind,
  type EventPosition,
  type MessagingTx,
  type PendingSummary,
  type TenantContext,
  type TransactionRunner,
} from '@tradelane/core';
import type { ConsumerRegistry, RegisteredHandler } from './consumer-registry.js';

/** What happened to one consumer's delivery of one event. */
export type DeliveryResult =
  /** The handler ran and its effects committed. */
  | 'applied'
  /** The consumer's inbox had the event already: nothing ran (a redelivery). */
  | 'duplicate'
  /** The attempt failed transiently; the next one is scheduled. */
  | 'retry_scheduled'
  /** Retries exhausted or a permanent error: the message is in the dead-letter table. */
  | 'dead_lettered'
  /** An earlier event of the same aggregate is still pending for this consumer: this one waits behind it. */
  | 'deferred'
  /** The delivery has retry state already (pending, done or dead); the retry path owns it. */
  | 'skipped';

/** One consumer's delivery outcome, reported to observers and returned by the local transport. */
export interface DeliveryOutcome {
  readonly consumer: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly tenantId: string;
  /** The attempt made (0 when none was). */
  readonly attempt: number;
  readonly result: DeliveryResult;
  readonly error?: string | undefined;
  readonly errorKind?: ErrorKind | undefined;
  readonly nextAttemptAt?: Date | undefined;
  readonly deadLetterId?: string | undefined;
}

/** Result of a single attempt outside the retry bookkeeping (used by replay). */
export type AttemptResult =
  | { readonly ok: true; readonly result: 'applied' | 'duplicate' }
  | { readonly ok: false; readonly error: string; readonly errorKind: ErrorKind };

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions<Tx extends MessagingTx> {
  readonly consumers: ConsumerRegistry<Tx>;
  /** Opens the transaction a handler and its inbox record share. */
  readonly transactions: TransactionRunner<Tx>;
  readonly deliveries: DeliveryStore;
  readonly deadLetters: DeadLetterStore;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** Jitter source. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Lease of a claimed retry. @default 30000 */
  readonly leaseMs?: number | undefined;
  /** Told about every delivery outcome (metrics, logs, tests). */
  readonly onOutcome?: ((outcome: DeliveryOutcome) => void) | undefined;
}

/**
 * Delivers events to consumers: inbox dedupe and handler in one transaction, per-consumer retries with backoff and
 * jitter kept in the delivery store, dead letters when retries are exhausted or the error is permanent, and
 * per-aggregate ordering per consumer.
 */
export interface Dispatcher {
  /** Delivers a freshly published event to every subscribed consumer. Throws only when storage fails. */
  deliver(envelope: EventEnvelope, position: EventPosition): Promise<DeliveryOutcome[]>;
  /** Runs up to `limit` retries that are due; returns how many it ran. */
  retryDue(limit: number): Promise<number>;
  /** Pending retries and when the next one is due. */
  pending(): Promise<PendingSummary>;
  /**
   * One attempt of `consumer` on `envelope` outside the retry policy (inbox dedupe still applies); on success the
   * consumer's delivery of the event is marked done. Used by replay.
   */
  replay(consumer: string, envelope: EventEnvelope, attempt: number): Promise<AttemptResult>;
}

/** The context a handler runs in: the event's tenant, acting as the consumer. */
export function consumerContext(consumer: string, envelope: EventEnvelope): TenantContext {
  const ctx = systemContext(envelope.tenantid, envelope.correlationid ?? envelope.id, `consumer:${consumer}`);
  return envelope.traceparent ? { ...ctx, traceparent: envelope.traceparent } : ctx;
}

function describeSchemaError(error: unknown): string {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (Array.isArray(issues)) {
    return issues
      .slice(0, 5)
      .map((i: { path?: unknown[]; message?: string }) => `${(i.path ?? []).map(String).join('.') || '(root)'}: ${i.message ?? 'invalid'}`)
      .join('; ');
  }
  return describeError(error);
}

/** Builds the dispatcher over the consumer registry and the storage ports. */
export function createDispatcher<Tx extends MessagingTx>(options: DispatcherOptions<Tx>): Dispatcher {
  const { consumers, transactions, deliveries, deadLetters } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? 30_000;
  const report = (outcome: DeliveryOutcome): DeliveryOutcome => {
    try {
      options.onOutcome?.(outcome);
    } catch {
      // an observer's failure must not change the delivery
    }
    return outcome;
  };

  /** One attempt: inbox record, validation and handler in one transaction. */
  async function attemptOnce(def: RegisteredHandler<Tx>, envelope: EventEnvelope, attempt: number, replay: boolean): Promise<AttemptResult & { cause?: unknown }> {
    const ctx = consumerContext(def.consumer, envelope);
    try {
      const applied = await transactions.transaction(async (tx) => {
        if (!(await tx.inbox.record(ctx, def.consumer, envelope.id))) return false;
        const parsed = def.schema.safeParse(envelope.data);
        if (!parsed.success) {
          throw new PermanentError(
            'TL_BUS_INVALID_PAYLOAD',
            `${envelope.type} payload does not match the schema of ${def.consumer}: ${describeSchemaError(parsed.error)}`,
            { consumer: def.consumer, eventType: envelope.type },
          );
        }
        await def.handler(ctx, { ...envelope, data: parsed.data }, tx, { consumer: def.consumer, attempt, replay });
        return true;
      });
      return { ok: true, result: applied ? 'applied' : 'duplicate' };
    } catch (err) {
      return { ok: false, error: describeError(err), errorKind: classifyError(err), cause: err };
    }
  }

  /** One attempt plus its bookkeeping: done, retry scheduled, or dead letter. */
  async function attemptAndRecord(
    def: RegisteredHandler<Tx>,
    target: DeliveryTarget,
    attempt: number,
    firstFailedAt: Date | null,
    hasRow: boolean,
  ): Promise<DeliveryOutcome> {
    const { envelope } = target;
    const base = { consumer: def.consumer, eventId: envelope.id, eventType: envelope.type, tenantId: envelope.tenantid, attempt };
    const result = await attemptOnce(def, envelope, attempt, false);
    const now = clock.now();
    if (result.ok) {
      if (hasRow) await deliveries.markDone(def.consumer, envelope.id, now);
      return report({ ...base, result: result.result });
    }
    const decision = decideRetry(def.retry, attempt, result.cause, random);
    if (decision.retry) {
      const nextAttemptAt = new Date(now.getTime() + decision.delayMs);
      await deliveries.schedule(target, { attempts: attempt, nextAttemptAt, lastError: result.error, now });
      return report({ ...base, result: 'retry_scheduled', error: result.error, errorKind: result.errorKind, nextAttemptAt });
    }
    const errorKind: ErrorKind = decision.reason === 'permanent' ? 'permanent' : 'transient';
    const deadLetterId = await deadLetters.add({ target, error: result.error, errorKind, attempts: attempt, firstFailedAt: firstFailedAt ?? now, now });
    return report({ ...base, result: 'dead_lettered', error: result.error, errorKind, deadLetterId });
  }

  /** Runs `tasks` concurrently; rethrows the first storage failure once all have settled. */
  async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
    const settled = await Promise.allSettled(tasks);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  }

  return {
    async deliver(envelope, position) {
      const subscribers = consumers.subscribers(envelope.type);
      if (subscribers.length === 0) return [];
      // The outbox claim already looked: no record of this event, nothing of its aggregate waiting for a retry.
      const lookup = position.noDeliveries
        ? { existing: new Map<string, unknown>(), blocked: new Set<string>() }
        : await deliveries.lookup({ ...position, eventId: envelope.id, tenantId: envelope.tenantid });
      return settleAll(
        subscribers.map(async (def) => {
          const target: DeliveryTarget = { ...position, consumer: def.consumer, tenantId: envelope.tenantid, envelope };
          const base = { consumer: def.consumer, eventId: envelope.id, eventType: envelope.type, tenantId: envelope.tenantid, attempt: 0 };
          if (lookup.existing.has(def.consumer)) return report({ ...base, result: 'skipped' });
          if (lookup.blocked.has(def.consumer)) {
            const now = clock.now();
            await deliveries.schedule(target, { attempts: 0, nextAttemptAt: now, lastError: null, now });
            return report({ ...base, result: 'deferred' });
          }
          return attemptAndRecord(def, target, 1, null, false);
        }),
      );
    },

    async retryDue(limit) {
      const due = await deliveries.claimDue({ limit, leaseMs, now: clock.now() });
      await settleAll(
        due.map(async (record) => {
          const def = consumers.handler(record.consumer, record.envelope.type);
          if (!def) {
            // The consumer no longer handles this type (renamed or removed): keep the message for an operator.
            const now = clock.now();
            const error = `TL_BUS_NO_HANDLER: ${record.consumer} has no handler for ${record.envelope.type}`;
            await deadLetters.add({ target: record, error, errorKind: 'permanent', attempts: record.attempts, firstFailedAt: record.firstFailedAt ?? now, now });
            return;
          }
          await attemptAndRecord(def, record, record.attempts + 1, record.firstFailedAt, true);
        }),
      );
      return due.length;
    },

    pending: () => deliveries.pending(),

    async replay(consumer, envelope, attempt) {
      const def = consumers.handler(consumer, envelope.type);
      if (!def) return { ok: false, error: `TL_BUS_NO_HANDLER: ${consumer} has no handler for ${envelope.type}`, errorKind: 'permanent' };
      const result = await attemptOnce(def, envelope, attempt, true);
      if (result.ok) {
        await deliveries.markDone(consumer, envelope.id, clock.now());
        return { ok: true, result: result.result };
      }
      return { ok: false, error: result.error, errorKind: result.errorKind };
    },
  };
}
