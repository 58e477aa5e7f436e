import type { FastifyPluginAsync } from 'fastify';
import {
  NotFoundError,
  type AcknowledgmentSubmission,
  type PurchaseOrderQuery,
  type SupplierCommands,
  type SupplierQueries,
} from '@tradelane/core';
import { authHeadersSchema, idempotentHeadersSchema, pageLimit, pageSchema, problemResponses } from '../customer/schemas.js';
import {
  acknowledgmentResultSchema,
  acknowledgmentSubmissionSchema,
  purchaseOrderParamsSchema,
  purchaseOrderQuerySchema,
  supplierPurchaseOrderSchema,
} from './schemas.js';
import { uniqueLineNumbers } from './field-rules.js';

/**
 * Purchase orders: `GET /purchase-orders` (scope `purchase-orders:read`), `GET /purchase-orders/{id}` (by hub id or
 * PO number) and `POST /purchase-orders/{id}/acknowledgments` (idempotent; scope `acknowledgments:write`; 201, or 200
 * when the hub had already received the same acknowledgment). Another supplier's order answers 404 like an unknown one.
 */
export function purchaseOrdersRoutes(deps: { commands: SupplierCommands; queries: SupplierQueries }): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: PurchaseOrderQuery }>(
      '/purchase-orders',
      {
        config: { scope: 'purchase-orders:read' },
        schema: {
          summary: 'List your purchase orders',
          description: 'New, changed and awaiting-acknowledgment orders first of all; filter by status, awaitingAcknowledgment or updatedSince.',
          tags: ['supplier'],
          headers: authHeadersSchema,
          querystring: purchaseOrderQuerySchema,
          response: { 200: pageSchema(supplierPurchaseOrderSchema), ...problemResponses },
        },
      },
      async (request) => deps.queries.listPurchaseOrders(request.ctx, { ...request.query, limit: pageLimit(request.query.limit) }),
    );

    app.get<{ Params: { id: string } }>(
      '/purchase-orders/:id',
      {
        config: { scope: 'purchase-orders:read' },
        schema: {
          summary: 'A purchase order with its lines',
          tags: ['supplier'],
          headers: authHeadersSchema,
          params: purchaseOrderParamsSchema,
          response: { 200: supplierPurchaseOrderSchema, ...problemResponses },
        },
      },
      async (request) => {
        const po = await deps.queries.getPurchaseOrder(request.ctx, request.params.id);
        if (!po) throw new NotFoundError('TL_PURCHASE_ORDER_NOT_FOUND', `No purchase order ${request.params.id}.`);
        return po;
      },
    );

    app.post<{ Params: { id: string }; Body: AcknowledgmentSubmission }>(
      '/purchase-orders/:id/acknowledgments',
      {
        config: { scope: 'acknowledgments:write', idempotent: true },
        preValidation: uniqueLineNumbers('lines'),
        schema: {
          summary: 'Acknowledge a purchase order, line by line',
          description:
            'Each line is accepted, changed (quantity, price, date or substitute), backordered (with promisedDate) or rejected. ' +
            'Inside your tolerance profile the ERP is updated at once (outcome Applied); outside it a buyer decides (outcome Exception). ' +
            'A repeated acknowledgment answers 200 with outcome Duplicate and changes nothing.',
          tags: ['supplier'],
          headers: idempotentHeadersSchema,
          params: purchaseOrderParamsSchema,
          body: acknowledgmentSubmissionSchema,
          response: { 200: acknowledgmentResultSchema, 201: acknowledgmentResultSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const result = await deps.commands.acknowledge(request.ctx, request.params.id, request.body);
        return reply.code(result.outcome === 'Duplicate' ? 200 : 201).send(result);
      },
    );
  };
}

