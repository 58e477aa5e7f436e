import { addDecimal, compareDecimal, eventCatalog, isEventType, makeEvent, newId, subtractDecimal, totalOf as documentTotalOf } from '@tradelane/canonical';
import type { ErpAcknowledgmentLine, ErpPurchaseOrder, InboundNotice } from '@tradelane/connector-kit';
import type { AdvanceShipNotice, Channel, Invoice, PurchaseOrder, PurchaseOrderLineStatus, PurchaseOrderState, Receipt } from '@tradelane/canonical';
import type {
  Clock,
  ExceptionAuditEntry,
  ExceptionOwnerRole,
  ExceptionView,
  ProcureToPayTx,
  PurchaseOrderLineView,
  PurchaseOrderStatus,
  StoredException,
  StoredPurchaseOrder,
  StoredSupplierInvoice,
  SupplierInvoiceView,
  SupplierPurchaseOrderView,
  TenantContext,
  ToleranceProfile,
} from '@tradelane/core';
import { addDays, matchLine, resolveTolerance, type ToleranceConfig } from './tolerance.js';

/** Source of every event procure-to-pay writes. */
export const P2P_SOURCE = '/tradelane/procure-to-pay';

/**
 * Events procure-to-pay writes to the outbox. Types in the canonical event catalog (`purchase_order.*`,
 * `asn.received`, `sales_order.repromised`) carry exactly their catalog payload and are validated against it when
 * written; the others (`supplier_invoice.*`, `procure_to_pay_exception.*`, `procure_to_pay.erp_requested`) are
 * internal to the hub.
 */
export const p2pEventTypes = {
  /** A purchase order revision for the supplier (on its channel). Catalog: `{ purchaseOrder, channel }`. */
  published: 'purchase_order.published',
  /** The supplier has not acknowledged yet; its reminder time passed. Catalog. */
  ackReminder: 'purchase_order.ack_reminded',
  /** The supplier's acknowledgment was accepted (inside tolerance, or a buyer accepted the change). Catalog: `{ purchaseOrder, acknowledgment, withinTolerance }`. */
  acknowledged: 'purchase_order.acknowledged',
  /** A buyer rejected the supplier's change: the order stands as ordered and awaits a new acknowledgment. Catalog. */
  changeRejected: 'purchase_order.change_rejected',
  /** A ship notice was accepted. Catalog: `{ asn }` (the canonical ship notice). */
  asnReceived: 'asn.received',
  /** Internal: a supplier invoice matched (or a variance was approved): approved for payment. */
  invoiceApproved: 'supplier_invoice.approved',
  /** Internal: a supplier invoice did not match and went to finance. */
  invoiceDisputed: 'supplier_invoice.disputed',
  /** Internal: finance rejected a disputed supplier invoice. */
  invoiceRejected: 'supplier_invoice.rejected',
  /** A customer order line's promised date changed because its supply moved. Catalog. */
  repromised: 'sales_order.repromised',
  /** Internal: an exception was opened on the procure-to-pay desk. */
  exceptionOpened: 'procure_to_pay_exception.opened',
  /** Internal: an exception on the procure-to-pay desk was resolved. */
  exceptionResolved: 'procure_to_pay_exception.resolved',
  /** Internal: a write to the ERP (and warehouse) the process needs, done by the `procure-to-pay-erp` consumer. */
  erpRequested: 'procure_to_pay.erp_requested',
} as const;

/** A write to the ERP or the warehouse, queued in the outbox with the state change that needs it. */
export type ErpRequest =
  | { op: 'ack'; poNumber: string; lines: ErpAcknowledgmentLine[] }
  | { op: 'asn'; poNumbers: string[]; asn: AdvanceShipNotice; notice: InboundNotice }
  | { op: 'receipt'; poNumber: string; receipt: Receipt; reference: string }
  | { op: 'invoice'; poNumber: string; invoice: Invoice; decision?: 'approved' | 'disputed' | undefined; reason?: string | undefined }
  | { op: 'decision'; poNumber: string; invoiceId: string; decision: 'approved' | 'disputed'; reason?: string | undefined };

/** Settings shared by the parts of the process. */
export interface P2pSettings {
  clock: Clock;
  tolerances?: ToleranceConfig | undefined;
  /** Hours an exception of each owner role may stay open. */
  exceptionSlaHours: Record<ExceptionOwnerRole, number>;
}

/**
 * Writes one event to the outbox in the current transaction. A cataloged type takes its catalog version and its
 * payload is checked against the catalog schema (a TypeError listing the issues when it does not conform);
 * `partnerId` (the supplier or customer the event concerns) becomes the envelope's `partnerid`.
 */
export async function emit(
  ctx: TenantContext,
  tx: ProcureToPayTx,
  settings: P2pSettings,
  type: string,
  subject: string,
  data: unknown,
  aggregate?: { type: string; id: string },
  partnerId?: string,
): Promise<void> {
  let dataVersion = 1;
  if (isEventType(type)) {
    const entry = eventCatalog[type];
    const parsed = entry.schema.safeParse(data);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `data.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
      throw new TypeError(`invalid ${type} payload: ${detail}`);
    }
    dataVersion = entry.version;
  }
  const envelope = makeEvent({
    type,
    source: P2P_SOURCE,
    tenantId: ctx.tenantId,
    subject,
    data,
    dataVersion,
    correlationId: ctx.correlationId,
    time: settings.clock.now().toISOString(),
    ...(partnerId !== undefined ? { partnerId } : {}),
  });
  await tx.outbox.append(ctx, { envelope, aggregateType: aggregate?.type ?? 'purchase_order', aggregateId: aggregate?.id ?? subject });
}

/** Queues a write to the ERP, ordered with the other writes of the same purchase order. */
export async function requestErp(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, request: ErpRequest): Promise<void> {
  const po = request.op === 'asn' ? request.poNumbers[0]! : request.poNumber;
  await emit(ctx, tx, settings, p2pEventTypes.erpRequested, po, request, { type: 'erp_purchase_order', id: po });
}

/** The profile of a supplier (stored override on top of configuration). */
export async function toleranceOf(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, supplierId: string): Promise<ToleranceProfile> {
  return resolveTolerance(settings.tolerances, supplierId, await tx.procureToPay.suppliers.getTolerance(ctx, supplierId));
}

/** Who acts, as the audit history records it. */
export function actorOf(ctx: TenantContext): string {
  return ctx.actor.kind === 'system' ? `system:${ctx.actor.id}` : ctx.actor.id;
}

/** Opens an exception (with its first audit entry) and writes `procure_to_pay_exception.opened`. */
export async function openException(
  ctx: TenantContext,
  tx: ProcureToPayTx,
  settings: P2pSettings,
  input: Pick<ExceptionView, 'type' | 'ownerRole' | 'subject' | 'summary' | 'evidence' | 'actions'> & { supplierId?: string | undefined; customerId?: string | undefined; context: Record<string, unknown> },
): Promise<ExceptionView> {
  const now = settings.clock.now();
  const at = now.toISOString();
  const view: ExceptionView = {
    id: newId('exc', now.getTime()),
    type: input.type,
    ownerRole: input.ownerRole,
    status: 'Open',
    subject: input.subject,
    ...(input.supplierId ? { supplierId: input.supplierId } : {}),
    ...(input.customerId ? { customerId: input.customerId } : {}),
    summary: input.summary,
    evidence: input.evidence,
    actions: input.actions,
    sla: { dueAt: new Date(now.getTime() + settings.exceptionSlaHours[input.ownerRole] * 3_600_000).toISOString(), state: 'ok' },
    createdAt: at,
    history: [{ at, actor: actorOf(ctx), action: 'opened', note: input.summary }],
  };
  await tx.procureToPay.exceptions.insert(ctx, { view, context: input.context });
  await emit(ctx, tx, settings, p2pEventTypes.exceptionOpened, view.id, { exception: view }, { type: 'exception', id: view.id });
  return view;
}

/** Resolves an exception: status, resolution and the audit entry; writes `procure_to_pay_exception.resolved`. */
export async function closeException(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, stored: StoredException, action: string, note?: string): Promise<ExceptionView> {
  const at = settings.clock.now().toISOString();
  const by = actorOf(ctx);
  const entry: ExceptionAuditEntry = { at, actor: by, action, ...(note ? { note } : {}) };
  const view: ExceptionView = {
    ...stored.view,
    status: 'Resolved',
    resolvedAt: at,
    resolution: { action, by, ...(note ? { note } : {}) },
    history: [...stored.view.history, entry],
  };
  await tx.procureToPay.exceptions.save(ctx, { ...stored, view });
  await emit(ctx, tx, settings, p2pEventTypes.exceptionResolved, view.id, { exception: view }, { type: 'exception', id: view.id });
  return view;
}

const LINE_STATUS: Record<string, string> = {
  Open: 'Open',
  Acknowledged: 'Acknowledged',
  Changed: 'Acknowledged',
  Backordered: 'Backordered',
  Rejected: 'Rejected',
  Cancelled: 'Cancelled',
  Shipped: 'Shipped',
  PartiallyReceived: 'Shipped',
  Received: 'Received',
  Closed: 'Received',
};

/** Where a purchase order stands for the supplier, from the ERP's status and the hub's own facts. */
export function statusOf(po: StoredPurchaseOrder): PurchaseOrderStatus {
  const lines = po.view.lines;
  if (po.erpStatus === 'Cancelled') return lines.some((l) => l.status === 'Rejected') && lines.every((l) => l.status === 'Rejected' || l.status === 'Cancelled') ? 'Rejected' : 'Cancelled';
  if (po.erpStatus === 'Closed') return 'Closed';
  if (po.invoiceState === 'Matched') return 'Matched';
  if (po.invoiceState === 'Disputed') return 'Disputed';
  if (po.invoiceState === 'Invoiced' || po.erpStatus === 'Invoiced') return 'Invoiced';
  if (po.erpStatus === 'Received') return 'Received';
  if (po.erpStatus === 'PartiallyReceived') return 'PartiallyReceived';
  if (po.inException) return 'InException';
  if (po.view.awaitingAcknowledgment) return po.view.revision > 0 ? 'Changed' : 'New';
  if (po.erpStatus === 'InTransit' || lines.some((l) => compareDecimal(l.quantityShipped, '0') > 0)) return 'Shipped';
  return 'Acknowledged';
}

/** The supplier's view of the ERP's purchase order lines, keeping what the hub knows that the ERP does not. */
export function linesFromErp(erp: ErpPurchaseOrder, previous: StoredPurchaseOrder | undefined): PurchaseOrderLineView[] {
  const currency = erp.purchaseOrder.currency;
  return erp.lines.map((l) => {
    const canonical = erp.purchaseOrder.lines.find((c) => c.lineNumber === l.lineNumber);
    const before = previous?.view.lines.find((p) => p.lineNumber === l.lineNumber);
    const open = subtractDecimal(l.quantityOrdered, l.quantityCancelled);
    const erpShipped = addDecimal(l.quantityInTransit, l.quantityReceived);
    const hubShipped = previous?.shipped[String(l.lineNumber)] ?? '0';
    const rejected = l.acknowledgment === 'rejected';
    return {
      lineNumber: l.lineNumber,
      sku: l.sku,
      ...(l.supplierPartNumber ? { supplierPartNumber: l.supplierPartNumber } : {}),
      ...(canonical?.description ? { description: canonical.description } : {}),
      quantity: compareDecimal(open, '0') > 0 ? open : l.quantityOrdered,
      unit: l.unit,
      unitPrice: { amount: l.unitPrice, currency },
      requestedDate: l.requestedDate ?? canonical?.requestedDate ?? erp.updatedAt.slice(0, 10),
      status: rejected ? 'Rejected' : (LINE_STATUS[canonical?.status ?? 'Open'] ?? 'Open'),
      ...(rejected ? { quantityAcknowledged: '0' } : canonical?.quantityAcknowledged !== undefined ? { quantityAcknowledged: canonical.quantityAcknowledged } : before?.quantityAcknowledged !== undefined ? { quantityAcknowledged: before.quantityAcknowledged } : {}),
      ...(l.promisedDate ? { promisedDate: l.promisedDate } : before?.promisedDate ? { promisedDate: before.promisedDate } : {}),
      quantityShipped: compareDecimal(erpShipped, hubShipped) > 0 ? erpShipped : hubShipped,
      quantityReceived: l.quantityReceived,
    };
  });
}

/** The order total from its lines. */
export function totalOf(lines: readonly PurchaseOrderLineView[], currency: string): { amount: string; currency: string } {
  let cents = 0n;
  for (const l of lines) {
    if (l.status === 'Rejected' || l.status === 'Cancelled') continue;
    const q = l.quantityAcknowledged ?? l.quantity;
    cents += BigInt(Math.round(Number(q) * Number(l.unitPrice.amount) * 100));
  }
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return { amount: `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`, currency };
}

/** Re-derives status, total and update time of a stored order after a change. */
export function touch(po: StoredPurchaseOrder, now: Date): StoredPurchaseOrder {
  const view: SupplierPurchaseOrderView = { ...po.view, total: totalOf(po.view.lines, po.view.currency), updatedAt: now.toISOString() };
  const next = { ...po, view };
  return { ...next, view: { ...view, status: statusOf(next) } };
}

/** Marks a purchase order revision published: awaiting acknowledgment, reminder and due times from the profile. */
export function markPublished(po: StoredPurchaseOrder, profile: ToleranceProfile, now: Date): StoredPurchaseOrder {
  return {
    ...po,
    publishedAt: now.toISOString(),
    reminderAt: new Date(now.getTime() + profile.ackReminderHours * 3_600_000).toISOString(),
    reminderSent: false,
    ackMissingRaised: false,
    inException: false,
    view: { ...po.view, awaitingAcknowledgment: true, acknowledgmentDueBy: new Date(now.getTime() + profile.ackDueHours * 3_600_000).toISOString() },
  };
}

/**
 * Writes `purchase_order.published` (`{ purchaseOrder, channel }`: the canonical order at the hub's revision and the
 * catalog channel the supplier receives it on) and records the publication for the scorecard. An order stored
 * without its canonical document (see {@link canonicalPurchaseOrderOf}) is recorded but not announced.
 */
export async function publish(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, po: StoredPurchaseOrder, profile: ToleranceProfile): Promise<void> {
  const channel = catalogChannelOf(profile.channel);
  const purchaseOrder = canonicalPurchaseOrderOf(po, channel);
  if (purchaseOrder) await emit(ctx, tx, settings, p2pEventTypes.published, po.id, { purchaseOrder, channel }, undefined, po.supplierId);
  const ordered = po.view.lines.reduce((sum, l) => addDecimal(sum, l.quantity), '0');
  await tx.procureToPay.scorecard.record(ctx, { supplierId: po.supplierId, kind: 'published', key: `published:${po.id}`, at: po.publishedAt ?? settings.clock.now().toISOString(), value: { purchaseOrderId: po.id, orderedQuantity: ordered } });
}

/** The canonical payable invoice the ERP records for a submission. */
export function invoiceView(inv: StoredSupplierInvoice, patch: Partial<SupplierInvoiceView>): StoredSupplierInvoice {
  return { ...inv, view: { ...inv.view, ...patch } };
}

/** The 3-way match of an invoice against the order as the read model holds it. */
export function matchInvoice(po: StoredPurchaseOrder, lines: StoredSupplierInvoice['submission']['lines'], profile: ToleranceProfile): NonNullable<SupplierInvoiceView['match']> {
  const results = lines.map((l) => {
    const line = po.view.lines.find((p) => p.lineNumber === l.lineNumber)!;
    return matchLine(line, { quantity: l.quantity, unitPrice: l.unitPrice }, profile);
  });
  const views = results.map((r) => r.view);
  if (views.some((v) => v.variances.length > 0)) return { result: 'variance', lines: views };
  if (results.some((r) => r.waiting)) return { result: 'waiting_for_receipt', lines: views };
  return { result: 'matched', lines: views };
}

/** The expected date of a purchase order line's open supply: ship notice date, else promised, else requested. */
export function supplyDate(line: PurchaseOrderLineView, asnDate: string | undefined): string {
  return asnDate ?? line.promisedDate ?? line.requestedDate;
}

/** Adds days to today's date of the clock. */
export function today(clock: Clock, plusDays = 0): string {
  return addDays(clock.now().toISOString().slice(0, 10), plusDays);
}

/** A stored purchase order with the ERP's canonical document kept beside the supplier view (in the same read-model JSON). */
export type StoredPurchaseOrderWithCanonical = StoredPurchaseOrder & {
  /** The ERP's canonical purchase order as last read; the hub's revision, lines and status are applied on top. */
  canonical?: PurchaseOrder | undefined;
};

/** Keeps the ERP's canonical purchase order with the stored order. */
export function withCanonical(po: StoredPurchaseOrder, canonical: PurchaseOrder): StoredPurchaseOrderWithCanonical {
  return { ...po, canonical };
}

/**
 * The catalog channel of a tolerance profile's channel name: `api`, `portal`, `csv`, `email`, `erp` and `manual` as
 * they are; an outbound channel name is classified by its prefix (`edi-850` → `edi`, `csv-sftp` → `csv`,
 * `mail…`/`email…` → `email`); anything else is `manual`.
 */
export function catalogChannelOf(name: string): Channel {
  const n = name.toLowerCase();
  for (const c of ['api', 'portal', 'edi', 'csv', 'email', 'erp', 'manual'] as const) if (n === c || n.startsWith(`${c}-`) || n.startsWith(`${c}_`)) return c;
  if (n.startsWith('edi') || n.startsWith('x12')) return 'edi';
  if (n.startsWith('csv')) return 'csv';
  if (n.includes('mail')) return 'email';
  return 'manual';
}

const HEADER_TO_CANONICAL: Record<PurchaseOrderStatus, PurchaseOrderState> = {
  New: 'Published',
  Changed: 'Changed',
  Acknowledged: 'Acknowledged',
  InException: 'Published',
  Rejected: 'Cancelled',
  Shipped: 'Shipped',
  PartiallyReceived: 'PartiallyReceived',
  Received: 'Received',
  Invoiced: 'Invoiced',
  Matched: 'Matched',
  Disputed: 'Disputed',
  Cancelled: 'Cancelled',
  Closed: 'Closed',
};

const LINE_TO_CANONICAL: Record<string, PurchaseOrderLineStatus> = {
  Open: 'Open',
  Acknowledged: 'Acknowledged',
  Backordered: 'Backordered',
  Rejected: 'Rejected',
  Cancelled: 'Cancelled',
  Shipped: 'Shipped',
  Received: 'Received',
};

/**
 * The canonical purchase order as the supplier has it now: the ERP's canonical document (kept with the stored order)
 * with the hub's revision (at most 999), status, per-line quantities, prices, dates and statuses, and totals
 * recomputed from the lines; `channel` replaces the ERP's channel when given. `undefined` for an order stored before
 * the canonical document was kept (it gets it with its next ERP update).
 */
export function canonicalPurchaseOrderOf(po: StoredPurchaseOrder, channel?: Channel): PurchaseOrder | undefined {
  const base = (po as StoredPurchaseOrderWithCanonical).canonical;
  if (!base) return undefined;
  const currency = base.currency;
  const lines = base.lines.map((line) => {
    const v = po.view.lines.find((x) => x.lineNumber === line.lineNumber);
    if (!v) return line;
    const { promisedDate: _promised, quantityAcknowledged: _acknowledged, ...rest } = line;
    return {
      ...rest,
      quantity: compareDecimal(v.quantity, '0') > 0 ? v.quantity : line.quantity,
      unitPrice: { amount: v.unitPrice.amount, currency },
      requestedDate: v.requestedDate,
      status: LINE_TO_CANONICAL[v.status] ?? line.status,
      ...(v.promisedDate !== undefined ? { promisedDate: v.promisedDate } : {}),
      ...(v.quantityAcknowledged !== undefined ? { quantityAcknowledged: v.quantityAcknowledged } : {}),
      quantityShipped: v.quantityShipped,
      quantityReceived: v.quantityReceived,
    };
  });
  const subtotal = totalOf(po.view.lines, currency);
  const { total: _total, ...rest } = { ...base.totals, subtotal };
  return {
    ...base,
    revision: Math.min(999, po.view.revision),
    status: HEADER_TO_CANONICAL[po.view.status] ?? base.status,
    ...(channel !== undefined ? { channel } : {}),
    lines,
    totals: { ...rest, total: documentTotalOf(rest) },
    updatedAt: po.view.updatedAt,
  };
}
