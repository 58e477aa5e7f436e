import {
  currentAuditScope,
  runOutsideAuditScope,
  systemClock,
  type Clock,
  type DeadLetterStore,
  type DeliveryStore,
  type MessagingTx,
  type OutboxReader,
  type TransactionRunner,
} from '@tradelane/core';
import type { Database, Sql, TransactionOptions } from './driver/database.js';
import { appendScopedAuditEntry, type ScopedAuditAppend } from './audit/audit-scope.js';
import { createDocumentRepo, type DocumentRepo } from './documents/document.repo.js';
import { createIdempotencyRepo, type IdempotencyRepo } from './idempotency/idempotency.repo.js';
import { createDeadLetterStore } from './messaging/dead-letter.repo.js';
import { createDeliveryStore } from './messaging/delivery.repo.js';
import { createInboxRepo, type InboxRepo } from './messaging/inbox.repo.js';
import { createOutboxReader, createOutboxWriter, type OutboxWriter } from './messaging/outbox.repo.js';

/** The repositories bound to one open transaction: a state change and its events commit together. */
export interface StoreTx extends MessagingTx {
  /** The transaction itself, for statements no repository offers. */
  readonly sql: Sql;
  readonly documents: DocumentRepo;
  readonly outbox: OutboxWriter;
  readonly inbox: InboxRepo;
  readonly idempotency: IdempotencyRepo;
}

/** The relay-side ports, bound to the database (each call is its own transaction). */
export interface MessagingPorts {
  readonly outbox: OutboxReader;
  readonly deliveries: DeliveryStore;
  readonly deadLetters: DeadLetterStore;
}

/** The store facade: transactions over the tenant-scoped repositories, plus the relay-side ports. */
export interface Store extends TransactionRunner<StoreTx> {
  readonly db: Database;
  readonly clock: Clock;
  /**
   * Runs `fn` in one transaction with repositories bound to it; commits when it resolves, rolls back when it throws.
   * Inside, use only `tx` (on PGlite a query on the database itself waits for the transaction to end). Inside an
   * audit scope (`runInAuditScope`, set by the API gateway for every write) the first transaction that changes data
   * appends the scope's audit entry as its last statement, so the entry commits with the change or not at all.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Documents outside a transaction (each call commits on its own); for reads. */
  readonly documents: DocumentRepo;
  /** Idempotency keys outside a transaction, so a started key is visible to concurrent requests at once. */
  readonly idempotency: IdempotencyRepo;
  /** Consumer inbox outside a transaction; for reads. */
  readonly inbox: InboxRepo;
  readonly messaging: MessagingPorts;
  /**
   * Calls `listener` after a transaction that appended outbox events has committed (e.g. `relay.wake`).
   * @returns a function that removes the listener
   */
  onEventsCommitted(listener: () => void): () => void;
}

/** Options of {@link createStore}. */
export interface StoreOptions {
  /** Time source of every timestamp the store writes. @default systemClock */
  clock?: Clock;
}

/**
 * Builds the store facade on an open, migrated database.
 * @example const store = createStore(db); await store.transaction(async (tx) => { await tx.documents.update(ctx, change); await tx.outbox.append(ctx, { envelope }); });
 */
export function createStore(db: Database, options: StoreOptions = {}): Store {
  const clock = options.clock ?? systemClock;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // a listener's failure must not fail the committed transaction
      }
    }
  };
  const bind = (sql: Sql, onAppend: () => void): StoreTx => ({
    sql,
    documents: createDocumentRepo(sql, clock),
    outbox: createOutboxWriter(sql, clock, onAppend),
    inbox: createInboxRepo(sql, clock),
    idempotency: createIdempotencyRepo(sql, clock),
  });
  return {
    db,
    clock,
    async transaction<T>(fn: (tx: StoreTx) => Promise<T>, txOptions?: TransactionOptions): Promise<T> {
      let appended = false;
      // captured here, in the caller's async context, whichever context the driver runs the work in
      const scope = currentAuditScope();
      let audit: ScopedAuditAppend | undefined;
      let result: T;
      try {
        result = await db.transaction(async (sql) => {
          audit?.rolledBack();
          audit = undefined;
          const value = await fn(bind(sql, () => (appended = true)));
          audit = await appendScopedAuditEntry(sql, clock, value, scope);
          return value;
        }, txOptions);
      } catch (err) {
        audit?.rolledBack();
        throw err;
      }
      audit?.committed();
      // Listeners start background work (the relay): it is not the request's write, so it runs outside its audit scope.
      if (appended) runOutsideAuditScope(notify);
      return result;
    },
    documents: createDocumentRepo(db, clock),
    idempotency: createIdempotencyRepo(db, clock),
    inbox: createInboxRepo(db, clock),
    messaging: {
      outbox: createOutboxReader(db),
      deliveries: createDeliveryStore(db),
      deadLetters: createDeadLetterStore(db),
    },
    onEventsCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
