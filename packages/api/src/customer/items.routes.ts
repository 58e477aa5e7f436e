import type { FastifyPluginAsync } from 'fastify';
import type { CustomerQueries } from '@tradelane/core';
import { authHeadersSchema, cursorSchema, itemOfferSchema, limitSchema, pageLimit, pageSchema, problemResponses, searchSchema } from './schemas.js';

/** `GET /items`: the catalog with the caller's contract price and real availability (scope `catalog:read`). */
export function itemsRoutes(deps: { queries: CustomerQueries }): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { q?: string; cursor?: string; limit?: number } }>(
      '/items',
      {
        config: { scope: 'catalog:read' },
        schema: {
          summary: 'Search items with your price and availability',
          tags: ['customer'],
          headers: authHeadersSchema,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { q: searchSchema, cursor: cursorSchema, limit: limitSchema },
          },
          response: { 200: pageSchema(itemOfferSchema), ...problemResponses },
        },
      },
      async (request) => deps.queries.searchItems(request.ctx, { ...request.query, limit: pageLimit(request.query.limit) }),
    );
  };
}
