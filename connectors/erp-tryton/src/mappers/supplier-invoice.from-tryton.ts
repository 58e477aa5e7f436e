import { invoiceSchema, isId, type Invoice } from '@tradelane/canonical';
import type { ErpInvoiceMatchStatus, ErpSupplierInvoice } from '@tradelane/connector-kit';
import { decimalOf, isoDateOf, isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonSupplierInvoiceRecord } from '../wire/tryton-purchase-records.js';
import type { TrytonPartyRecord } from '../wire/tryton-records.js';
import { disputeOfComment } from './acknowledgment-note.js';
import { invoiceIdOfTryton } from './invoice.from-tryton.js';
import { moneyOf } from './item.from-tryton.js';
import { partyIdOfTryton, paymentTermsFromName } from './party.from-tryton.js';
import { purchaseOrderIdOfTryton, quantityText } from './purchase-order.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/**
 * The hub's match decision a supplier invoice holds: posted or paid → Approved (approved for payment), a `Disputed:`
 * line in its comment → Disputed, otherwise (draft, validated) → Pending.
 */
export function matchStatusFromTryton(invoice: Pick<TrytonSupplierInvoiceRecord, 'state' | 'comment'>): ErpInvoiceMatchStatus {
  if (invoice.state === 'posted' || invoice.state === 'paid') return 'Approved';
  return disputeOfComment(invoice.comment) !== undefined ? 'Disputed' : 'Pending';
}

function invoiceStatus(invoice: TrytonSupplierInvoiceRecord, match: ErpInvoiceMatchStatus): Invoice['status'] {
  if (invoice.state === 'cancelled') return 'Cancelled';
  if (invoice.state === 'paid') return 'Paid';
  return match === 'Approved' ? 'Approved' : match === 'Disputed' ? 'Disputed' : 'Received';
}

const addressOf = (a: TrytonPartyRecord['address'], fallback: string) => {
  const street = (a?.street ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  return {
    line1: street[0] ?? fallback,
    ...(street[1] ? { line2: street[1] } : {}),
    city: a?.city || '-',
    ...(a?.subdivision_code ? { region: a.subdivision_code.replace(/^[A-Z]{2}-/, '') } : {}),
    ...(a?.postal_code ? { postalCode: a.postal_code } : {}),
    country: a?.country_code ?? 'US',
  };
};

/**
 * A Tryton supplier invoice (`account.invoice`, type `in`) as an {@link ErpSupplierInvoice} with a canonical payable
 * Invoice: the supplier's invoice number is `reference`, the voucher number the invoice's database id, the hub's id
 * (kept in `description`) when the hub recorded it, lines linked to the purchase lines they bill (`origin`), the
 * company as bill-to and the supplier as remit-to.
 */
export function supplierInvoiceFromTryton(invoice: TrytonSupplierInvoiceRecord, context: { tenantId: string; unitMap?: Readonly<Record<string, string>> }): ErpSupplierInvoice {
  const currency = invoice.currency;
  const money = (value: unknown) => ({ amount: moneyOf(decimalOf(value)), currency });
  const created = isoDateTimeOf(invoice.create_date, '1970-01-01T00:00:00.000Z');
  const invoiceDate = isoDateOf(invoice.invoice_date) ?? created.slice(0, 10);
  const terms = invoice.paymentTermName ? paymentTermsFromName(invoice.paymentTermName) : { code: 'DUE', netDays: 0 };
  const dueDate = invoice.dueDate && invoice.dueDate >= invoiceDate ? invoice.dueDate : new Date(Date.parse(invoiceDate) + terms.netDays * 86_400_000).toISOString().slice(0, 10);
  const match = matchStatusFromTryton(invoice);
  const lines = invoice.lines.filter((l) => l.type === 'line' && (l.quantity ?? 0) > 0);
  const orders = new Map<string, number>();
  for (const l of lines) if (l.poNumber && l.purchaseId !== undefined) orders.set(l.poNumber, l.purchaseId);
  const supplierId = partyIdOfTryton(context.tenantId, invoice.party);
  const invoiceNumber = invoice.reference ?? invoice.number ?? String(invoice.id);
  const tax = money(invoice.tax_amount);
  const document = validateDocument(
    invoiceSchema,
    {
      schemaVersion: 1,
      id: invoice.description && isId(invoice.description, 'inv') ? invoice.description : invoiceIdOfTryton(context.tenantId, invoice.id),
      tenantId: context.tenantId,
      direction: 'payable',
      invoiceNumber,
      kind: 'invoice',
      status: invoiceStatus(invoice, match),
      partyId: supplierId,
      billTo: { name: invoice.companyName.slice(0, 120), address: addressOf(invoice.companyAddress, invoice.companyName) },
      remitTo: { partyId: supplierId, ...(invoice.partyCode ? { code: invoice.partyCode } : {}), name: invoice.partyName.slice(0, 120), address: addressOf(invoice.partyAddress, invoice.partyName) },
      orderRefs: [...orders].map(([poNumber, purchaseId]) => ({ kind: 'purchase_order', purchaseOrderId: purchaseOrderIdOfTryton(context.tenantId, purchaseId), poNumber })),
      shipmentIds: [],
      invoiceDate,
      dueDate,
      terms,
      currency,
      lines: lines.map((l, i) => ({
        lineNumber: i + 1,
        ...(l.orderLineNumber !== undefined ? { orderLineNumber: l.orderLineNumber } : {}),
        ...(l.sku ? { sku: l.sku } : {}),
        ...(l.description ? { description: l.description.replace(/\s+/g, ' ').trim().slice(0, 200) } : {}),
        quantity: quantityText(l.quantity ?? 0),
        unit: l.unitSymbol ? unitFromTryton(l.unitSymbol, context.unitMap) : 'EA',
        unitPrice: money(l.unit_price),
        lineAmount: money(l.amount),
      })),
      taxes: /[1-9]/.test(tax.amount) ? [{ type: 'sales', amount: tax }] : [],
      totals: { subtotal: money(invoice.untaxed_amount), tax, freight: { amount: '0.00', currency }, total: money(invoice.total_amount) },
      amountDue: money(invoice.state === 'posted' || invoice.state === 'paid' ? invoice.amount_to_pay : invoice.total_amount),
      externalIds: { [ERP_TRYTON_SYSTEM]: `account.invoice ${invoice.id}` },
      createdAt: created,
      updatedAt: isoDateTimeOf(invoice.write_date, created),
    },
    `supplier invoice ${invoice.id}`,
  );
  const dispute = match === 'Disputed' ? disputeOfComment(invoice.comment) : undefined;
  return {
    invoiceNumber,
    erpVoucherNumber: String(invoice.id),
    matchStatus: match,
    ...(dispute ? { disputeReason: dispute } : {}),
    poNumbers: [...orders.keys()],
    invoice: document,
  };
}
