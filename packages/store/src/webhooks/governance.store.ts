import type { AuditVerification, TransactionRunner, WebhookOutbox } from '@tradelane/core';
import type { Sql, TransactionOptions } from '../driver/database.js';
import type { Store } from '../store.js';
import { createAuditLogRepo, verifyAuditChain, type AuditLogRepo } from '../audit/audit-log.repo.js';
import { createWebhookRepo, type WebhookRepo } from './webhook.repo.js';

/** The governance repositories bound to one open transaction: a change and its audit entry commit together. */
export interface GovernanceTx {
  readonly sql: Sql;
  readonly webhooks: WebhookRepo;
  readonly audit: AuditLogRepo;
}

/** Audit log and webhooks on a store: transactions for the services, database-bound repos for the worker and reads. */
export interface GovernanceStore {
  /** Hand to `createWebhookService({ transactions })`. */
  readonly transactions: TransactionRunner<GovernanceTx> & { transaction<T>(fn: (tx: GovernanceTx) => Promise<T>, options?: TransactionOptions): Promise<T> };
  /** Webhook store outside a transaction (each call commits on its own): the delivery worker's store. */
  readonly webhooks: WebhookRepo;
  /** Audit log outside a transaction: each append commits on its own. */
  readonly audit: AuditLogRepo;
  /** The webhook outbox bound to a consumer's transaction (`webhookConsumers({ outboxOf })`). */
  outboxOf(tx: { readonly sql: Sql }): WebhookOutbox;
  /** Verifies the audit chain of one tenant or of all. */
  verifyAudit(tenantId?: string): Promise<AuditVerification>;
}

/**
 * Builds the governance persistence on a store.
 * @example const gov = createGovernanceStore(store); await gov.transactions.transaction((tx) => tx.audit.append(ctx, entry));
 */
export function createGovernanceStore(store: Store): GovernanceStore {
  const bind = (sql: Sql): GovernanceTx => ({ sql, webhooks: createWebhookRepo(sql, store.clock), audit: createAuditLogRepo(sql, store.clock) });
  return {
    transactions: { transaction: <T>(fn: (tx: GovernanceTx) => Promise<T>, options?: TransactionOptions) => store.transaction((tx) => fn(bind(tx.sql)), options) },
    webhooks: createWebhookRepo(store.db, store.clock),
    audit: createAuditLogRepo(store.db, store.clock),
    outboxOf: (tx) => createWebhookRepo(tx.sql, store.clock),
    verifyAudit: (tenantId) => verifyAuditChain(store.db, tenantId),
  };
}
