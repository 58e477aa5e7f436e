import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type ReadinessCheck } from '@tradelane/api';
import { migrate, migrationStatus, openDatabase, type Database } from '@tradelane/store';
import type { ServerConfig } from './config.js';
import type { Component } from './component.js';
import { createRuntime, type Runtime, type RuntimeModules } from './runtime.js';
import { VERSION } from './version.js';

export type { Component } from './component.js';

/** A running hub: its HTTP app, its address and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  runtime: Runtime;
  url: string;
  /** Finishes in-flight requests, stops background work, closes the database. Safe to call twice. */
  shutdown(reason: string): Promise<void>;
}

/** Options for composing extra parts in (tests add routes; later issues add connectors). */
export interface StartOptions {
  logger: Logger;
  /** Extra route trees. */
  routes?: Parameters<typeof buildApp>[0]['routes'];
  /** Extra background components, started after the built-in ones. */
  components?: (runtime: Runtime) => Component[];
  /** Consumers and flows of the business modules. */
  modules?: RuntimeModules;
}

/** Opens the database, applies migrations, starts background work and serves HTTP. */
export async function startServer(config: ServerConfig, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  logger.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.database.dataDir : undefined }, 'database open');
  try {
    if (config.database.migrateOnStart) {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
  } catch (err) {
    await db.close();
    throw err;
  }

  const runtime = createRuntime(db, config, logger, options.modules);
  const components: Component[] = [...runtime.components, ...(options.components?.(runtime) ?? [])];
  for (const c of components) {
    await c.start();
    logger.info({ component: c.name }, 'component started');
  }

  const app = await buildApp({
    logger,
    version: VERSION,
    bodyLimit: config.server.bodyLimit,
    requestTimeoutMs: config.server.requestTimeoutMs,
    routes: options.routes ?? [],
    readiness: {
      async check() {
        const checks: Record<string, ReadinessCheck> = {};
        const reachable = await db.ping();
        checks.database = reachable ? { ok: true } : { ok: false, detail: 'unreachable' };
        if (reachable) {
          try {
            const status = await migrationStatus(db);
            checks.migrations = status.pending.length
              ? { ok: false, detail: `${status.pending.length} pending: ${status.pending.join(', ')}` }
              : { ok: true, detail: `at version ${status.latest}` };
          } catch (err) {
            checks.migrations = { ok: false, detail: err instanceof Error ? err.message : String(err) };
          }
        }
        return checks;
      },
    },
  });
  const url = await app.listen({ port: config.server.port, host: config.server.host });
  logger.info({ url }, 'listening');

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down: finishing in-flight requests');
      await app.close();
      for (const c of [...components].reverse()) {
        await c.stop();
        logger.info({ component: c.name }, 'component stopped');
      }
      await db.close();
      logger.info('shutdown complete');
    })();
    return stopping;
  };
  return { app, db, runtime, url, shutdown };
}
