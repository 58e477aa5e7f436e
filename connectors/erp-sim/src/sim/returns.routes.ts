import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ErpSimEngine } from './erp-engine.service.js';
import { parseRequest, returnReceiptSchema, returnRequestSchema } from './sim-request.schemas.js';

const rmanParams = z.object({ rman: z.coerce.number().int().positive() });

/** Returns (credit orders `CO`): request (idempotent on EXTREF), read, receive. */
export function returnsRoutes(deps: { engine: ErpSimEngine }): FastifyPluginAsync {
  const { engine } = deps;
  return async (app) => {
    app.post('/returns', async (request, reply) => {
      const result = engine.createReturn(parseRequest(returnRequestSchema, request.body));
      return reply.code(result.created ? 201 : 200).send({ RETURN: result.rma });
    });
    app.get('/returns', async (request) => ({ RETURNS: engine.listReturns(parseRequest(z.object({ EXTREF: z.string().optional() }), request.query)) }));
    app.get('/returns/:rman', async (request) => ({ RETURN: engine.getReturn(parseRequest(rmanParams, request.params).rman) }));
    app.post('/returns/:rman/receipts', async (request) => {
      const { rman } = parseRequest(rmanParams, request.params);
      return { RETURN: engine.receiveReturn(rman, parseRequest(returnReceiptSchema, request.body)).rma };
    });
  };
}
