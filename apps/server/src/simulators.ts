import type { Logger } from 'pino';
import { FREIGHTLINK_SCAC, PARCELO_SCAC, startCarrierSim, type CarrierSimHandle, type CarrierSimKind } from '@tradelane/connector-carriers';
import { startErpSim, type ErpSim } from '@tradelane/connector-erp-sim';
import { startWmsSim, type WmsSimHandle } from '@tradelane/connector-wms-sim';
import type { ServerConfig } from './config.js';

/** Base URLs of the external systems the hub talks to (a simulator's or the one configured); unset = not used. */
export interface SystemEndpoints {
  erp?: string | undefined;
  wms?: string | undefined;
  parcelo?: string | undefined;
  freightLink?: string | undefined;
}

/** One simulator started in this process, for the start-up banner. */
export interface SimulatorInfo {
  name: string;
  url: string;
  /** Its admin endpoints worth knowing (faults, stats, advancing the simulation), relative to `url`. */
  admin: string[];
}

/** The simulators running in this process and the endpoints the hub uses (simulated or configured). */
export interface RunningSimulators {
  readonly endpoints: SystemEndpoints;
  readonly erp?: ErpSim | undefined;
  readonly wms?: WmsSimHandle | undefined;
  readonly parcelo?: CarrierSimHandle | undefined;
  readonly freightLink?: CarrierSimHandle | undefined;
  readonly started: readonly SimulatorInfo[];
  /** Systems reached at a configured URL instead of a simulator started here. */
  readonly configured: ReadonlyArray<{ name: string; url: string }>;
  /** Stops the carrier advance timer and every simulator (WMS, carriers, ERP). Safe to call twice. */
  stop(): Promise<void>;
}

type SimSettings = ServerConfig['simulators'];
type ConnectorUrls = Pick<ServerConfig, 'connectors'>['connectors'];

/** Port of the n-th simulator (ERP 0, WMS 1, Parcelo 2, FreightLink 3); base 0 = any free port. */
const portOf = (settings: SimSettings, offset: number): number => (settings.portBase === 0 ? 0 : settings.portBase + offset);

async function listening<T>(name: string, host: string, port: number, variable: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as { code?: string }).code;
    const where = `${host}:${port}`;
    const hint = `set TRADELANE_SIM_PORT_BASE to another port (0 = free ports), or ${variable} to use a running ${name}`;
    if (code === 'EADDRINUSE') throw Object.assign(new Error(`the ${name} simulator cannot listen on ${where}: address in use; ${hint}`), { code: 'TL_SERVER_SIMULATOR_PORT' });
    throw Object.assign(new Error(`the ${name} simulator did not start on ${where}: ${(err as Error).message}`), { code: 'TL_SERVER_SIMULATOR_START' });
  }
}

/**
 * Starts, on 127.0.0.1, a simulator for every system that has no configured URL: carriers first (the WMS books
 * shipments with them), then the WMS, then the ERP. Carrier simulators do not move on their own: a timer advances
 * every open shipment one event each `carrierAdvanceMs` (0 = never). With simulators off, only configured URLs count.
 * @example const sims = await startSimulators(config, logger); sims.endpoints.erp; await sims.stop();
 */
export async function startSimulators(config: Pick<ServerConfig, 'simulators' | 'connectors'>, logger: Logger): Promise<RunningSimulators> {
  const settings = config.simulators;
  const urls: ConnectorUrls = config.connectors;
  const log = logger.child({ component: 'simulators' });
  const endpoints: SystemEndpoints = { erp: urls.erp.url, wms: urls.wms.url, parcelo: urls.parcelo.url, freightLink: urls.freightLink.url };
  const started: SimulatorInfo[] = [];
  const names = { erp: 'ERP', wms: 'WMS', parcelo: 'Parcelo', freightLink: 'FreightLink' } as const;
  const configured = (Object.keys(names) as Array<keyof typeof names>).flatMap((k) => {
    const url = endpoints[k];
    return url ? [{ name: names[k], url }] : [];
  });
  const stops: Array<() => Promise<void>> = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    for (const s of stops.reverse()) await s();
  };
  if (!settings.enabled) return { endpoints, started, configured, stop };

  const host = settings.host;
  let erp: ErpSim | undefined;
  let wms: WmsSimHandle | undefined;
  const carriers: Partial<Record<CarrierSimKind, CarrierSimHandle>> = {};
  try {
    const carrierSpecs = [
      { kind: 'parcelo', name: 'Parcelo', offset: 2, variable: 'TRADELANE_PARCELO_URL', key: 'parcelo' },
      { kind: 'freightlink', name: 'FreightLink', offset: 3, variable: 'TRADELANE_FREIGHTLINK_URL', key: 'freightLink' },
    ] as const;
    for (const spec of carrierSpecs) {
      if (endpoints[spec.key]) continue;
      const port = portOf(settings, spec.offset);
      const sim = await listening(spec.name, host, port, spec.variable, () => startCarrierSim({ kind: spec.kind, port, host, seed: settings.seed }));
      stops.push(() => sim.close());
      carriers[spec.kind] = sim;
      endpoints[spec.key] = sim.url;
      started.push({ name: spec.name, url: sim.url, admin: ['GET /admin/shipments', 'POST /admin/advance'] });
    }
    if (!endpoints.wms) {
      const port = portOf(settings, 1);
      const carrierUrls: Record<string, string> = {};
      if (endpoints.parcelo) carrierUrls[PARCELO_SCAC] = endpoints.parcelo;
      if (endpoints.freightLink) carrierUrls[FREIGHTLINK_SCAC] = endpoints.freightLink;
      const sim = await listening('WMS', host, port, 'TRADELANE_WMS_URL', () =>
        startWmsSim({ port, host, seed: settings.seed, carrierUrls, autoAdvanceMs: settings.wmsAdvanceMs, inboundReceiveMs: settings.wmsInboundReceiveMs }),
      );
      stops.push(() => sim.close());
      wms = sim;
      endpoints.wms = sim.url;
      started.push({ name: 'WMS', url: sim.url, admin: ['GET /admin/settings', 'POST /admin/advance', 'POST /admin/inbound/{id}/receive'] });
    }
    if (!endpoints.erp) {
      const port = portOf(settings, 0);
      const sim = await listening('ERP', host, port, 'TRADELANE_ERP_URL', () => startErpSim({ port, host, seed: settings.seed }));
      stops.push(() => sim.close());
      erp = sim;
      endpoints.erp = sim.url;
      started.push({ name: 'ERP', url: sim.url, admin: ['GET /admin/stats', 'PATCH /admin/faults'] });
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const moving = Object.values(carriers);
  if (settings.carrierAdvanceMs > 0 && moving.length > 0) {
    timer = setInterval(() => {
      for (const sim of moving) {
        try {
          sim.advance();
        } catch (err) {
          log.warn({ err, carrier: sim.scac }, 'carrier simulator did not advance');
        }
      }
    }, settings.carrierAdvanceMs);
    timer.unref();
  }
  const order = ['ERP', 'WMS', 'Parcelo', 'FreightLink'];
  started.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const s of started) log.info({ simulator: s.name, url: s.url }, 'simulator started');
  return { endpoints, erp, wms, parcelo: carriers.parcelo, freightLink: carriers.freightlink, started, configured, stop };
}
