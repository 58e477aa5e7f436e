import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, createAccessTokens, OPS_SCOPES, SUPPLIER_SCOPES, WEBHOOK_SCOPES, type AccessTokens, type AppIdentity, type CustomerScope, type RateLimitPluginOptions } from '@tradelane/api';
import { createMemoryRateLimitStore, STAFF_ROLES, STAFF_ROLE_SCOPES } from '@tradelane/core';
import { createAuditLogRepo, createOAuthClientRepo, createRateLimitRepo, createSigningKeyRepo, migrate, migrationStatus, openDatabase, type Database } from '@tradelane/store';
import type { OrderToCash, ProcureToPay } from '@tradelane/flows';
import { reachableUrl, startBanner } from './banner.js';
import type { ServerConfig } from './config.js';
import type { Component } from './component.js';
import { connectSystems, type HubConnectors } from './connectors.js';
import { startDemoSetup, type DemoSetup, type DemoTenant } from './demo.js';
import { orderToCashModule } from './order-to-cash.module.js';
import { procureToPayModule } from './procure-to-pay.module.js';
import { startSupplierSimulators } from './supplier-simulators.js';
import { loadEdiSuppliers } from './supplier-edi/index.js';
import { webhooksModule } from './webhooks.module.js';
import { databaseReadiness } from './readiness.js';
import { createRuntime, type Runtime, type RuntimeModule } from './runtime.js';
import { startSimulators, type RunningSimulators } from './simulators.js';
import { VERSION } from './version.js';

export type { Component } from './component.js';

/** A running hub: its HTTP app, its address and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  runtime: Runtime;
  url: string;
  /** Simulators started in this process and the endpoints of the external systems (simulated or configured). */
  simulators: RunningSimulators;
  /** Order-to-cash, when an ERP is configured or simulated. */
  orderToCash?: OrderToCash | undefined;
  /** Procure-to-pay, when the ERP has purchasing. */
  procureToPay?: ProcureToPay | undefined;
  /** Resolves when the demo tenant's catalog is synced and its customers have API keys (with order-to-cash only). */
  demo?: Promise<DemoTenant> | undefined;
  /** Finishes in-flight requests, stops background work, closes the database. Safe to call twice. */
  shutdown(reason: string): Promise<void>;
}

/** Options for composing extra parts in (tests add routes and components). */
export interface StartOptions {
  logger: Logger;
  /** Extra route trees. */
  routes?: Parameters<typeof buildApp>[0]['routes'];
  /** Extra background components, started after the built-in ones. */
  components?: (runtime: Runtime) => Component[];
  /** Consumers, flows and components of further business modules (order-to-cash is composed from the config). */
  modules?: readonly RuntimeModule[];
  /** Where the start-up banner (URLs, demo API keys, curl commands) goes; the CLI passes stdout. @default not printed */
  print?: ((text: string) => void) | undefined;
}

/** Every customer scope, for the authorization server metadata. */
const CUSTOMER_SCOPES: readonly CustomerScope[] = ['orders:read', 'orders:write', 'invoices:read', 'returns:write', 'catalog:read'];

/**
 * The OAuth side of the hub on the database: clients and signing keys in the store, tokens per the config's issuer,
 * audience, lifetime and rotation age; the per-request client revocation check is cached for
 * `config.auth.credentialCacheMs` (none without it).
 * @example const identity = hubIdentity(db, config); await buildApp({ ..., identity })
 */
export function hubIdentity(db: Database, config: Pick<ServerConfig, 'oauth'> & Partial<Pick<ServerConfig, 'auth'>>): AppIdentity & { tokens: AccessTokens } {
  const clients = createOAuthClientRepo(db, { cache: { ttlMs: config.auth?.credentialCacheMs ?? 0 } });
  const tokens = createAccessTokens({
    clients,
    keys: createSigningKeyRepo(db),
    issuer: config.oauth.issuer,
    audience: config.oauth.audience,
    ttlSeconds: config.oauth.tokenTtlSeconds,
    rotateAfterSeconds: config.oauth.keyRotationSeconds,
  });
  return { clients, tokens, scopesSupported: [...new Set([...CUSTOMER_SCOPES, ...SUPPLIER_SCOPES, ...OPS_SCOPES, ...WEBHOOK_SCOPES, ...STAFF_ROLES.flatMap((r) => STAFF_ROLE_SCOPES[r])])] };
}

/**
 * The gateway's rate limits per the config: counters in Postgres (shared by every process) on server Postgres, in
 * memory on PGlite (one process); `false` when turned off.
 */
export function hubRateLimits(db: Database, config: Pick<ServerConfig, 'rateLimit'>): RateLimitPluginOptions | false {
  const { enabled, ...limits } = config.rateLimit;
  if (!enabled) return false;
  return { ...limits, store: db.kind === 'postgres' ? createRateLimitRepo(db) : createMemoryRateLimitStore() };
}

/** Stops what a failed start had started, newest first, ignoring errors (the start error is the one to report). */
async function undo(steps: Array<() => Promise<void>>): Promise<void> {
  for (const step of steps.reverse()) await step().catch(() => {});
}

/**
 * Opens the database, applies migrations, starts the simulators and connects the external systems (order-to-cash
 * runs when an ERP is simulated or configured), starts background work, serves HTTP, then prepares the demo tenant
 * in the background and prints the banner.
 */
export async function startServer(config: ServerConfig, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  logger.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.database.dataDir : undefined }, 'database open');
  const cleanup: Array<() => Promise<void>> = [() => db.close()];
  let simulators: RunningSimulators;
  let connectors: HubConnectors | undefined;
  try {
    if (config.database.migrateOnStart) {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    simulators = await startSimulators(config, logger);
    cleanup.push(() => simulators.stop());
    connectors = await connectSystems(simulators.endpoints, config, logger);
    if (connectors) cleanup.push(connectors.close);
  } catch (err) {
    await undo(cleanup);
    throw err;
  }
  if (!connectors) logger.warn('order-to-cash is off: no ERP (set TRADELANE_ERP_URL, or TRADELANE_SIMULATORS=true)');

  const tenantId = config.demo.tenantId;
  const o2c = connectors ? orderToCashModule(connectors, { tenantIds: [tenantId], pollIntervalMs: config.orderToCash.pollIntervalMs, logger }) : undefined;
  let ediSuppliers;
  try {
    ediSuppliers = config.procureToPay.ediSuppliersFile ? await loadEdiSuppliers(config.procureToPay.ediSuppliersFile) : [];
  } catch (err) {
    await undo(cleanup);
    throw err;
  }
  const p2p = connectors ? procureToPayModule(connectors, { tenantIds: [tenantId], sweepIntervalMs: config.procureToPay.sweepIntervalMs, ediSuppliers, logger }) : undefined;
  const webhooks = webhooksModule({ logger });
  const runtime = createRuntime(db, config, logger, [...(options.modules ?? []), webhooks.module, ...(o2c ? [o2c.module] : []), ...(p2p ? [p2p.module] : [])]);
  const components: Component[] = [...runtime.components, ...(options.components?.(runtime) ?? [])];
  const started: Component[] = [];
  let app: FastifyInstance | undefined;
  let url: string;
  cleanup.push(async () => {
    for (const c of [...started].reverse()) await c.stop();
  });
  try {
    for (const c of components) {
      await c.start();
      started.push(c);
      logger.info({ component: c.name }, 'component started');
    }
    app = await buildApp({
      logger,
      version: VERSION,
      bodyLimit: config.server.bodyLimit,
      requestTimeoutMs: config.server.requestTimeoutMs,
      trustProxy: config.server.trustProxy,
      rateLimit: hubRateLimits(db, config),
      routes: options.routes ?? [],
      customer: o2c?.customerApi(runtime),
      supplier: p2p?.supplierApi(runtime),
      ops: p2p?.opsApi(runtime),
      identity: hubIdentity(db, config),
      readiness: databaseReadiness(db),
      webhooks: { subscriptions: webhooks.service(runtime.store), idempotency: runtime.store.idempotency, apiKeys: runtime.orderToCash.apiKeys },
      audit: createAuditLogRepo(db, runtime.store.clock),
    });
    url = await app.listen({ port: config.server.port, host: config.server.host });
  } catch (err) {
    await app?.close().catch(() => {});
    await undo(cleanup);
    throw err;
  }
  const server = app;
  logger.info({ url }, 'listening');

  let demo: DemoSetup | undefined;
  if (o2c && connectors) {
    demo = startDemoSetup({
      tenantId,
      keys: config.demo.keys,
      syncCatalog: (ctx) => o2c.process().syncCatalog(ctx),
      erpMasterData: connectors.erp.erpMasterData,
      erpPurchasing: p2p ? connectors.erp.erpPurchasing : undefined,
      documents: runtime.store.documents,
      apiKeys: runtime.orderToCash.apiKeys,
      logger,
    });
  }
  // Demo suppliers played by the supplier simulator answer purchase orders through the supplier API.
  let supplierSim: { stop(): Promise<void> } | undefined;
  let shuttingDown = false;
  if (demo && p2p && config.simulators.enabled && config.simulators.suppliers) {
    demo.ready.then(
      (d) => {
        if (shuttingDown) return;
        supplierSim = startSupplierSimulators(reachableUrl(url), d.suppliers, { pollIntervalMs: config.simulators.supplierPollMs, seed: config.simulators.seed, logger });
      },
      () => {},
    );
  }
  const print = options.print;
  if (print) {
    const banner = (d?: DemoTenant) => print(startBanner({ version: VERSION, hubUrl: reachableUrl(url), simulators: simulators.started, configured: simulators.configured, demo: d }));
    if (demo) demo.ready.then(banner, () => {});
    else banner();
  }

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      shuttingDown = true;
      await supplierSim?.stop();
      logger.info({ reason }, 'shutting down: finishing in-flight requests');
      // Keep-alive connections turn idle once their in-flight request is answered; close them as they do, so the
      // listener does not wait for the clients' keep-alive timeout.
      const sweep = setInterval(() => server.server.closeIdleConnections(), 50);
      try {
        await server.close();
      } finally {
        clearInterval(sweep);
      }
      await demo?.stop();
      for (const c of [...started].reverse()) {
        await c.stop();
        logger.info({ component: c.name }, 'component stopped');
      }
      await connectors?.close();
      await simulators.stop();
      if (simulators.started.length) logger.info('simulators stopped');
      await db.close();
      logger.info('shutdown complete');
    })();
    return stopping;
  };
  return { app: server, db, runtime, url, simulators, orderToCash: o2c?.process(), procureToPay: p2p?.process(), demo: demo?.ready, shutdown };
}
