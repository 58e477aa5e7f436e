/** Test harness of order-to-cash: a real database, the real ERP simulator in process, the real bus and flow engine. */
import { createDispatcher, createLocalTransport, createRelay, defineConsumers, type Relay } from '@tradelane/bus';
import { freightLinkConnector, parceloConnector, startCarrierSim, type CarrierSimHandle } from '@tradelane/connector-carriers';
import { erpSimConnector, startErpSim, type ErpSim } from '@tradelane/connector-erp-sim';
import { startWmsSim, wmsSimConnector, type WmsSimHandle, type WmsSimSettings } from '@tradelane/connector-wms-sim';
import { silentLog } from '@tradelane/connector-kit';
import type { Invoice } from '@tradelane/canonical';
import { systemClock, type TenantContext } from '@tradelane/core';
import { createFlowStore, createOrderToCashStore, createStore, type Database, type OrderToCashStore, type OrderToCashStoreTx, type Store } from '@tradelane/store';
import { createFlowEngine, type FlowEngine } from '../flow-engine.js';
import { manualClock, type ManualClock } from '../flow-test.fixture.js';
import { createOrderToCash, type OrderToCash } from './order-to-cash.js';

/** The tenant of the suites. */
export const TENANT = 'acme';

/** Everything a suite drives. */
export interface OrderToCashHarness {
  db: Database;
  store: Store;
  o2cStore: OrderToCashStore;
  o2c: OrderToCash;
  engine: FlowEngine;
  relay: Relay;
  sim: ErpSim;
  /** The erp-sim connector instance the process uses. */
  erp: Awaited<ReturnType<typeof erpSimConnector.instantiate>>;
  clock: ManualClock;
  /** The warehouse and carriers, when the harness was built with `fulfilment`. */
  wms?: WmsSimHandle | undefined;
  carriers?: { parcelo: CarrierSimHandle; freightLink: CarrierSimHandle } | undefined;
  system: TenantContext;
  /** A customer's context, by ERP account number (e.g. `4242`). */
  customer(accountNumber: string): Promise<TenantContext>;
  /** Publishes outbox events and works off due flow runs until nothing is left to do now. */
  settle(): Promise<void>;
  /** Advances the clock by `stepMs` and settles, until `done()` or `rounds` run out. */
  settleUntil(done: () => Promise<boolean>, options?: { stepMs?: number; rounds?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Builds the harness on an open, migrated database; syncs the catalog from the simulator. */
export async function orderToCashHarness(
  db: Database,
  options: { releaseMode?: 'auto' | 'manual'; fulfilment?: Partial<WmsSimSettings> } = {},
): Promise<OrderToCashHarness> {
  const clock = manualClock(new Date());
  const store = createStore(db, { clock });
  const o2cStore = createOrderToCashStore(store);
  const sim = await startErpSim({ port: 0, seed: 1, ...(options.releaseMode ? { releaseMode: options.releaseMode } : {}) });
  const erp = await erpSimConnector.instantiate({ clock: systemClock, log: silentLog }, { baseUrl: sim.url, timeoutMs: 2000 });
  const deps = { clock: systemClock, log: silentLog };
  let fulfilment: Pick<OrderToCashHarness, 'wms' | 'carriers'> & { close(): Promise<void>; wmsCap?: any; carrierCaps?: any[] } = { close: async () => {} };
  if (options.fulfilment) {
    const parcelo = await startCarrierSim({ kind: 'parcelo', seed: 1 });
    const freightLink = await startCarrierSim({ kind: 'freightlink', seed: 1 });
    const wms = await startWmsSim({ carrierUrls: { [parcelo.scac]: parcelo.url, [freightLink.scac]: freightLink.url }, ...options.fulfilment });
    const wmsConn = await wmsSimConnector.instantiate(deps, { baseUrl: wms.url, timeoutMs: 3000 });
    const parceloConn = await parceloConnector.instantiate(deps, { baseUrl: parcelo.url });
    const freightLinkConn = await freightLinkConnector.instantiate(deps, { baseUrl: freightLink.url });
    fulfilment = {
      wms,
      carriers: { parcelo, freightLink },
      wmsCap: wmsConn.wmsFulfilment,
      carrierCaps: [parceloConn.carrierTracking, freightLinkConn.carrierTracking],
      async close() {
        for (const c of [wmsConn, parceloConn, freightLinkConn]) await c.close();
        await wms.close();
        await parcelo.close();
        await freightLink.close();
      },
    };
  }
  let engine: FlowEngine | undefined;
  const o2c = createOrderToCash({
    transactions: o2cStore.transactions,
    erp,
    wms: fulfilment.wmsCap,
    carriers: fulfilment.carrierCaps,
    engine: () => {
      if (!engine) throw new Error('engine not built yet');
      return engine;
    },
    tenantIds: [TENANT],
    clock,
    erpBreaker: { failureThreshold: 3, coolDownMs: 5000 },
  });
  engine = createFlowEngine({ store: createFlowStore(db), flows: [...o2c.flows], clock, workerId: 'o2c-test', pollIntervalMs: 20, maxConcurrentRuns: 4 });
  const consumers = defineConsumers<OrderToCashStoreTx, any>(o2c.consumerDefinitions as never);
  const dispatcher = createDispatcher({
    consumers,
    transactions: o2cStore.transactions,
    deliveries: store.messaging.deliveries,
    deadLetters: store.messaging.deadLetters,
    clock,
    random: () => 0.5,
  });
  const relay = createRelay({ outbox: store.messaging.outbox, transport: createLocalTransport(dispatcher), dispatcher, clock, pollIntervalMs: 20 });
  const system: TenantContext = { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, scopes: ['*'], correlationId: 'corr-test' };
  await o2c.syncCatalog(system);
  const built = engine;

  async function settle(): Promise<void> {
    for (let round = 0; round < 500; round += 1) {
      const published = await relay.runOnce();
      const executed = await built.drain();
      if (published === 0 && executed === 0) return;
    }
    throw new Error('order-to-cash did not settle');
  }

  return {
    db,
    store,
    o2cStore,
    o2c,
    engine: built,
    relay,
    sim,
    erp,
    clock,
    wms: fulfilment.wms,
    carriers: fulfilment.carriers,
    system,
    async customer(accountNumber) {
      const { rows } = await db.query<{ id: string }>(`SELECT id FROM tl_o2c_parties WHERE tenant_id = $1 AND kind = 'customer' AND code = $2`, [TENANT, accountNumber]);
      if (!rows[0]) throw new Error(`no customer ${accountNumber} in the catalog`);
      return { tenantId: TENANT, partnerId: rows[0].id, actor: { kind: 'client', id: `key-${accountNumber}` }, scopes: ['orders:write'], correlationId: `corr-${accountNumber}` };
    },
    settle,
    async settleUntil(done, opts = {}) {
      const stepMs = opts.stepMs ?? 31_000;
      for (let round = 0; round < (opts.rounds ?? 100); round += 1) {
        await settle();
        if (await done()) return;
        clock.advance(stepMs);
      }
      throw new Error('condition not reached');
    },
    async close() {
      await built.stop();
      await relay.stop();
      await erp.close();
      await sim.close();
      await fulfilment.close();
    },
  };
}

/**
 * A receivable invoice or credit memo as an ERP connector reports it, for the consumers' suites (only what the
 * consumers read is filled in): one line of TL-1001 for `total`, `open` still to pay, billed to `orderId`.
 */
export function erpReceivable(
  id: string,
  number: string,
  orderId: string,
  total: string,
  open: string,
  options: { currency?: string; kind?: Invoice['kind']; dueDate?: string } = {},
): Invoice {
  const currency = options.currency ?? 'USD';
  const money = (amount: string) => ({ amount, currency });
  return {
    schemaVersion: 1,
    id,
    tenantId: TENANT,
    direction: 'receivable',
    invoiceNumber: number,
    kind: options.kind ?? 'invoice',
    status: open === total ? 'Issued' : /^0(\.0+)?$/.test(open) ? 'Paid' : 'PartiallyPaid',
    orderRefs: [{ kind: 'sales_order', salesOrderId: orderId }],
    invoiceDate: '2026-12-01',
    dueDate: options.dueDate ?? '2026-12-31',
    currency,
    lines: [{ lineNumber: 1, sku: 'TL-1001', quantity: '3', unit: 'EA', unitPrice: money('12.50'), lineAmount: money(total) }],
    totals: { subtotal: money(total), tax: money('0.00'), freight: money('0.00'), total: money(total) },
    amountDue: money(open),
  } as unknown as Invoice;
}
