import { addDecimal, compareDecimal, roundMoney, subtractDecimal, type EventEnvelope, type Invoice, type Payment } from '@tradelane/canonical';
import type { ErpChange } from '@tradelane/connector-kit';
import { PermanentError, type InvoiceRecord, type InvoiceSettlement, type InvoiceView, type OrderToCashTx, type TenantContext } from '@tradelane/core';
import { advanceStatus, applyErpOrder, fullyShipped } from './erp-order.apply.js';
import { returnReceivedEntry } from './returns.js';

/** Hub event type of each ERP change kind, as the change-feed poller writes them to the outbox. */
export const erpChangeEventTypes = {
  'order.updated': 'erp_order.updated',
  'invoice.issued': 'erp_invoice.issued',
  'payment.received': 'erp_payment.received',
  'credit_memo.issued': 'erp_credit_memo.issued',
  'inventory.changed': 'erp_inventory.changed',
  'purchase_order.updated': 'erp_purchase_order.updated',
  'receipt.recorded': 'erp_receipt.recorded',
  'supplier_invoice.recorded': 'erp_supplier_invoice.recorded',
} as const satisfies Record<ErpChange['kind'], string>;

/** Payload of the ERP change events: the change as the connector reported it. */
export interface ErpChangeData {
  change: ErpChange;
}

/** Accepts `{ change: { kind } }` payloads (the shape zod's safeParse has). */
export const erpChangeDataSchema = {
  safeParse(data: unknown): { success: true; data: ErpChangeData } | { success: false; error: unknown } {
    const change = (data as { change?: { kind?: unknown } } | null)?.change;
    if (change && typeof change === 'object' && typeof change.kind === 'string' && change.kind in erpChangeEventTypes) return { success: true, data: data as ErpChangeData };
    return { success: false, error: new PermanentError('TL_O2C_BAD_CHANGE', 'payload is not an ERP change') };
  },
};

/** An invoice or credit memo as the customer sees it, its amounts in the currency's decimals (`'12.5'` → `'12.50'`). */
export function invoiceToView(invoice: Invoice, orderId: string | undefined, customerPoNumber: string | undefined): InvoiceView {
  return {
    id: invoice.id,
    invoiceNumber: invoice.invoiceNumber,
    kind: invoice.kind === 'credit_memo' ? 'credit_memo' : 'invoice',
    status: invoice.status,
    ...(orderId ? { orderId } : {}),
    ...(customerPoNumber ? { customerPoNumber } : {}),
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    total: roundMoney(invoice.totals.total),
    openAmount: roundMoney(invoice.amountDue),
    lines: invoice.lines.map((l) => ({
      lineNumber: l.lineNumber,
      ...(l.sku ? { sku: l.sku } : {}),
      ...(l.description ? { description: l.description } : {}),
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      amount: l.lineAmount,
    })),
  };
}

const max = (a: string, b: string) => (compareDecimal(a, b) >= 0 ? a : b);
const min = (a: string, b: string) => (compareDecimal(a, b) <= 0 ? a : b);

/** The customer's view of a stored invoice, without the hub's bookkeeping. */
function viewOf(record: InvoiceRecord): InvoiceView {
  const { settlement: _settlement, ...view } = record;
  return view;
}

/**
 * The settlement of a stored invoice. One stored without it counts as a snapshot of unknown time whose open amount is
 * the stored one (payments applied before are in that amount), so any snapshot the ERP sends later replaces it.
 */
function settlementOf(record: InvoiceRecord): InvoiceSettlement {
  return record.settlement ?? { snapshotAt: '', erpOpenAmount: record.openAmount.amount, payments: {} };
}

/**
 * Whether an invoice snapshot the ERP reported at `at` with open amount `erpOpen` is later than the one `prior` holds:
 * the later ERP change time wins; at the same time the lower open amount wins (within one ERP state an invoice's open
 * amount only falls as payments are applied), so the choice does not depend on the order the snapshots arrive in.
 */
function isLaterSnapshot(at: string, erpOpen: string, prior: InvoiceSettlement): boolean {
  if (!prior.snapshotAt) return true;
  const [a, b] = [Date.parse(at), Date.parse(prior.snapshotAt)];
  // ERP times compare as instants; times that do not parse compare as text
  const order = Number.isNaN(a) || Number.isNaN(b) ? (at < prior.snapshotAt ? -1 : at > prior.snapshotAt ? 1 : 0) : Math.sign(a - b);
  return order !== 0 ? order > 0 : compareDecimal(erpOpen, prior.erpOpenAmount) <= 0;
}

/**
 * An invoice's open amount and status from its settlement. The rule:
 *
 * `open = max(0, min(erpOpenAmount, total − Σ payments))`, rounded to the currency's decimals, where `erpOpenAmount`
 * is what the ERP reported open in the latest invoice snapshot and `payments` holds each ERP payment applied to the
 * invoice once, by payment id. The ERP's own figure already counts the payments it had when it sent the snapshot, the
 * payment sum counts every payment the hub has received; the lower of the two is right whether the snapshot or the
 * payment arrives first, and a redelivered snapshot or payment changes nothing (a payment replaces its own entry,
 * it never adds to it).
 *
 * Status: an invoice with a total above zero is `Paid` when nothing is open, `PartiallyPaid` when less than the total
 * is open; otherwise, and for `Cancelled` or `Draft` ones, the ERP's status stands (`Issued` once something was open
 * again).
 */
export function settleInvoice(view: InvoiceView, settlement: InvoiceSettlement): InvoiceRecord {
  const currency = view.total.currency;
  const paid = Object.values(settlement.payments).reduce((sum, amount) => addDecimal(sum, amount), '0');
  const open = roundMoney({ amount: max('0', min(settlement.erpOpenAmount, subtractDecimal(view.total.amount, paid))), currency });
  let status = view.status;
  if (compareDecimal(view.total.amount, '0') > 0 && status !== 'Cancelled' && status !== 'Draft') {
    if (compareDecimal(open.amount, '0') === 0) status = 'Paid';
    else if (compareDecimal(open.amount, view.total.amount) < 0) status = 'PartiallyPaid';
    else if (status === 'Paid' || status === 'PartiallyPaid') status = 'Issued';
  }
  return { ...view, status, openAmount: open, settlement };
}

/**
 * Applies an invoice (or credit memo) snapshot from the ERP, reported at `at`, to what the read model holds: a later
 * snapshot ({@link isLaterSnapshot}) replaces the invoice's content and ERP open amount, an earlier one changes
 * nothing; the payments applied so far stay either way. See {@link settleInvoice} for the open amount.
 */
export function applyInvoiceSnapshot(stored: InvoiceRecord | undefined, snapshot: InvoiceView, at: string): InvoiceRecord {
  const prior = stored ? settlementOf(stored) : undefined;
  if (stored && prior && !isLaterSnapshot(at, snapshot.openAmount.amount, prior)) return settleInvoice(viewOf(stored), prior);
  return settleInvoice(snapshot, { snapshotAt: at, erpOpenAmount: snapshot.openAmount.amount, payments: prior?.payments ?? {} });
}

/**
 * Applies `amount` of ERP payment `paymentId` to a stored invoice: recorded under the payment id (a redelivery
 * replaces it), then settled by {@link settleInvoice}.
 */
export function applyInvoicePayment(stored: InvoiceRecord, paymentId: string, amount: string): InvoiceRecord {
  const prior = settlementOf(stored);
  return settleInvoice(viewOf(stored), { ...prior, payments: { ...prior.payments, [paymentId]: amount } });
}

function orderIdOf(invoice: Invoice, reference: string | undefined): string | undefined {
  if (reference) return reference;
  const ref = invoice.orderRefs.find((r) => r.kind === 'sales_order');
  return ref && ref.kind === 'sales_order' ? ref.salesOrderId : undefined;
}

/**
 * Applies one ERP change to the read models inside the consumer's transaction: order updates (status, allocation,
 * backorders), invoices (Invoiced), payments (Paid), credit memos (return Credited) and stock. Changes about orders
 * the hub did not submit are ignored.
 */
export async function applyErpChange(ctx: TenantContext, event: EventEnvelope<ErpChangeData>, tx: OrderToCashTx): Promise<void> {
  const change = event.data.change;
  const repos = tx.orderToCash;
  switch (change.kind) {
    case 'order.updated': {
      const order = await repos.orders.get(ctx, change.order.reference, { forUpdate: true });
      if (!order || !order.view.orderNumber) return; // not ours, or its own flow will apply the commit answer
      const applied = applyErpOrder(order, change.order, change.at);
      await repos.orders.save(ctx, applied.order);
      await repos.orders.appendTimeline(ctx, order.id, applied.entries);
      return;
    }
    case 'invoice.issued': {
      const orderId = orderIdOf(change.invoice, change.orderReference);
      // The order lock also serialises this with the payments of the invoice (they lock the order before reading it).
      const order = orderId ? await repos.orders.get(ctx, orderId, { forUpdate: true }) : undefined;
      if (!order) return;
      const stored = await repos.invoices.find(ctx, change.invoice.id);
      const record = applyInvoiceSnapshot(stored?.invoice, invoiceToView(change.invoice, order.id, order.view.customerPoNumber), change.at);
      await repos.invoices.upsert(ctx, order.partnerId, record);
      // An order with lines still to ship stays (partially) shipped; its invoices show on the timeline.
      // An invoice the ERP reports settled makes the order Paid even before (or without) a payment change.
      const status = fullyShipped(order) ? advanceStatus(order.view.status, record.status === 'Paid' ? 'Paid' : 'Invoiced') : order.view.status;
      await repos.orders.save(ctx, { ...order, view: { ...order.view, status } });
      await repos.orders.appendTimeline(ctx, order.id, [
        {
          key: `erp:invoice:${change.invoice.invoiceNumber}`,
          status: 'Invoiced',
          at: change.at,
          source: 'erp',
          detail: `invoice ${change.invoice.invoiceNumber} issued: ${record.total.amount} ${change.invoice.currency}, due ${change.invoice.dueDate}`,
        },
      ]);
      return;
    }
    case 'payment.received': {
      await applyPayment(ctx, change.payment, change.at, tx);
      return;
    }
    case 'credit_memo.issued': {
      const memo = change.invoice;
      const returnId = change.returnReference;
      const seen = returnId ? await repos.returns.get(ctx, returnId) : undefined;
      if (!seen) return;
      // Lock the order, then read the return again: the hub's own receipt of the return commits before or after this.
      await repos.orders.get(ctx, seen.view.orderId, { forUpdate: true });
      const found = (await repos.returns.get(ctx, seen.view.id)) ?? seen;
      const stored = await repos.invoices.find(ctx, memo.id);
      const record = applyInvoiceSnapshot(stored?.invoice, invoiceToView(memo, found.view.orderId, undefined), change.at);
      await repos.invoices.upsert(ctx, found.partnerId, record);
      await repos.returns.upsert(ctx, found.partnerId, { ...found.view, status: 'Credited', creditMemoId: memo.id });
      // The ERP credits a return once its goods are back: the receipt goes first on the timeline. Its key is the one
      // `receiveReturn` writes, so it lands once, whichever of the two commits first.
      const received = found.view.status === 'Authorized' || found.view.status === 'Received' || found.view.status === 'Credited';
      await repos.orders.appendTimeline(ctx, found.view.orderId, [
        ...(received ? [returnReceivedEntry(found.view.id, change.at)] : []),
        { key: `erp:credit-memo:${memo.invoiceNumber}`, status: 'Credited', at: change.at, source: 'erp', detail: `return ${found.view.id}: credit memo ${memo.invoiceNumber} for ${record.total.amount} ${memo.currency}` },
      ]);
      return;
    }
    case 'inventory.changed': {
      await repos.catalog.upsertInventory(ctx, change.positions);
      return;
    }
    case 'purchase_order.updated':
    case 'receipt.recorded':
    case 'supplier_invoice.recorded':
      return; // purchasing changes belong to procure-to-pay
  }
}

/**
 * Applies a payment to each invoice it is allocated to (allocations to one invoice added up), by payment id: see
 * {@link applyInvoicePayment}. A payment of an invoice the hub does not hold (not one of its orders) is ignored.
 */
async function applyPayment(ctx: TenantContext, payment: Payment, at: string, tx: OrderToCashTx): Promise<void> {
  const repos = tx.orderToCash;
  const byInvoice = new Map<string, { orderId: string | undefined; amount: string; currency: string }>();
  for (const allocation of payment.allocations) {
    const found = await repos.invoices.find(ctx, allocation.invoiceNumber ?? allocation.invoiceId);
    if (!found) continue;
    const invoice = found.invoice;
    if (allocation.amount.currency !== invoice.total.currency) {
      throw new PermanentError('TL_O2C_PAYMENT_CURRENCY', `payment ${payment.reference} pays invoice ${invoice.invoiceNumber} (${invoice.total.currency}) in ${allocation.amount.currency}`, {
        paymentId: payment.id,
        invoiceId: invoice.id,
      });
    }
    const before = byInvoice.get(invoice.id);
    byInvoice.set(invoice.id, { orderId: invoice.orderId, amount: addDecimal(before?.amount ?? '0', allocation.amount.amount), currency: allocation.amount.currency });
  }
  for (const [invoiceId, allocated] of byInvoice) {
    // Lock the order first (as the invoice snapshots do), then read the invoice: the two never interleave.
    const order = allocated.orderId ? await repos.orders.get(ctx, allocated.orderId, { forUpdate: true }) : undefined;
    const found = await repos.invoices.find(ctx, invoiceId);
    if (!found) continue;
    const amount = roundMoney({ amount: allocated.amount, currency: allocated.currency });
    const record = applyInvoicePayment(found.invoice, payment.id, amount.amount);
    await repos.invoices.upsert(ctx, found.partnerId, record);
    if (!order) continue;
    const paid = record.status === 'Paid';
    if (paid && fullyShipped(order)) await repos.orders.save(ctx, { ...order, view: { ...order.view, status: advanceStatus(order.view.status, 'Paid') } });
    await repos.orders.appendTimeline(ctx, order.id, [
      {
        key: `erp:payment:${payment.id}:${record.invoiceNumber}`,
        status: paid ? 'Paid' : 'PartiallyPaid',
        at,
        source: 'erp',
        detail: `payment ${payment.reference} of ${amount.amount} ${amount.currency} on invoice ${record.invoiceNumber}`,
      },
    ]);
  }
}
