/**
 * Ports of the audit log, implemented by @tradelane/store: an append-only, per-tenant hash chain of who did what to
 * which resource, with which outcome, under which correlation id.
 */
import type { Actor, TenantContext } from '../context.js';

/** How an audited action ended. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** The audit outcomes, for validation. */
export const auditOutcomes: readonly AuditOutcome[] = ['success', 'failure', 'denied'];

/** The resource an audited action touched, e.g. `{ kind: 'sales_order', id: 'so_…' }`. */
export interface AuditResource {
  readonly kind: string;
  readonly id: string;
}

/** What a caller appends; tenant, actor, correlation id and time come from the context and the clock. */
export interface NewAuditEntry {
  /** Dotted verb, e.g. `sales_order.create`, `api_key.rotate`, `invoice.read`. */
  readonly action: string;
  readonly resource: AuditResource;
  readonly outcome: AuditOutcome;
  /** Extra facts (JSON); secrets, tokens and keys are redacted before anything is stored or hashed. */
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

/** The fields an audit entry's hash covers (everything but the hash itself). */
export interface AuditEntryFields {
  /** Position in the tenant's chain, 1 for the first entry. */
  readonly seq: number;
  readonly tenantId: string;
  readonly actor: Actor;
  readonly action: string;
  readonly resource: AuditResource;
  readonly outcome: AuditOutcome;
  readonly correlationId: string;
  /** Redacted detail; null when there was none. */
  readonly detail: Readonly<Record<string, unknown>> | null;
  readonly at: Date;
  /** Hash of the previous entry of the tenant; 64 zeros for the first. */
  readonly prevHash: string;
}

/** One stored audit entry. */
export interface AuditEntry extends AuditEntryFields {
  /** SHA-256 (hex) over the canonical JSON of the other fields, see `auditEntryHash`. */
  readonly hash: string;
}

/** Filters of {@link AuditLog.list}; entries come in chain order. */
export interface AuditQuery {
  /** Only entries after this sequence number (the cursor of the previous page). */
  readonly afterSeq?: number | undefined;
  /** @default 100 (at most 1000) */
  readonly limit?: number | undefined;
  readonly action?: string | undefined;
  readonly resourceKind?: string | undefined;
  readonly resourceId?: string | undefined;
}

/** A page of audit entries. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Pass as `afterSeq` for the next page; absent on the last page. */
  readonly nextAfterSeq?: number | undefined;
}

/** The tenant's audit log. */
export interface AuditLog {
  /** Appends one entry to the tenant's chain (in the caller's transaction when the log is bound to one). */
  append(ctx: TenantContext, entry: NewAuditEntry): Promise<AuditEntry>;
  /** Reads the tenant's entries in chain order. */
  list(ctx: TenantContext, query?: AuditQuery): Promise<AuditPage>;
}

/** Why a chain does not verify, at the first entry that breaks it. */
export type AuditBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'reordered';

/** Result of verifying one or every tenant's audit chain. */
export interface AuditVerification {
  readonly ok: boolean;
  /** Entries checked. */
  readonly checked: number;
  /** The first entry (in sequence order) where the chain breaks. */
  readonly firstBroken?: { readonly tenantId: string; readonly seq: number; readonly reason: AuditBreakReason } | undefined;
}
