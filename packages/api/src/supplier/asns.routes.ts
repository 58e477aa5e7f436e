import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, type AsnSubmission, type SupplierCommands, type SupplierQueries } from '@tradelane/core';
import { authHeadersSchema, idempotentHeadersSchema, problemResponses } from '../customer/schemas.js';
import { dateOrder } from './field-rules.js';
import { asnParamsSchema, asnSubmissionSchema, asnViewSchema } from './schemas.js';

/**
 * Ship notices: `POST /asns` (idempotent; scope `asns:write`; 201 + Location, or 200 with `duplicate: true` when the
 * hub already had this ASN number) and `GET /asns/{id}` (scope `asns:write` or `purchase-orders:read`).
 */
export function asnsRoutes(deps: { commands: SupplierCommands; queries: SupplierQueries }): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: AsnSubmission }>(
      '/asns',
      {
        config: { scope: 'asns:write', idempotent: true },
        preValidation: dateOrder('body', 'shipDate', 'expectedDeliveryDate'),
        schema: {
          summary: 'Send a ship notice',
          description: 'One shipment with lines of one or more of your purchase orders; expected receipts and inbound availability follow.',
          tags: ['supplier'],
          headers: idempotentHeadersSchema,
          body: asnSubmissionSchema,
          response: { 200: asnViewSchema, 201: asnViewSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const asn = await deps.commands.submitAsn(request.ctx, request.body);
        return reply
          .code(asn.duplicate ? 200 : 201)
          .header('location', `${app.prefix}/asns/${encodeURIComponent(asn.id)}`)
          .send(asn);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/asns/:id',
      {
        config: { scope: ['asns:write', 'purchase-orders:read'] },
        schema: {
          summary: 'A ship notice with received quantities',
          tags: ['supplier'],
          headers: authHeadersSchema,
          params: asnParamsSchema,
          response: { 200: asnViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const asn = await deps.queries.getAsn(request.ctx, request.params.id);
        if (!asn) throw new NotFoundError('TL_ASN_NOT_FOUND', `No ASN ${request.params.id}.`);
        return asn;
      },
    );
  };
}
