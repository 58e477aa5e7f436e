import { fastify } from 'fastify';
import { wmsInboundReceiveRequestSchema, wmsInboundRequestSchema, type WmsInboundAck, type WmsInboundReceiveRequest, type WmsInboundRequest, type WmsReceiptRequest } from '../codec/wms-api.codec.js';
import { defaultWmsSimSettings, WmsEngine, type WmsAdvanceResult, type WmsSimSettings } from './wms-sim.engine.js';
import {
  inboundAck,
  inboundView,
  orderView,
  registerWmsSimAdminRoutes,
  registerWmsSimRoutes,
  wmsSimSettingsPatchSchema,
  type WmsInboundView,
  type WmsOrderView,
  type WmsSimFault,
} from './wms-sim.routes.js';

/** Options of {@link startWmsSim}: where to listen, the seed, carrier URLs, and any {@link WmsSimSettings}. */
export interface WmsSimOptions extends Partial<WmsSimSettings> {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Seed of the deterministic choices (short-pick rate draws, SSCC serial base). @default 1 */
  seed?: number;
  /** Carrier API base URL per SCAC: the WMS books shipments there at manifest, e.g. `{ PRCL: url, FRLK: url }`. */
  carrierUrls: Record<string, string>;
  /** Clock of the simulated warehouse. @default () => new Date() */
  now?: () => Date;
}

/** A running WMS simulator. */
export interface WmsSimHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the API is under `/wms/api`). */
  readonly url: string;
  readonly port: number;
  /** Advances one order (WMS id or client reference) or every open order one stage; `toEnd` runs to SHIPPED. */
  advance(order?: string, options?: { toEnd?: boolean }): Promise<WmsAdvanceResult[]>;
  /** Changes settings at run time (validated like `PUT /admin/settings`). */
  configure(patch: Partial<WmsSimSettings>): void;
  /** Current settings. */
  settings(): WmsSimSettings;
  /** A read view of one order, or undefined. */
  order(key: string): WmsOrderView | undefined;
  /** Records an inbound receipt, as `POST /wms/api/receipts` does. */
  receive(receipt: WmsReceiptRequest): { receiptNo: string; duplicate: boolean };
  /** Announces an inbound shipment, as `POST /wms/api/inbound` does (validated; a changed one after receipt throws, status 409). */
  announceInbound(inbound: WmsInboundRequest): WmsInboundAck & { outcome: 'created' | 'duplicate' | 'replaced' };
  /** A read view of one inbound shipment (WMS id or inbound reference), or undefined. */
  inbound(key: string): WmsInboundView | undefined;
  /** Receives an inbound shipment now, as `POST /admin/inbound/:id/receive` does: in full, or with the given quantities. */
  receiveInbound(key: string, request?: WmsInboundReceiveRequest): WmsInboundView;
  /** `unavailable` answers 503 (Retry-After: 1) on every `/wms/api` call; admin stays reachable. */
  setFault(mode: WmsSimFault): void;
  /** Stops listening (connections refused) until the returned function is called; state is kept. */
  goOffline(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Starts the WMS simulator over HTTP.
 * @example
 * const wms = await startWmsSim({ port: 0, seed: 3, carrierUrls: { PRCL: parcelo.url, FRLK: freightLink.url } });
 * await wms.advance(undefined, { toEnd: true });
 * await wms.close();
 */
export async function startWmsSim(options: WmsSimOptions): Promise<WmsSimHandle> {
  const { port: wantedPort, host: wantedHost, seed, carrierUrls, now, ...overrides } = options;
  const initial = wmsSimSettingsPatchSchema.parse(overrides);
  const defaultCarrier = initial.defaultCarrier ?? (carrierUrls.PRCL ? 'PRCL' : (Object.keys(carrierUrls)[0] ?? defaultWmsSimSettings.defaultCarrier));
  const settings: WmsSimSettings = { ...defaultWmsSimSettings, ...initial, defaultCarrier, shortPicks: { ...(initial.shortPicks ?? {}) } };
  const engine = new WmsEngine({ seed: seed ?? 1, carrierUrls: { ...carrierUrls }, settings, ...(now ? { now } : {}) });
  let timer: NodeJS.Timeout | undefined;
  let inboundTimer: NodeJS.Timeout | undefined;
  let ticking = false;
  const schedule = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (settings.autoAdvanceMs > 0) {
      timer = setInterval(() => {
        if (ticking) return;
        ticking = true;
        void engine.advance().finally(() => (ticking = false));
      }, settings.autoAdvanceMs);
      timer.unref();
    }
  };
  // Checks for due inbound shipments often enough to honour the delay closely (at most once per second, at least every 5 ms).
  const scheduleInbound = () => {
    if (inboundTimer) clearInterval(inboundTimer);
    inboundTimer = undefined;
    if (settings.inboundReceiveMs > 0) {
      inboundTimer = setInterval(() => void engine.receiveDueInbounds(), Math.max(5, Math.min(settings.inboundReceiveMs, 1000)));
      inboundTimer.unref();
    }
  };
  const control = {
    fault: 'none' as WmsSimFault,
    configure(patch: Partial<WmsSimSettings>) {
      const valid = wmsSimSettingsPatchSchema.parse(patch);
      Object.assign(settings, valid);
      if (valid.autoAdvanceMs !== undefined) schedule();
      if (valid.inboundReceiveMs !== undefined) scheduleInbound();
    },
  };
  const app = fastify({ logger: false });
  registerWmsSimAdminRoutes(app, engine, control);
  registerWmsSimRoutes(app, engine);
  const host = wantedHost ?? '127.0.0.1';
  await app.listen({ port: wantedPort ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (wantedPort ?? 0);
  schedule();
  scheduleInbound();
  let offline: (() => Promise<void>) | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    advance: (order, advanceOptions) => engine.advance(order, advanceOptions),
    configure: (patch) => control.configure(patch),
    settings: () => ({ ...settings, shortPicks: { ...settings.shortPicks } }),
    order: (key) => {
      const o = engine.find(key);
      return o ? structuredClone(orderView(o)) : undefined;
    },
    receive: (receipt) => {
      const { receipt: r, duplicate } = engine.receive(receipt);
      return { receiptNo: r.receiptNo, duplicate };
    },
    announceInbound: (inbound) => {
      const { inbound: i, outcome } = engine.announceInbound(wmsInboundRequestSchema.parse(inbound));
      return { ...inboundAck(i), outcome };
    },
    inbound: (key) => {
      const i = engine.findInbound(key);
      return i ? structuredClone(inboundView(i)) : undefined;
    },
    receiveInbound: (key, request) => structuredClone(inboundView(engine.receiveInbound(key, wmsInboundReceiveRequestSchema.parse(request ?? {})))),
    setFault: (mode) => void (control.fault = mode),
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
      if (timer) clearInterval(timer);
      timer = undefined;
      if (inboundTimer) clearInterval(inboundTimer);
      inboundTimer = undefined;
      if (offline) await offline();
      await app.close();
    },
  };
}
