export * from './driver/database.js';
export { openPglite, type PgliteOptions, type PgliteSnapshots } from './driver/pglite.driver.js';
export { openPostgres } from './driver/pg.driver.js';
export { openDatabase } from './driver/open-database.js';
export * from './migrations/migrate.js';
export * from './store.js';
export * from './documents/document.repo.js';
export * from './idempotency/idempotency.repo.js';
export * from './messaging/outbox.repo.js';
export * from './messaging/inbox.repo.js';
export { createDeliveryStore } from './messaging/delivery.repo.js';
export { createDeadLetterStore } from './messaging/dead-letter.repo.js';
export { createFlowStore, type FlowStoreOptions } from './flows/flow-store.repo.js';
export { createOrderToCashStore, type OrderToCashStore, type OrderToCashStoreOptions, type OrderToCashStoreTx } from './order-to-cash/order-to-cash.store.js';
export { createApiKeyRepo, hashApiKey, type ApiKeyRepo, type ApiKeyRepoOptions, type CreatedApiKey, type CreatedStaffApiKey, type RotatedApiKey } from './order-to-cash/api-key.repo.js';
export { createTimelineWatchers, type TimelineWatchers } from './order-to-cash/customer-queries.repo.js';
export { createEdiMessageRepo, MAX_EDI_PAYLOAD_BYTES, type EdiMessageRepo } from './edi/edi-message.repo.js';
export { createProcureToPayStore, type ProcureToPayStore, type ProcureToPayStoreTx } from './procure-to-pay/procure-to-pay.store.js';
export { createAuditLogRepo, verifyAuditChain, type AuditLogRepo } from './audit/audit-log.repo.js';
export { appendScopedAuditEntry, type ScopedAuditAppend } from './audit/audit-scope.js';
export { createWebhookRepo, type WebhookRepo } from './webhooks/webhook.repo.js';
export { createGovernanceStore, type GovernanceStore, type GovernanceTx } from './webhooks/governance.store.js';
export { createOAuthClientRepo, hashClientSecret, type OAuthClientListing, type OAuthClientRepo, type OAuthClientRepoOptions } from './identity/oauth-client.repo.js';
export {
  createCredentialInvalidations,
  processCredentialInvalidations,
  MAX_CREDENTIAL_CACHE_TTL_MS,
  type CredentialCacheOptions,
  type CredentialInvalidations,
} from './identity/credential-cache.js';
export { createSigningKeyRepo } from './identity/signing-key.repo.js';
export { createRateLimitRepo, type RateLimitRepoOptions } from './rate-limit/rate-limit.repo.js';
