import type { FastifyPluginAsync } from 'fastify';
import type { SupplierAvailabilityUpdate, SupplierCommands } from '@tradelane/core';
import { authHeadersSchema, problemResponses } from '../customer/schemas.js';
import { availabilityUpdateSchema, skuParamsSchema, supplierItemViewSchema } from './schemas.js';

/**
 * Availability: `PUT /items/{sku}/availability` (scope `availability:write`) states what you can ship of one item, its
 * lead time and when more becomes available. A PUT replaces the statement, so repeating it is harmless.
 */
export function availabilityRoutes(deps: { commands: SupplierCommands }): FastifyPluginAsync {
  return async (app) => {
    app.put<{ Params: { sku: string }; Body: SupplierAvailabilityUpdate }>(
      '/items/:sku/availability',
      {
        config: { scope: 'availability:write' },
        schema: {
          summary: 'State what you can ship of an item, and its lead time',
          tags: ['supplier'],
          headers: authHeadersSchema,
          params: skuParamsSchema,
          body: availabilityUpdateSchema,
          response: { 200: supplierItemViewSchema, ...problemResponses },
        },
      },
      async (request) => deps.commands.updateAvailability(request.ctx, request.params.sku, request.body),
    );
  };
}
