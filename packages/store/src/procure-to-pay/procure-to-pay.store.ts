import type { ProcureToPayRepos, ProcureToPayTransactionRunner, ProcureToPayTx } from '@tradelane/core';
import type { TransactionOptions } from '../driver/database.js';
import type { Store, StoreTx } from '../store.js';
import { createTimelineWatchers, type TimelineWatchers } from '../order-to-cash/customer-queries.repo.js';
import { createOrderToCashRepos } from '../order-to-cash/order-to-cash.repo.js';
import { runTimelineTransaction } from '../order-to-cash/timeline-transaction.js';
import { createProcureToPayRepos } from './procure-to-pay.repo.js';

/** A store transaction with the order-to-cash and procure-to-pay repositories bound to it. */
export type ProcureToPayStoreTx = StoreTx & ProcureToPayTx;

/** What {@link createProcureToPayStore} returns. */
export interface ProcureToPayStore {
  /**
   * Runs work in one store transaction with both processes' repositories bound to it; timeline watchers are told
   * after it commits. Its transaction is a superset of the order-to-cash one, so one dispatcher can serve the
   * consumers of both processes with it.
   */
  readonly transactions: ProcureToPayTransactionRunner & { transaction<T>(fn: (tx: ProcureToPayStoreTx) => Promise<T>, options?: TransactionOptions): Promise<T> };
  /** The procure-to-pay repositories outside a transaction (each call commits on its own); for reads. */
  readonly repos: ProcureToPayRepos;
}

/**
 * Builds the procure-to-pay persistence on a store. Pass the order-to-cash store's `watchers` so that customer
 * timeline entries appended by impact propagation reach the customers watching their orders.
 * @example const p2pStore = createProcureToPayStore(store, { watchers: o2cStore.watchers });
 */
export function createProcureToPayStore(store: Store, options: { watchers?: TimelineWatchers | undefined; onError?: ((err: unknown) => void) | undefined } = {}): ProcureToPayStore {
  const watchers = options.watchers ?? createTimelineWatchers();
  return {
    transactions: {
      transaction<T>(fn: (tx: ProcureToPayStoreTx) => Promise<T>, txOptions?: TransactionOptions): Promise<T> {
        return runTimelineTransaction(
          store,
          watchers,
          (tx, hooks): ProcureToPayStoreTx => ({
            ...tx,
            orderToCash: createOrderToCashRepos(tx.sql, hooks.onTimelineAppended),
            procureToPay: createProcureToPayRepos(tx.sql),
            afterCommit: hooks.afterCommit,
          }),
          fn,
          { txOptions, onError: options.onError },
        );
      },
    },
    repos: createProcureToPayRepos(store.db),
  };
}
