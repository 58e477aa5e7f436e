/**
 * The audit entry a write owes, carried from whoever serves the write (the API gateway) to the store through the
 * async context, so the store can append it in the same transaction as the data change: both commit or neither.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TenantContext } from './context.js';
import type { AuditEntry, NewAuditEntry } from './ports/audit.ports.js';

/** What an {@link AuditScope} records: who acts, and the entry given the result of the transaction that changed data. */
export interface PendingAudit {
  readonly ctx: TenantContext;
  /** Builds the entry from what the writing transaction returned (e.g. the id of the document it created). */
  entryFor(result: unknown): NewAuditEntry;
}

/**
 * One write's audit obligation. The first transaction inside the scope that changes data appends the entry before it
 * commits; later transactions leave it alone. Read-only transactions never record.
 */
export interface AuditScope {
  /** The entry to record, or undefined while there is none (e.g. the caller is not known yet). */
  readonly pending: () => PendingAudit | undefined;
  /** The entry that committed with the write, once its transaction committed. */
  recorded: AuditEntry | undefined;
  /** True while a transaction of the scope is appending the entry; another one of the same scope leaves it alone. */
  recording: boolean;
  /** Set when the write is answered: no later transaction records into the scope. */
  closed: boolean;
}

const storage = new AsyncLocalStorage<AuditScope>();

/**
 * A new, open audit scope.
 * @example const scope = createAuditScope(() => ({ ctx, entryFor: () => ({ action: 'sales_order.create', resource, outcome: 'success' }) }));
 */
export function createAuditScope(pending: () => PendingAudit | undefined): AuditScope {
  return { pending, recorded: undefined, recording: false, closed: false };
}

/**
 * Runs `fn` (and everything it starts) inside `scope`: store transactions opened there append the scope's entry.
 * @example await runInAuditScope(scope, () => commands.submitOrder(ctx, body)); scope.recorded // the committed entry
 */
export function runInAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Runs `fn` outside any audit scope (work a request starts that is not the request's write, e.g. a relay wake-up). */
export function runOutsideAuditScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The audit scope the calling code runs in, if any (capture it where a transaction starts). */
export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}

/**
 * Whether a transaction finishing now should record into `scope` (by default the current one), with its pending
 * entry: undefined outside a scope, when the scope's entry is recorded or being recorded, once the scope is closed,
 * or while it has nothing to record.
 */
export function auditScopeToRecord(scope: AuditScope | undefined = storage.getStore()): { scope: AuditScope; pending: PendingAudit } | undefined {
  if (!scope || scope.closed || scope.recorded || scope.recording) return undefined;
  const pending = scope.pending();
  return pending ? { scope, pending } : undefined;
}
