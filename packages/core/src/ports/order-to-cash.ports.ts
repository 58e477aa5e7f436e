/**
 * Ports between the customer experience API and the order-to-cash process. The API calls one command or one query
 * here per request; the process (flows + store read models) implements them. Every call takes the caller's
 * TenantContext: `ctx.partnerId` is the customer, and an implementation never returns another customer's data.
 */
import type { TenantContext } from '../context.js';

/** A page of results; `nextCursor` null at the end. */
export interface ResultPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Money as the API shows it: decimal string plus ISO currency. */
export interface MoneyView {
  amount: string;
  currency: string;
}

/** An item as a customer sees it: their price and real availability, with how fresh it is. */
export interface ItemOffer {
  sku: string;
  description: string;
  /** The customer's own part number, when they have one. */
  customerPartNumber?: string | undefined;
  gtin?: string | undefined;
  /** Unit the price is for. */
  unit: string;
  /** Other units it can be ordered in, with their factor to `unit`. */
  units: Array<{ unit: string; factor: string }>;
  price: MoneyView;
  priceSource: 'contract' | 'list';
  /** Quantity tiers of the applicable price list. */
  tiers: Array<{ minQuantity: string; price: MoneyView }>;
  /** Available to promise across warehouses, in `unit`. */
  available: string;
  /** When the availability was last confirmed by the ERP or WMS (RFC 3339). */
  asOf: string;
}

/** A customer's order as submitted through the API or portal. */
export interface OrderSubmission {
  customerPoNumber: string;
  /** Ship-to code of the customer's account; default ship-to when absent. */
  shipTo?: string | undefined;
  requestedDeliveryDate?: string | undefined;
  shipComplete?: boolean | undefined;
  notes?: string | undefined;
  lines: Array<{
    /** Distributor SKU, or the customer's part number, or a GTIN — at least one. */
    sku?: string | undefined;
    customerPartNumber?: string | undefined;
    gtin?: string | undefined;
    quantity: string;
    unit: string;
    /** The price the customer expects; a difference from the contract price is flagged. */
    expectedUnitPrice?: string | undefined;
    requestedDate?: string | undefined;
  }>;
}

/** A change to an order before it is released to the warehouse. */
export interface OrderChange {
  lines: Array<{ lineNumber: number; quantity: string }>;
}

/** One entry of an order's timeline: what happened, when, according to which system. */
export interface TimelineEntry {
  /** Increasing within the order. */
  seq: number;
  /** Order status (PascalCase) or line-level milestone, e.g. `Received`, `Allocated`, `Backordered`, `Shipped`. */
  status: string;
  at: string;
  source: 'hub' | 'erp' | 'wms' | 'carrier' | 'customer' | 'operations';
  detail: string;
  lineNumber?: number | undefined;
  shipmentId?: string | undefined;
}

/** An order line as the customer sees it. */
export interface OrderLineView {
  lineNumber: number;
  sku: string;
  customerPartNumber?: string | undefined;
  description?: string | undefined;
  quantity: string;
  unit: string;
  unitPrice: MoneyView;
  status: string;
  quantityAllocated: string;
  quantityBackordered: string;
  quantityShipped: string;
  promisedDate?: string | undefined;
  /** Set when the customer's expected price differed from the contract price. */
  priceMismatch?: { expected: string; contract: string } | undefined;
}

/** A shipment of an order as the customer sees it. */
export interface OrderShipmentView {
  shipmentId: string;
  carrierCode: string;
  trackingNumber: string;
  status: string;
  shippedAt?: string | undefined;
  deliveredAt?: string | undefined;
  proofOfDelivery?: { signedBy?: string | undefined; at: string } | undefined;
  lines: Array<{ lineNumber: number; quantity: string }>;
}

/** A customer's order with lines, shipments and its truthful timeline. */
export interface OrderView {
  id: string;
  customerPoNumber: string;
  /** The ERP's order number, once committed. */
  orderNumber?: string | undefined;
  status: string;
  orderedAt: string;
  requestedDeliveryDate?: string | undefined;
  shipTo: { code?: string | undefined; name: string };
  lines: OrderLineView[];
  shipments: OrderShipmentView[];
  total: MoneyView;
  timeline: TimelineEntry[];
}

/** One row of an order listing. */
export interface OrderSummary {
  id: string;
  customerPoNumber: string;
  orderNumber?: string | undefined;
  status: string;
  orderedAt: string;
  total: MoneyView;
  lineCount: number;
}

/** Filters of an order listing. */
export interface OrderQuery {
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Matches the customer PO number or a SKU on any line. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** An invoice as the customer sees it. */
export interface InvoiceView {
  id: string;
  invoiceNumber: string;
  kind: 'invoice' | 'credit_memo';
  status: string;
  orderId?: string | undefined;
  customerPoNumber?: string | undefined;
  invoiceDate: string;
  dueDate: string;
  total: MoneyView;
  /** What is left to pay (an invoice) or left to use (a credit memo), in the currency's decimals (`'25.00'`). */
  openAmount: MoneyView;
  lines: Array<{ lineNumber: number; sku?: string | undefined; description?: string | undefined; quantity: string; unit: string; unitPrice: MoneyView; amount: MoneyView }>;
}

/**
 * Open balance and its ageing buckets by days past due. Open invoices add to it, the open (unapplied) amount of credit
 * memos takes off it, so a balance below zero is a credit in the customer's favour. Amounts carry the currency's
 * decimals (`'25.00'`, `'-25.00'`); the buckets add up to the balance (a credit counts in the bucket of its due date).
 */
export interface AccountBalance {
  currency: string;
  /** What the customer owes: open invoices less open credit memos; negative when the credit is larger. */
  balance: string;
  aging: { current: string; days1to30: string; days31to60: string; days61to90: string; over90: string };
  asOf: string;
}

/** A return request from a customer. */
export interface ReturnRequest {
  orderId: string;
  reason: string;
  lines: Array<{ lineNumber: number; quantity: string; reasonCode: string }>;
  notes?: string | undefined;
}

/** A return (RMA) as the customer sees it. */
export interface ReturnView {
  id: string;
  orderId: string;
  rmaNumber?: string | undefined;
  status: string;
  lines: Array<{ lineNumber: number; sku: string; quantity: string; reasonCode: string }>;
  creditMemoId?: string | undefined;
  timeline: TimelineEntry[];
}

/** Commands a customer can issue (each one flow command; state changes with their events in one transaction). */
export interface CustomerCommands {
  /** Accepts an order (status `Received`) and starts order-to-cash; validation and the ERP commit follow. */
  submitOrder(ctx: TenantContext, submission: OrderSubmission): Promise<OrderView>;
  changeOrder(ctx: TenantContext, orderId: string, change: OrderChange): Promise<OrderView>;
  cancelOrder(ctx: TenantContext, orderId: string, reason: string): Promise<OrderView>;
  requestReturn(ctx: TenantContext, request: ReturnRequest): Promise<ReturnView>;
}

/** Reads a customer may make; all from read models, never from the ERP per request. */
export interface CustomerQueries {
  searchItems(ctx: TenantContext, query: { q?: string | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<ResultPage<ItemOffer>>;
  listOrders(ctx: TenantContext, query: OrderQuery): Promise<ResultPage<OrderSummary>>;
  getOrder(ctx: TenantContext, orderId: string): Promise<OrderView | null>;
  /** Calls `listener` with each new timeline entry of the order; returns the unsubscribe function. */
  watchTimeline(ctx: TenantContext, orderId: string, listener: (entry: TimelineEntry) => void): () => void;
  listInvoices(ctx: TenantContext, query: { status?: string | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<ResultPage<InvoiceView>>;
  getInvoice(ctx: TenantContext, invoiceId: string): Promise<InvoiceView | null>;
  getBalance(ctx: TenantContext): Promise<AccountBalance>;
  getReturn(ctx: TenantContext, returnId: string): Promise<ReturnView | null>;
}

/** Resolves an API key to the caller's context (until OAuth2 clients arrive). */
export interface ApiKeyResolver {
  resolve(apiKey: string, correlationId: string): Promise<TenantContext | null>;
}
