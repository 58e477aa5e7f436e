import { fastify, type FastifyInstance } from 'fastify';
import { FREIGHTLINK_SCAC } from '../freight-link/codec/freight-link.codec.js';
import { registerFreightLinkSimRoutes } from '../freight-link/sim/freight-link-sim.routes.js';
import { freightLinkSimScript } from '../freight-link/sim/freight-link-sim.script.js';
import { PARCELO_SCAC } from '../parcelo/codec/parcelo.codec.js';
import { registerParceloSimRoutes } from '../parcelo/sim/parcelo-sim.routes.js';
import { parceloSimScript } from '../parcelo/sim/parcelo-sim.script.js';
import { registerCarrierSimAdminRoutes, type CarrierSimAdmin, type CarrierSimFault } from './carrier-sim-admin.routes.js';
import { createJourneyEngine, type CarrierScenario, type JourneySummary } from './journey.engine.js';

/** The simulated carriers. */
export const carrierSimKinds = ['parcelo', 'freightlink'] as const;

/** A simulated carrier. */
export type CarrierSimKind = (typeof carrierSimKinds)[number];

/** Options of {@link startCarrierSim}. */
export interface CarrierSimOptions {
  kind: CarrierSimKind;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Seed of tracking numbers and routes: the same seed gives the same numbers in the same order. @default 1 */
  seed?: number;
  /** Scenario per tracking number or shipper reference (others are delivered first time). */
  scenarios?: Record<string, CarrierScenario>;
  /** Clock of the simulated carrier. @default () => new Date() */
  now?: () => Date;
}

/** A running carrier simulator. */
export interface CarrierSimHandle {
  readonly kind: CarrierSimKind;
  /** SCAC of the simulated carrier (`PRCL` or `FRLK`). */
  readonly scac: string;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Emits the next event of one shipment (or of every unfinished one); `toEnd` runs to the final event. */
  advance(trackingNumber?: string, options?: { toEnd?: boolean }): JourneySummary[];
  /** Sets the scenario of a shipment, by tracking number or shipper reference, before or after it exists. */
  setScenario(trackingNumberOrReference: string, scenario: CarrierScenario): void;
  /** Appends a raw event with any status code (e.g. one the connectors do not know). */
  inject(trackingNumber: string, code: string, detail?: string): void;
  /** Every simulated shipment with its current code. */
  shipments(): JourneySummary[];
  /** `unavailable` answers 503 (Retry-After: 1) on every carrier API call; admin stays reachable. */
  setFault(mode: CarrierSimFault): void;
  /** Stops listening (connections refused) until the returned function is called; state is kept. */
  goOffline(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Builds the Fastify app of one simulated carrier, without listening. */
export function buildCarrierSimApp(options: CarrierSimOptions): { app: FastifyInstance; admin: CarrierSimAdmin; fault: { mode: CarrierSimFault }; scac: string } {
  const app = fastify({ logger: false });
  const fault: { mode: CarrierSimFault } = { mode: 'none' };
  const engineOptions = { seed: options.seed ?? 1, ...(options.scenarios ? { scenarios: options.scenarios } : {}), ...(options.now ? { now: options.now } : {}) };
  if (options.kind === 'parcelo') {
    const engine = createJourneyEngine(parceloSimScript, engineOptions);
    registerCarrierSimAdminRoutes(app, engine, fault);
    registerParceloSimRoutes(app, engine);
    return { app, admin: engine, fault, scac: PARCELO_SCAC };
  }
  const engine = createJourneyEngine(freightLinkSimScript, engineOptions);
  registerCarrierSimAdminRoutes(app, engine, fault);
  registerFreightLinkSimRoutes(app, engine);
  return { app, admin: engine, fault, scac: FREIGHTLINK_SCAC };
}

/**
 * Starts a carrier simulator over HTTP.
 * @example
 * const sim = await startCarrierSim({ kind: 'parcelo', port: 0, seed: 7 });
 * sim.advance(trackingNumber, { toEnd: true });
 * await sim.close();
 */
export async function startCarrierSim(options: CarrierSimOptions): Promise<CarrierSimHandle> {
  const { app, admin, fault, scac } = buildCarrierSimApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  let offline: (() => Promise<void>) | null = null;
  return {
    kind: options.kind,
    scac,
    url: `http://${host}:${port}`,
    port,
    advance: (trackingNumber, advanceOptions) => admin.advance(trackingNumber, advanceOptions),
    setScenario: (key, scenario) => admin.setScenario(key, scenario),
    inject: (trackingNumber, code, detail) => void admin.inject(trackingNumber, code, detail),
    shipments: () => admin.list(),
    setFault: (mode) => void (fault.mode = mode),
    async goOffline() {
      if (offline) return offline;
      await new Promise<void>((resolve) => {
        app.server.close(() => resolve());
        app.server.closeAllConnections();
      });
      const restore = async () => {
        if (offline !== restore) return;
        await new Promise<void>((resolve, reject) => {
          app.server.once('error', reject);
          app.server.listen(port, host, () => {
            app.server.off('error', reject);
            resolve();
          });
        });
        offline = null;
      };
      offline = restore;
      return restore;
    },
    async close() {
      if (offline) await offline();
      await app.close();
    },
  };
}
