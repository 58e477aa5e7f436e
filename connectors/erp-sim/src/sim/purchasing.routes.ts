import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ErpSimEngine } from './erp-engine.service.js';
import { loseAnswer, type LostAnswerDeps } from './lost-answer.js';
import {
  acknowledgmentRequestSchema,
  expectedReceiptRequestSchema,
  matchDecisionSchema,
  purchaseOrderCancelSchema,
  purchaseOrderChangeSchema,
  purchaseOrderQuerySchema,
  purchaseOrderRequestSchema,
  receiptRequestSchema,
  voucherRequestSchema,
} from './purchasing-request.schemas.js';
import { pagingQuerySchema, parseRequest } from './sim-request.schemas.js';

/** What the purchasing routes need. */
export interface PurchasingRoutesDeps extends LostAnswerDeps {
  engine: ErpSimEngine;
}

const positive = z.coerce.number().int().positive();
const docoParams = z.object({ doco: positive });

/**
 * Purchasing: supplier catalog and item-branch parameters (read), purchase orders (create idempotent on EXTREF,
 * approve, change, cancel, acknowledgments), expected receipts from ship notices (idempotent on supplier + ship notice
 * number), receipts (idempotent on RCTREF), vouchers for supplier invoices (a supplier invoice number is stored once)
 * and their match decision.
 */
export function purchasingRoutes(deps: PurchasingRoutesDeps): FastifyPluginAsync {
  const purchasing = deps.engine.purchasing;
  return async (app) => {
    app.get('/supplier-items', async (request) => purchasing.listSupplierItems(parseRequest(pagingQuerySchema.extend({ AN8: positive.optional(), LITM: z.string().optional() }), request.query)));
    app.get('/item-branches', async (request) => purchasing.listItemBranches(parseRequest(pagingQuerySchema.extend({ LITM: z.string().optional(), MCU: z.string().optional() }), request.query)));

    app.post('/purchase-orders', async (request, reply) => {
      const result = purchasing.createPurchaseOrder(parseRequest(purchaseOrderRequestSchema, request.body));
      if (loseAnswer(deps, request, reply)) return;
      return reply.code(result.created ? 201 : 200).send({ ORDER: result.order });
    });
    app.get('/purchase-orders', async (request) => purchasing.listPurchaseOrders(parseRequest(purchaseOrderQuerySchema, request.query)));
    app.get('/purchase-orders/:doco', async (request) => ({ ORDER: purchasing.getPurchaseOrder(parseRequest(docoParams, request.params).doco) }));
    app.post('/purchase-orders/:doco/approve', async (request) => ({ ORDER: purchasing.approvePurchaseOrder(parseRequest(docoParams, request.params).doco) }));
    app.patch('/purchase-orders/:doco', async (request) => {
      const { doco } = parseRequest(docoParams, request.params);
      return { ORDER: purchasing.changePurchaseOrder(doco, parseRequest(purchaseOrderChangeSchema, request.body)) };
    });
    app.post('/purchase-orders/:doco/cancel', async (request) => {
      const { doco } = parseRequest(docoParams, request.params);
      return { ORDER: purchasing.cancelPurchaseOrder(doco, parseRequest(purchaseOrderCancelSchema, request.body)).order };
    });
    app.post('/purchase-orders/:doco/acknowledgments', async (request) => {
      const { doco } = parseRequest(docoParams, request.params);
      return { ORDER: purchasing.acknowledgePurchaseOrder(doco, parseRequest(acknowledgmentRequestSchema, request.body)) };
    });
    app.post('/purchase-orders/:doco/receipts', async (request, reply) => {
      const { doco } = parseRequest(docoParams, request.params);
      const result = purchasing.receivePurchaseOrder(doco, parseRequest(receiptRequestSchema, request.body));
      if (loseAnswer(deps, request, reply)) return;
      return reply.code(result.created ? 201 : 200).send({ RECEIPT: result.receipt, ORDER: result.order });
    });

    app.post('/expected-receipts', async (request, reply) => {
      const result = purchasing.recordExpectedReceipt(parseRequest(expectedReceiptRequestSchema, request.body));
      if (loseAnswer(deps, request, reply)) return;
      return reply.code(result.created ? 201 : 200).send({ EXPECTED: result.expected });
    });
    app.get('/expected-receipts', async (request) => {
      const q = parseRequest(z.object({ AN8: positive.optional(), VASN: z.string().optional(), DOCO: positive.optional(), ASNREF: z.string().optional() }), request.query);
      return { EXPECTED: purchasing.listExpectedReceipts(q) };
    });
    app.get('/expected-receipts/:ern', async (request) => ({ EXPECTED: purchasing.getExpectedReceipt(parseRequest(z.object({ ern: positive }), request.params).ern) }));

    app.get('/receipts', async (request) => ({ RECEIPTS: purchasing.listReceipts(parseRequest(z.object({ DOCO: positive.optional(), RCTREF: z.string().optional() }), request.query)) }));
    app.get('/receipts/:rctn', async (request) => ({ RECEIPT: purchasing.getReceipt(parseRequest(z.object({ rctn: positive }), request.params).rctn) }));

    app.post('/vouchers', async (request, reply) => {
      const result = purchasing.recordVoucher(parseRequest(voucherRequestSchema, request.body));
      if (loseAnswer(deps, request, reply)) return;
      return reply.code(result.created ? 201 : 200).send({ VOUCHER: result.voucher, ...(result.created ? {} : { DUPLICATE: true }) });
    });
    app.get('/vouchers', async (request) => {
      const q = parseRequest(z.object({ AN8: positive.optional(), VINV: z.string().optional(), DOCO: positive.optional(), INVREF: z.string().optional() }), request.query);
      return { VOUCHERS: purchasing.listVouchers(q) };
    });
    app.get('/vouchers/:doc', async (request) => ({ VOUCHER: purchasing.getVoucher(parseRequest(z.object({ doc: positive }), request.params).doc) }));
    app.post('/vouchers/:doc/match', async (request) => {
      const { doc } = parseRequest(z.object({ doc: positive }), request.params);
      return { VOUCHER: purchasing.decideMatch(doc, parseRequest(matchDecisionSchema, request.body)).voucher };
    });
  };
}
