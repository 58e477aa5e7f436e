import type { FastifyPluginAsync } from 'fastify';
import type { ApiKeyResolver, CustomerCommands, CustomerQueries, IdempotencyStore } from '@tradelane/core';
import { authPlugin } from '../plugins/auth.plugin.js';
import type { AccessTokenVerifier } from '../identity/access-tokens.js';
import { idempotencyPlugin, type IdempotencyPluginOptions } from '../plugins/idempotency.plugin.js';
import { invoicesRoutes, type InvoicePdfPartiesResolver } from './invoices.routes.js';
import { itemsRoutes } from './items.routes.js';
import { orderEventsRoutes } from './order-events.routes.js';
import { ordersRoutes } from './orders.routes.js';
import { returnsRoutes } from './returns.routes.js';
import { strictBodyTypes } from './strict-body.hook.js';

/** What the customer API needs: the order-to-cash ports, the idempotency store and the API key resolver. */
export interface CustomerRoutesDeps {
  commands: CustomerCommands;
  queries: CustomerQueries;
  idempotency: IdempotencyStore;
  apiKeys: ApiKeyResolver;
  /** Verifies OAuth access tokens; without it the tree accepts API keys only. */
  accessTokens?: AccessTokenVerifier | undefined;
  /** Interval of SSE heartbeat comments. @default 15000 */
  heartbeatMs?: number | undefined;
  /** Idempotency lock and retention. @default { lockMs: 60000, ttlMs: 86400000 } */
  idempotencyOptions?: Pick<IdempotencyPluginOptions, 'lockMs' | 'ttlMs'> | undefined;
  /** Issuer and bill-to printed on invoice PDFs. @default tenant id and customer account id */
  invoicePdfParties?: InvoicePdfPartiesResolver | undefined;
}

/**
 * The customer API tree (register under `/v1/customer`): API-key auth with per-route scopes, `Idempotency-Key` on
 * creates, strict JSON body types, then items, orders, order events (SSE), invoices, balance and returns.
 * @example await app.register(customerRoutes({ commands, queries, idempotency, apiKeys }), { prefix: '/v1/customer' })
 */
export function customerRoutes(deps: CustomerRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(authPlugin, { apiKeys: deps.apiKeys, accessTokens: deps.accessTokens, requirePartner: true });
    await app.register(idempotencyPlugin, { store: deps.idempotency, ...deps.idempotencyOptions });
    app.addHook('preValidation', strictBodyTypes);
    app.addHook('onRequest', async (_request, reply) => {
      // Customer data is private to the caller: never kept by shared caches.
      void reply.header('cache-control', 'private, no-store');
    });
    await app.register(itemsRoutes(deps));
    await app.register(ordersRoutes(deps));
    await app.register(orderEventsRoutes(deps));
    await app.register(invoicesRoutes(deps));
    await app.register(returnsRoutes(deps));
  };
}
