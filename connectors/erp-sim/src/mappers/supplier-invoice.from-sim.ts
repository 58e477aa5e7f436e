import { invoiceSchema, isId, type Invoice } from '@tradelane/canonical';
import type { ErpInvoiceMatchStatus, ErpSupplierInvoice } from '@tradelane/connector-kit';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDate, julianToIsoDateTime } from '../wire/julian-date.js';
import { parseLnid } from '../wire/line-number.js';
import type { SimMatchStatus, SimNameAddress, SimVoucher } from '../wire/sim-purchasing.types.js';
import type { SimPaymentTerms } from '../wire/sim-wire.types.js';
import { invoiceIdOf, partyIdOf, purchaseOrderIdOf } from './derived-id.js';
import { paymentTermsFromSim } from './party.from-sim.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

const MATCH: Record<SimMatchStatus, ErpInvoiceMatchStatus> = { P: 'Pending', A: 'Approved', D: 'Disputed' };
const STATUS: Record<SimMatchStatus, Invoice['status']> = { P: 'Received', A: 'Approved', D: 'Disputed' };

const addressOf = (block: SimNameAddress) => ({ line1: block.ADD1, city: block.CTY1, region: block.ADDS, postalCode: block.ADDZ, country: block.CTR });

/**
 * A simulator AP voucher (`PV`) as an {@link ErpSupplierInvoice} with a canonical payable Invoice: the supplier's
 * invoice number, status from the match decision (Received pending, Approved, Disputed), lines linked to purchase
 * order lines, the company as bill-to and the supplier as remit-to. The id is the hub's when the ERP holds it (`INVREF`).
 */
export function supplierInvoiceFromSim(voucher: SimVoucher, context: { tenantId: string; terms: ReadonlyMap<string, SimPaymentTerms> }): ErpSupplierInvoice {
  const currency = voucher.CRCD;
  const money = (amount: string) => ({ amount, currency });
  const terms = context.terms.get(voucher.PTC);
  const poNumbers = [...new Set(voucher.LINES.map((l) => l.DOCO))];
  const at = julianToIsoDateTime(voucher.UPMJ, voucher.TDAY);
  const invoice = validateDocument(
    invoiceSchema,
    {
      schemaVersion: 1,
      id: voucher.INVREF && isId(voucher.INVREF, 'inv') ? voucher.INVREF : invoiceIdOf(context.tenantId, voucher.DCT, voucher.DOC),
      tenantId: context.tenantId,
      direction: 'payable',
      invoiceNumber: voucher.VINV,
      kind: 'invoice',
      status: STATUS[voucher.MTCH],
      partyId: partyIdOf(context.tenantId, voucher.AN8),
      billTo: { name: voucher.BLTO.ALPH, address: addressOf(voucher.BLTO) },
      remitTo: { partyId: partyIdOf(context.tenantId, voucher.RMIT.AN8), code: String(voucher.RMIT.AN8), name: voucher.RMIT.ALPH, address: addressOf(voucher.RMIT) },
      orderRefs: poNumbers.map((doco) => ({ kind: 'purchase_order', purchaseOrderId: purchaseOrderIdOf(context.tenantId, doco), poNumber: String(doco) })),
      shipmentIds: [],
      invoiceDate: julianToIsoDate(voucher.DIVJ),
      dueDate: julianToIsoDate(Math.max(voucher.DDJ, voucher.DIVJ)),
      terms: terms ? paymentTermsFromSim(terms) : { code: voucher.PTC, netDays: 30 },
      currency,
      lines: voucher.LINES.map((l) => ({
        lineNumber: parseLnid(l.LNID),
        orderLineNumber: parseLnid(l.OLNID),
        sku: l.LITM,
        ...(l.VITM ? { partNumber: l.VITM } : {}),
        description: l.DSC1,
        quantity: String(l.QTY),
        unit: unitFromSim(l.UOM),
        unitPrice: money(l.UPRC),
        lineAmount: money(l.AEXP),
      })),
      taxes: /[1-9]/.test(voucher.STAM) ? [{ type: 'sales', amount: money(voucher.STAM) }] : [],
      totals: { subtotal: money(voucher.AEXP), tax: money(voucher.STAM), freight: money(voucher.FRTA), total: money(voucher.AG) },
      amountDue: money(voucher.AAP),
      externalIds: { [ERP_SIM_SYSTEM]: `PV ${voucher.DOC}` },
      createdAt: at,
      updatedAt: at,
    },
    `voucher PV ${voucher.DOC}`,
  );
  return {
    invoiceNumber: voucher.VINV,
    erpVoucherNumber: String(voucher.DOC),
    matchStatus: MATCH[voucher.MTCH],
    ...(voucher.MTCH === 'D' && voucher.HRSN ? { disputeReason: voucher.HRSN } : {}),
    poNumbers: poNumbers.map(String),
    invoice,
  };
}
