import type { TenantContext } from '@tradelane/core';
import type { AdvanceShipNotice, Invoice, Party, PurchaseOrder, Receipt } from '@tradelane/canonical';
import type { IdempotentResult, Page, PageRequest } from './common.js';

/** Where a purchase order stands in the ERP, in hub vocabulary (connectors map their own codes to these). */
export type ErpPurchaseOrderStatus =
  | 'Entered'
  | 'Approved'
  | 'Acknowledged'
  | 'InTransit'
  | 'PartiallyReceived'
  | 'Received'
  | 'Invoiced'
  | 'Closed'
  | 'Cancelled';

/** The supplier's answer the ERP holds for a purchase order line. */
export type ErpLineAcknowledgment = 'accepted' | 'changed' | 'backordered' | 'rejected';

/** One purchase order line as the ERP holds it; quantities are decimal strings in the line's unit. */
export interface ErpPurchaseOrderLine {
  lineNumber: number;
  sku: string;
  supplierPartNumber?: string | undefined;
  unit: string;
  quantityOrdered: string;
  quantityCancelled: string;
  /** Shipped by the supplier per ship notice and not received yet. */
  quantityInTransit: string;
  quantityReceived: string;
  /** On supplier invoices that are not disputed. */
  quantityInvoiced: string;
  /** Decimal string in the order currency. */
  unitPrice: string;
  /** Warehouse receiving the line. */
  warehouseId: string;
  requestedDate?: string | undefined;
  /** Date the supplier committed to. */
  promisedDate?: string | undefined;
  /** Expected delivery of what is in transit. */
  expectedDate?: string | undefined;
  acknowledgment?: ErpLineAcknowledgment | undefined;
}

/** A purchase order as the ERP holds it: its state and quantities, plus the order as a canonical document to publish. */
export interface ErpPurchaseOrder {
  /** The ERP's purchase order number (also `purchaseOrder.poNumber`). */
  poNumber: string;
  status: ErpPurchaseOrderStatus;
  /** A buyer entered it, or the ERP's replenishment (reorder point, MRP) created it. */
  origin: 'buyer' | 'replenishment';
  lines: ErpPurchaseOrderLine[];
  purchaseOrder: PurchaseOrder;
  updatedAt: string;
}

/** The supplier's answer to one purchase order line, as the hub accepted it (after its tolerance check). */
export interface ErpAcknowledgmentLine {
  lineNumber: number;
  /** `accept` as ordered, `change` (quantity, price or date), `backorder` (ships later), `reject` (the ERP cancels what is open). */
  action: 'accept' | 'change' | 'backorder' | 'reject';
  /** New quantity in the line's unit. */
  quantity?: string | undefined;
  /** New unit price, decimal string in the order currency. */
  unitPrice?: string | undefined;
  /** Date the supplier committed to (YYYY-MM-DD). */
  promisedDate?: string | undefined;
  /** The supplier's note or reject reason. */
  note?: string | undefined;
}

/** A supplier ship notice as the ERP recorded it: in-transit supply on the purchase order lines it names. */
export interface ErpExpectedReceipt {
  /** The supplier's ship notice number. */
  asnNumber: string;
  /** The ERP's number of the expected receipt. */
  erpNumber: string;
  status: 'InTransit' | 'Received' | 'Cancelled';
  expectedDate: string;
  poNumbers: string[];
}

/** Goods received against a purchase order as the ERP recorded them. */
export interface ErpPurchaseReceipt {
  /** The hub's receipt reference (the idempotency key). */
  reference: string;
  erpReceiptNumber: string;
  poNumber: string;
  receipt: Receipt;
}

/** The hub's 3-way match outcome as the ERP holds it: not decided yet, approved for payment, or on hold as disputed. */
export type ErpInvoiceMatchStatus = 'Pending' | 'Approved' | 'Disputed';

/** A supplier invoice as the ERP recorded it (an AP voucher). */
export interface ErpSupplierInvoice {
  /** The supplier's invoice number. */
  invoiceNumber: string;
  /** The ERP's voucher number. */
  erpVoucherNumber: string;
  matchStatus: ErpInvoiceMatchStatus;
  disputeReason?: string | undefined;
  poNumbers: string[];
  /** The payable invoice as a canonical document (its id is the hub's when the hub recorded it). */
  invoice: Invoice;
}

/**
 * Purchasing in the ERP (procure-to-pay): suppliers, purchase orders to publish, and the supplier's side written back
 * (acknowledgments, ship notices as expected receipts, receipts, supplier invoices with the hub's match decision).
 * Purchase order changes, receipts and supplier invoices also arrive on the ERP change feed.
 * @example
 * const { record, duplicate } = await erp.erpPurchasing.recordSupplierInvoice(ctx, invoice);
 * await erp.erpPurchasing.setInvoiceMatchDecision(ctx, invoice.id, 'disputed', 'unit price 4.10 over PO price 3.95');
 */
export interface ErpPurchasing {
  /** Suppliers as canonical parties (`kind: 'supplier'`). */
  listSuppliers(ctx: TenantContext, page?: PageRequest): Promise<Page<Party>>;
  /** Purchase orders, oldest first. */
  listPurchaseOrders(ctx: TenantContext, page?: PageRequest): Promise<Page<ErpPurchaseOrder>>;
  /** One purchase order by its ERP number; null when there is none. */
  findPurchaseOrder(ctx: TenantContext, poNumber: string): Promise<ErpPurchaseOrder | null>;
  /** Writes the supplier's acknowledgment (per line) into the ERP's purchase order; applying the same answer again changes nothing. */
  applyAcknowledgment(ctx: TenantContext, poNumber: string, lines: ErpAcknowledgmentLine[]): Promise<ErpPurchaseOrder>;
  /** Records a ship notice as expected receipts; idempotent on the supplier and its ship notice number (`replace` and `cancel` purposes apply). */
  recordExpectedReceipt(ctx: TenantContext, asn: AdvanceShipNotice): Promise<IdempotentResult<ErpExpectedReceipt>>;
  /** Records goods received (stock goes up at the warehouse); idempotent on `reference`. Over-receipt is refused. */
  recordReceipt(ctx: TenantContext, receipt: Receipt, reference: string): Promise<IdempotentResult<ErpPurchaseReceipt>>;
  /** Records a payable invoice; an invoice number the supplier already used returns the recorded one with `duplicate: true`. */
  recordSupplierInvoice(ctx: TenantContext, invoice: Invoice): Promise<IdempotentResult<ErpSupplierInvoice>>;
  /**
   * Stores the hub's match decision on a recorded supplier invoice (by the hub's invoice id or the ERP's voucher
   * number): approved for payment, or on hold as disputed with the reason.
   */
  setInvoiceMatchDecision(ctx: TenantContext, invoiceRef: string, decision: 'approved' | 'disputed', reason?: string): Promise<ErpSupplierInvoice>;
}
