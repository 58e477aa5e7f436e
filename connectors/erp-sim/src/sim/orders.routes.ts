import type { FastifyPluginAsync } from 'fastify';
import type { Socket } from 'node:net';
import { z } from 'zod';
import type { ErpSimEngine } from './erp-engine.service.js';
import type { FaultInjector } from './fault-injector.js';
import { loseAnswer } from './lost-answer.js';
import { orderCancelSchema, orderChangeSchema, orderRequestSchema, parseRequest, shipConfirmSchema } from './sim-request.schemas.js';

/** What the order routes need. */
export interface OrdersRoutesDeps {
  engine: ErpSimEngine;
  faults: FaultInjector;
  /** Keeps a socket whose answer is withheld (commit-then-timeout `hang`) until the client gives up or the sim closes. */
  holdSocket(socket: Socket): void;
}

const docoParams = z.object({ doco: z.coerce.number().int().positive() });
const invoiceParams = z.object({ dct: z.enum(['RI', 'RM']), doc: z.coerce.number().int().positive() });

/** Sales orders (create idempotent on EXTREF, change, cancel, ship confirm) and invoices. */
export function ordersRoutes(deps: OrdersRoutesDeps): FastifyPluginAsync {
  const { engine } = deps;
  return async (app) => {
    app.post('/orders', async (request, reply) => {
      const input = parseRequest(orderRequestSchema, request.body);
      const result = engine.createOrder(input);
      // The order is committed; under the commit-then-timeout fault the answer is lost on the way back.
      if (loseAnswer(deps, request, reply)) return;
      return reply.code(result.created ? 201 : 200).send({ ORDER: result.order });
    });
    app.get('/orders', async (request) => {
      const q = parseRequest(z.object({ EXTREF: z.string().optional(), AN8: z.coerce.number().int().positive().optional() }), request.query);
      return { ORDERS: engine.listOrders(q) };
    });
    app.get('/orders/:doco', async (request) => ({ ORDER: engine.getOrder(parseRequest(docoParams, request.params).doco) }));
    app.patch('/orders/:doco', async (request) => {
      const { doco } = parseRequest(docoParams, request.params);
      return { ORDER: engine.changeOrder(doco, parseRequest(orderChangeSchema, request.body)) };
    });
    app.post('/orders/:doco/cancel', async (request) => {
      const { doco } = parseRequest(docoParams, request.params);
      return { ORDER: engine.cancelOrder(doco, parseRequest(orderCancelSchema, request.body)).order };
    });
    app.post('/orders/:doco/shipments', async (request, reply) => {
      const { doco } = parseRequest(docoParams, request.params);
      const result = engine.confirmShipment(doco, parseRequest(shipConfirmSchema, request.body));
      return reply.code(result.created ? 201 : 200).send({ ORDER: result.order });
    });
    app.get('/invoices', async (request) => {
      const q = parseRequest(
        z.object({ DOCO: z.coerce.number().int().positive().optional(), AN8: z.coerce.number().int().positive().optional(), DCT: z.enum(['RI', 'RM']).optional() }),
        request.query,
      );
      return { INVOICES: engine.listInvoices(q) };
    });
    app.get('/invoices/:dct/:doc', async (request) => {
      const { dct, doc } = parseRequest(invoiceParams, request.params);
      return { INVOICE: engine.getInvoice(dct, doc) };
    });
  };
}
