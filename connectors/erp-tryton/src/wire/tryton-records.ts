/** The Tryton records the connector reads, as `read` returns them (dotted names are related fields). */

/** `party.party` with its first `party.address` and contact mechanisms flattened. */
export interface TrytonPartyRecord {
  id: number;
  code: string | null;
  name: string;
  active: boolean;
  receivable?: unknown;
  'customer_payment_term.name'?: string | null;
  create_date: unknown;
  write_date: unknown;
  address?: { street: string | null; city: string | null; postal_code: string | null; country_code: string | null; subdivision_code?: string | null } | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** `product.product` with its template's fields. */
export interface TrytonProductRecord {
  id: number;
  code: string | null;
  name: string;
  active: boolean;
  type: string;
  salable?: boolean;
  purchasable?: boolean;
  list_price?: unknown;
  'default_uom.symbol': string;
  'sale_uom.symbol'?: string | null;
  'purchase_uom.symbol'?: string | null;
  create_date: unknown;
  write_date: unknown;
}

/** `sale.line` fields the connector reads. */
export interface TrytonSaleLineRecord {
  id: number;
  sequence: number | null;
  type: string;
  'product.code'?: string | null;
  quantity: number | null;
  'unit.symbol'?: string | null;
  unit_price?: unknown;
  /** Shipped quantity summed from done outgoing moves (computed by the client). */
  shipped?: number;
  /** Quantity on moves that are assigned (reserved) but not done. */
  assigned?: number;
}

/** `sale.sale` fields the connector reads. */
export interface TrytonSaleRecord {
  id: number;
  number: string | null;
  reference: string | null;
  state: 'draft' | 'quotation' | 'confirmed' | 'processing' | 'done' | 'cancelled';
  shipment_state: 'none' | 'waiting' | 'partially shipped' | 'sent' | 'exception';
  invoice_state: 'none' | 'waiting' | 'partially paid' | 'paid' | 'exception';
  total_amount?: unknown;
  'warehouse.code'?: string | null;
  create_date: unknown;
  write_date: unknown;
  lines: TrytonSaleLineRecord[];
}

/** `account.invoice` (customer invoice) with its lines, address, due date and the sale reference it bills. */
export interface TrytonInvoiceRecord {
  id: number;
  number: string | null;
  state: string;
  invoice_date: unknown;
  'currency.code': string | null;
  party: number;
  'party.code': string | null;
  'party.name': string;
  'payment_term.name'?: string | null;
  untaxed_amount: unknown;
  tax_amount: unknown;
  total_amount: unknown;
  amount_to_pay: unknown;
  create_date: unknown;
  write_date: unknown;
  /** Earliest maturity date of the receivable move lines. */
  dueDate?: string | undefined;
  address?: TrytonPartyRecord['address'];
  /** `reference` of the sale its lines come from (the hub's order id), when it bills one. */
  saleReference?: string | null | undefined;
  lines: Array<{ id: number; type: string; 'product.code': string | null; description: string | null; quantity: number | null; 'unit.symbol': string | null; unit_price: unknown; amount: unknown }>;
}

/**
 * A payment line of a customer invoice (`account.invoice-account.move.line`, the invoice's `payment_lines`) with the
 * move line it names and the invoice it pays.
 */
export interface TrytonPaymentRecord {
  /** Id of the `account.invoice-account.move.line` row. */
  id: number;
  /** The `account.move.line` (on the receivable account) that pays. */
  lineId: number;
  invoiceId: number;
  invoiceNumber: string | null;
  /** The invoice's party (the customer). */
  party: number;
  /** Currency of the invoice. */
  currency: string;
  /** `credit` − `debit` of the line (positive: money received), or its `amount_second_currency` in another currency. */
  amount: string;
  /** `date` of the line (the payment date). */
  date: unknown;
  /** `number` of the line's move (the payment's journal entry), when posted. */
  moveNumber: string | null;
  /** `description` of the move or of the line. */
  description: string | null;
  /** Name of the move's journal. */
  journalName: string | null;
  create_date: unknown;
  write_date: unknown;
}
