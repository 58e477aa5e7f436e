import type { FastifyPluginAsync } from 'fastify';
import { NotAllowedError, type ApiKeyResolver, type IdempotencyStore, type SupplierCommands, type SupplierQueries } from '@tradelane/core';
import { authPlugin } from '../plugins/auth.plugin.js';
import type { AccessTokenVerifier } from '../identity/access-tokens.js';
import { idempotencyPlugin, type IdempotencyPluginOptions } from '../plugins/idempotency.plugin.js';
import { strictBodyTypes } from '../customer/strict-body.hook.js';
import { asnsRoutes } from './asns.routes.js';
import { availabilityRoutes } from './availability.routes.js';
import { purchaseOrdersRoutes } from './purchase-orders.routes.js';
import { scorecardRoutes } from './scorecard.routes.js';
import { supplierInvoicesRoutes } from './supplier-invoices.routes.js';

/** Scopes a supplier API client can hold. */
export type SupplierScope =
  | 'purchase-orders:read'
  | 'acknowledgments:write'
  | 'asns:write'
  | 'supplier-invoices:write'
  | 'supplier-invoices:read'
  | 'availability:write'
  | 'scorecard:read';

/** Every supplier scope, e.g. for the keys a supplier is issued. */
export const SUPPLIER_SCOPES: readonly SupplierScope[] = [
  'purchase-orders:read',
  'acknowledgments:write',
  'asns:write',
  'supplier-invoices:write',
  'supplier-invoices:read',
  'availability:write',
  'scorecard:read',
];

/** What the supplier API needs: the procure-to-pay ports, the idempotency store and the API key resolver. */
export interface SupplierRoutesDeps {
  commands: SupplierCommands;
  queries: SupplierQueries;
  apiKeys: ApiKeyResolver;
  /** Verifies OAuth access tokens; without it the tree accepts API keys only. */
  accessTokens?: AccessTokenVerifier | undefined;
  idempotency: IdempotencyStore;
  /** Idempotency lock and retention. @default { lockMs: 60000, ttlMs: 86400000 } */
  idempotencyOptions?: Pick<IdempotencyPluginOptions, 'lockMs' | 'ttlMs'> | undefined;
}

/**
 * The supplier experience API tree (register under `/v1/supplier`): API-key auth with per-route scopes (the key must
 * speak for a supplier: `ctx.partnerId` is the supplier's party id), `Idempotency-Key` on every POST, strict JSON body
 * types, then purchase orders and acknowledgments, ASNs, invoices, availability and the scorecard.
 * @example await app.register(supplierRoutes({ commands, queries, apiKeys, idempotency }), { prefix: '/v1/supplier' })
 */
export function supplierRoutes(deps: SupplierRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(authPlugin, { apiKeys: deps.apiKeys, accessTokens: deps.accessTokens, requirePartner: false });
    app.addHook('onRequest', async (request) => {
      if (!request.ctx.partnerId) {
        throw new NotAllowedError('TL_AUTH_SCOPE', 'This API key does not speak for a supplier.', { required: 'partner' });
      }
    });
    await app.register(idempotencyPlugin, { store: deps.idempotency, ...deps.idempotencyOptions });
    app.addHook('preValidation', strictBodyTypes);
    app.addHook('onRequest', async (_request, reply) => {
      // Supplier data is private to the caller: never kept by shared caches.
      void reply.header('cache-control', 'private, no-store');
    });
    await app.register(purchaseOrdersRoutes(deps));
    await app.register(asnsRoutes(deps));
    await app.register(supplierInvoicesRoutes(deps));
    await app.register(availabilityRoutes(deps));
    await app.register(scorecardRoutes(deps));
  };
}
