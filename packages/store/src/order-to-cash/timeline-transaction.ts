import type { TimelineEntry } from '@tradelane/core';
import type { TransactionOptions } from '../driver/database.js';
import type { Store, StoreTx } from '../store.js';
import type { TimelineWatchers } from './customer-queries.repo.js';

/** What a process binds its repositories with: the timeline-append callback and the after-commit queue. */
export interface TimelineTransactionHooks {
  onTimelineAppended(tenantId: string, orderId: string, entry: TimelineEntry): void;
  afterCommit(work: () => Promise<void>): void;
}

/**
 * Runs `fn` in one store transaction with the repositories `bind` puts on it. Only after the commit are the timeline
 * watchers told of the entries appended and the after-commit work run (its errors go to `onError`); a retried
 * transaction starts both lists afresh.
 */
export async function runTimelineTransaction<Tx, T>(
  store: Store,
  watchers: TimelineWatchers,
  bind: (tx: StoreTx, hooks: TimelineTransactionHooks) => Tx,
  fn: (tx: Tx) => Promise<T>,
  options: { txOptions?: TransactionOptions | undefined; onError?: ((err: unknown) => void) | undefined },
): Promise<T> {
  const appended: Array<[string, string, TimelineEntry]> = [];
  const later: Array<() => Promise<void>> = [];
  const hooks: TimelineTransactionHooks = {
    onTimelineAppended: (t, o, e) => {
      appended.push([t, o, e]);
    },
    afterCommit: (work) => {
      later.push(work);
    },
  };
  const result = await store.transaction((tx) => {
    appended.length = 0;
    later.length = 0;
    return fn(bind(tx, hooks));
  }, options.txOptions);
  for (const [t, o, e] of appended) watchers.notify(t, o, e);
  for (const work of later) {
    try {
      await work();
    } catch (err) {
      options.onError?.(err);
    }
  }
  return result;
}
