/** Test harness of procure-to-pay: a real database, the real ERP simulator over HTTP, the real bus, and order-to-cash beside it. */
import { isEventType, parseEvent, type EventIssue } from '@tradelane/canonical';
import { createDispatcher, createLocalTransport, createRelay, defineConsumers, type Relay } from '@tradelane/bus';
import { erpSimConnector, startErpSim, type ErpSim } from '@tradelane/connector-erp-sim';
import { startWmsSim, wmsSimConnector, type WmsSimHandle } from '@tradelane/connector-wms-sim';
import { silentLog } from '@tradelane/connector-kit';
import { systemClock, type TenantContext } from '@tradelane/core';
import {
  createFlowStore,
  createOrderToCashStore,
  createProcureToPayStore,
  createStore,
  type Database,
  type OrderToCashStore,
  type ProcureToPayStore,
  type ProcureToPayStoreTx,
  type Store,
} from '@tradelane/store';
import { createFlowEngine, type FlowEngine } from '../flow-engine.js';
import { manualClock, type ManualClock } from '../flow-test.fixture.js';
import { createOrderToCash, type OrderToCash } from '../order-to-cash/order-to-cash.js';
import { createProcureToPay, type ProcureToPay, type ProcureToPayDeps } from './procure-to-pay.js';

/** The tenant of the suites. */
export const TENANT = 'acme';

/** Everything a suite drives. */
export interface ProcureToPayHarness {
  db: Database;
  store: Store;
  o2cStore: OrderToCashStore;
  p2pStore: ProcureToPayStore;
  o2c: OrderToCash;
  p2p: ProcureToPay;
  engine: FlowEngine;
  relay: Relay;
  sim: ErpSim;
  erp: Awaited<ReturnType<typeof erpSimConnector.instantiate>>;
  clock: ManualClock;
  /** The warehouse simulator, when the harness was built with `warehouse: true`. */
  wms?: WmsSimHandle | undefined;
  system: TenantContext;
  /** A supplier's context, by ERP address number (e.g. 5101). */
  supplier(an8: number): Promise<TenantContext>;
  /** A customer's context, by ERP account number (e.g. `4242`). */
  customer(accountNumber: string): Promise<TenantContext>;
  /** A buyer's (or other staff member's) context. */
  staff(id: string): TenantContext;
  /** Creates and approves a purchase order in the ERP; resolves its number. */
  createPurchaseOrder(an8: number, lines: Array<{ LITM: string; UORG: number; PRRC?: string; DRQJ?: number }>, mcu?: string): Promise<string>;
  /** Reads the ERP feed, publishes every outbox event and works off flow runs until nothing is left to do now. */
  settle(): Promise<void>;
  /** Every event type written to the outbox so far, with its data, oldest first. */
  events(type?: string): Promise<Array<{ type: string; data: any }>>;
  close(): Promise<void>;
}

/** Builds the harness on an open, migrated database; syncs the catalog from the simulator. */
export async function procureToPayHarness(db: Database, options: { p2p?: Partial<ProcureToPayDeps>; warehouse?: boolean } = {}): Promise<ProcureToPayHarness> {
  const clock = manualClock(new Date());
  const store = createStore(db, { clock });
  const o2cStore = createOrderToCashStore(store);
  const p2pStore = createProcureToPayStore(store, { watchers: o2cStore.watchers });
  const sim = await startErpSim({ port: 0, seed: 1, autoReplenish: false });
  const erp = await erpSimConnector.instantiate({ clock: systemClock, log: silentLog }, { baseUrl: sim.url, timeoutMs: 3000 });
  const wms = options.warehouse ? await startWmsSim({ port: 0, carrierUrls: {} }) : undefined;
  const wmsConn = wms ? await wmsSimConnector.instantiate({ clock: systemClock, log: silentLog }, { baseUrl: wms.url, timeoutMs: 3000 }) : undefined;
  let engine: FlowEngine | undefined;
  const o2c = createOrderToCash({
    transactions: o2cStore.transactions,
    erp,
    wms: wmsConn?.wmsFulfilment,
    engine: () => {
      if (!engine) throw new Error('engine not built yet');
      return engine;
    },
    tenantIds: [TENANT],
    clock,
    erpBreaker: { failureThreshold: 3, coolDownMs: 5000 },
  });
  const p2p = createProcureToPay({ transactions: p2pStore.transactions, erpPurchasing: erp.erpPurchasing, wms: wmsConn?.wmsFulfilment, tenantIds: [TENANT], clock, ...options.p2p });
  engine = createFlowEngine({ store: createFlowStore(db), flows: [...o2c.flows], clock, workerId: 'p2p-test', pollIntervalMs: 20, maxConcurrentRuns: 4 });
  const consumers = defineConsumers<ProcureToPayStoreTx, any>({ ...o2c.consumerDefinitions, ...p2p.consumerDefinitions } as never);
  const dispatcher = createDispatcher({
    consumers,
    transactions: p2pStore.transactions,
    deliveries: store.messaging.deliveries,
    deadLetters: store.messaging.deadLetters,
    clock,
    random: () => 0.5,
  });
  const relay = createRelay({ outbox: store.messaging.outbox, transport: createLocalTransport(dispatcher), dispatcher, clock, pollIntervalMs: 20 });
  const system: TenantContext = { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, scopes: ['*'], correlationId: 'corr-test' };
  await o2c.syncCatalog(system);
  const built = engine;
  const suppliers = (await erp.erpPurchasing.listSuppliers(system, { limit: 100 })).items;

  async function settle(): Promise<void> {
    for (let round = 0; round < 200; round += 1) {
      let work = 0;
      for (const poller of o2c.pollers) if (poller.name === 'erp-changes' || poller.name === 'wms-events') work += await poller.runOnce();
      work += await relay.runOnce();
      work += await built.drain();
      if (work === 0) return;
    }
    throw new Error('procure-to-pay did not settle');
  }

  return {
    db,
    store,
    o2cStore,
    p2pStore,
    o2c,
    p2p,
    engine: built,
    relay,
    sim,
    erp,
    clock,
    wms,
    system,
    async supplier(an8) {
      const party = suppliers.find((s) => s.code === String(an8));
      if (!party) throw new Error(`no supplier ${an8} in the ERP`);
      return { tenantId: TENANT, partnerId: party.id, actor: { kind: 'client', id: `supplier-${an8}` }, scopes: ['supplier:write'], correlationId: `corr-${an8}` };
    },
    async customer(accountNumber) {
      const { rows } = await db.query<{ id: string }>(`SELECT id FROM tl_o2c_parties WHERE tenant_id = $1 AND kind = 'customer' AND code = $2`, [TENANT, accountNumber]);
      if (!rows[0]) throw new Error(`no customer ${accountNumber} in the catalog`);
      return { tenantId: TENANT, partnerId: rows[0].id, actor: { kind: 'client', id: `key-${accountNumber}` }, scopes: ['orders:write'], correlationId: `corr-${accountNumber}` };
    },
    staff(id) {
      return { tenantId: TENANT, actor: { kind: 'user', id }, scopes: ['ops:exceptions'], correlationId: `corr-${id}` };
    },
    async createPurchaseOrder(an8, lines, mcu = 'M10') {
      const { order } = sim.engine.purchasing.createPurchaseOrder({ AN8: an8, MCU: mcu, LINES: lines });
      sim.engine.purchasing.approvePurchaseOrder(order.DOCO);
      return String(order.DOCO);
    },
    settle,
    async events(type) {
      const { rows } = await db.query<{ event_type: string; envelope: { data: unknown } }>(
        `SELECT event_type, envelope FROM tl_outbox WHERE tenant_id = $1${type ? ' AND event_type = $2' : ''} ORDER BY seq`,
        type ? [TENANT, type] : [TENANT],
      );
      return rows.map((r) => ({ type: r.event_type, data: r.envelope.data }));
    },
    async close() {
      await built.stop();
      await relay.stop();
      await erp.close();
      await sim.close();
      await wmsConn?.close();
      await wms?.close();
    },
  };
}

/** What {@link catalogConformance} found in the outbox. */
export interface CatalogConformance {
  /** Every event type written so far. */
  seen: Set<string>;
  /** How many events of a cataloged type were checked. */
  checked: number;
  /** Cataloged events that do not parse with the catalog (`parseEvent`), with the reason. */
  failures: Array<{ type: string; subject?: string | undefined; code: string; issues: EventIssue[] }>;
  /** `partnerid` of every cataloged event, by type. */
  partners: Map<string, Array<string | undefined>>;
}

/** Parses every event written to the outbox whose type is in the canonical catalog with `parseEvent`. */
export async function catalogConformance(h: ProcureToPayHarness): Promise<CatalogConformance> {
  const { rows } = await h.db.query<{ event_type: string; envelope: Record<string, unknown> }>('SELECT event_type, envelope FROM tl_outbox WHERE tenant_id = $1 ORDER BY seq', [TENANT]);
  const result: CatalogConformance = { seen: new Set(), checked: 0, failures: [], partners: new Map() };
  for (const row of rows) {
    result.seen.add(row.event_type);
    if (!isEventType(row.event_type)) continue;
    result.checked += 1;
    result.partners.set(row.event_type, [...(result.partners.get(row.event_type) ?? []), row.envelope.partnerid as string | undefined]);
    const parsed = parseEvent(row.envelope);
    if (!parsed.ok) result.failures.push({ type: row.event_type, subject: row.envelope.subject as string | undefined, code: parsed.error.code, issues: parsed.error.issues });
  }
  return result;
}
