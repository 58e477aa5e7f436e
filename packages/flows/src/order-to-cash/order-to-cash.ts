import { eventCatalog, newId, type EventEnvelope, type InventoryPosition } from '@tradelane/canonical';
import type { CarrierTracking, ErpChange, ErpChangeFeed, ErpMasterData, ErpReturns, ErpSalesOrders, WmsFulfilment } from '@tradelane/connector-kit';
import {
  systemClock,
  type Clock,
  type CustomerCommands,
  type OrderToCashTransactionRunner,
  type OrderToCashTx,
  type RetryPolicy,
  type ReturnView,
  type TenantContext,
} from '@tradelane/core';
import type { FlowDefinition } from '../flow-definition.js';
import type { FlowEngine } from '../flow-engine.js';
import { syncCatalog, type CatalogSyncResult } from './catalog-sync.js';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.js';
import { createCustomerCommands, SALES_ORDER_RECEIVED, type SalesOrderReceivedData } from './customer-commands.js';
import { applyErpChange, erpChangeDataSchema, erpChangeEventTypes, type ErpChangeData } from './erp-feed.consumers.js';
import { createFulfilment, SHIPMENT_DISPATCHED, shipmentDispatchedSchema, TRACKING_UPDATED, trackingEventOf, wmsEventDataSchema, wmsEventTypes } from './fulfilment.js';
import { createFeedPoller, createReceivedOrdersSweep, type FeedPoller } from './feed-poller.js';
import { createReturns, RETURN_REQUESTED } from './returns.js';
import { createOrderToCashFlow, type OrderToCashInput, type OrderToCashOutcome } from './order-to-cash.flow.js';

/** A `safeParse` schema (zod's shape). */
export interface PayloadSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** A consumer handler definition as the bus's `defineConsumers` takes it. */
export interface OrderToCashHandlerDefinition<Tx> {
  schema: PayloadSchema<any>;
  handler: (ctx: TenantContext, event: EventEnvelope<any>, tx: Tx, info: { consumer: string; attempt: number; replay: boolean }) => Promise<void>;
  retry?: Partial<RetryPolicy> | undefined;
}

/** Consumer name → event type → definition; pass to `defineConsumers` (merged with other consumers). */
export type OrderToCashConsumerDefinitions<Tx> = Record<string, Record<string, OrderToCashHandlerDefinition<Tx>>>;

/** What {@link createOrderToCash} needs. */
export interface OrderToCashDeps {
  /** Order-to-cash transactions (`createOrderToCashStore(store).transactions`). */
  transactions: OrderToCashTransactionRunner;
  /** The ERP connector's capabilities. */
  erp: { erpMasterData: ErpMasterData; erpSalesOrders: ErpSalesOrders; erpChangeFeed?: ErpChangeFeed | undefined; erpReturns?: ErpReturns | undefined };
  /** The warehouse: released ERP orders go to it; its pick, pack and manifest events come back. */
  wms?: WmsFulfilment | undefined;
  /** Carriers whose tracking feeds are read (one poller each), matched to shipments by tracking number. */
  carriers?: readonly CarrierTracking[] | undefined;
  /** The flow engine, late-bound: the engine is built with {@link OrderToCash.flows}. */
  engine: () => Pick<FlowEngine, 'start'>;
  /** Tenants whose feeds the pollers read. */
  tenantIds: readonly string[];
  /** @default systemClock */
  clock?: Clock | undefined;
  /** ERP circuit breaker settings. @default 5 failures, 10 s cool-down */
  erpBreaker?: { failureThreshold?: number; coolDownMs?: number } | undefined;
  /** Poll interval of the feed pollers (real time). @default 2000 */
  pollIntervalMs?: number | undefined;
  /** Orders still `Received` this long after submission are (re)started by the sweep. @default 60000 */
  sweepGraceMs?: number | undefined;
  /** Told about failed poller rounds. */
  onError?: ((err: unknown) => void) | undefined;
}

/** The composed order-to-cash process. */
export interface OrderToCash {
  /** Flows to register with the engine. */
  readonly flows: readonly FlowDefinition<any, any>[];
  readonly orderToCashFlow: FlowDefinition<OrderToCashInput, OrderToCashOutcome>;
  /** Consumer definitions to pass to `defineConsumers` (typed against the order-to-cash transaction). */
  readonly consumerDefinitions: OrderToCashConsumerDefinitions<OrderToCashTx>;
  /** Feed pollers (ERP change feed); `start()` them in the worker, `runOnce()` in tests. */
  readonly pollers: readonly FeedPoller[];
  /** What the customer API calls. */
  readonly commands: CustomerCommands;
  /** Records the warehouse receipt of an authorized return in the ERP (the credit memo follows on the change feed). */
  receiveReturn(ctx: TenantContext, returnId: string, lines?: Array<{ lineNumber: number; quantity: string }>): Promise<ReturnView>;
  /** Pulls the ERP's master data into the catalog read models. */
  syncCatalog(ctx: TenantContext): Promise<CatalogSyncResult>;
  readonly erpBreaker: CircuitBreaker;
}

/** The payload schema of `sales_order.received`, as the event catalog declares it. */
const receivedSchema: PayloadSchema<SalesOrderReceivedData> = eventCatalog[SALES_ORDER_RECEIVED].schema;

/**
 * Composes order-to-cash: the flow, its consumers, the feed pollers and the customer commands, over the store's
 * order-to-cash transactions and the connectors' capabilities.
 * @example
 * const o2cStore = createOrderToCashStore(store);
 * const o2c = createOrderToCash({ transactions: o2cStore.transactions, erp, engine: () => engine, tenantIds: ['acme'] });
 * const engine = createFlowEngine({ store: createFlowStore(db), flows: [...o2c.flows] });
 * const consumers = defineConsumers<OrderToCashStoreTx, any>({ ...o2c.consumerDefinitions });
 */
export function createOrderToCash(deps: OrderToCashDeps): OrderToCash {
  const clock = deps.clock ?? systemClock;
  const erpBreaker = createCircuitBreaker({ name: 'erp', clock, ...deps.erpBreaker });
  const orderToCashFlow = createOrderToCashFlow({ transactions: deps.transactions, erpSalesOrders: deps.erp.erpSalesOrders, erpBreaker, clock });

  const fulfilment = createFulfilment({ wms: deps.wms, erpSalesOrders: deps.erp.erpSalesOrders, erpBreaker, clock });
  /** Long enough to ride out an outage of the system called (about 8 hours at the cap). */
  const outageRetry = { maxAttempts: 1000, initialDelayMs: 500, maxDelayMs: 30_000 };
  const returns = createReturns({ transactions: deps.transactions, erpReturns: deps.erp.erpReturns, erpBreaker, clock });

  const consumerDefinitions: OrderToCashConsumerDefinitions<OrderToCashTx> = {
    'order-to-cash-returns': {
      [RETURN_REQUESTED]: { schema: returns.schema, retry: { maxAttempts: 1000, initialDelayMs: 500, maxDelayMs: 60_000 }, handler: returns.authorize },
    },
    'order-to-cash-start': {
      [SALES_ORDER_RECEIVED]: {
        schema: receivedSchema,
        retry: { maxAttempts: 50, initialDelayMs: 500, maxDelayMs: 60_000 },
        handler: async (ctx, event: EventEnvelope<SalesOrderReceivedData>, tx) => {
          // The start runs after the inbox record commits (the engine has its own transactions; on PGlite a second
          // transaction inside this one would wait forever). A start lost to a crash in between is picked up by the
          // received-orders sweep; the start is idempotent on the order id either way.
          const starter: TenantContext = { ...ctx, partnerId: event.data.partnerId };
          tx.afterCommit(async () => {
            await deps.engine().start(starter, orderToCashFlow, { orderId: event.data.orderId, partnerId: event.data.partnerId });
          });
        },
      },
    },
    // Purchasing changes belong to procure-to-pay: this consumer does not take them (a transaction each for nothing).
    'order-to-cash-erp-changes': Object.fromEntries(
      SALES_SIDE_CHANGES.map((kind) => erpChangeEventTypes[kind]).map((type) => [
        type,
        {
          schema: erpChangeDataSchema,
          retry: { maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 60_000 },
          handler: (ctx: TenantContext, event: EventEnvelope<ErpChangeData>, tx: OrderToCashTx) => applyErpChange(ctx, event, tx),
        },
      ]),
    ),
    'order-to-cash-ship-confirm': {
      [SHIPMENT_DISPATCHED]: { schema: shipmentDispatchedSchema, retry: outageRetry, handler: fulfilment.confirmShipment },
    },
  };
  if (deps.wms) {
    consumerDefinitions['order-to-cash-release'] = {
      [erpChangeEventTypes['order.updated']]: { schema: erpChangeDataSchema, retry: outageRetry, handler: fulfilment.releaseToWarehouse },
    };
    consumerDefinitions['order-to-cash-warehouse'] = Object.fromEntries(
      Object.values(wmsEventTypes).map((type) => [type, { schema: wmsEventDataSchema, retry: { maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 60_000 }, handler: fulfilment.applyWarehouseEvent }]),
    );
  }
  if (deps.carriers?.length) {
    consumerDefinitions['order-to-cash-tracking'] = {
      [TRACKING_UPDATED]: { schema: fulfilment.trackingSchema, retry: { maxAttempts: 30, initialDelayMs: 1000, maxDelayMs: 60_000 }, handler: fulfilment.applyTracking },
    };
  }

  const pollers: FeedPoller[] = [];
  const changeFeed = deps.erp.erpChangeFeed;
  if (changeFeed) {
    pollers.push(
      createFeedPoller({
        name: 'erp-changes',
        tenantIds: deps.tenantIds,
        transactions: deps.transactions,
        clock,
        intervalMs: deps.pollIntervalMs,
        onError: deps.onError,
        fetch: async (ctx, page) => foldPurchaseOrderSnapshots(foldInventoryChanges(await erpBreaker.call(() => changeFeed.fetchChanges(ctx, page)))),
        toEvent: (change) => ({
          type: erpChangeEventTypes[change.kind],
          data: { change },
          subject: changeSubject(change),
        }),
        sequenceOf: changeSequence,
      }),
    );
  }

  const wms = deps.wms;
  if (wms) {
    pollers.push(
      createFeedPoller({
        name: 'wms-events',
        tenantIds: deps.tenantIds,
        transactions: deps.transactions,
        clock,
        intervalMs: deps.pollIntervalMs,
        onError: deps.onError,
        fetch: (ctx, page) => wms.fetchEvents(ctx, page),
        toEvent: (event) => ({ type: wmsEventTypes[event.kind], data: { event }, subject: event.reference }),
      }),
    );
  }
  for (const carrier of deps.carriers ?? []) {
    pollers.push(
      createFeedPoller({
        name: `carrier-${carrier.carrierCode}`,
        tenantIds: deps.tenantIds,
        transactions: deps.transactions,
        clock,
        intervalMs: deps.pollIntervalMs,
        onError: deps.onError,
        fetch: (ctx, page) => carrier.fetchEvents(ctx, page),
        toEvent: (event, read) => ({
          type: TRACKING_UPDATED,
          data: { trackingEvent: trackingEventOf(event, { ...read, id: newId('trk', Date.parse(read.time)) }) },
          subject: event.trackingNumber,
        }),
      }),
    );
  }

  pollers.push(
    createReceivedOrdersSweep({
      tenantIds: deps.tenantIds,
      transactions: deps.transactions,
      clock,
      graceMs: deps.sweepGraceMs ?? 60_000,
      intervalMs: deps.pollIntervalMs === undefined ? 30_000 : deps.pollIntervalMs * 15,
      onError: deps.onError,
      start: (ctx, input) => deps.engine().start(ctx, orderToCashFlow, input),
    }),
  );

  return {
    flows: [orderToCashFlow],
    orderToCashFlow,
    consumerDefinitions,
    pollers,
    commands: { ...createCustomerCommands({ transactions: deps.transactions, erpSalesOrders: deps.erp.erpSalesOrders, erpBreaker, clock }), requestReturn: returns.requestReturn },
    receiveReturn: returns.receiveReturn,
    syncCatalog: (ctx) => syncCatalog(ctx, { erpMasterData: deps.erp.erpMasterData, transactions: deps.transactions, clock }),
    erpBreaker,
  };
}

/** The subject an ERP change is filed under: the hub's order reference, or the purchase order it concerns. */
/**
 * Folds the inventory changes of one page into one change at the place of the last of them, holding the latest
 * position per item and location: positions are absolute, so the folded change leaves the same stock behind, with one
 * event instead of one per stock movement.
 */
export function foldInventoryChanges<P extends { items: ErpChange[] }>(page: P): P {
  const inventory = page.items.filter((c): c is Extract<ErpChange, { kind: 'inventory.changed' }> => c.kind === 'inventory.changed');
  if (inventory.length < 2) return page;
  const latest = new Map<string, InventoryPosition>();
  for (const change of inventory) for (const p of change.positions) latest.set(`${p.itemId}\u0000${p.locationId}`, p);
  const last = inventory.at(-1)!;
  const folded: ErpChange = { ...last, positions: [...latest.values()] };
  return { ...page, items: page.items.filter((c) => c.kind !== 'inventory.changed' || c === last).map((c) => (c === last ? folded : c)) };
}

/** The ERP changes order-to-cash applies (`applyErpChange`); the purchasing ones are procure-to-pay's. */
const SALES_SIDE_CHANGES = ['order.updated', 'invoice.issued', 'payment.received', 'credit_memo.issued', 'inventory.changed'] as const satisfies ReadonlyArray<ErpChange['kind']>;

/**
 * Keeps, of the `purchase_order.updated` changes of one page, only the last one of each purchase order, at its place:
 * each carries the whole order as the ERP holds it, and the hub applies an order's state (not its steps), so the last
 * read leaves the same order behind with one event instead of one per ERP write. Receipts and supplier invoices stay.
 */
export function foldPurchaseOrderSnapshots<P extends { items: ErpChange[] }>(page: P): P {
  const last = new Map<string, ErpChange>();
  for (const c of page.items) if (c.kind === 'purchase_order.updated') last.set(c.purchaseOrder.poNumber, c);
  const count = page.items.reduce((n, c) => n + (c.kind === 'purchase_order.updated' ? 1 : 0), 0);
  if (count === last.size) return page;
  return { ...page, items: page.items.filter((c) => c.kind !== 'purchase_order.updated' || last.get(c.purchaseOrder.poNumber) === c) };
}

/**
 * The sequence an ERP change is delivered in. Purchasing changes of one purchase order keep their order among
 * themselves and go side by side with other orders' (a supplier invoice follows its first order's sequence);
 * inventory positions are absolute, so they keep their own order apart from documents. Sales orders, invoices, payments
 * and credit memos stay in the feed's main sequence: a payment or a credit memo needs the invoice or order before it.
 */
function changeSequence(change: ErpChange): string | undefined {
  switch (change.kind) {
    case 'purchase_order.updated':
      return `purchase-order/${change.purchaseOrder.poNumber}`;
    case 'receipt.recorded':
      return `purchase-order/${change.receipt.poNumber}`;
    case 'supplier_invoice.recorded':
      return change.supplierInvoice.poNumbers[0] === undefined ? undefined : `purchase-order/${change.supplierInvoice.poNumbers[0]}`;
    case 'inventory.changed':
      return 'inventory';
    default:
      return undefined;
  }
}

function changeSubject(change: ErpChange): string | undefined {
  switch (change.kind) {
    case 'order.updated':
      return change.order.reference;
    case 'purchase_order.updated':
      return change.purchaseOrder.poNumber;
    case 'receipt.recorded':
      return change.receipt.poNumber;
    case 'supplier_invoice.recorded':
      return change.supplierInvoice.poNumbers[0];
    default:
      return undefined;
  }
}
