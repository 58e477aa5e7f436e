import type { CustomerQueries, OrderToCashRepos, OrderToCashTransactionRunner, OrderToCashTx, TimelineEntry } from '@tradelane/core';
import type { TransactionOptions } from '../driver/database.js';
import type { Store, StoreTx } from '../store.js';
import type { CredentialCacheOptions } from '../identity/credential-cache.js';
import { createApiKeyRepo, type ApiKeyRepo } from './api-key.repo.js';
import { createCustomerQueries, createTimelineWatchers, type TimelineWatchers } from './customer-queries.repo.js';
import { createOrderToCashRepos } from './order-to-cash.repo.js';
import { runTimelineTransaction } from './timeline-transaction.js';

/** A store transaction with the order-to-cash repositories bound to it. */
export type OrderToCashStoreTx = StoreTx & OrderToCashTx;

/** What {@link createOrderToCashStore} returns: the process's persistence ports, the customer queries and API keys. */
export interface OrderToCashStore {
  /**
   * Runs work in one store transaction with the order-to-cash repositories bound to it; timeline watchers are told
   * after it commits. Hand it to the bus dispatcher as `transactions` so consumers get `tx.orderToCash`.
   */
  readonly transactions: OrderToCashTransactionRunner & { transaction<T>(fn: (tx: OrderToCashStoreTx) => Promise<T>, options?: TransactionOptions): Promise<T> };
  /** Reads from the read models, partner-isolated. */
  readonly queries: CustomerQueries;
  /** API keys (hashed); `resolve` is the ApiKeyResolver. */
  readonly apiKeys: ApiKeyRepo;
  /** The repositories outside a transaction (each call commits on its own); for reads. */
  readonly repos: OrderToCashRepos;
  readonly watchers: TimelineWatchers;
}

/** Options of {@link createOrderToCashStore}. */
export interface OrderToCashStoreOptions {
  /** Told about after-commit work that failed. */
  onError?: ((err: unknown) => void) | undefined;
  /** The API key cache of `apiKeys` (see `createApiKeyRepo`). @default no cache */
  apiKeyCache?: CredentialCacheOptions | undefined;
}

/**
 * Builds the order-to-cash persistence on a store.
 * @example const o2c = createOrderToCashStore(store); const dispatcher = createDispatcher({ consumers, transactions: o2c.transactions, ... });
 */
export function createOrderToCashStore(store: Store, options: OrderToCashStoreOptions = {}): OrderToCashStore {
  const watchers = createTimelineWatchers();
  const immediate = (tenantId: string, orderId: string, entry: TimelineEntry) => watchers.notify(tenantId, orderId, entry);
  return {
    transactions: {
      transaction<T>(fn: (tx: OrderToCashStoreTx) => Promise<T>, txOptions?: TransactionOptions): Promise<T> {
        return runTimelineTransaction(
          store,
          watchers,
          (tx, hooks): OrderToCashStoreTx => ({ ...tx, orderToCash: createOrderToCashRepos(tx.sql, hooks.onTimelineAppended), afterCommit: hooks.afterCommit }),
          fn,
          { txOptions, onError: options.onError },
        );
      },
    },
    queries: createCustomerQueries(store.db, watchers, store.clock),
    apiKeys: createApiKeyRepo(store.db, { cache: options.apiKeyCache }),
    repos: createOrderToCashRepos(store.db, immediate),
    watchers,
  };
}
