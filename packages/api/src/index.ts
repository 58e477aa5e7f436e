export * from './app.js';
export * from './problem.js';
export { correlationIdFrom, childTraceparent, correlationPlugin } from './plugins/correlation.plugin.js';
export { errorsPlugin } from './plugins/errors.plugin.js';
export * from './routes/health.routes.js';
export { authPlugin, presentedApiKey, type AuthPluginOptions, type CustomerScope } from './plugins/auth.plugin.js';
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
