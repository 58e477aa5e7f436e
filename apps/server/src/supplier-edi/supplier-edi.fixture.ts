/**
 * Test harness of the EDI supplier channel: procure-to-pay wired as in the worker — a real database, the ERP simulator
 * over HTTP, the outbox relay and the flow engine — with the `edi-850` channel and the EDI message store. The
 * partner's SFTP server is `startSshd` from `@tradelane/connector-edi-x12/testing`.
 */
import { createDispatcher, createLocalTransport, createRelay, defineConsumers, type Relay } from '@tradelane/bus';
import { erpSimConnector, startErpSim, type ErpSim } from '@tradelane/connector-erp-sim';
import { silentLog } from '@tradelane/connector-kit';
import { systemClock, type TenantContext } from '@tradelane/core';
import { createFlowEngine, createOrderToCash, createProcureToPay, type FlowEngine, type ProcureToPay, type ProcureToPayDeps } from '@tradelane/flows';
import { createEdiMessageRepo, createFlowStore, createOrderToCashStore, createProcureToPayStore, createStore, type Database, type EdiMessageRepo, type ProcureToPayStoreTx, type Store } from '@tradelane/store';
import { manualClock, type ManualClock } from '@tradelane/testkit';

/** The tenant of the suite. */
export const TENANT = 'acme';

/** Procure-to-pay as the worker runs it, with what the EDI suite inspects. */
export interface EdiProcureToPayHarness {
  db: Database;
  store: Store;
  p2p: ProcureToPay;
  sim: ErpSim;
  erp: Awaited<ReturnType<typeof erpSimConnector.instantiate>>;
  repository: EdiMessageRepo;
  relay: Relay;
  clock: ManualClock;
  system: TenantContext;
  /** Calls the ERP connector made to record supplier acknowledgments, by PO number. */
  erpAcknowledgments: Map<string, number>;
  /** A supplier's party id, by ERP address number (e.g. 5101). */
  supplierId(an8: number): string;
  /** Creates and approves a purchase order in the ERP; resolves its number. */
  createPurchaseOrder(an8: number, lines: Array<{ LITM: string; UORG: number }>, mcu?: string): Promise<string>;
  /** Reads the ERP feed, publishes every outbox event and works off flow runs until nothing is left to do now. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds procure-to-pay on an open, migrated database with the given extra dependencies (`channels`, `tolerances`),
 * which may depend on the supplier party ids (read from the ERP before the process is built).
 */
export async function ediProcureToPayHarness(
  db: Database,
  p2pOptions: (wiring: { idOf(an8: number): string; store: Store }) => Partial<ProcureToPayDeps> | Promise<Partial<ProcureToPayDeps>>,
): Promise<EdiProcureToPayHarness> {
  const clock = manualClock(new Date(), { yieldOnSleep: true });
  const store = createStore(db, { clock });
  const o2cStore = createOrderToCashStore(store);
  const p2pStore = createProcureToPayStore(store, { watchers: o2cStore.watchers });
  const sim = await startErpSim({ port: 0, seed: 1, autoReplenish: false });
  const erp = await erpSimConnector.instantiate({ clock: systemClock, log: silentLog }, { baseUrl: sim.url, timeoutMs: 3000 });
  const erpAcknowledgments = new Map<string, number>();
  const target = erp.erpPurchasing;
  const countedAcknowledgment: typeof target.applyAcknowledgment = async (ctx, poNumber, lines) => {
    const result = await target.applyAcknowledgment(ctx, poNumber, lines);
    erpAcknowledgments.set(poNumber, (erpAcknowledgments.get(poNumber) ?? 0) + 1);
    return result;
  };
  const erpPurchasing = new Proxy(target, {
    get(t, prop) {
      if (prop === 'applyAcknowledgment') return countedAcknowledgment;
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
  const system: TenantContext = { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, scopes: ['*'], correlationId: 'corr-test' };
  const parties = (await erp.erpPurchasing.listSuppliers(system, { limit: 100 })).items;
  const idOf = (an8: number): string => {
    const party = parties.find((s) => s.code === String(an8));
    if (!party) throw new Error(`no supplier ${an8} in the ERP`);
    return party.id;
  };
  let engine: FlowEngine | undefined;
  const o2c = createOrderToCash({
    transactions: o2cStore.transactions,
    erp,
    engine: () => {
      if (!engine) throw new Error('engine not built yet');
      return engine;
    },
    tenantIds: [TENANT],
    clock,
    erpBreaker: { failureThreshold: 3, coolDownMs: 5000 },
  });
  const p2p = createProcureToPay({ transactions: p2pStore.transactions, erpPurchasing, tenantIds: [TENANT], clock, ...(await p2pOptions({ idOf, store })) });
  engine = createFlowEngine({ store: createFlowStore(db), flows: [...o2c.flows], clock, workerId: 'edi-test', pollIntervalMs: 20, maxConcurrentRuns: 4 });
  const consumers = defineConsumers<ProcureToPayStoreTx, any>({ ...o2c.consumerDefinitions, ...p2p.consumerDefinitions } as never);
  const dispatcher = createDispatcher({ consumers, transactions: p2pStore.transactions, deliveries: store.messaging.deliveries, deadLetters: store.messaging.deadLetters, clock, random: () => 0.5 });
  const relay = createRelay({ outbox: store.messaging.outbox, transport: createLocalTransport(dispatcher), dispatcher, clock, pollIntervalMs: 20 });
  await o2c.syncCatalog(system);
  const built = engine;
  return {
    db,
    store,
    p2p,
    sim,
    erp,
    repository: createEdiMessageRepo(db, clock),
    relay,
    clock,
    system,
    erpAcknowledgments,
    supplierId: idOf,
    async createPurchaseOrder(an8, lines, mcu = 'M10') {
      const { order } = sim.engine.purchasing.createPurchaseOrder({ AN8: an8, MCU: mcu, LINES: lines });
      sim.engine.purchasing.approvePurchaseOrder(order.DOCO);
      return String(order.DOCO);
    },
    async settle() {
      for (let round = 0; round < 200; round += 1) {
        let work = 0;
        for (const poller of o2c.pollers) if (poller.name === 'erp-changes') work += await poller.runOnce();
        work += await relay.runOnce();
        work += await built.drain();
        if (work === 0) return;
      }
      throw new Error('procure-to-pay did not settle');
    },
    async close() {
      await built.stop();
      await relay.stop();
      await erp.close();
      await sim.close();
    },
  };
}
