import { invoiceSchema, isId, type Invoice } from '@tradelane/canonical';
import { decimalOf, isoDateOf, isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonInvoiceRecord } from '../wire/tryton-records.js';
import { trytonDerivedId } from './derived-id.js';
import { moneyOf } from './item.from-tryton.js';
import { partyIdOfTryton, paymentTermsFromName } from './party.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/** Derived canonical id of a Tryton invoice (by its database id). */
export const invoiceIdOfTryton = (tenantId: string, invoiceId: number) => trytonDerivedId('inv', tenantId, 'invoice', String(invoiceId));

/** Invoice status from Tryton's `state` and what is left to pay: paid → Paid, posted → Issued or PartiallyPaid. */
function invoiceStatus(invoice: TrytonInvoiceRecord, total: string, due: string): Invoice['status'] {
  if (invoice.state === 'paid') return 'Paid';
  if (invoice.state === 'cancelled') return 'Cancelled';
  if (invoice.state === 'draft' || invoice.state === 'validated') return 'Draft';
  return Number(due) < Number(total) ? 'PartiallyPaid' : 'Issued';
}

/** The decimal string with its sign turned (`'-12.5'` → `'12.5'`, `'3'` → `'-3'`, `'0'` stays). */
const negated = (decimal: string) => (decimal.startsWith('-') ? decimal.slice(1) : /[1-9]/.test(decimal) ? `-${decimal}` : decimal);

/**
 * Whether a Tryton customer invoice is a credit note: Tryton 6.0 has no separate type, a credit note is an `out`
 * invoice with a negative total (its product lines have negative quantities), or a zero total made of negative lines.
 */
export function isCreditNote(invoice: Pick<TrytonInvoiceRecord, 'total_amount' | 'lines'>): boolean {
  const total = decimalOf(invoice.total_amount);
  if (total.startsWith('-')) return true;
  const lines = invoice.lines.filter((l) => l.type === 'line' && l.quantity !== null && l.quantity !== 0);
  return !/[1-9]/.test(total) && lines.length > 0 && lines.every((l) => (l.quantity ?? 0) < 0);
}

/**
 * A posted (or paid) Tryton customer invoice (`account.invoice`, type `out`) as a canonical receivable Invoice:
 * number = `number`, product lines numbered 1… in order, totals from `untaxed_amount`, `tax_amount` and
 * `total_amount`, amount due from `amount_to_pay`, due date from the earliest receivable maturity date, and the
 * hub's order id (the sale's `reference`) as the sales order reference. A credit note ({@link isCreditNote}) becomes
 * `kind: 'credit_memo'` with its amounts and quantities turned positive.
 */
export function invoiceFromTryton(invoice: TrytonInvoiceRecord, context: { tenantId: string; unitMap?: Readonly<Record<string, string>> }): Invoice {
  const currency = invoice['currency.code'] ?? 'USD';
  const credit = isCreditNote(invoice);
  const signed = (value: unknown) => (credit ? negated(decimalOf(value)) : decimalOf(value));
  const money = (value: unknown) => ({ amount: moneyOf(signed(value)), currency });
  const created = isoDateTimeOf(invoice.create_date, '1970-01-01T00:00:00.000Z');
  const invoiceDate = isoDateOf(invoice.invoice_date) ?? created.slice(0, 10);
  const dueDate = invoice.dueDate && invoice.dueDate >= invoiceDate ? invoice.dueDate : invoiceDate;
  const total = moneyOf(signed(invoice.total_amount));
  const due = moneyOf(signed(invoice.amount_to_pay ?? invoice.total_amount));
  const tax = money(invoice.tax_amount);
  const a = invoice.address;
  const street = (a?.street ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  const terms = invoice['payment_term.name'];
  const netDays = Math.max(0, Math.round((Date.parse(dueDate) - Date.parse(invoiceDate)) / 86_400_000));
  const lines = invoice.lines.filter((l) => l.type === 'line' && (credit ? -1 : 1) * (l.quantity ?? 0) > 0);
  const what = `invoice ${invoice.number ?? invoice.id}`;
  return validateDocument(
    invoiceSchema,
    {
      schemaVersion: 1,
      id: invoiceIdOfTryton(context.tenantId, invoice.id),
      tenantId: context.tenantId,
      direction: 'receivable',
      invoiceNumber: invoice.number ?? String(invoice.id),
      kind: credit ? 'credit_memo' : 'invoice',
      status: invoiceStatus(invoice, total, due),
      partyId: partyIdOfTryton(context.tenantId, invoice.party),
      billTo: {
        partyId: partyIdOfTryton(context.tenantId, invoice.party),
        ...(invoice['party.code'] ? { code: invoice['party.code'] } : {}),
        name: invoice['party.name'],
        address: {
          line1: street[0] ?? invoice['party.name'],
          ...(street[1] ? { line2: street[1] } : {}),
          city: a?.city || '-',
          ...(a?.subdivision_code ? { region: a.subdivision_code.replace(/^[A-Z]{2}-/, '') } : {}),
          ...(a?.postal_code ? { postalCode: a.postal_code } : {}),
          country: a?.country_code ?? 'US',
        },
      },
      orderRefs: invoice.saleReference && isId(invoice.saleReference, 'so') ? [{ kind: 'sales_order', salesOrderId: invoice.saleReference }] : [],
      shipmentIds: [],
      invoiceDate,
      dueDate,
      terms: terms ? { ...paymentTermsFromName(terms), netDays } : { code: 'DUE', netDays },
      currency,
      lines: lines.map((l, i) => ({
        lineNumber: i + 1,
        ...(l['product.code'] ? { sku: l['product.code'] } : {}),
        ...(l.description ? { description: l.description.slice(0, 200) } : {}),
        quantity: String(Number(Math.abs(l.quantity ?? 0).toFixed(6))),
        unit: l['unit.symbol'] ? unitFromTryton(l['unit.symbol'], context.unitMap) : 'EA',
        unitPrice: { amount: moneyOf(decimalOf(l.unit_price).replace(/^-/, '')), currency },
        lineAmount: money(l.amount),
      })),
      taxes: /[1-9]/.test(tax.amount) ? [{ type: 'sales', amount: tax }] : [],
      totals: { subtotal: money(invoice.untaxed_amount), tax, freight: { amount: moneyOf('0'), currency }, total: { amount: total, currency } },
      amountDue: { amount: due, currency },
      externalIds: { [ERP_TRYTON_SYSTEM]: `account.invoice ${invoice.id}` },
      createdAt: created,
      updatedAt: isoDateTimeOf(invoice.write_date, created),
    },
    what,
  );
}
