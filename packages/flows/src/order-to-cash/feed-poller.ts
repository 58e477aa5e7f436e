import { makeEvent, type EventEnvelope } from '@tradelane/canonical';
import type { Page, PageRequest } from '@tradelane/connector-kit';
import { describeError, systemClock, systemContext, type Clock, type OrderToCashTransactionRunner, type TenantContext } from '@tradelane/core';

/** Options of {@link createFeedPoller}. */
export interface FeedPollerOptions<T> {
  /** Name of the feed; also the key of its durable cursor and the aggregate of its events (delivered in order). */
  name: string;
  /** Tenants whose feed is read. */
  tenantIds: readonly string[];
  transactions: OrderToCashTransactionRunner;
  /** Reads one page after `cursor`. */
  fetch(ctx: TenantContext, page: PageRequest): Promise<Page<T>>;
  /** The hub event type and payload of one item (`time`: when the hub read it). */
  toEvent(item: T, read: { tenantId: string; time: string }): { type: string; data: unknown; subject?: string | undefined };
  /**
   * The sequence an item's event keeps its order in: events of items with the same key are delivered in feed order,
   * events of different keys may be delivered side by side. `undefined` (and the default) puts the item in the feed's
   * main sequence, delivered in feed order with every other item of it.
   */
  sequenceOf?: ((item: T) => string | undefined) | undefined;
  /** @default 100 */
  pageSize?: number | undefined;
  /** Pages read per tenant and round at most. @default 20 */
  maxPages?: number | undefined;
  /** Wait between rounds of the background loop (real time). @default 2000 */
  intervalMs?: number | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /** Told about failed rounds (the loop keeps going). */
  onError?: ((err: unknown) => void) | undefined;
}

/** A feed poller: `runOnce` for tests and jobs, `start`/`stop` for the worker. */
export interface FeedPoller {
  readonly name: string;
  /** Reads every tenant's feed until caught up (or `maxPages`); resolves how many items became events. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds a poller of a connector feed with a durable cursor: read a page, then in ONE transaction write one outbox
 * event per item and the new cursor. A crash between the read and the commit re-reads the page; consumers dedupe by
 * their inbox, so every change is applied exactly once.
 * @example const poller = createFeedPoller({ name: 'erp-changes', tenantIds: ['acme'], transactions, fetch: (ctx, p) => erp.erpChangeFeed.fetchChanges(ctx, p), toEvent: (c) => ({ type: 'erp_order.updated', data: { change: c } }) });
 */
export function createFeedPoller<T>(options: FeedPollerOptions<T>): FeedPoller {
  const clock = options.clock ?? systemClock;
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 20;
  const intervalMs = options.intervalMs ?? 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function pollTenant(tenantId: string): Promise<number> {
    const ctx = systemContext(tenantId, `poll-${options.name}`, `poller:${options.name}`);
    let total = 0;
    for (let page = 0; page < maxPages; page += 1) {
      const cursor = await options.transactions.transaction((tx) => tx.orderToCash.cursors.get(ctx, options.name));
      const result = await options.fetch(ctx, { cursor, limit: pageSize });
      if (result.items.length === 0) break;
      const next = result.nextCursor ?? cursor;
      const time = clock.now().toISOString();
      const events = result.items.map((item) => {
        const e = options.toEvent(item, { tenantId, time });
        const sequence = options.sequenceOf?.(item);
        const envelope: EventEnvelope = makeEvent({ type: e.type, source: `/tradelane/feeds/${options.name}`, tenantId, subject: e.subject ?? options.name, data: e.data, dataVersion: 1, correlationId: ctx.correlationId, time });
        return { envelope, aggregateType: 'feed', aggregateId: sequence === undefined ? options.name : `${options.name}/${sequence}` };
      });
      await options.transactions.transaction(async (tx) => {
        // The cursor read again under the transaction: a concurrent poller that already took this page wins.
        const current = await tx.orderToCash.cursors.get(ctx, options.name);
        if (current !== cursor) return;
        await tx.outbox.append(ctx, events);
        if (next !== null) await tx.orderToCash.cursors.set(ctx, options.name, next);
      });
      total += result.items.length;
      if (result.nextCursor === null) break;
    }
    return total;
  }

  async function runOnce(): Promise<number> {
    let total = 0;
    for (const tenantId of options.tenantIds) total += await pollTenant(tenantId);
    return total;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err: unknown) => options.onError?.(new Error(`${options.name}: ${describeError(err)}`, { cause: err })))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, intervalMs);
    timer.unref?.();
  }

  return {
    name: options.name,
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * A sweep that starts the order-to-cash run of every order still `Received` `graceMs` after submission (a start lost
 * between the starter's commit and the engine call); starting is idempotent on the order id.
 */
export function createReceivedOrdersSweep(options: {
  tenantIds: readonly string[];
  transactions: OrderToCashTransactionRunner;
  clock: Clock;
  graceMs: number;
  intervalMs: number;
  start(ctx: TenantContext, input: { orderId: string; partnerId: string }): Promise<unknown>;
  onError?: ((err: unknown) => void) | undefined;
}): FeedPoller {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  async function runOnce(): Promise<number> {
    let started = 0;
    for (const tenantId of options.tenantIds) {
      const ctx = systemContext(tenantId, 'sweep-received-orders', 'sweep:received-orders');
      const before = new Date(options.clock.now().getTime() - options.graceMs);
      const orders = await options.transactions.transaction((tx) => tx.orderToCash.orders.listByStatus(ctx, 'Received', { before, limit: 500 }));
      for (const o of orders) {
        await options.start({ ...ctx, partnerId: o.partnerId }, { orderId: o.id, partnerId: o.partnerId });
        started += 1;
      }
    }
    return started;
  }
  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err: unknown) => options.onError?.(err))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs);
    timer.unref?.();
  }
  return {
    name: 'received-orders-sweep',
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
