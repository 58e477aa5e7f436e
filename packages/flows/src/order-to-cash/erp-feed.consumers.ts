import { compareDecimal, subtractDecimal, type EventEnvelope, type Invoice, type Payment } from '@tradelane/canonical';
import type { ErpChange } from '@tradelane/connector-kit';
import { PermanentError, type InvoiceView, type OrderToCashTx, type TenantContext } from '@tradelane/core';
import { advanceStatus, applyErpOrder, fullyShipped } from './erp-order.apply.js';

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

/** An invoice or credit memo as the customer sees it. */
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
    total: invoice.totals.total,
    openAmount: invoice.amountDue,
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
      const order = orderId ? await repos.orders.get(ctx, orderId, { forUpdate: true }) : undefined;
      if (!order) return;
      await repos.invoices.upsert(ctx, order.partnerId, invoiceToView(change.invoice, order.id, order.view.customerPoNumber));
      // An order with lines still to ship stays (partially) shipped; its invoices show on the timeline.
      const view = { ...order.view, status: fullyShipped(order) ? advanceStatus(order.view.status, 'Invoiced') : order.view.status };
      await repos.orders.save(ctx, { ...order, view });
      await repos.orders.appendTimeline(ctx, order.id, [
        {
          key: `erp:invoice:${change.invoice.invoiceNumber}`,
          status: 'Invoiced',
          at: change.at,
          source: 'erp',
          detail: `invoice ${change.invoice.invoiceNumber} issued: ${change.invoice.totals.total.amount} ${change.invoice.currency}, due ${change.invoice.dueDate}`,
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
      const found = returnId ? await repos.returns.get(ctx, returnId) : undefined;
      if (!found) return;
      await repos.invoices.upsert(ctx, found.partnerId, invoiceToView(memo, found.view.orderId, undefined));
      await repos.returns.upsert(ctx, found.partnerId, { ...found.view, status: 'Credited', creditMemoId: memo.id });
      await repos.orders.appendTimeline(ctx, found.view.orderId, [
        { key: `erp:credit-memo:${memo.invoiceNumber}`, status: 'Credited', at: change.at, source: 'erp', detail: `return ${found.view.id}: credit memo ${memo.invoiceNumber} for ${memo.totals.total.amount} ${memo.currency}` },
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

async function applyPayment(ctx: TenantContext, payment: Payment, at: string, tx: OrderToCashTx): Promise<void> {
  const repos = tx.orderToCash;
  for (const allocation of payment.allocations) {
    const found = await repos.invoices.find(ctx, allocation.invoiceNumber ?? allocation.invoiceId);
    if (!found) continue;
    const invoice = found.invoice;
    const open = subtractDecimal(invoice.openAmount.amount, allocation.amount.amount);
    const paid = compareDecimal(open, '0') <= 0;
    await repos.invoices.upsert(ctx, found.partnerId, {
      ...invoice,
      status: paid ? 'Paid' : 'PartiallyPaid',
      openAmount: { amount: paid ? '0.00' : open, currency: invoice.openAmount.currency },
    });
    if (!invoice.orderId) continue;
    const order = await repos.orders.get(ctx, invoice.orderId, { forUpdate: true });
    if (!order) continue;
    if (paid && fullyShipped(order)) await repos.orders.save(ctx, { ...order, view: { ...order.view, status: advanceStatus(order.view.status, 'Paid') } });
    await repos.orders.appendTimeline(ctx, order.id, [
      {
        key: `erp:payment:${payment.id}:${invoice.invoiceNumber}`,
        status: paid ? 'Paid' : 'PartiallyPaid',
        at,
        source: 'erp',
        detail: `payment ${payment.reference} of ${allocation.amount.amount} ${allocation.amount.currency} on invoice ${invoice.invoiceNumber}`,
      },
    ]);
  }
}
