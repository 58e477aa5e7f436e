import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { toJulian, toTimeOfDay } from '../wire/julian-date.js';
import type { ErpSimEngine } from './erp-engine.service.js';
import { pagingQuerySchema, parseRequest } from './sim-request.schemas.js';

/** What the master-data routes need. */
export interface MasterDataRoutesDeps {
  engine: ErpSimEngine;
  now: () => Date;
}

const an8Params = z.object({ an8: z.coerce.number().int().positive() });

/** Status, company, payment terms, address book (customers, ship-tos, suppliers), credit, items, price books and item balances. */
export function masterDataRoutes(deps: MasterDataRoutesDeps): FastifyPluginAsync {
  const { engine, now } = deps;
  return async (app) => {
    app.get('/status', async () => {
      const at = now();
      return { STATUS: 'UP', KCOO: engine.company().KCOO, SEED: engine.seed, UPMJ: toJulian(at), TDAY: toTimeOfDay(at) };
    });
    app.get('/company', async () => engine.company());
    app.get('/payment-terms', async () => ({ ROWS: engine.paymentTerms() }));
    app.get('/address-book', async (request) => {
      const q = parseRequest(pagingQuerySchema.extend({ AT1: z.enum(['C', 'ST', 'V']).optional() }), request.query);
      return engine.listAddressBook(q);
    });
    app.get('/address-book/:an8', async (request) => engine.getAddress(parseRequest(an8Params, request.params).an8));
    app.get('/customers/:an8/credit', async (request) => engine.creditStanding(parseRequest(an8Params, request.params).an8));
    app.get('/items', async (request) => engine.listItems(parseRequest(pagingQuerySchema, request.query)));
    app.get('/prices', async (request) => {
      const q = parseRequest(pagingQuerySchema.extend({ PRBK: z.string().optional(), AN8: z.coerce.number().int().positive().optional() }), request.query);
      return engine.listPrices(q);
    });
    app.get('/inventory', async (request) => {
      const q = parseRequest(pagingQuerySchema.extend({ LITM: z.string().optional(), MCU: z.string().optional() }), request.query);
      const at = now();
      return { ...engine.listBalances(q), ASOF: { UPMJ: toJulian(at), TDAY: toTimeOfDay(at) } };
    });
  };
}
