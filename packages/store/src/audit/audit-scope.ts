import { auditScopeToRecord, currentAuditScope, type AuditScope, type Clock } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { createAuditLogRepo } from './audit-log.repo.js';

/** An audit entry appended in a transaction that has not committed yet: settle it once the transaction ends. */
export interface ScopedAuditAppend {
  /** The transaction committed: the scope's entry is recorded. */
  committed(): void;
  /** The transaction rolled back: the scope may record in a later transaction. */
  rolledBack(): void;
}

/**
 * Appends the audit scope's entry (see `runInAuditScope` in core) in the open transaction `tx`, as its last
 * statement, when the transaction changed data (Postgres assigned it a transaction id: an insert, update, delete or
 * row lock). Read-only transactions, transactions outside a scope and a scope already recorded append nothing.
 * An append that fails throws, so the caller's transaction rolls back with it. Pass the scope captured where the
 * transaction started (a driver may run the transaction's work from another async context).
 * @returns how to settle the scope after the transaction ends; undefined when nothing was appended
 * @example const scope = currentAuditScope(); … const audit = await appendScopedAuditEntry(tx, clock, result, scope); // before COMMIT; then audit?.committed()
 */
export async function appendScopedAuditEntry(tx: Sql, clock: Clock, result: unknown, scope: AuditScope | undefined = currentAuditScope()): Promise<ScopedAuditAppend | undefined> {
  const open = auditScopeToRecord(scope);
  if (!open) return undefined;
  const { rows } = await tx.query<{ xid: string | null }>('SELECT pg_current_xact_id_if_assigned()::text AS xid');
  if (rows[0]?.xid === null || rows[0]?.xid === undefined) return undefined;
  const { pending } = open;
  const target = open.scope;
  target.recording = true;
  try {
    const entry = await createAuditLogRepo(tx, clock).append(pending.ctx, pending.entryFor(result));
    return {
      committed: () => {
        target.recording = false;
        target.recorded = entry;
      },
      rolledBack: () => {
        target.recording = false;
      },
    };
  } catch (err) {
    target.recording = false;
    throw err;
  }
}
