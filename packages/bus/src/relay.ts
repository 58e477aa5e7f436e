import {
  backoffDelay,
  describeError,
  retryPolicy,
  systemClock,
  TransientError,
  type Clock,
  type OutboxReader,
  type OutboxRecord,
  type RetryPolicy,
} from '@tradelane/core';
import type { Dispatcher } from './dispatcher.js';
import type { Transport } from './transport.js';

/** Options of {@link createRelay}. */
export interface RelayOptions {
  readonly outbox: OutboxReader;
  readonly transport: Transport;
  /** When given, each round also runs the consumers' due retries. */
  readonly dispatcher?: Dispatcher | undefined;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** Rows claimed per round (and retries run per round). @default 100 */
  readonly batchSize?: number | undefined;
  /**
   * Later rows of the round's aggregates claimed with their first one and published after it, one after another, in
   * the same round (at most this many in all): an aggregate with a backlog moves more than one event per round.
   * @default batchSize
   */
  readonly followers?: number | undefined;
  /**
   * At most this many of those per aggregate: an aggregate's rows go out one after another, so a long run would hold
   * the round (and every other aggregate's next row) until it is through. @default 10
   */
  readonly followersPerAggregate?: number | undefined;
  /** Rows of one batch published at the same time (they belong to different aggregates). @default 1 */
  readonly concurrency?: number | undefined;
  /** Wait between rounds when there was nothing to do; `wake()` cuts it short. @default 1000 */
  readonly pollIntervalMs?: number | undefined;
  /** How long a claimed row stays reserved for this relay; a relay that dies releases it by expiry. @default 30000 */
  readonly leaseMs?: number | undefined;
  /** Backoff after the transport refused an event; the relay never gives up on an outbox row. @default initial 500 ms, max 60 s */
  readonly publishRetry?: Partial<RetryPolicy> | undefined;
  /** Jitter source. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Told about failures the relay survives (storage errors, refused publishes). */
  readonly onError?: ((err: unknown, row?: OutboxRecord) => void) | undefined;
}

/** Result of {@link Relay.drain}. */
export interface DrainResult {
  /** Rows claimed plus retries run. */
  readonly worked: number;
  readonly rounds: number;
}

/** Moves events from the outbox to the transport, and runs the consumers' due retries. */
export interface Relay {
  /** Starts the background loop (no-op when running). */
  start(): void;
  /** Stops the loop gracefully: the batch in flight finishes first. */
  stop(): Promise<void>;
  /** One round: claim, publish, mark published; then due retries. Returns the work done. */
  runOnce(): Promise<number>;
  /**
   * Works until nothing is pending in the outbox or the retry state, sleeping on the clock until the next item is
   * due; throws a TransientError `TL_BUS_DRAIN_TIMEOUT` after `timeoutMs` of real time. Used by tests and shutdown.
   */
  drain(options?: { timeoutMs?: number }): Promise<DrainResult>;
  /** Hint that events were just written: the loop skips the rest of its wait. */
  wake(): void;
  readonly running: boolean;
}

/**
 * Builds a relay. Any number of relays may run against one database: rows are leased, and only the earliest
 * unpublished event of an aggregate is handed out, so events of one aggregate are published in order.
 * @example const relay = createRelay({ outbox: store.messaging.outbox, transport, dispatcher }); relay.start();
 */
export function createRelay(options: RelayOptions): Relay {
  const { outbox, transport, dispatcher } = options;
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const followers = Math.max(0, options.followers ?? batchSize);
  const followersPerAggregate = Math.max(0, options.followersPerAggregate ?? 10);
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const publishRetry = retryPolicy({ initialDelayMs: 500, maxDelayMs: 60_000, maxAttempts: Number.MAX_SAFE_INTEGER, ...options.publishRetry });
  const random = options.random ?? Math.random;
  const reportError = (err: unknown, row?: OutboxRecord) => {
    try {
      options.onError?.(err, row);
    } catch {
      // an observer's failure must not stop the relay
    }
  };

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  /**
   * Publishes one row. `ok` when the transport took it (the caller marks it published); `settled` is false when a
   * consumer's delivery now waits for a retry, so later rows of the aggregate must look their deliveries up again.
   */
  async function publishRow(row: OutboxRecord): Promise<{ ok: boolean; settled: boolean }> {
    try {
      const outcome = await transport.publish(row.envelope, row);
      const settled = !(outcome.deliveries ?? []).some((d) => d.result === 'retry_scheduled' || d.result === 'deferred');
      return { ok: true, settled };
    } catch (err) {
      reportError(err, row);
      const delay = backoffDelay(publishRetry, row.attempts + 1, random);
      try {
        await outbox.reschedule(row.id, new Date(clock.now().getTime() + delay), describeError(err));
      } catch (rescheduleErr) {
        reportError(rescheduleErr, row); // the lease expires and the row comes back
      }
      return { ok: false, settled: false };
    }
  }

  const aggregateKey = (row: OutboxRecord) => `${row.tenantId}\u0000${row.aggregateType}\u0000${row.aggregateId}`;

  async function runOnce(): Promise<number> {
    const rows = await outbox.claim({ limit: batchSize, leaseMs, now: clock.now(), followers, followersPerAggregate });
    // Rows go out earliest first, `concurrency` at a time, never two of one aggregate at once: a worker takes the
    // earliest row whose aggregate has nothing in flight (with concurrency 1 that is sequence order). After a refused
    // row its aggregate's later rows stay unsent (released); after a consumer's delivery was left waiting for a retry,
    // the later rows of its aggregate look their deliveries up again. A round marks what it published in one
    // statement: nothing claims an aggregate's next row before the round ends.
    const waiting = rows.map((row) => ({ row, key: aggregateKey(row) }));
    const inFlight = new Set<string>();
    const refused = new Set<string>();
    const unsettled = new Set<string>();
    const published: OutboxRecord[] = [];
    const unsent: string[] = [];
    let wakeWorkers: Array<() => void> = [];
    const worker = async (): Promise<void> => {
      for (;;) {
        const i = waiting.findIndex((w) => !inFlight.has(w.key));
        if (i < 0) {
          if (waiting.length === 0) return;
          await new Promise<void>((resolve) => wakeWorkers.push(resolve));
          continue;
        }
        const { row: claimed, key } = waiting.splice(i, 1)[0]!;
        if (refused.has(key)) {
          unsent.push(claimed.id);
          continue;
        }
        inFlight.add(key);
        try {
          // The claim's "no deliveries" holds only while the rows before it in the round left none behind.
          const row = unsettled.has(key) && claimed.noDeliveries ? { ...claimed, noDeliveries: false } : claimed;
          const result = await publishRow(row);
          if (!result.ok) refused.add(key);
          else {
            published.push(claimed);
            if (!result.settled) unsettled.add(key);
          }
        } finally {
          inFlight.delete(key);
          const woken = wakeWorkers;
          wakeWorkers = [];
          for (const wake of woken) wake();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    if (published.length > 0) {
      try {
        await outbox.markPublished(
          published.map((r) => r.id),
          clock.now(),
        );
      } catch (err) {
        for (const row of published) reportError(err, row); // published but not marked: the rows come back after their lease, consumers dedupe
      }
    }
    if (unsent.length > 0) {
      try {
        await outbox.release(unsent);
      } catch (err) {
        reportError(err); // their leases expire
      }
    }
    const retried = dispatcher ? await dispatcher.retryDue(batchSize) : 0;
    return rows.length + retried;
  }

  function idle(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      let worked = 0;
      try {
        worked = await runOnce();
      } catch (err) {
        reportError(err);
      }
      if (!running) break;
      if (worked === 0) await idle(pollIntervalMs);
    }
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      woken = false;
      loop = run();
    },
    async stop() {
      if (!running) return loop;
      running = false;
      wakeUp?.();
      await loop;
    },
    runOnce,
    async drain({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let worked = 0;
      let rounds = 0;
      for (;;) {
        rounds += 1;
        const n = await runOnce();
        worked += n;
        if (n > 0) continue;
        const [fromOutbox, fromRetries] = await Promise.all([outbox.pending(), dispatcher ? dispatcher.pending() : undefined]);
        if (fromOutbox.count === 0 && (fromRetries?.count ?? 0) === 0) return { worked, rounds };
        if (Date.now() >= deadline) {
          throw new TransientError('TL_BUS_DRAIN_TIMEOUT', `relay did not drain within ${timeoutMs} ms`, {
            details: { outboxPending: fromOutbox.count, retriesPending: fromRetries?.count ?? 0 },
          });
        }
        const times = [fromOutbox.nextAt, fromRetries?.nextAt].filter((t): t is Date => t !== undefined).map((t) => t.getTime());
        const wait = times.length ? Math.min(...times) - clock.now().getTime() : pollIntervalMs;
        await clock.sleep(Math.min(Math.max(wait, 1), pollIntervalMs));
      }
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
  };
}
