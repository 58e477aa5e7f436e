import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ErpSimEngine } from './erp-engine.service.js';
import { noFaults, type ErpSimFaults, type FaultInjector } from './fault-injector.js';
import {
  creditChangeSchema,
  faultsRequestSchema,
  parseRequest,
  paymentRequestSchema,
  settingsRequestSchema,
  stockReceiptSchema,
} from './sim-request.schemas.js';
import { itemBranchChangeSchema, replenishmentRequestSchema, stockCountSchema } from './purchasing-request.schemas.js';

/** Run-time control of the simulator the admin routes drive (implemented by the server). */
export interface SimControl {
  /** Puts `faults` in force; `down` closes or reopens the listener; `downForMs` reopens it after that long. */
  applyFaults(faults: ErpSimFaults, options?: { downForMs?: number | undefined }): Promise<void>;
  /** Rebuilds the data from `seed` (default: the current one) and clears faults and counters. */
  reset(seed?: number): Promise<void>;
}

/** What the admin routes need. */
export interface AdminRoutesDeps {
  engine: ErpSimEngine;
  faults: FaultInjector;
  control: SimControl;
  now: () => Date;
}

const docoParams = z.object({ doco: z.coerce.number().int().positive() });
const an8Params = z.object({ an8: z.coerce.number().int().positive() });
const itemBranchParams = z.object({ litm: z.string().min(1).max(25), mcu: z.string().min(1).max(12) });

/**
 * Test-harness endpoints under `/admin` (never subject to faults): faults, counts, reset, settings, and the ERP-side
 * transactions an outside system does not drive (stock receipts and counts, payments, pick release, credit release,
 * reorder points and a replenishment run), and generated suppliers for large purchasing scenarios.
 */
export function adminRoutes(deps: AdminRoutesDeps): FastifyPluginAsync {
  const { engine, faults, control, now } = deps;

  const nextFaults = (base: ErpSimFaults, body: z.output<typeof faultsRequestSchema>): ErpSimFaults => {
    const next: ErpSimFaults = { ...base };
    if (body.down !== undefined) next.down = body.down;
    if (body.downForMs !== undefined) next.down = true;
    if (body.slowMs !== undefined) next.slowMs = body.slowMs;
    if (body.errorRate !== undefined) next.errorRate = body.errorRate;
    if (body.commitThenTimeout !== undefined) next.commitThenTimeout = body.commitThenTimeout;
    if (body.commitThenTimeoutMode !== undefined) next.commitThenTimeoutMode = body.commitThenTimeoutMode;
    if (body.maintenanceUntil !== undefined) next.maintenanceUntil = body.maintenanceUntil;
    if (body.maintenanceForMs !== undefined) next.maintenanceUntil = new Date(now().getTime() + body.maintenanceForMs).toISOString();
    return next;
  };

  return async (app) => {
    app.get('/admin/faults', async () => faults.current());

    const setFaults = (merge: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
      const body = parseRequest(faultsRequestSchema, request.body);
      const next = nextFaults(merge ? faults.current() : { ...noFaults }, body);
      if (next.down) {
        // Answer first, then close the listener.
        reply.raw.once('finish', () => void control.applyFaults(next, { downForMs: body.downForMs }));
      } else {
        await control.applyFaults(next);
      }
      return next;
    };
    app.put('/admin/faults', setFaults(false));
    app.patch('/admin/faults', setFaults(true));
    app.delete('/admin/faults', async () => {
      await control.applyFaults({ ...noFaults });
      return faults.current();
    });

    app.get('/admin/stats', async () => ({ ...engine.stats(), faults: faults.counts() }));
    app.post('/admin/reset', async (request) => {
      const body = parseRequest(z.object({ seed: z.int().optional() }).strict(), request.body);
      await control.reset(body.seed);
      return { ...engine.stats(), seed: engine.seed };
    });

    app.get('/admin/settings', async () => engine.settings);
    app.put('/admin/settings', async (request) => {
      Object.assign(engine.settings, parseRequest(settingsRequestSchema, request.body));
      return engine.settings;
    });

    app.post('/admin/receipts', async (request) => ({ ROWS: engine.receiveStock(parseRequest(stockReceiptSchema, request.body)) }));
    app.put('/admin/inventory/:litm/:mcu', async (request) => {
      const { litm, mcu } = parseRequest(itemBranchParams, request.params);
      return { ROWS: engine.setStock({ LITM: litm, MCU: mcu, PQOH: parseRequest(stockCountSchema, request.body).PQOH }) };
    });
    app.put('/admin/item-branches/:litm/:mcu', async (request) => {
      const { litm, mcu } = parseRequest(itemBranchParams, request.params);
      return engine.purchasing.setItemBranch(litm, mcu, parseRequest(itemBranchChangeSchema, request.body));
    });
    app.post('/admin/suppliers/generate', async (request) => {
      const body = parseRequest(z.object({ count: z.int().min(0) }).strict(), request.body);
      return { ROWS: engine.generateSuppliers(body.count) };
    });
    app.post('/admin/replenishment', async (request) => ({ ORDERS: engine.purchasing.replenish(parseRequest(replenishmentRequestSchema, request.body)) }));
    app.post('/admin/payments', async (request, reply) => {
      const result = engine.postPayment(parseRequest(paymentRequestSchema, request.body));
      return reply.code(result.created ? 201 : 200).send({ PAYMENT: result.payment });
    });
    app.post('/admin/orders/:doco/release', async (request) => ({ ORDER: engine.releaseOrder(parseRequest(docoParams, request.params).doco) }));
    app.post('/admin/orders/:doco/credit-release', async (request) => ({ ORDER: engine.releaseHold(parseRequest(docoParams, request.params).doco) }));
    app.put('/admin/customers/:an8/credit', async (request) => {
      const { an8 } = parseRequest(an8Params, request.params);
      return engine.setCustomerCredit(an8, parseRequest(creditChangeSchema, request.body));
    });
  };
}
