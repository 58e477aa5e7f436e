import type { TenantContext } from '@tradelane/core';
import type { InventoryPosition, Invoice, Item, Party, Payment, Price, ReturnAuthorization, SalesOrder } from '@tradelane/canonical';
import type { IdempotentResult, Page, PageRequest } from './common.js';
import type { ErpPurchaseOrder, ErpPurchaseReceipt, ErpSupplierInvoice } from './purchasing.capability.js';

/** Master data the ERP owns: customers (with credit), items (with units and cross-references), prices, stock. */
export interface ErpMasterData {
  listCustomers(ctx: TenantContext, page?: PageRequest): Promise<Page<Party>>;
  listItems(ctx: TenantContext, page?: PageRequest): Promise<Page<Item>>;
  /** List and contract prices; contract prices carry the customer they apply to. */
  listPrices(ctx: TenantContext, page?: PageRequest): Promise<Page<Price>>;
  listInventory(ctx: TenantContext, page?: PageRequest): Promise<Page<InventoryPosition>>;
  /** Credit standing now (limit, exposure, hold), read at order validation. */
  getCustomerCredit(ctx: TenantContext, customerRef: string): Promise<CustomerCredit>;
}

/** A customer's credit standing in the ERP. */
export interface CustomerCredit {
  customerRef: string;
  onHold: boolean;
  holdReason?: string | undefined;
  /** Decimal strings in `currency`. */
  creditLimit: string;
  exposure: string;
  currency: string;
}

/** Where an order stands in the ERP, in hub vocabulary (connectors map their own codes to these). */
export type ErpOrderStatus =
  | 'Entered'
  | 'OnHold'
  | 'Allocated'
  | 'PartiallyAllocated'
  | 'Backordered'
  | 'Released'
  | 'PartiallyShipped'
  | 'Shipped'
  | 'Invoiced'
  | 'Closed'
  | 'Cancelled';

/** One order line as the ERP holds it. */
export interface ErpOrderLine {
  lineNumber: number;
  sku: string;
  quantity: string;
  unit: string;
  quantityAllocated: string;
  quantityBackordered: string;
  quantityShipped: string;
  /**
   * Quantity released to the warehouse so far, shipped included (grows when a backorder is filled after release).
   * The hub releases the difference to what it already sent to the WMS. Absent when the ERP does not say.
   */
  quantityReleased?: string | undefined;
  /** Warehouse the line is allocated from. */
  warehouseId?: string | undefined;
  promisedDate?: string | undefined;
  unitPrice?: string | undefined;
}

/** An order as the ERP holds it. */
export interface ErpOrder {
  /** The hub's order id, stored in the ERP's external-reference field. */
  reference: string;
  erpOrderNumber: string;
  status: ErpOrderStatus;
  holdReason?: string | undefined;
  lines: ErpOrderLine[];
  /** Decimal string, order currency. */
  total?: string | undefined;
  updatedAt: string;
}

/** A change to an open order (before release). */
export interface ErpOrderChange {
  lines: Array<{ lineNumber: number; quantity: string }>;
}

/** What the warehouse shipped against an ERP order (one shipment of possibly several). */
export interface ErpShipmentConfirmation {
  /** The hub's shipment id: confirming the same shipment twice changes nothing. */
  reference: string;
  carrierCode: string;
  trackingNumber: string;
  shippedAt: string;
  lines: Array<{ lineNumber: number; quantity: string }>;
}

/** Sales orders: create exactly once (idempotent on `reference`), read, change, cancel, confirm shipments. */
export interface ErpSalesOrders {
  /**
   * Creates the order, or returns the existing one when an order with this reference exists (`duplicate: true`).
   * Must be safe to call again after a timeout: the reference is the hub's order id.
   */
  commitOrder(ctx: TenantContext, order: SalesOrder, reference: string): Promise<IdempotentResult<ErpOrder>>;
  findOrder(ctx: TenantContext, reference: string): Promise<ErpOrder | null>;
  changeOrder(ctx: TenantContext, erpOrderNumber: string, change: ErpOrderChange): Promise<ErpOrder>;
  cancelOrder(ctx: TenantContext, erpOrderNumber: string, reason: string): Promise<ErpOrder>;
  /** Records a shipment in the ERP (ship confirm), which leads to invoicing; idempotent on the shipment reference. */
  confirmShipment(ctx: TenantContext, erpOrderNumber: string, shipment: ErpShipmentConfirmation): Promise<ErpOrder>;
}

/**
 * Something that changed in the ERP, in hub vocabulary, with the ERP's time: sales orders, receivables, stock, and
 * purchasing (a purchase order created or changed, goods received, a supplier invoice recorded or its match decision).
 */
export type ErpChange = (
  | { kind: 'order.updated'; order: ErpOrder; at: string }
  | { kind: 'invoice.issued'; invoice: Invoice; orderReference?: string | undefined; at: string }
  | { kind: 'payment.received'; payment: Payment; at: string }
  | { kind: 'credit_memo.issued'; invoice: Invoice; returnReference?: string | undefined; at: string }
  | { kind: 'inventory.changed'; positions: InventoryPosition[]; at: string }
  | { kind: 'purchase_order.updated'; purchaseOrder: ErpPurchaseOrder; at: string }
  | { kind: 'receipt.recorded'; receipt: ErpPurchaseReceipt; at: string }
  | { kind: 'supplier_invoice.recorded'; supplierInvoice: ErpSupplierInvoice; at: string }
) & {
  /** The ERP's own id of this change (e.g. its change sequence number): stable across re-reads, unique per ERP. */
  changeId: string;
};

/**
 * The ERP's change feed, read by polling with a durable cursor. Every change appears once per cursor position;
 * a consumer that stores the cursor after applying a page misses nothing and, with inbox dedupe, applies nothing twice.
 */
export interface ErpChangeFeed {
  fetchChanges(ctx: TenantContext, page: PageRequest): Promise<Page<ErpChange>>;
}

/** An RMA as the ERP holds it. */
export interface ErpReturn {
  reference: string;
  erpReturnNumber: string;
  status: 'Authorized' | 'Rejected' | 'Received' | 'Credited';
  creditMemoNumber?: string | undefined;
}

/** Returns: authorise, receive. Credit memos arrive on the change feed. */
export interface ErpReturns {
  requestReturn(ctx: TenantContext, rma: ReturnAuthorization, reference: string): Promise<IdempotentResult<ErpReturn>>;
  receiveReturn(ctx: TenantContext, erpReturnNumber: string, lines: Array<{ lineNumber: number; quantity: string }>): Promise<ErpReturn>;
}
