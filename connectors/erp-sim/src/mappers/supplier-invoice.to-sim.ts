import { compareDecimal, type Invoice } from '@tradelane/canonical';
import { erpNumberOf, simUnsupportedError } from '../errors.js';
import { isoToJulian } from '../wire/julian-date.js';
import { formatLnid } from '../wire/line-number.js';
import type { SimVoucherRequest } from '../wire/sim-purchasing.types.js';
import { unitToSim } from './unit-code.mapper.js';

/**
 * A canonical payable invoice of supplier `an8` as the simulator's voucher request: the supplier's invoice number
 * (`VINV`, unique per supplier), the hub's id (`INVREF`), tax and freight, and lines linked to the lines of the one
 * purchase order it references (by order line number, else by item). Receivables, credit or debit memos, document
 * discounts and invoices over several purchase orders are refused as permanent errors.
 */
export function supplierInvoiceToSim(invoice: Invoice, an8: number): SimVoucherRequest {
  const details = { invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber };
  if (invoice.direction !== 'payable') throw simUnsupportedError('NOT_PAYABLE', `invoice ${invoice.invoiceNumber} is ${invoice.direction}; only supplier (payable) invoices are vouchered`, details);
  if (invoice.kind !== 'invoice') throw simUnsupportedError('UNSUPPORTED_INVOICE', `supplier ${invoice.kind.replace('_', ' ')}s are not vouchered against purchase orders`, details);
  if (invoice.totals.discount && compareDecimal(invoice.totals.discount.amount, '0') !== 0) {
    throw simUnsupportedError('UNSUPPORTED_INVOICE', `invoice ${invoice.invoiceNumber} has a document discount; vouchers carry tax and freight only`, details);
  }
  const orders = [...new Set(invoice.orderRefs.flatMap((r) => (r.kind === 'purchase_order' ? [r.poNumber] : [])))];
  if (orders.length !== 1) {
    throw simUnsupportedError('INVOICE_PO_REF', `invoice ${invoice.invoiceNumber} must reference exactly one purchase order (it references ${orders.length})`, details);
  }
  const doco = erpNumberOf(orders[0]!, 'purchase order');
  return {
    AN8: an8,
    VINV: invoice.invoiceNumber,
    INVREF: invoice.id,
    DIVJ: isoToJulian(invoice.invoiceDate),
    DDJ: isoToJulian(invoice.dueDate),
    CRCD: invoice.currency,
    STAM: invoice.totals.tax.amount,
    FRTA: invoice.totals.freight.amount,
    LINES: invoice.lines.map((l) => {
      if (l.orderLineNumber === undefined && !l.sku) {
        throw simUnsupportedError('INVOICE_LINE_UNLINKED', `invoice ${invoice.invoiceNumber} line ${l.lineNumber} names neither a purchase order line nor an item`, details);
      }
      return {
        DOCO: doco,
        ...(l.orderLineNumber !== undefined ? { LNID: formatLnid(l.orderLineNumber) } : { LITM: l.sku! }),
        QTY: l.quantity,
        UPRC: l.unitPrice.amount,
        UOM: unitToSim(l.unit),
      };
    }),
  };
}
