import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { correlationIdFrom, correlationPlugin } from './plugins/correlation.plugin.js';
import { errorsPlugin } from './plugins/errors.plugin.js';
import { customerRoutes, type CustomerRoutesDeps } from './customer/customer.routes.js';
import { supplierRoutes, type SupplierRoutesDeps } from './supplier/supplier.routes.js';
import { opsRoutes, type OpsRoutesDeps } from './ops/ops.routes.js';
import { healthRoutes, type ReadinessProbe } from './routes/health.routes.js';

/** What the app factory needs; the server composes it. */
export interface AppOptions {
  /** A pino logger; Fastify logs each request with its correlation id. */
  logger: FastifyBaseLogger;
  readiness: ReadinessProbe;
  version: string;
  /** Largest accepted body in bytes. @default 1048576 */
  bodyLimit?: number;
  /** Ms before an idle or slow request is cut off. @default 30000 */
  requestTimeoutMs?: number;
  /** Route trees to register, each under its own prefix (customer, supplier, ops …). */
  routes?: Array<{ prefix: string; plugin: FastifyPluginAsync }>;
  /** The customer API's ports; when given, its tree is registered under `/v1/customer`. */
  customer?: CustomerRoutesDeps;
  /** The supplier experience API's ports; when given, its tree is registered under `/v1/supplier`. */
  supplier?: SupplierRoutesDeps;
  /** The operations API's ports; when given, its tree is registered under `/v1/ops`. */
  ops?: OpsRoutesDeps;
}

/**
 * Builds the Fastify app: gateway plugins first (correlation, errors), then health, then the route trees (the
 * customer API under `/v1/customer`, the supplier API under `/v1/supplier` and the operations API under `/v1/ops`, each
 * when its ports are given).
 * @example const app = await buildApp({ logger, readiness, version: '0.1.0' }); await app.listen({ port: 3000 })
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: (req) => correlationIdFrom(req.headers),
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  await app.register(correlationPlugin);
  await app.register(errorsPlugin);
  await app.register(healthRoutes({ readiness: options.readiness, version: options.version }));
  if (options.customer) await app.register(customerRoutes(options.customer), { prefix: '/v1/customer' });
  if (options.supplier) await app.register(supplierRoutes(options.supplier), { prefix: '/v1/supplier' });
  if (options.ops) await app.register(opsRoutes(options.ops), { prefix: '/v1/ops' });
  for (const r of options.routes ?? []) await app.register(r.plugin, { prefix: r.prefix });
  return app;
}
