import { addDecimal, compareDecimal, isDecimalString, multiplyDecimal, newId, type Invoice } from '@tradelane/canonical';
import {
  InputError,
  NotAllowedError,
  type ProcureToPayTransactionRunner,
  type ProcureToPayTx,
  type StoredPurchaseOrder,
  type StoredSupplierInvoice,
  type SupplierInvoiceSubmission,
  type SupplierInvoiceView,
  type TenantContext,
} from '@tradelane/core';
import { emit, matchInvoice, openException, p2pEventTypes, requestErp, toleranceOf, touch, type P2pSettings } from './procure-to-pay.process.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const QTY = /^\d{1,12}(\.\d{1,6})?$/;
const PRICE = /^\d{1,12}(\.\d{1,4})?$/;

/** The supplier a command speaks for (its party id). */
export function supplierOf(ctx: TenantContext): string {
  if (!ctx.partnerId) throw new NotAllowedError('TL_P2P_NOT_A_SUPPLIER', 'only a supplier can do this');
  return ctx.partnerId;
}

/** Checks a date string (YYYY-MM-DD, a real day). */
export function assertDate(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InputError('TL_P2P_BAD_DATE', `${field} must be a date YYYY-MM-DD`, { field, value });
  }
}

/** Checks a quantity (non-negative decimal string, at most 6 decimals; positive unless `allowZero`). */
export function assertQuantity(value: unknown, field: string, allowZero = false): asserts value is string {
  if (typeof value !== 'string' || !QTY.test(value) || !isDecimalString(value) || (!allowZero && compareDecimal(value, '0') <= 0)) {
    throw new InputError('TL_P2P_BAD_QUANTITY', `${field} must be a ${allowZero ? 'non-negative' : 'positive'} decimal string with at most 6 decimals`, { field, value });
  }
}

/** Checks a unit price (non-negative decimal string, at most 4 decimals). */
export function assertPrice(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !PRICE.test(value)) throw new InputError('TL_P2P_BAD_PRICE', `${field} must be a non-negative decimal string with at most 4 decimals`, { field, value });
}

function money(amount: string, currency: string): { amount: string; currency: string } {
  return { amount, currency };
}

function round2(value: string): string {
  const n = Math.round(Number(value) * 100);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The canonical payable invoice the ERP records for a submission. */
export function canonicalInvoice(ctx: TenantContext, id: string, supplierId: string, po: StoredPurchaseOrder, s: SupplierInvoiceSubmission, at: string): Invoice {
  const lines = s.lines.map((l, i) => ({
    lineNumber: i + 1,
    orderLineNumber: l.lineNumber,
    sku: l.sku,
    quantity: l.quantity,
    unit: l.unit as Invoice['lines'][number]['unit'],
    unitPrice: money(l.unitPrice, s.currency),
    lineAmount: money(round2(multiplyDecimal(l.quantity, l.unitPrice)), s.currency),
  }));
  const subtotal = lines.reduce((sum, l) => addDecimal(sum, l.lineAmount.amount), '0');
  const freight = (s.charges ?? []).reduce((sum, c) => addDecimal(sum, c.amount), '0');
  const tax = s.tax ?? '0';
  const total = round2(addDecimal(addDecimal(subtotal, freight), tax));
  return {
    schemaVersion: 1,
    id: id as Invoice['id'],
    tenantId: ctx.tenantId,
    direction: 'payable',
    invoiceNumber: s.invoiceNumber,
    kind: 'invoice',
    status: 'Received',
    partyId: supplierId as Invoice['partyId'],
    billTo: { code: po.warehouseId, name: po.view.shipTo.name, address: { line1: '-', city: '-', country: 'US' } } as Invoice['billTo'],
    orderRefs: [{ kind: 'purchase_order', purchaseOrderId: po.id as never, poNumber: po.poNumber }],
    shipmentIds: [],
    invoiceDate: s.invoiceDate,
    dueDate: s.invoiceDate,
    terms: { code: 'PO', netDays: 0 },
    currency: s.currency,
    lines,
    taxes: [],
    totals: { subtotal: money(round2(subtotal), s.currency), tax: money(round2(tax), s.currency), freight: money(round2(freight), s.currency), total: money(total, s.currency) },
    amountDue: money(total, s.currency),
    receivedVia: 'api',
    externalIds: {},
    createdAt: at,
    updatedAt: at,
  } as Invoice;
}

/**
 * Applies a match outcome to an invoice: matched → `Approved` (ERP decision approved); variance → `Disputed` with an
 * `invoice_dispute` exception for finance (ERP decision disputed). `first` records the invoice in the ERP with its
 * decision; `decision` sends only the decision (the invoice is recorded already).
 */
export async function decideInvoice(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, po: StoredPurchaseOrder, inv: StoredSupplierInvoice, mode: 'first' | 'decision', erpInvoice?: Invoice): Promise<StoredSupplierInvoice> {
  const match = inv.view.match!;
  const at = settings.clock.now().toISOString();
  let next = inv;
  let decision: 'approved' | 'disputed' | undefined;
  let reason: string | undefined;
  if (match.result === 'matched') {
    decision = 'approved';
    next = { ...inv, decided: true, view: { ...inv.view, status: 'Approved' } };
    await emit(ctx, tx, settings, p2pEventTypes.invoiceApproved, inv.id, { invoice: next.view, supplierId: inv.supplierId }, { type: 'supplier_invoice', id: inv.id });
  } else if (match.result === 'variance') {
    decision = 'disputed';
    reason = match.lines.flatMap((l) => l.variances.map((v) => `line ${l.lineNumber}: ${v}`)).join('; ').slice(0, 200);
    const exception = await openException(ctx, tx, settings, {
      type: 'invoice_dispute',
      ownerRole: 'finance',
      subject: { kind: 'supplier_invoice', id: inv.id, number: inv.view.invoiceNumber },
      supplierId: inv.supplierId,
      summary: `invoice ${inv.view.invoiceNumber} on PO ${po.poNumber} does not match: ${reason}`,
      evidence: { poNumber: po.poNumber, invoiceNumber: inv.view.invoiceNumber, match: match.lines, total: inv.view.total },
      actions: ['approve_variance', 'reject_invoice'],
      context: { invoiceId: inv.id, purchaseOrderId: po.id },
    });
    next = { ...inv, decided: true, view: { ...inv.view, status: 'Disputed', exceptionId: exception.id } };
    await emit(ctx, tx, settings, p2pEventTypes.invoiceDisputed, inv.id, { invoice: next.view, supplierId: inv.supplierId, reason }, { type: 'supplier_invoice', id: inv.id });
  }
  if (decision && !inv.decided) {
    await tx.procureToPay.scorecard.record(ctx, { supplierId: inv.supplierId, kind: 'invoice', key: `invoice:${inv.id}`, at, value: { firstPass: decision === 'approved' } });
  }
  await tx.procureToPay.invoices.save(ctx, next);
  const invoiceState = decision === 'approved' ? 'Matched' : decision === 'disputed' ? 'Disputed' : 'Invoiced';
  await tx.procureToPay.purchaseOrders.upsert(ctx, touch({ ...po, invoiceState }, settings.clock.now()));
  if (mode === 'first') await requestErp(ctx, tx, settings, { op: 'invoice', poNumber: po.poNumber, invoice: erpInvoice!, ...(decision ? { decision } : {}), ...(reason ? { reason } : {}) });
  else if (decision) await requestErp(ctx, tx, settings, { op: 'decision', poNumber: po.poNumber, invoiceId: inv.id, decision, ...(reason ? { reason } : {}) });
  return next;
}

function assertInvoiceShape(s: SupplierInvoiceSubmission): void {
  if (!s || typeof s.invoiceNumber !== 'string' || s.invoiceNumber.trim() === '' || s.invoiceNumber.length > 40) throw new InputError('TL_P2P_BAD_INVOICE', 'invoiceNumber is required (at most 40 characters)', { field: 'invoiceNumber' });
  assertDate(s.invoiceDate, 'invoiceDate');
  if (typeof s.poNumber !== 'string' || s.poNumber === '') throw new InputError('TL_P2P_BAD_INVOICE', 'poNumber is required', { field: 'poNumber' });
  if (typeof s.currency !== 'string' || !/^[A-Z]{3}$/.test(s.currency)) throw new InputError('TL_P2P_BAD_INVOICE', 'currency must be an ISO 4217 code', { field: 'currency' });
  if (!Array.isArray(s.lines) || s.lines.length === 0) throw new InputError('TL_P2P_BAD_INVOICE', 'an invoice needs at least one line', { field: 'lines' });
  const seen = new Set<number>();
  s.lines.forEach((l, i) => {
    if (!Number.isInteger(l.lineNumber) || seen.has(l.lineNumber)) throw new InputError('TL_P2P_BAD_INVOICE', `lines[${i}].lineNumber must be a purchase order line number, once`, { field: `lines[${i}].lineNumber` });
    seen.add(l.lineNumber);
    assertQuantity(l.quantity, `lines[${i}].quantity`);
    assertPrice(l.unitPrice, `lines[${i}].unitPrice`);
  });
  (s.charges ?? []).forEach((c, i) => assertPrice(c.amount, `charges[${i}].amount`));
  if (s.tax !== undefined) assertPrice(s.tax, 'tax');
}

/**
 * The supplier's invoice: deduplicated by invoice number, checked against its purchase order, matched 3-way
 * (ordered, received, invoiced, with the supplier's quantity and price tolerances) and recorded in the ERP with the
 * decision by the `procure-to-pay-erp` consumer. An invoice ahead of the goods waits (`waiting_for_receipt`) and is
 * matched when the receipt arrives.
 */
export async function submitInvoice(ctx: TenantContext, transactions: ProcureToPayTransactionRunner, settings: P2pSettings, s: SupplierInvoiceSubmission): Promise<SupplierInvoiceView> {
  const supplierId = supplierOf(ctx);
  assertInvoiceShape(s);
  return transactions.transaction(async (tx) => {
    const repos = tx.procureToPay;
    const existing = await repos.invoices.findByNumber(ctx, supplierId, s.invoiceNumber);
    if (existing) return { ...existing.view, duplicate: true };
    const po = await repos.purchaseOrders.get(ctx, s.poNumber, { forUpdate: true });
    if (!po || po.supplierId !== supplierId) throw new InputError('TL_P2P_UNKNOWN_PO', `purchase order ${s.poNumber} is not one of yours`, { field: 'poNumber', poNumber: s.poNumber });
    if (po.view.currency !== s.currency) throw new InputError('TL_P2P_CURRENCY_MISMATCH', `purchase order ${po.poNumber} is in ${po.view.currency}, the invoice in ${s.currency}`, { field: 'currency' });
    s.lines.forEach((l, i) => {
      const line = po.view.lines.find((p) => p.lineNumber === l.lineNumber);
      if (!line) throw new InputError('TL_P2P_UNKNOWN_LINE', `purchase order ${po.poNumber} has no line ${l.lineNumber}`, { field: `lines[${i}].lineNumber` });
      if (l.sku !== line.sku) throw new InputError('TL_P2P_SKU_MISMATCH', `line ${l.lineNumber} is ${line.sku}, not ${l.sku}`, { field: `lines[${i}].sku` });
      if (l.unit !== line.unit) throw new InputError('TL_P2P_UNIT_MISMATCH', `line ${l.lineNumber} is ordered in ${line.unit}, not ${l.unit}`, { field: `lines[${i}].unit` });
    });
    const now = settings.clock.now();
    const at = now.toISOString();
    const id = newId('inv', now.getTime());
    const invoice = canonicalInvoice(ctx, id, supplierId, po, s, at);
    const profile = await toleranceOf(ctx, tx, settings, supplierId);
    const match = matchInvoice(po, s.lines, profile);
    const stored: StoredSupplierInvoice = {
      id,
      supplierId,
      purchaseOrderId: po.id,
      submission: s,
      decided: false,
      view: { id, invoiceNumber: s.invoiceNumber, poNumber: po.poNumber, status: 'Received', invoiceDate: s.invoiceDate, total: invoice.totals.total, match, receivedAt: at },
    };
    await repos.invoices.insert(ctx, stored);
    const decided = await decideInvoice(ctx, tx, settings, po, stored, 'first', invoice);
    return decided.view;
  });
}
