import { z } from 'zod';
import {
  afterFieldChecks,
  auditFields,
  channelSchema,
  documentNumberSchema,
  documentPartySchema,
  externalIdsSchema,
  isoDateSchema,
  lineNumberSchema,
  paymentTermsSchema,
  refineUniqueLineNumbers,
  skuSchema,
  tenantIdSchema,
  textSchema,
} from './common.schema.js';
import { idSchema } from './ids.js';
import { addMoney, compareMoney, currencyCodeSchema, moneySchema, nonNegativeMoneySchema, sumMoney } from './money.js';
import { positiveQuantitySchema } from './quantity.js';
import { documentTotalsSchema, refineCurrency, refineTotals } from './totals.schema.js';
import { unitOfMeasureSchema } from './units.js';

/** Invoice states (receivable and payable share them). */
export const invoiceStatuses = ['Draft', 'Issued', 'Received', 'Matched', 'Disputed', 'Approved', 'PartiallyPaid', 'Paid', 'Cancelled'] as const;

/** An invoice state. */
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** An invoice line (EDI 810 IT1). */
export const invoiceLineSchema = z.object({
  lineNumber: lineNumberSchema,
  /** Order line this bills (sales order line for receivables, purchase order line for payables). */
  orderLineNumber: lineNumberSchema.optional(),
  sku: skuSchema.optional(),
  partNumber: textSchema(48).optional(),
  description: textSchema(200).optional(),
  quantity: positiveQuantitySchema,
  unit: unitOfMeasureSchema,
  unitPrice: nonNegativeMoneySchema,
  /** quantity × unitPrice as billed, rounded to the currency's minor unit by the issuer. */
  lineAmount: moneySchema,
  taxCode: textSchema(20).optional(),
});

/** An invoice line. */
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

/** One tax amount (EDI 810 TXI). */
export const invoiceTaxSchema = z.object({
  type: z.enum(['sales', 'vat', 'gst', 'excise', 'other']),
  jurisdiction: textSchema(60).optional(),
  /** Percentage rate as a decimal string, e.g. "8.25". */
  rate: z.string().regex(/^(?:0|[1-9]\d{0,2})(?:\.\d{1,4})?$/, { error: 'rate must be a percentage decimal string, e.g. "8.25"' }).optional(),
  amount: moneySchema,
});

/** A reference from an invoice to the order it bills. */
export const invoiceOrderRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sales_order'), salesOrderId: idSchema('so'), customerPoNumber: documentNumberSchema.optional() }),
  z.object({ kind: z.literal('purchase_order'), purchaseOrderId: idSchema('po').optional(), poNumber: documentNumberSchema }),
]);

/** An invoice: receivable (we bill a customer) or payable (a supplier bills us). */
export const invoiceSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('inv'),
    tenantId: tenantIdSchema,
    direction: z.enum(['receivable', 'payable']),
    invoiceNumber: documentNumberSchema,
    kind: z.enum(['invoice', 'credit_memo', 'debit_memo']),
    status: z.enum(invoiceStatuses),
    /** The customer (receivable) or supplier (payable). */
    partyId: idSchema('pty'),
    billTo: documentPartySchema,
    remitTo: documentPartySchema.optional(),
    orderRefs: z.array(invoiceOrderRefSchema).max(100),
    shipmentIds: z.array(idSchema('shp')).max(100),
    invoiceDate: isoDateSchema,
    dueDate: isoDateSchema,
    terms: paymentTermsSchema,
    currency: currencyCodeSchema,
    lines: z.array(invoiceLineSchema).min(1).max(9999),
    taxes: z.array(invoiceTaxSchema).max(20),
    totals: documentTotalsSchema,
    /** What is still owed; equals totals.total until payments are applied. */
    amountDue: moneySchema,
    receivedVia: channelSchema.optional(),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((invoice, ctx) => {
    refineUniqueLineNumbers(invoice.lines, ctx);
    invoice.lines.forEach((line, i) => {
      refineCurrency(line.unitPrice, invoice.currency, ctx, ['lines', i, 'unitPrice']);
      refineCurrency(line.lineAmount, invoice.currency, ctx, ['lines', i, 'lineAmount']);
    });
    invoice.taxes.forEach((tax, i) => refineCurrency(tax.amount, invoice.currency, ctx, ['taxes', i, 'amount']));
    refineCurrency(invoice.amountDue, invoice.currency, ctx, ['amountDue']);
    refineTotals(invoice.totals, invoice.currency, ctx);
    if (invoice.dueDate < invoice.invoiceDate) {
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'dueDate must not be before invoiceDate' });
    }
    const allSameCurrency =
      invoice.lines.every((l) => l.lineAmount.currency === invoice.currency) &&
      invoice.taxes.every((t) => t.amount.currency === invoice.currency) &&
      invoice.totals.subtotal.currency === invoice.currency &&
      invoice.totals.tax.currency === invoice.currency;
    if (allSameCurrency) {
      const lineSum = sumMoney(invoice.lines.map((l) => l.lineAmount), invoice.currency);
      if (compareMoney(lineSum, invoice.totals.subtotal) !== 0) {
        ctx.addIssue({ code: 'custom', path: ['totals', 'subtotal', 'amount'], message: `subtotal must equal the sum of line amounts = ${lineSum.amount}` });
      }
      if (invoice.taxes.length > 0) {
        const taxSum = invoice.taxes.reduce((sum, t) => addMoney(sum, t.amount), sumMoney([], invoice.currency));
        if (compareMoney(taxSum, invoice.totals.tax) !== 0) {
          ctx.addIssue({ code: 'custom', path: ['totals', 'tax', 'amount'], message: `tax must equal the sum of taxes = ${taxSum.amount}` });
        }
      }
    }
  }, afterFieldChecks);

/** An invoice. */
export type Invoice = z.infer<typeof invoiceSchema>;
