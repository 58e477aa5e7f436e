import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, type CustomerCommands, type CustomerQueries, type ReturnRequest } from '@tradelane/core';
import { authHeadersSchema, idParamsSchema, idempotentHeadersSchema, problemResponses, returnRequestSchema, returnViewSchema } from './schemas.js';

/** Returns: `POST /returns` (idempotent, 201 + Location; scope `returns:write`) and `GET /returns/{id}`. */
export function returnsRoutes(deps: { commands: CustomerCommands; queries: CustomerQueries }): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: ReturnRequest }>(
      '/returns',
      {
        config: { scope: 'returns:write', idempotent: true },
        schema: {
          summary: 'Request a return (RMA)',
          tags: ['customer'],
          headers: idempotentHeadersSchema,
          body: returnRequestSchema,
          response: { 201: returnViewSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const rma = await deps.commands.requestReturn(request.ctx, request.body);
        return reply.code(201).header('location', `${app.prefix}/returns/${encodeURIComponent(rma.id)}`).send(rma);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/returns/:id',
      {
        config: { scope: ['orders:read', 'returns:write'] },
        schema: {
          summary: 'A return with its status and timeline',
          tags: ['customer'],
          headers: authHeadersSchema,
          params: idParamsSchema('rma', 'Return'),
          response: { 200: returnViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const rma = await deps.queries.getReturn(request.ctx, request.params.id);
        if (!rma) throw new NotFoundError('TL_RETURN_NOT_FOUND', `No return ${request.params.id}.`);
        return rma;
      },
    );
  };
}
