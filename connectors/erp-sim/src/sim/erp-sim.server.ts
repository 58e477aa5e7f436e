import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimBalanceRow, SimOrder, SimPayment } from '../wire/sim-wire.types.js';
import { buildErpSimApp } from './erp-sim.app.js';
import { ErpSimEngine, type ErpSimEngineOptions, type ErpSimStats, type SimPaymentInput } from './erp-engine.service.js';
import { FaultInjector, noFaults, type ErpSimFaults, type FaultCounters } from './fault-injector.js';

/** Options of {@link startErpSim}. */
export interface ErpSimOptions extends ErpSimEngineOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Log requests (pino, through fastify). @default false */
  logger?: boolean;
}

/** A running simulator: its address, its fault switches, its counters and the ERP-side transactions tests need. */
export interface ErpSim {
  /** Base URL, e.g. `http://127.0.0.1:4101`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The business engine (direct, in-process access to the simulated ERP's state). */
  readonly engine: ErpSimEngine;
  /** Merges `faults` into the faults in force; `down: true` closes the listener, `down: false` listens again on the same port. */
  setFaults(faults: Partial<ErpSimFaults>): Promise<ErpSimFaults>;
  /** Clears every fault (re-listening when down). */
  clearFaults(): Promise<ErpSimFaults>;
  /** The faults in force. */
  faults(): ErpSimFaults;
  /** Orders per external reference and other counts, plus how often each fault fired. */
  stats(): ErpSimStats & { faults: FaultCounters };
  /** Rebuilds the data from `seed` (default: the current seed) and clears faults and counters. */
  reset(options?: { seed?: number }): Promise<void>;
  /** Stock arrives (primary units); backorders fill in order-date order. */
  receiveStock(litm: string, mcu: string, quantity: number): SimBalanceRow[];
  /** Stock count: sets on-hand (primary units); more stock fills backorders. */
  setStock(litm: string, mcu: string, quantity: number): SimBalanceRow[];
  /** Posts a payment against an invoice. */
  postPayment(input: SimPaymentInput): SimPayment;
  /** Pick release of an order (for `releaseMode: 'manual'`). */
  releaseOrder(doco: number): SimOrder;
  /** Lifts an order's credit hold, then allocates and releases it. */
  releaseHold(doco: number): SimOrder;
  /** Stops listening and drops every connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Owns the node HTTP server so that `down` can really close the port and listen on it again. */
class SimListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handler: Parameters<typeof createServer>[1]) {}

  get listening(): boolean {
    return this.server !== undefined;
  }

  async listen(port: number, host: string): Promise<number> {
    const server = createServer(this.handler);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}

/**
 * Starts the reference ERP simulator in this process.
 * @example
 * const sim = await startErpSim({ port: 0, seed: 1 });
 * await sim.setFaults({ commitThenTimeout: 0.3 });
 * // ... point the erp-sim connector at sim.url ...
 * await sim.close();
 */
export async function startErpSim(options: ErpSimOptions = {}): Promise<ErpSim> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const engine = new ErpSimEngine({ ...options, now });
  const faults = new FaultInjector(engine.seed, now);
  const held = new Set<Socket>();
  let port = options.port ?? 0;
  let closed = false;
  let downTimer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();

  const serialized = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  const applyFaults = (next: ErpSimFaults, opts: { downForMs?: number | undefined } = {}): Promise<void> =>
    serialized(async () => {
      if (closed) return;
      faults.set(next, engine.seed);
      clearTimeout(downTimer);
      downTimer = undefined;
      if (next.down) {
        for (const socket of held) socket.destroy();
        held.clear();
        await listener.stop();
        if (opts.downForMs) {
          downTimer = setTimeout(() => void applyFaults({ ...faults.current(), down: false }).catch(() => {}), opts.downForMs);
        }
      } else if (!listener.listening) {
        await listener.listen(port, host);
      }
    });

  const app = buildErpSimApp({
    engine,
    faults,
    now,
    logger: options.logger ?? false,
    holdSocket: (socket) => {
      held.add(socket);
      socket.once('close', () => held.delete(socket));
    },
    control: {
      applyFaults,
      reset: async (seed) => {
        engine.reset(seed ?? engine.seed);
        await applyFaults({ ...noFaults });
        faults.resetCounters();
      },
    },
  });
  await app.ready();
  const listener = new SimListener((req, res) => app.routing(req, res));
  port = await listener.listen(port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    host,
    engine,
    async setFaults(partial) {
      await applyFaults({ ...faults.current(), ...partial });
      return faults.current();
    },
    async clearFaults() {
      await applyFaults({ ...noFaults });
      return faults.current();
    },
    faults: () => faults.current(),
    stats: () => ({ ...engine.stats(), faults: faults.counts() }),
    async reset(opts = {}) {
      engine.reset(opts.seed ?? engine.seed);
      await applyFaults({ ...noFaults });
      faults.resetCounters();
    },
    receiveStock: (litm, mcu, quantity) => engine.receiveStock({ LITM: litm, MCU: mcu, TRQT: quantity }),
    setStock: (litm, mcu, quantity) => engine.setStock({ LITM: litm, MCU: mcu, PQOH: quantity }),
    postPayment: (input) => engine.postPayment(input).payment,
    releaseOrder: (doco) => engine.releaseOrder(doco),
    releaseHold: (doco) => engine.releaseHold(doco),
    async close() {
      if (closed) return;
      await queue;
      closed = true;
      clearTimeout(downTimer);
      for (const socket of held) socket.destroy();
      held.clear();
      await listener.stop();
      await app.close();
    },
  };
}
