/**
 * Persistence ports of the procure-to-pay process: the purchase order read model (revision, lines, acknowledgment
 * state), acknowledgments, ship notices, supplier invoices with their 3-way match, exceptions with their audit
 * history, supplier tolerance profiles and item availability, the inbound supply of availability-to-promise, the
 * scorecard facts and the links between customer order lines and the supply their promise rests on. Implemented by
 * @tradelane/store; every repository is bound to one open transaction so a change and its outbox events commit together.
 */
import type { TenantContext } from '../context.js';
import type { TransactionRunner } from './transaction.ports.js';
import type { OrderToCashTx } from './order-to-cash-process.ports.js';
import type { ResultPage } from './order-to-cash.ports.js';
import type {
  AcknowledgmentResult,
  AcknowledgmentSubmission,
  AsnView,
  ExceptionQuery,
  ExceptionView,
  PurchaseOrderQuery,
  SupplierInvoiceSubmission,
  SupplierInvoiceView,
  SupplierItemView,
  SupplierPurchaseOrderView,
} from './procure-to-pay.ports.js';

/** A purchase order as the process keeps it: the supplier's view plus what the process needs behind it. */
export interface StoredPurchaseOrder {
  /** The hub's id (`po_…`), also `view.id`. */
  id: string;
  poNumber: string;
  /** The supplier (party id). */
  supplierId: string;
  /** Warehouse (branch) the goods go to. */
  warehouseId: string;
  /** The ERP's own revision of the order; a higher one means the buyer changed it in the ERP. */
  erpRevision: number;
  /** When the current revision was published to the supplier (RFC 3339). */
  publishedAt?: string | undefined;
  /** When the first acknowledgment of any revision arrived (RFC 3339). */
  firstAcknowledgedAt?: string | undefined;
  /** When the acknowledgment reminder is due, and whether it went out for the current revision. */
  reminderAt?: string | undefined;
  reminderSent?: boolean | undefined;
  /** Per line, the quantity announced on ship notices so far. */
  shipped: Record<string, string>;
  /** The ERP's status of the order (hub vocabulary of the purchasing capability). */
  erpStatus: string;
  /** An acknowledgment of the current revision waits for a buyer's decision. */
  inException?: boolean | undefined;
  /** A missing acknowledgment was raised as an exception for the current revision. */
  ackMissingRaised?: boolean | undefined;
  /** Where the supplier's invoicing stands: `Invoiced` (waiting), `Matched` or `Disputed`. */
  invoiceState?: 'Invoiced' | 'Matched' | 'Disputed' | undefined;
  /** Buyer counter-proposals published on top of the ERP's revision. */
  counters: number;
  /** Per line, the expected delivery date of the latest ship notice naming it (YYYY-MM-DD). */
  asnDates?: Record<string, string> | undefined;
  view: SupplierPurchaseOrderView;
}

/** An acknowledgment as the process keeps it. */
export interface StoredAcknowledgment {
  id: string;
  purchaseOrderId: string;
  supplierId: string;
  revision: number;
  acknowledgmentNumber?: string | undefined;
  /** Digest of the submission's content, to spot a repeated message without a number. */
  contentHash: string;
  submission: AcknowledgmentSubmission;
  result: AcknowledgmentResult;
}

/** A ship notice as the process keeps it. */
export interface StoredAsn {
  id: string;
  supplierId: string;
  view: AsnView;
  /** References of the receipts already counted against it. */
  receiptRefs: string[];
}

/** A supplier invoice as the process keeps it. */
export interface StoredSupplierInvoice {
  id: string;
  supplierId: string;
  purchaseOrderId: string;
  submission: SupplierInvoiceSubmission;
  view: SupplierInvoiceView;
  /** True once a match decision was made (the first one counts for the scorecard). */
  decided: boolean;
}

/** An exception as the process keeps it: the view plus the data its actions need. */
export interface StoredException {
  view: ExceptionView;
  /** What resolving it needs (the acknowledgment, the supplier's lines, the invoice…). */
  context: Record<string, unknown>;
}

/** A supplier's tolerance profile: how far an acknowledgment, ship notice or invoice may stray without a person. */
export interface ToleranceProfile {
  /** Quantity below ordered accepted without a buyer, percent. */
  quantityUnderPct: number;
  /** Quantity above ordered accepted without a buyer, percent. */
  quantityOverPct: number;
  /** Unit price difference accepted, percent of the PO price. */
  pricePct: number;
  /** Unit price difference accepted, absolute (decimal string in the order currency); the tighter of both applies. */
  priceAbs: string;
  /** Promised date earlier or later than requested accepted, days. */
  dateEarlyDays: number;
  dateLateDays: number;
  /** Whether the supplier may offer another SKU instead. */
  substitutionsAllowed: boolean;
  /** Hours after publication when a reminder goes out, and when a missing acknowledgment becomes an exception. */
  ackReminderHours: number;
  ackDueHours: number;
  /** Channel the supplier receives purchase orders on: `api` (it reads them), or the name of an outbound channel. */
  channel: string;
}

/** Supply expected into a warehouse from one purchase order line (the inbound part of availability-to-promise). */
export interface InboundSupply {
  purchaseOrderId: string;
  poNumber: string;
  lineNumber: number;
  supplierId: string;
  sku: string;
  warehouseId: string;
  /** Still to arrive: committed quantity minus received, in the line's unit. */
  quantity: string;
  unit: string;
  /** Expected arrival date (YYYY-MM-DD): ship notice date, else promised, else requested. */
  expectedDate: string;
  /** `ordered` (not acknowledged), `acknowledged`, `shipped` (on a ship notice). */
  confidence: 'ordered' | 'acknowledged' | 'shipped';
}

/** A customer order line waiting for inbound supply, as the order-to-cash read model holds it. */
export interface BackorderedLine {
  orderId: string;
  partnerId: string;
  lineNumber: number;
  sku: string;
  quantityBackordered: string;
  unit: string;
  promisedDate?: string | undefined;
  orderedAt: string;
}

/** Which supply a customer order line's promise rests on, and whether its miss was raised. */
export interface PromiseLink {
  orderId: string;
  partnerId: string;
  lineNumber: number;
  sku: string;
  promisedDate: string;
  /** `poNumber:lineNumber` of the supply, or `supplier` for the supplier's stated availability. */
  supplyKey: string;
  /** The promised date whose miss was raised as an exception, if any. */
  missedRaisedFor?: string | undefined;
}

/** A fact the scorecard is computed from. */
export interface ScorecardFact {
  supplierId: string;
  /** `published` (ordered quantity), `acknowledged` (latency hours), `asn` (on time, quantities), `invoice` (first-pass match). */
  kind: 'published' | 'acknowledged' | 'asn' | 'invoice';
  /** Makes the fact land once. */
  key: string;
  at: string;
  value: Record<string, unknown>;
}

/** Purchase orders read model. Every method adds the tenant predicate from `ctx`. */
export interface PurchaseOrderRepo {
  /** By the hub's id or the ERP's number; `forUpdate` locks it until the transaction ends. */
  get(ctx: TenantContext, idOrNumber: string, options?: { forUpdate?: boolean }): Promise<StoredPurchaseOrder | undefined>;
  upsert(ctx: TenantContext, po: StoredPurchaseOrder): Promise<void>;
  /** A supplier's orders, oldest change first (ordered by last change, then id). */
  list(ctx: TenantContext, supplierId: string, query: PurchaseOrderQuery): Promise<ResultPage<SupplierPurchaseOrderView>>;
  /** Orders awaiting an acknowledgment whose reminder or due time is at or before `now`. */
  listAwaitingAcknowledgment(ctx: TenantContext, now: Date, limit: number): Promise<StoredPurchaseOrder[]>;
}

/** Acknowledgments received. */
export interface AcknowledgmentRepo {
  insert(ctx: TenantContext, ack: StoredAcknowledgment): Promise<void>;
  save(ctx: TenantContext, ack: StoredAcknowledgment): Promise<void>;
  get(ctx: TenantContext, id: string): Promise<StoredAcknowledgment | undefined>;
  /** A repeated message: the same acknowledgment number, or the same content for the same revision. */
  findDuplicate(ctx: TenantContext, purchaseOrderId: string, match: { acknowledgmentNumber?: string | undefined; revision: number; contentHash: string }): Promise<StoredAcknowledgment | undefined>;
}

/** Ship notices received. */
export interface AsnRepo {
  insert(ctx: TenantContext, asn: StoredAsn): Promise<void>;
  save(ctx: TenantContext, asn: StoredAsn): Promise<void>;
  get(ctx: TenantContext, id: string, options?: { forUpdate?: boolean }): Promise<StoredAsn | undefined>;
  findByNumber(ctx: TenantContext, supplierId: string, asnNumber: string): Promise<StoredAsn | undefined>;
  /** Ship notices naming a purchase order. */
  listByPurchaseOrder(ctx: TenantContext, poNumber: string): Promise<StoredAsn[]>;
}

/** Supplier invoices received. */
export interface SupplierInvoiceRepo {
  insert(ctx: TenantContext, invoice: StoredSupplierInvoice): Promise<void>;
  save(ctx: TenantContext, invoice: StoredSupplierInvoice): Promise<void>;
  get(ctx: TenantContext, id: string, options?: { forUpdate?: boolean }): Promise<StoredSupplierInvoice | undefined>;
  findByNumber(ctx: TenantContext, supplierId: string, invoiceNumber: string): Promise<StoredSupplierInvoice | undefined>;
  /** Invoices of a purchase order still waiting for the goods. */
  listWaiting(ctx: TenantContext, purchaseOrderId: string): Promise<StoredSupplierInvoice[]>;
}

/** Exceptions and their audit history. */
export interface ExceptionRepo {
  insert(ctx: TenantContext, exception: StoredException): Promise<void>;
  save(ctx: TenantContext, exception: StoredException): Promise<void>;
  get(ctx: TenantContext, id: string, options?: { forUpdate?: boolean }): Promise<StoredException | undefined>;
  /** Filtered listing, oldest first; `now` decides the SLA state. */
  list(ctx: TenantContext, query: ExceptionQuery, now: Date): Promise<ResultPage<ExceptionView>>;
  /** Unresolved exceptions of a type about one subject. */
  findOpen(ctx: TenantContext, type: ExceptionView['type'], subjectId: string): Promise<StoredException[]>;
}

/** Supplier tolerance profile overrides set at run time, and supplier item availability. */
export interface SupplierProfileRepo {
  getTolerance(ctx: TenantContext, supplierId: string): Promise<Partial<ToleranceProfile> | undefined>;
  putTolerance(ctx: TenantContext, supplierId: string, profile: Partial<ToleranceProfile>): Promise<void>;
  putItem(ctx: TenantContext, supplierId: string, item: SupplierItemView): Promise<void>;
  getItem(ctx: TenantContext, supplierId: string, sku: string): Promise<SupplierItemView | undefined>;
  /** Every supplier's statement about one SKU. */
  itemsBySku(ctx: TenantContext, sku: string): Promise<Array<SupplierItemView & { supplierId: string }>>;
}

/** Inbound supply (availability-to-promise) and the promise links of customer order lines. */
export interface SupplyRepo {
  /** Replaces the supply of one purchase order line; a zero quantity removes it. */
  putInbound(ctx: TenantContext, supply: InboundSupply): Promise<void>;
  /** Open inbound supply of a SKU, earliest expected first (then PO number and line). */
  inboundOf(ctx: TenantContext, sku: string): Promise<InboundSupply[]>;
  /** Open inbound supply of one purchase order's lines, by line number. */
  inboundOfPurchaseOrder(ctx: TenantContext, purchaseOrderId: string): Promise<InboundSupply[]>;
  /** Backordered customer order lines of a SKU, oldest order first (from the order-to-cash read model). */
  backorderedLines(ctx: TenantContext, sku: string): Promise<BackorderedLine[]>;
  putPromise(ctx: TenantContext, link: PromiseLink): Promise<void>;
  getPromise(ctx: TenantContext, orderId: string, lineNumber: number): Promise<PromiseLink | undefined>;
  /** Links whose promised date is before `today` (YYYY-MM-DD) and whose miss was not raised for that date. */
  listPromisesDue(ctx: TenantContext, today: string, limit: number): Promise<PromiseLink[]>;
  deletePromise(ctx: TenantContext, orderId: string, lineNumber: number): Promise<void>;
}

/** Scorecard facts. */
export interface ScorecardRepo {
  /** Records a fact once per key; resolves false when the key was recorded before. */
  record(ctx: TenantContext, fact: ScorecardFact): Promise<boolean>;
  list(ctx: TenantContext, supplierId: string, period: { from: string; to: string }): Promise<ScorecardFact[]>;
}

/** The procure-to-pay repositories bound to one transaction. */
export interface ProcureToPayRepos {
  readonly purchaseOrders: PurchaseOrderRepo;
  readonly acknowledgments: AcknowledgmentRepo;
  readonly asns: AsnRepo;
  readonly invoices: SupplierInvoiceRepo;
  readonly exceptions: ExceptionRepo;
  readonly suppliers: SupplierProfileRepo;
  readonly supply: SupplyRepo;
  readonly scorecard: ScorecardRepo;
}

/**
 * A transaction as procure-to-pay consumers and commands see it: everything order-to-cash has (inbox, outbox, the
 * order-to-cash repositories, so impact propagation updates customer orders in the same transaction) plus the
 * procure-to-pay repositories.
 */
export interface ProcureToPayTx extends OrderToCashTx {
  readonly procureToPay: ProcureToPayRepos;
}

/** Runs procure-to-pay work in one transaction; it also serves order-to-cash consumers (its tx is a superset). */
export type ProcureToPayTransactionRunner = TransactionRunner<ProcureToPayTx>;
