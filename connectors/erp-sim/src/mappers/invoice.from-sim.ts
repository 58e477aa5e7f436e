import { invoiceSchema, isId, type Invoice } from '@tradelane/canonical';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDate, julianToIsoDateTime } from '../wire/julian-date.js';
import { parseLnid } from '../wire/line-number.js';
import type { SimInvoice, SimPaymentTerms } from '../wire/sim-wire.types.js';
import { invoiceIdOf, partyIdOf } from './derived-id.js';
import { paymentTermsFromSim } from './party.from-sim.js';
import { unitFromSim } from './unit-code.mapper.js';
import { absoluteAmount, validateDocument } from './validate-document.js';

function invoiceStatus(invoice: SimInvoice): Invoice['status'] {
  if (invoice.PST === 'P') return 'Paid';
  return invoice.AAP === invoice.AG ? 'Issued' : 'PartiallyPaid';
}

/**
 * A simulator invoice (`RI`) or credit memo (`RM`, negative amounts) as a canonical receivable Invoice (credit memos
 * with `kind: 'credit_memo'` and positive amounts). The order and shipment references are the hub's ids when the
 * ERP holds them (`EXTREF`, `SHPREF`).
 */
export function invoiceFromSim(invoice: SimInvoice, context: { tenantId: string; terms: ReadonlyMap<string, SimPaymentTerms> }): Invoice {
  const at = julianToIsoDateTime(invoice.UPMJ, invoice.TDAY);
  const currency = invoice.CRCD;
  const amount = (value: string) => ({ amount: absoluteAmount(value), currency });
  const terms = context.terms.get(invoice.PTC);
  const dueDays = Math.max(0, Math.round((Date.parse(julianToIsoDate(invoice.DDJ)) - Date.parse(julianToIsoDate(invoice.DIVJ))) / 86_400_000));
  const tax = absoluteAmount(invoice.STAM);
  const orderRefs =
    invoice.EXTREF && isId(invoice.EXTREF, 'so')
      ? [{ kind: 'sales_order', salesOrderId: invoice.EXTREF, ...(invoice.VR01 ? { customerPoNumber: invoice.VR01 } : {}) }]
      : [];
  return validateDocument(
    invoiceSchema,
    {
      schemaVersion: 1,
      id: invoiceIdOf(context.tenantId, invoice.DCT, invoice.DOC),
      tenantId: context.tenantId,
      direction: 'receivable',
      invoiceNumber: String(invoice.DOC),
      kind: invoice.DCT === 'RM' ? 'credit_memo' : 'invoice',
      status: invoiceStatus(invoice),
      partyId: partyIdOf(context.tenantId, invoice.AN8),
      billTo: {
        partyId: partyIdOf(context.tenantId, invoice.BLTO.AN8),
        code: String(invoice.BLTO.AN8),
        name: invoice.BLTO.ALPH,
        address: { line1: invoice.BLTO.ADD1, city: invoice.BLTO.CTY1, region: invoice.BLTO.ADDS, postalCode: invoice.BLTO.ADDZ, country: invoice.BLTO.CTR },
      },
      orderRefs,
      shipmentIds: invoice.SHPREF && isId(invoice.SHPREF, 'shp') ? [invoice.SHPREF] : [],
      invoiceDate: julianToIsoDate(invoice.DIVJ),
      dueDate: julianToIsoDate(Math.max(invoice.DDJ, invoice.DIVJ)),
      terms: terms ? paymentTermsFromSim(terms) : { code: invoice.PTC, netDays: dueDays },
      currency,
      lines: invoice.LINES.map((l) => ({
        lineNumber: parseLnid(l.LNID),
        ...(l.OLNID ? { orderLineNumber: parseLnid(l.OLNID) } : {}),
        sku: l.LITM,
        description: l.DSC1,
        quantity: String(l.QTY),
        unit: unitFromSim(l.UOM),
        unitPrice: amount(l.UPRC),
        lineAmount: amount(l.AEXP),
      })),
      taxes: /[1-9]/.test(tax) ? [{ type: 'sales', rate: invoice.TXR1, amount: amount(tax) }] : [],
      totals: { subtotal: amount(invoice.AEXP), tax: amount(tax), freight: { amount: '0.00', currency }, total: amount(invoice.AG) },
      amountDue: amount(invoice.AAP),
      externalIds: { [ERP_SIM_SYSTEM]: `${invoice.DCT} ${invoice.DOC}` },
      createdAt: at,
      updatedAt: at,
    },
    `${invoice.DCT} ${invoice.DOC}`,
  );
}
