export * from './app.js';
export * from './problem.js';
export { correlationIdFrom, childTraceparent, correlationPlugin } from './plugins/correlation.plugin.js';
export { errorsPlugin } from './plugins/errors.plugin.js';
export * from './routes/health.routes.js';
export { authPlugin, presentedApiKey, looksLikeJwt, type AuthPluginOptions, type CustomerScope } from './plugins/auth.plugin.js';
export {
  idempotencyPlugin,
  canonicalJson,
  idempotencyRequestHash,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type IdempotencyPluginOptions,
} from './plugins/idempotency.plugin.js';
export { customerRoutes, type CustomerRoutesDeps } from './customer/customer.routes.js';
export { renderInvoicePdf, invoicePdfPageCount, type InvoicePdfParties, type PdfParty } from './customer/invoice.pdf.js';
export { defaultInvoicePdfParties, type InvoicePdfPartiesResolver } from './customer/invoices.routes.js';
/** JSON Schemas of the customer API (request parts and response documents), for generated clients and docs. */
export * as customerSchemas from './customer/schemas.js';
export { supplierRoutes, SUPPLIER_SCOPES, type SupplierRoutesDeps, type SupplierScope } from './supplier/supplier.routes.js';
/** JSON Schemas of the supplier API (request parts and response documents), for generated clients and docs. */
export * as supplierSchemas from './supplier/schemas.js';
export { opsRoutes, OPS_SCOPES, type OpsRoutesDeps, type OpsScope } from './ops/ops.routes.js';
/** JSON Schemas of the operations API (exception filters, resolve body, exception document). */
export * as opsSchemas from './ops/schemas.js';
export {
  createAccessTokens,
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  type AccessTokenOptions,
  type AccessTokens,
  type AccessTokenVerifier,
  type TokenResponse,
} from './identity/access-tokens.js';
export { oauthRoutes, type OAuthRoutesDeps, type OAuthErrorCode } from './identity/oauth.routes.js';
export {
  createOpenApiCollector,
  deprecationHeaders,
  SECURITY_SCHEMES,
  type OpenApiCollector,
  type OpenApiDocument,
  type OpenApiOperation,
  type RouteDeprecation,
  type SecurityRequirement,
} from './openapi/openapi.js';
export { docsRoutes, renderDocsPage, type DocsRoutesDeps } from './openapi/docs.routes.js';
export { auditPlugin, auditActionOf, auditOutcomeOf, auditResourceOf, type AuditPluginOptions } from './audit/audit.plugin.js';
export { callerContext } from './plugins/auth.plugin.js';
export { webhookRoutes, WEBHOOK_SCOPES, type WebhookRoutesDeps, type WebhookScope, type WebhookSubscriptions } from './webhooks/webhooks.routes.js';
/** JSON Schemas of the webhook subscription API. */
export * as webhookSchemas from './webhooks/schemas.js';
export { rateLimitPlugin, RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, type RateLimitPluginOptions } from './plugins/rate-limit.plugin.js';
export { ACCEPTED_REQUEST_ENCODINGS, decodeRequestBody, refuseUnsupportedEncodings } from './plugins/content-encoding.hook.js';
