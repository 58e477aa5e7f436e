import { AUDIT_GENESIS_HASH, auditEntryHash, redactAuditDetail, type AuditEntry, type AuditLog, type AuditPage, type AuditQuery, type NewAuditEntry, type TenantContext } from '@tradelane/core';

/** An in-memory, hash-chained audit log per tenant (the store's contract, without the database). */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async append(ctx: TenantContext, entry: NewAuditEntry): Promise<AuditEntry> {
    // the store's rule for actions
    if (!/^[a-z][a-z0-9_]*(?:[.:][a-z0-9_]+)*$/.test(entry.action) || entry.action.length > 100) throw new Error(`bad audit action ${entry.action}`);
    const chain = this.entries.filter((e) => e.tenantId === ctx.tenantId);
    const last = chain[chain.length - 1];
    const fields = {
      seq: (last?.seq ?? 0) + 1,
      tenantId: ctx.tenantId,
      actor: { kind: ctx.actor.kind, id: ctx.actor.id },
      action: entry.action,
      resource: entry.resource,
      outcome: entry.outcome,
      correlationId: ctx.correlationId,
      detail: entry.detail === undefined ? null : redactAuditDetail({ ...entry.detail }),
      at: new Date(),
      prevHash: last?.hash ?? AUDIT_GENESIS_HASH,
    };
    const stored = { ...fields, hash: auditEntryHash(fields) };
    this.entries.push(stored);
    return stored;
  }
  async list(ctx: TenantContext, query: AuditQuery = {}): Promise<AuditPage> {
    return { entries: this.entries.filter((e) => e.tenantId === ctx.tenantId && e.seq > (query.afterSeq ?? 0) && (!query.action || e.action === query.action)) };
  }
}
