import Fastify, { type FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import { adminRoutes, type SimControl } from './admin.routes.js';
import { changesRoutes } from './changes.routes.js';
import type { ErpSimEngine } from './erp-engine.service.js';
import type { FaultInjector } from './fault-injector.js';
import { masterDataRoutes } from './master-data.routes.js';
import { ordersRoutes } from './orders.routes.js';
import { purchasingRoutes } from './purchasing.routes.js';
import { returnsRoutes } from './returns.routes.js';
import { SimError } from './sim.errors.js';

/** What the simulator's HTTP app is built from. */
export interface ErpSimAppDeps {
  engine: ErpSimEngine;
  faults: FaultInjector;
  control: SimControl;
  now: () => Date;
  holdSocket(socket: Socket): void;
  /** Log requests with pino (fastify's logger). @default false */
  logger?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Builds the simulator's Fastify app (not listening): fault hooks for every non-admin request, the ERP's routes, and
 * errors in the simulator's own `{ ERROR: { CODE, MSG, FIELD } }` format.
 */
export function buildErpSimApp(deps: ErpSimAppDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ? { level: 'info' } : false, bodyLimit: 1_048_576 });
  const { faults } = deps;

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/admin')) return;
    faults.countRequest();
    const retryAfter = faults.maintenanceRetryAfter();
    if (retryAfter !== undefined) {
      return reply
        .code(503)
        .header('retry-after', String(retryAfter))
        .send({ ERROR: { CODE: 'SYS503', MSG: `system in maintenance until ${faults.current().maintenanceUntil}` } });
    }
    const latency = faults.latency();
    if (latency > 0) await sleep(latency);
    if (faults.rollError()) return reply.code(500).send({ ERROR: { CODE: 'SYS500', MSG: 'simulated internal error (fault errorRate)' } });
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SimError) return reply.code(error.status).send(error.toBody());
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ ERROR: { CODE: 'VAL000', MSG: (error as Error).message } });
    }
    request.log.error({ err: error }, 'unexpected failure');
    return reply.code(500).send({ ERROR: { CODE: 'SYS000', MSG: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ ERROR: { CODE: 'URL001', MSG: `no endpoint ${request.method} ${request.url}` } }));

  app.register(masterDataRoutes({ engine: deps.engine, now: deps.now }));
  app.register(ordersRoutes({ engine: deps.engine, faults, holdSocket: deps.holdSocket }));
  app.register(returnsRoutes({ engine: deps.engine }));
  app.register(purchasingRoutes({ engine: deps.engine, faults, holdSocket: deps.holdSocket }));
  app.register(changesRoutes({ engine: deps.engine }));
  app.register(adminRoutes({ engine: deps.engine, faults, control: deps.control, now: deps.now }));
  return app;
}
