import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { correlationIdFrom, correlationPlugin } from './plugins/correlation.plugin.js';
import { errorsPlugin } from './plugins/errors.plugin.js';
import { customerRoutes, type CustomerRoutesDeps } from './customer/customer.routes.js';
import { supplierRoutes, type SupplierRoutesDeps } from './supplier/supplier.routes.js';
import { opsRoutes, type OpsRoutesDeps } from './ops/ops.routes.js';
import { healthRoutes, type ReadinessProbe } from './routes/health.routes.js';
import type { AuditLog, OAuthClientStore } from '@tradelane/core';
import type { AccessTokens } from './identity/access-tokens.js';
import { oauthRoutes } from './identity/oauth.routes.js';
import { createOpenApiCollector } from './openapi/openapi.js';
import { docsRoutes } from './openapi/docs.routes.js';
import { webhookRoutes, type WebhookRoutesDeps } from './webhooks/webhooks.routes.js';
import { auditPlugin } from './audit/audit.plugin.js';
import { rateLimitPlugin, type RateLimitPluginOptions } from './plugins/rate-limit.plugin.js';
import { decodeRequestBody, refuseUnsupportedEncodings } from './plugins/content-encoding.hook.js';

/** The OAuth 2.0 side of the gateway: registered clients and the access token issuer. */
export interface AppIdentity {
  clients: OAuthClientStore;
  tokens: AccessTokens;
  /** Every scope the hub knows, announced in the authorization server metadata. */
  scopesSupported?: readonly string[] | undefined;
}

/** What the app factory needs; the server composes it. */
export interface AppOptions {
  /** A pino logger; Fastify logs each request with its correlation id. */
  logger: FastifyBaseLogger;
  readiness: ReadinessProbe;
  version: string;
  /** Largest accepted body in bytes, after decoding a gzip, deflate or br body. @default 1048576 */
  bodyLimit?: number;
  /** Ms before an idle or slow request is cut off. @default 30000 */
  requestTimeoutMs?: number;
  /** Per-client rate limits; `false` turns them off. @default 600 per minute per client, 120 per address, in memory */
  rateLimit?: RateLimitPluginOptions | false | undefined;
  /**
   * Fastify `trustProxy`: which proxies' `X-Forwarded-For` decides the client address (`true`, a hop count, or
   * addresses/CIDRs). @default false — the socket address, so a client cannot pick its own rate-limit bucket
   */
  trustProxy?: boolean | number | string[] | undefined;
  /** Route trees to register, each under its own prefix (customer, supplier, ops …). */
  routes?: Array<{ prefix: string; plugin: FastifyPluginAsync }>;
  /** The customer API's ports; when given, its tree is registered under `/v1/customer`. */
  customer?: CustomerRoutesDeps;
  /** The supplier experience API's ports; when given, its tree is registered under `/v1/supplier`. */
  supplier?: SupplierRoutesDeps;
  /** The operations API's ports; when given, its tree is registered under `/v1/ops`. */
  ops?: OpsRoutesDeps;
  /**
   * OAuth clients and access tokens; when given, `POST /oauth/token` and `/.well-known/jwks.json` are served and
   * every route tree accepts access tokens (JWTs) besides API keys.
   */
  identity?: AppIdentity | undefined;
  /** The webhook subscription API's ports; when given, its tree is registered under `/v1/webhooks`. */
  webhooks?: WebhookRoutesDeps | undefined;
  /** The audit log; when given, every write and every privileged read of an authenticated caller is audited. */
  audit?: AuditLog | undefined;
  /** Title of the OpenAPI document at `/openapi.json`. @default 'Tradelane API' */
  apiTitle?: string | undefined;
}

/** Trusts the `hops` closest proxies: the n-th address from the socket end of `X-Forwarded-For` is the client. */
function trustHops(hops: number): (address: string, index: number) => boolean {
  return (_address, index) => index < hops;
}

/**
 * Builds the Fastify app: the OpenAPI collector and gateway plugins first (correlation, errors, refusal of unknown
 * body encodings, per-client rate limits, decoding of gzip/deflate/br bodies within the body limit), then health, the
 * OAuth token endpoint and JWKS (with `identity`), `/openapi.json` and `/docs`, then the route trees (the customer API
 * under `/v1/customer`, the supplier API under `/v1/supplier`, the operations API under `/v1/ops` and webhook
 * subscriptions under `/v1/webhooks`, each when its ports are given; with `audit`, writes and privileged reads are audited; with `identity` they accept access tokens as well as API keys).
 * @example const app = await buildApp({ logger, readiness, version: '0.1.0' }); await app.listen({ port: 3000 })
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: (req) => correlationIdFrom(req.headers),
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Node checks the request timeout on this interval (30 s by default, so a 1 s timeout fired after up to 31 s), and
    // never applies it while headersTimeout (60 s by default) is the larger of the two.
    http: { connectionsCheckingInterval: Math.min(1000, options.requestTimeoutMs ?? 30_000), headersTimeout: Math.min(60_000, options.requestTimeoutMs ?? 30_000) },
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  const openapi = createOpenApiCollector();
  app.addHook('onRoute', openapi.onRoute);
  await app.register(correlationPlugin);
  await app.register(errorsPlugin);
  app.addHook('onRequest', refuseUnsupportedEncodings);
  if (options.rateLimit !== false) await app.register(rateLimitPlugin, options.rateLimit ?? {});
  // after the rate limiter's preParsing check: a refused request is never inflated
  app.addHook('preParsing', decodeRequestBody);
  if (options.audit) await app.register(auditPlugin, { log: options.audit });
  await app.register(healthRoutes({ readiness: options.readiness, version: options.version }));
  const identity = options.identity;
  if (identity) await app.register(oauthRoutes({ clients: identity.clients, tokens: identity.tokens, scopesSupported: identity.scopesSupported }));
  await app.register(docsRoutes({ document: () => openapi.document({ title: options.apiTitle ?? 'Tradelane API', version: options.version }) }));
  const accessTokens = identity?.tokens;
  if (options.customer) await app.register(customerRoutes({ accessTokens, ...options.customer }), { prefix: '/v1/customer' });
  if (options.supplier) await app.register(supplierRoutes({ accessTokens, ...options.supplier }), { prefix: '/v1/supplier' });
  if (options.ops) await app.register(opsRoutes({ accessTokens, ...options.ops }), { prefix: '/v1/ops' });
  if (options.webhooks) await app.register(webhookRoutes({ accessTokens, ...options.webhooks }), { prefix: '/v1/webhooks' });
  for (const r of options.routes ?? []) await app.register(r.plugin, { prefix: r.prefix });
  return app;
}
