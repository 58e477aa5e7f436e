import type { AsnSubmission, SupplierInvoiceSubmission } from '@tradelane/core';
import type { SupplierBehaviour } from '../supplier-sim-config.schema.js';
import type { CommittedLine } from './acknowledgment.plan.js';
import { decimalsOf, formatDecimal, maxDate, parseDecimal } from './decimal.js';

/**
 * Builds the invoice of one order from what was shipped: shipped quantities at the committed unit price, or off by
 * the behaviour's price or quantity variance. Dated on the last ship date.
 */
export function planInvoice(
  poNumber: string,
  currency: string,
  committed: readonly CommittedLine[],
  asns: readonly AsnSubmission[],
  invoice: SupplierBehaviour['invoice'],
): SupplierInvoiceSubmission | null {
  if (invoice.mode === 'none' || asns.length === 0) return null;
  const shipped = new Map<number, number>();
  for (const a of asns) for (const l of a.lines) shipped.set(l.lineNumber, (shipped.get(l.lineNumber) ?? 0) + parseDecimal(l.quantity));
  const lines = committed
    .filter((l) => shipped.has(l.lineNumber))
    .map((l) => {
      const q = shipped.get(l.lineNumber)!;
      const qd = decimalsOf(l.quantity);
      const price = parseDecimal(l.unitPrice);
      const quantity = invoice.mode === 'quantityVariance' ? q + Math.max(1, Math.ceil((q * invoice.quantityVariancePct) / 100)) : q;
      const unitPrice = invoice.mode === 'priceVariance' ? formatDecimal(price * (1 + invoice.priceVariancePct / 100), 4) : l.unitPrice;
      return { lineNumber: l.lineNumber, sku: l.sku, quantity: formatDecimal(quantity, qd), unit: l.unit, unitPrice };
    });
  return {
    invoiceNumber: `INV-${poNumber}`,
    invoiceDate: asns.map((a) => a.shipDate).reduce(maxDate),
    poNumber,
    currency,
    lines,
  };
}
