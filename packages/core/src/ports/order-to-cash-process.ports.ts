/**
 * Persistence ports of the order-to-cash process: what the flows need from the read models (orders and their
 * timeline, the catalog synced from the ERP, invoices, returns, feed cursors). Implemented by @tradelane/store;
 * every repository is bound to one open transaction so a read-model change and its outbox events commit together.
 */
import type { EventEnvelope, InventoryPosition, Item, Party, Price, SalesOrder } from '@tradelane/canonical';
import type { TenantContext } from '../context.js';
import type { MessagingTx } from './bus.ports.js';
import type { TransactionRunner } from './transaction.ports.js';
import type { InvoiceView, OrderSubmission, OrderView, ReturnView, TimelineEntry } from './order-to-cash.ports.js';

/** An order as the process keeps it: the customer's view, what was submitted, and the validated document. */
export interface StoredOrder {
  id: string;
  /** The customer (party id) the order belongs to. */
  partnerId: string;
  submission: OrderSubmission;
  /** The customer's view; its `timeline` is kept apart and left empty here. */
  view: OrderView;
  /** The validated canonical order, once validation passed. */
  salesOrder?: SalesOrder | undefined;
}

/** A timeline entry to append; `key` makes it land once however often its producer runs. */
export interface NewTimelineEntry extends Omit<TimelineEntry, 'seq'> {
  key: string;
}

/** Orders and their timeline, bound to one transaction. Every method adds the tenant predicate from `ctx`. */
export interface OrderRepo {
  insert(ctx: TenantContext, order: StoredOrder): Promise<void>;
  /** One order of the tenant (any partner: a system read); `forUpdate` locks it until the transaction ends. */
  get(ctx: TenantContext, orderId: string, options?: { forUpdate?: boolean }): Promise<StoredOrder | undefined>;
  /** Replaces the order's view and validated document. */
  save(ctx: TenantContext, order: StoredOrder): Promise<void>;
  /** Appends entries whose key is new, in order; resolves the entries actually appended. */
  appendTimeline(ctx: TenantContext, orderId: string, entries: readonly NewTimelineEntry[]): Promise<TimelineEntry[]>;
  timeline(ctx: TenantContext, orderId: string): Promise<TimelineEntry[]>;
  /** Orders of the tenant in `status` submitted before `before`, oldest first (for sweeps). */
  listByStatus(ctx: TenantContext, status: string, options: { before: Date; limit: number }): Promise<Array<{ id: string; partnerId: string }>>;
}

/** The catalog read models synced from the ERP's master data. */
export interface CatalogRepo {
  upsertParties(ctx: TenantContext, parties: readonly Party[], syncedAt: Date): Promise<void>;
  upsertItems(ctx: TenantContext, items: readonly Item[], syncedAt: Date): Promise<void>;
  upsertPrices(ctx: TenantContext, prices: readonly Price[], syncedAt: Date): Promise<void>;
  upsertInventory(ctx: TenantContext, positions: readonly InventoryPosition[]): Promise<void>;
  getParty(ctx: TenantContext, partyId: string): Promise<Party | undefined>;
  /** Ship-tos of a customer, by code. */
  listShipTos(ctx: TenantContext, customerId: string): Promise<Party[]>;
  /** Finds an item by SKU, by the customer's part number, or by GTIN. */
  findItem(ctx: TenantContext, ref: { sku?: string | undefined; customerPartNumber?: string | undefined; gtin?: string | undefined; customerId: string }): Promise<Item | undefined>;
  /** List prices and the customer's contract prices of an item. */
  pricesOf(ctx: TenantContext, itemId: string, customerId: string): Promise<Price[]>;
  inventoryOf(ctx: TenantContext, itemId: string): Promise<InventoryPosition[]>;
}

/**
 * What the hub keeps with an invoice to work out its open amount, whatever order the ERP's invoice snapshots and
 * payments arrive in and however often each is redelivered. Internal bookkeeping: never part of a customer response.
 */
export interface InvoiceSettlement {
  /** ERP change time of the latest invoice snapshot applied; empty for an invoice stored without a settlement. */
  snapshotAt: string;
  /** The open amount that snapshot reported, in the invoice's currency. */
  erpOpenAmount: string;
  /** Amount applied to the invoice per ERP payment id: a redelivered payment replaces its own entry. */
  payments: Record<string, string>;
}

/** An invoice or credit memo as the read model stores it: the customer's view plus its {@link InvoiceSettlement}. */
export interface InvoiceRecord extends InvoiceView {
  settlement?: InvoiceSettlement | undefined;
}

/** Invoices and credit memos of customers. */
export interface InvoiceRepo {
  /** Inserts or replaces an invoice of `partnerId` (with its settlement bookkeeping, when given). */
  upsert(ctx: TenantContext, partnerId: string, invoice: InvoiceRecord): Promise<void>;
  /** Finds an invoice by id or invoice number (any partner: a system read). */
  find(ctx: TenantContext, idOrNumber: string): Promise<{ partnerId: string; invoice: InvoiceRecord } | undefined>;
}

/** Returns (RMAs) of customers. */
export interface ReturnRepo {
  upsert(ctx: TenantContext, partnerId: string, view: ReturnView): Promise<void>;
  get(ctx: TenantContext, returnId: string): Promise<{ partnerId: string; view: ReturnView } | undefined>;
}

/** What the hub released to the warehouse for an order (one release per warehouse and ERP release round). */
export interface WarehouseReleaseRecord {
  /** The release's reference at the WMS (idempotency key there): `<orderId>-R<seq>`. */
  reference: string;
  orderId: string;
  /** The ERP's order number the release belongs to. */
  erpOrderNumber: string;
  /** 1, 2, … per order. */
  seq: number;
  warehouseId: string;
  /** The WMS's id of the outbound order. */
  wmsOrderId: string;
  lines: Array<{ lineNumber: number; sku: string; quantity: string; unit: string }>;
  releasedAt: string;
}

/** A shipment of a customer order, findable by its carrier and tracking number. */
export interface ShipmentRecord {
  shipmentId: string;
  orderId: string;
  carrierCode: string;
  trackingNumber: string;
}

/** Warehouse releases and shipments of customer orders. */
export interface FulfilmentRepo {
  /** Records a release; recording the same reference again changes nothing. */
  recordRelease(ctx: TenantContext, release: WarehouseReleaseRecord): Promise<void>;
  /** An order's releases, oldest first. */
  releasesOf(ctx: TenantContext, orderId: string): Promise<WarehouseReleaseRecord[]>;
  findRelease(ctx: TenantContext, reference: string): Promise<WarehouseReleaseRecord | undefined>;
  /** Records a shipment; recording the same shipment id again changes nothing. */
  recordShipment(ctx: TenantContext, shipment: ShipmentRecord): Promise<void>;
  findShipment(ctx: TenantContext, carrierCode: string, trackingNumber: string): Promise<ShipmentRecord | undefined>;
}

/** Durable cursors of feed pollers; written in the transaction that writes the page's events. */
export interface FeedCursorRepo {
  get(ctx: TenantContext, name: string): Promise<string | null>;
  set(ctx: TenantContext, name: string, cursor: string): Promise<void>;
}

/** Appends events to the outbox in the current transaction (the store's outbox writer fits). */
export interface OutboxAppender {
  append(ctx: TenantContext, events: { envelope: EventEnvelope; aggregateType?: string | undefined; aggregateId?: string | undefined } | readonly { envelope: EventEnvelope; aggregateType?: string | undefined; aggregateId?: string | undefined }[]): Promise<unknown>;
}

/** The order-to-cash repositories bound to one transaction. */
export interface OrderToCashRepos {
  readonly orders: OrderRepo;
  readonly catalog: CatalogRepo;
  readonly invoices: InvoiceRepo;
  readonly returns: ReturnRepo;
  readonly cursors: FeedCursorRepo;
  readonly fulfilment: FulfilmentRepo;
}

/** A transaction as order-to-cash consumers and steps see it: inbox, outbox and the order-to-cash repositories. */
export interface OrderToCashTx extends MessagingTx {
  readonly outbox: OutboxAppender;
  readonly orderToCash: OrderToCashRepos;
  /**
   * Runs `fn` after the transaction has committed (never when it rolls back): for effects outside the database that
   * must not hold the transaction open, such as starting a flow run. Failures are reported, not thrown.
   */
  afterCommit(fn: () => Promise<void>): void;
}

/** Runs order-to-cash work in one transaction (timeline watchers are told after it commits). */
export type OrderToCashTransactionRunner = TransactionRunner<OrderToCashTx>;
