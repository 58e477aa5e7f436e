import type { FastifyPluginAsync } from 'fastify';
import { InputError, NotFoundError, type CustomerCommands, type CustomerQueries, type OrderChange, type OrderQuery, type OrderSubmission } from '@tradelane/core';
import {
  authHeadersSchema,
  cursorSchema,
  dateSchema,
  idParamsSchema,
  idempotentHeadersSchema,
  limitSchema,
  orderCancelSchema,
  orderChangeSchema,
  orderSubmissionSchema,
  orderSummarySchema,
  orderViewSchema,
  pageLimit,
  pageSchema,
  problemResponses,
  searchSchema,
  statusFilterSchema,
} from './schemas.js';

const orderParams = idParamsSchema('so', 'Order');

/**
 * Orders: `POST /orders` (idempotent, 202 + Location), `GET /orders`, `GET /orders/{id}`, `POST /orders/{id}/change`,
 * `POST /orders/{id}/cancel`. Another customer's order answers 404 like an unknown one.
 */
export function ordersRoutes(deps: { commands: CustomerCommands; queries: CustomerQueries }): FastifyPluginAsync {
  return async (app) => {
    const location = (id: string) => `${app.prefix}/orders/${encodeURIComponent(id)}`;

    app.post<{ Body: OrderSubmission }>(
      '/orders',
      {
        config: { scope: 'orders:write', idempotent: true },
        schema: {
          summary: 'Submit an order',
          description: 'Accepted as status Received; validation and the ERP commit follow and show on the timeline.',
          tags: ['customer'],
          headers: idempotentHeadersSchema,
          body: orderSubmissionSchema,
          response: { 202: orderViewSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const order = await deps.commands.submitOrder(request.ctx, request.body);
        return reply.code(202).header('location', location(order.id)).send(order);
      },
    );

    app.get<{ Querystring: OrderQuery }>(
      '/orders',
      {
        config: { scope: 'orders:read' },
        schema: {
          summary: 'List your orders',
          tags: ['customer'],
          headers: authHeadersSchema,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              status: statusFilterSchema,
              from: { ...dateSchema, description: 'Ordered on or after (YYYY-MM-DD)' },
              to: { ...dateSchema, description: 'Ordered on or before (YYYY-MM-DD)' },
              q: { ...searchSchema, description: 'Matches your PO number or a SKU' },
              cursor: cursorSchema,
              limit: limitSchema,
            },
          },
          response: { 200: pageSchema(orderSummarySchema), ...problemResponses },
        },
      },
      async (request) => {
        const { from, to } = request.query;
        if (from && to && from > to) {
          throw new InputError('TL_REQUEST_INVALID', `"from" (${from}) is after "to" (${to}).`, { field: 'querystring/from' });
        }
        return deps.queries.listOrders(request.ctx, { ...request.query, limit: pageLimit(request.query.limit) });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/orders/:id',
      {
        config: { scope: 'orders:read' },
        schema: {
          summary: 'An order with lines, shipments and timeline',
          tags: ['customer'],
          headers: authHeadersSchema,
          params: orderParams,
          response: { 200: orderViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const order = await deps.queries.getOrder(request.ctx, request.params.id);
        if (!order) throw new NotFoundError('TL_ORDER_NOT_FOUND', `No order ${request.params.id}.`);
        return order;
      },
    );

    app.post<{ Params: { id: string }; Body: OrderChange }>(
      '/orders/:id/change',
      {
        config: { scope: 'orders:write' },
        schema: {
          summary: 'Change line quantities before the order is released to the warehouse',
          tags: ['customer'],
          headers: authHeadersSchema,
          params: orderParams,
          body: orderChangeSchema,
          response: { 200: orderViewSchema, ...problemResponses },
        },
      },
      async (request) => deps.commands.changeOrder(request.ctx, request.params.id, request.body),
    );

    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      '/orders/:id/cancel',
      {
        config: { scope: 'orders:write' },
        schema: {
          summary: 'Cancel an order',
          tags: ['customer'],
          headers: authHeadersSchema,
          params: orderParams,
          body: orderCancelSchema,
          response: { 200: orderViewSchema, ...problemResponses },
        },
      },
      async (request) => deps.commands.cancelOrder(request.ctx, request.params.id, request.body.reason),
    );
  };
}
