/**
 * Ports between the supplier experience API, the operations (exceptions) API and the procure-to-pay process. The API
 * calls one command or one query here per request; the process (flows + store read models) implements them. For
 * supplier calls `ctx.partnerId` is the supplier (its party id) and an implementation never returns another
 * supplier's data; exception calls are made by distributor staff (no partner) with the `ops:exceptions` scope.
 */
import type { TenantContext } from '../context.js';
import type { MoneyView, ResultPage } from './order-to-cash.ports.js';

/** Where a purchase order stands, as the supplier and the buyer see it. */
export type PurchaseOrderStatus =
  | 'New'
  | 'Changed'
  | 'Acknowledged'
  | 'InException'
  | 'Rejected'
  | 'Shipped'
  | 'PartiallyReceived'
  | 'Received'
  | 'Invoiced'
  | 'Matched'
  | 'Disputed'
  | 'Cancelled'
  | 'Closed';

/** One purchase order line as the supplier sees it. */
export interface PurchaseOrderLineView {
  lineNumber: number;
  /** The distributor's SKU. */
  sku: string;
  /** The supplier's own part number, when the cross-reference has one. */
  supplierPartNumber?: string | undefined;
  description?: string | undefined;
  quantity: string;
  unit: string;
  unitPrice: MoneyView;
  /** Date the distributor needs it (YYYY-MM-DD). */
  requestedDate: string;
  /** `Open`, `Acknowledged`, `Backordered`, `Rejected`, `Shipped`, `Received`, `Cancelled`. */
  status: string;
  /** What the supplier committed to, once acknowledged. */
  quantityAcknowledged?: string | undefined;
  promisedDate?: string | undefined;
  quantityShipped: string;
  quantityReceived: string;
}

/** A purchase order as its supplier sees it. */
export interface SupplierPurchaseOrderView {
  /** The hub's id (`po_…`). */
  id: string;
  /** The ERP's purchase order number. */
  poNumber: string;
  status: PurchaseOrderStatus;
  /** Increases with every change the buyer makes; an acknowledgment answers one revision. */
  revision: number;
  /** True while the current revision has no acknowledgment the hub accepted. */
  awaitingAcknowledgment: boolean;
  /** When the acknowledgment is due under the supplier's SLA (RFC 3339). */
  acknowledgmentDueBy?: string | undefined;
  orderDate: string;
  shipTo: { code: string; name: string };
  currency: string;
  total: MoneyView;
  lines: PurchaseOrderLineView[];
  updatedAt: string;
}

/** Filters of a supplier's purchase order listing. */
export interface PurchaseOrderQuery {
  status?: PurchaseOrderStatus | undefined;
  /** Only orders whose current revision awaits an acknowledgment. */
  awaitingAcknowledgment?: boolean | undefined;
  /** Only orders changed after this time (RFC 3339). */
  updatedSince?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A supplier's answer to one purchase order line. */
export interface AcknowledgmentLineSubmission {
  lineNumber: number;
  /** `accept` as ordered; `change` quantity, price or date; `backorder` (ships later, by `promisedDate`); `reject`. */
  action: 'accept' | 'change' | 'backorder' | 'reject';
  quantity?: string | undefined;
  unitPrice?: string | undefined;
  promisedDate?: string | undefined;
  /** A different SKU offered instead (allowed only when the supplier's tolerance profile allows substitutions). */
  substituteSku?: string | undefined;
  note?: string | undefined;
  /** Unit of measure the supplier means; when given it must be the line's unit. */
  unit?: string | undefined;
}

/** A supplier's acknowledgment of a purchase order (line level). */
export interface AcknowledgmentSubmission {
  /** The supplier's own acknowledgment number; with the order, it identifies a repeated message. */
  acknowledgmentNumber?: string | undefined;
  /** The revision being answered; the current one when absent. */
  revision?: number | undefined;
  lines: AcknowledgmentLineSubmission[];
}

/** How the hub took one acknowledged line. */
export interface AcknowledgmentLineOutcome {
  lineNumber: number;
  /** `as_ordered`; `within_tolerance` (applied to the ERP as is); `out_of_tolerance` (a buyer decides); `rejected`. */
  outcome: 'as_ordered' | 'within_tolerance' | 'out_of_tolerance' | 'rejected';
  /** Why, when not as ordered: e.g. `quantity -12.0% exceeds -5%`. */
  reasons: string[];
}

/** The hub's answer to an acknowledgment. */
export interface AcknowledgmentResult {
  /** The hub's id of the acknowledgment (`ack_…`). */
  id: string;
  purchaseOrderId: string;
  /** `Applied` to the ERP, held as an `Exception` for a buyer, or a `Duplicate` of one already received. */
  outcome: 'Applied' | 'Exception' | 'Duplicate';
  lines: AcknowledgmentLineOutcome[];
  exceptionId?: string | undefined;
  receivedAt: string;
}

/** A ship notice from a supplier (one shipment, lines of one or more of its purchase orders). */
export interface AsnSubmission {
  asnNumber: string;
  shipDate: string;
  expectedDeliveryDate: string;
  carrierCode?: string | undefined;
  trackingNumber?: string | undefined;
  lines: Array<{
    /** The purchase order by the ERP's number (`poNumber`) or the hub's id. */
    poNumber: string;
    lineNumber: number;
    sku: string;
    quantity: string;
    unit: string;
    lot?: string | undefined;
  }>;
}

/** A ship notice as the hub holds it. */
export interface AsnView {
  id: string;
  asnNumber: string;
  /** `InTransit`, `PartiallyReceived`, `Received`, `Cancelled`. */
  status: string;
  shipDate: string;
  expectedDeliveryDate: string;
  carrierCode?: string | undefined;
  trackingNumber?: string | undefined;
  lines: Array<{ poNumber: string; lineNumber: number; sku: string; quantity: string; unit: string; quantityReceived: string }>;
  /** True when the hub had received this ASN number before and this call changed nothing. */
  duplicate?: boolean | undefined;
  receivedAt: string;
}

/** An invoice from a supplier for goods of one purchase order. */
export interface SupplierInvoiceSubmission {
  invoiceNumber: string;
  invoiceDate: string;
  poNumber: string;
  currency: string;
  lines: Array<{ lineNumber: number; sku: string; quantity: string; unit: string; unitPrice: string }>;
  /** Freight and other charges, decimal strings. */
  charges?: Array<{ kind: string; amount: string }> | undefined;
  tax?: string | undefined;
}

/** The 3-way match of one invoice line: ordered (PO), received (receipts) and invoiced, with the variances found. */
export interface MatchLineView {
  lineNumber: number;
  sku: string;
  orderedQuantity: string;
  receivedQuantity: string;
  invoicedQuantity: string;
  poUnitPrice: string;
  invoicedUnitPrice: string;
  /** e.g. `price +4.00% exceeds 2%`, `invoiced 120 > received 100`; empty when the line matches. */
  variances: string[];
}

/** A supplier invoice as the hub holds it, with its 3-way match. */
export interface SupplierInvoiceView {
  id: string;
  invoiceNumber: string;
  poNumber: string;
  /** `Received` (waiting for the goods), `Approved` (matched, approved for payment), `Disputed`, `Paid`. */
  status: string;
  invoiceDate: string;
  total: MoneyView;
  match?: { result: 'matched' | 'variance' | 'waiting_for_receipt'; lines: MatchLineView[] } | undefined;
  exceptionId?: string | undefined;
  duplicate?: boolean | undefined;
  receivedAt: string;
}

/** A supplier's statement of what it can ship of one item. */
export interface SupplierAvailabilityUpdate {
  available: string;
  unit: string;
  /** Days from order to shipment. */
  leadTimeDays?: number | undefined;
  /** When more becomes available (YYYY-MM-DD). */
  nextAvailableDate?: string | undefined;
}

/** A supplier item as the hub holds it after an availability update. */
export interface SupplierItemView extends SupplierAvailabilityUpdate {
  sku: string;
  updatedAt: string;
}

/** A supplier's performance over a period, computed from what the hub recorded. */
export interface SupplierScorecard {
  supplierId: string;
  from: string;
  to: string;
  purchaseOrders: number;
  /** Hours from publication to the first acknowledgment. */
  acknowledgmentLatency: { count: number; medianHours: number | null; p90Hours: number | null };
  /** Share of ASNs sent no later than the promised ship date (0..1), null without ASNs. */
  onTimeAsnRate: number | null;
  /** Quantity shipped within promise / quantity ordered (0..1). */
  fillRate: number | null;
  /** Share of invoices approved on their first match (0..1). */
  invoiceFirstPassMatchRate: number | null;
}

/** Commands a supplier can issue (each one flow command; state changes with their events in one transaction). */
export interface SupplierCommands {
  acknowledge(ctx: TenantContext, purchaseOrderId: string, submission: AcknowledgmentSubmission): Promise<AcknowledgmentResult>;
  submitAsn(ctx: TenantContext, asn: AsnSubmission): Promise<AsnView>;
  submitInvoice(ctx: TenantContext, invoice: SupplierInvoiceSubmission): Promise<SupplierInvoiceView>;
  updateAvailability(ctx: TenantContext, sku: string, update: SupplierAvailabilityUpdate): Promise<SupplierItemView>;
}

/** Reads a supplier may make; all from read models. */
export interface SupplierQueries {
  listPurchaseOrders(ctx: TenantContext, query: PurchaseOrderQuery): Promise<ResultPage<SupplierPurchaseOrderView>>;
  /** By the hub's id or the ERP's number. */
  getPurchaseOrder(ctx: TenantContext, idOrNumber: string): Promise<SupplierPurchaseOrderView | null>;
  getAsn(ctx: TenantContext, asnId: string): Promise<AsnView | null>;
  getInvoice(ctx: TenantContext, invoiceId: string): Promise<SupplierInvoiceView | null>;
  scorecard(ctx: TenantContext, period: { from?: string | undefined; to?: string | undefined }): Promise<SupplierScorecard>;
}

/** Kinds of exception the process raises, each for one owner role. */
export type ExceptionType =
  /** buyer: an acknowledgment outside the supplier's tolerance. */
  | 'acknowledgment_out_of_tolerance'
  /** buyer: no acknowledgment within the supplier's SLA (after a reminder). */
  | 'acknowledgment_missing'
  /** finance: a supplier invoice that does not match PO and receipts. */
  | 'invoice_dispute'
  /** customer_service: a customer order line's promised date passed or moved because supply moved. */
  | 'promise_missed';

/** Who works an exception. */
export type ExceptionOwnerRole = 'buyer' | 'finance' | 'customer_service';

/** SLA state of an exception: `ok`, `due_soon` (last quarter of its window), `breached`. */
export type SlaState = 'ok' | 'due_soon' | 'breached';

/** One audited action on an exception. */
export interface ExceptionAuditEntry {
  at: string;
  actor: string;
  action: string;
  note?: string | undefined;
}

/** An exception as operations see it: the evidence, the allowed actions, the SLA and its history. */
export interface ExceptionView {
  id: string;
  type: ExceptionType;
  ownerRole: ExceptionOwnerRole;
  status: 'Open' | 'Claimed' | 'Resolved';
  claimedBy?: string | undefined;
  subject: { kind: 'purchase_order' | 'supplier_invoice' | 'sales_order'; id: string; number?: string | undefined };
  supplierId?: string | undefined;
  customerId?: string | undefined;
  summary: string;
  /** What the decision rests on (the ordered and acknowledged lines, the match, the moved dates…). */
  evidence: Record<string, unknown>;
  /** Actions `resolve` accepts for this exception, e.g. `accept_change`, `reject_change`, `counter`. */
  actions: string[];
  sla: { dueAt: string; state: SlaState };
  createdAt: string;
  resolvedAt?: string | undefined;
  resolution?: { action: string; by: string; note?: string | undefined } | undefined;
  history: ExceptionAuditEntry[];
}

/** Filters of the exception listing. */
export interface ExceptionQuery {
  type?: ExceptionType | undefined;
  ownerRole?: ExceptionOwnerRole | undefined;
  slaState?: SlaState | undefined;
  status?: 'Open' | 'Claimed' | 'Resolved' | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A decision on an exception; `counter` carries the buyer's counter-proposal per line. */
export interface ExceptionResolution {
  action: string;
  note?: string | undefined;
  counter?: Array<{ lineNumber: number; quantity?: string | undefined; unitPrice?: string | undefined; promisedDate?: string | undefined }> | undefined;
}

/** The operations side of exceptions: every action is audited and applied through the flow. */
export interface ExceptionDesk {
  list(ctx: TenantContext, query: ExceptionQuery): Promise<ResultPage<ExceptionView>>;
  get(ctx: TenantContext, exceptionId: string): Promise<ExceptionView | null>;
  /** Takes ownership; a claim by someone else while claimed is a ConflictError. */
  claim(ctx: TenantContext, exceptionId: string): Promise<ExceptionView>;
  /** Applies the action through the process (ERP update, PO change, invoice approval…) and closes the exception. */
  resolve(ctx: TenantContext, exceptionId: string, resolution: ExceptionResolution): Promise<ExceptionView>;
}
