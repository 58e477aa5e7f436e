/** The Tryton purchasing records the connector reads, assembled by the client from several models. */

import type { TrytonPartyRecord } from './tryton-records.js';

/** Supplier acknowledgment states kept in a `purchase.line` note (Tryton 6.0 has no field for them). */
export type TrytonAckState = 'accepted' | 'changed' | 'backordered' | 'rejected';

/** One incoming `stock.move` of a purchase line (from the supplier location), with its shipment's state. */
export interface TrytonIncomingMove {
  id: number;
  quantity: number;
  state: string;
  /** `planned_date` as `YYYY-MM-DD`. */
  plannedDate?: string | undefined;
  /** The `stock.shipment.in` it is on, if any. */
  shipmentId?: number | undefined;
  /** That shipment's `state` (`draft` = announced by the supplier and on its way, `received`, `done`, `cancelled`). */
  shipmentState?: string | undefined;
  /** That shipment's `planned_date`. */
  shipmentPlannedDate?: string | undefined;
  /** In the line's `moves_recreated` (replaced by a new move after an exception): not counted. */
  recreated: boolean;
}

/** A `purchase.line` of type `line` with its product, supplier part number, moves and invoiced quantity. */
export interface TrytonPurchaseLineRecord {
  id: number;
  /** 1… in (`sequence`, id) order among product lines. */
  lineNumber: number;
  productId: number;
  sku: string;
  description: string | null;
  /** `purchase.product_supplier.code` of the purchase's party for this product. */
  supplierPartNumber?: string | undefined;
  quantity: number;
  unitSymbol: string;
  unitPrice: unknown;
  /** The date the buyer asked for (`YYYY-MM-DD`): `delivery_date_store` when edited, the purchase's `delivery_date`, or `purchase_date` + the product supplier's `lead_time`. */
  deliveryDate?: string | undefined;
  note: string | null;
  moves: TrytonIncomingMove[];
  /** Quantity on the supplier's recorded invoices (those with a `reference`) that are not cancelled or disputed. */
  invoiced: number;
}

/** A `purchase.purchase` with its party, warehouse and product lines. */
export interface TrytonPurchaseRecord {
  id: number;
  number: string | null;
  reference: string | null;
  state: 'draft' | 'quotation' | 'confirmed' | 'processing' | 'done' | 'cancelled';
  shipment_state: string;
  invoice_state: string;
  party: number;
  partyName: string;
  currency: string;
  purchaseDate?: string | undefined;
  paymentTermName?: string | null | undefined;
  warehouseCode: string | null;
  warehouseName: string | null;
  /** The warehouse's address (else the company's). */
  shipToAddress?: TrytonPartyRecord['address'];
  companyName: string;
  description: string | null;
  comment: string | null;
  untaxed_amount: unknown;
  tax_amount: unknown;
  total_amount: unknown;
  /** Made from purchase requests (`purchase.request`, e.g. the stock_supply reorder points), not by a buyer. */
  fromRequests: boolean;
  /** Recorded supplier invoices of the purchase: some disputed, all posted (approved for payment). */
  invoices: { disputed: boolean; approved: boolean; count: number };
  create_date: unknown;
  write_date: unknown;
  lines: TrytonPurchaseLineRecord[];
}

/** A supplier `account.invoice` (type `in`) with the purchase lines it bills. */
export interface TrytonSupplierInvoiceRecord {
  id: number;
  number: string | null;
  /** The supplier's invoice number. */
  reference: string | null;
  /** The hub's invoice id when the hub recorded it. */
  description: string | null;
  comment: string | null;
  state: string;
  invoice_date: unknown;
  currency: string;
  party: number;
  partyCode: string | null;
  partyName: string;
  partyAddress?: TrytonPartyRecord['address'];
  paymentTermName?: string | null | undefined;
  companyName: string;
  companyAddress?: TrytonPartyRecord['address'];
  untaxed_amount: unknown;
  tax_amount: unknown;
  total_amount: unknown;
  amount_to_pay: unknown;
  dueDate?: string | undefined;
  create_date: unknown;
  write_date: unknown;
  lines: Array<{ id: number; type: string; sku: string | null; description: string | null; quantity: number | null; unitSymbol: string | null; unit_price: unknown; amount: unknown; poNumber?: string | undefined; purchaseId?: number | undefined; orderLineNumber?: number | undefined }>;
}

/** Goods of one purchase received on one `stock.shipment.in`. */
export interface TrytonReceiptRecord {
  shipmentId: number;
  shipmentNumber: string | null;
  /** The supplier's ship notice number (`reference`). */
  asnNumber: string | null;
  supplier: number;
  /** The hub's receipt reference, when the hub recorded it. */
  hubReference?: string | undefined;
  /** The hub's ship notice id, when the hub recorded the ship notice. */
  hubAsnId?: string | undefined;
  warehouseCode: string | null;
  effectiveDate?: string | undefined;
  write_date: unknown;
  purchaseId: number;
  poNumber: string;
  lines: Array<{ lineNumber: number; sku: string; quantity: number; unitSymbol: string }>;
}
