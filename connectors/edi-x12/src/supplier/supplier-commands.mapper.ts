/**
 * Canonical documents read from a supplier's files (855, 856, 810, or their CSV equivalents) turned into the
 * submissions of the procure-to-pay supplier commands (`acknowledge`, `submitAsn`, `submitInvoice`). Pure functions:
 * no lookups, no I/O. A document that lacks what a command needs is refused with a `TL_EDI_*` InputError naming the
 * field, so the caller can record it as rejected and go on with the others.
 */
import { addDecimal, compareDecimal, type AcknowledgmentLine, type AdvanceShipNotice, type Invoice, type PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import { InputError, type AcknowledgmentLineSubmission, type AcknowledgmentSubmission, type AsnSubmission, type SupplierInvoiceSubmission } from '@tradelane/core';

/** Codes of the documents a supplier command cannot take. */
export const supplierCommandErrorCodes = {
  ackBackorderDate: 'TL_EDI_ACK_BACKORDER_DATE_MISSING',
  ackMixedUnits: 'TL_EDI_ACK_UNITS_MIXED',
  asnPurpose: 'TL_EDI_ASN_PURPOSE_UNSUPPORTED',
  asnDeliveryDate: 'TL_EDI_ASN_DELIVERY_DATE_MISSING',
  asnSku: 'TL_EDI_ASN_SKU_MISSING',
  asnMixedUnits: 'TL_EDI_ASN_UNITS_MIXED',
  invoiceDirection: 'TL_EDI_INVOICE_NOT_PAYABLE',
  invoiceKind: 'TL_EDI_INVOICE_KIND_UNSUPPORTED',
  invoiceOrder: 'TL_EDI_INVOICE_PO_MISSING',
  invoiceSku: 'TL_EDI_INVOICE_SKU_MISSING',
  invoiceDiscount: 'TL_EDI_INVOICE_DISCOUNT_UNSUPPORTED',
  invoiceLineTwice: 'TL_EDI_INVOICE_LINE_REPEATED',
} as const;

/** A supplier document that cannot become a supplier command (permanent: the document must change). */
export class SupplierCommandMappingError extends InputError {}

const fail = (code: string, message: string, details: Record<string, unknown>): never => {
  throw new SupplierCommandMappingError(code, message, details);
};

/** An acknowledgment as the `acknowledge` command takes it, with the order it answers (the ERP's number). */
export interface AcknowledgmentCommand {
  readonly poNumber: string;
  readonly submission: AcknowledgmentSubmission;
}

const qtyOf = (l: AcknowledgmentLine): string | undefined => ('quantity' in l ? l.quantity : undefined);
const unitOf = (l: AcknowledgmentLine): string | undefined => ('unit' in l ? l.unit : undefined);
const dateOf = (l: AcknowledgmentLine): string | undefined => ('scheduledDate' in l ? l.scheduledDate : undefined);
const latest = (dates: Array<string | undefined>): string | undefined => dates.filter((d): d is string => d !== undefined).sort().at(-1);
const sum = (values: string[]): string => values.reduce((a, b) => addDecimal(a, b), '0');

function describePart(l: AcknowledgmentLine): string {
  const q = qtyOf(l);
  const d = dateOf(l);
  if (l.action === 'reject') return `rejected (${l.reasonCode}${l.reason ? `: ${l.reason}` : ''})`;
  if (l.action === 'change_price') return `price ${l.unitPrice.amount}`;
  return `${l.action.replace('_', ' ')}${q ? ` ${q} ${unitOf(l) ?? ''}`.trimEnd() : ''}${d ? ` by ${d}` : ''}`;
}

/**
 * One purchase order line's answer from the acknowledgment lines that name it. The canonical acknowledgment may
 * split a line (part accepted, part backordered; a quantity and a price change): `backorder` when any part is
 * backordered (the whole committed quantity, promised by the backorder's date), `change` when a quantity, price or
 * date changed or part of the line is rejected, `reject` when every part is rejected, else `accept`.
 */
export function acknowledgmentLineSubmission(lineNumber: number, parts: readonly AcknowledgmentLine[]): AcknowledgmentLineSubmission {
  const field = `lines[${lineNumber}]`;
  const rejects = parts.filter((p) => p.action === 'reject');
  const kept = parts.filter((p) => p.action !== 'reject');
  const notes = [...parts.map((p) => p.note).filter((n): n is string => Boolean(n))];
  if (kept.length === 0) {
    const r = rejects[0]!;
    return { lineNumber, action: 'reject', note: [`${r.reasonCode}${r.reason ? `: ${r.reason}` : ''}`, ...notes].join('; ').slice(0, 500) };
  }
  const units = [...new Set(kept.map(unitOf).filter((u): u is string => u !== undefined))];
  if (units.length > 1) fail(supplierCommandErrorCodes.ackMixedUnits, `line ${lineNumber} is acknowledged in ${units.join(' and ')}; one unit per line is needed`, { field: `${field}.unit`, lineNumber });
  const quantities = kept.map(qtyOf).filter((q): q is string => q !== undefined);
  const quantity = quantities.length > 0 ? sum(quantities) : undefined;
  const unit = units[0];
  const price = kept.find((p) => p.action === 'change_price');
  const unitPrice = price && price.action === 'change_price' ? price.unitPrice.amount : undefined;
  const dateChange = kept.find((p) => p.action === 'change_date');
  const backorders = kept.filter((p) => p.action === 'backorder');
  const split = parts.length > 1 ? [`${parts.map(describePart).join(', ')}`] : [];
  const note = [...split, ...notes].join('; ').slice(0, 500) || undefined;
  const common = { ...(unit !== undefined ? { unit } : {}), ...(note ? { note } : {}) };
  if (backorders.length > 0) {
    const promisedDate = latest(backorders.map(dateOf));
    if (!promisedDate) {
      fail(supplierCommandErrorCodes.ackBackorderDate, `line ${lineNumber} is backordered without the date it ships by (855 ACK04 068/ACK05)`, { field: `${field}.scheduledDate`, lineNumber });
    }
    return { lineNumber, action: 'backorder', ...(quantity !== undefined ? { quantity } : {}), ...(unitPrice !== undefined ? { unitPrice } : {}), promisedDate, ...common };
  }
  const promisedDate = dateChange && dateChange.action === 'change_date' ? dateChange.scheduledDate : latest(kept.map(dateOf));
  const changed = rejects.length > 0 || kept.some((p) => p.action === 'change_quantity' || p.action === 'change_price' || p.action === 'change_date');
  return {
    lineNumber,
    action: changed ? 'change' : 'accept',
    ...(quantity !== undefined ? { quantity } : {}),
    ...(unitPrice !== undefined ? { unitPrice } : {}),
    ...(promisedDate !== undefined ? { promisedDate } : {}),
    ...common,
  };
}

/**
 * A canonical purchase order acknowledgment (855 or CSV) as the `acknowledge` command's submission: one answer per
 * purchase order line (see {@link acknowledgmentLineSubmission}), the supplier's acknowledgment number and the
 * revision it answers.
 * @example
 * const { poNumber, submission } = acknowledgmentToSubmission(ack);
 * const po = await queries.getPurchaseOrder(ctx, poNumber);
 * await commands.acknowledge(ctx, po.id, submission);
 */
export function acknowledgmentToSubmission(ack: PurchaseOrderAcknowledgment): AcknowledgmentCommand {
  const byLine = new Map<number, AcknowledgmentLine[]>();
  for (const l of ack.lines) byLine.set(l.lineNumber, [...(byLine.get(l.lineNumber) ?? []), l]);
  const lines = [...byLine.entries()].sort(([a], [b]) => a - b).map(([n, parts]) => acknowledgmentLineSubmission(n, parts));
  return {
    poNumber: ack.poNumber,
    submission: {
      ...(ack.ackNumber ? { acknowledgmentNumber: ack.ackNumber } : {}),
      revision: ack.poRevision,
      lines,
    },
  };
}

/**
 * A canonical ship notice (856 or CSV) as the `submitAsn` command's submission: items of every pack summed per
 * purchase order line, ship date from `shippedAt`, the carrier's SCAC, tracking number and lot (when one lot per line).
 * @example const asn = await commands.submitAsn(ctx, asnToSubmission(notice));
 */
export function asnToSubmission(asn: AdvanceShipNotice): AsnSubmission {
  if (asn.purpose !== 'original') {
    fail(supplierCommandErrorCodes.asnPurpose, `ship notice ${asn.asnNumber} is a ${asn.purpose}; only original ship notices are taken (send corrections as a new ship notice)`, { field: 'purpose', asnNumber: asn.asnNumber });
  }
  if (!asn.expectedDeliveryDate) {
    fail(supplierCommandErrorCodes.asnDeliveryDate, `ship notice ${asn.asnNumber} has no expected delivery date (856 DTM 017, 002 or 067)`, { field: 'expectedDeliveryDate', asnNumber: asn.asnNumber });
  }
  const lines = new Map<string, AsnSubmission['lines'][number] & { lots: Set<string | undefined> }>();
  asn.orders.forEach((order, o) =>
    order.packs.forEach((pack, p) =>
      pack.items.forEach((item, i) => {
        const field = `orders[${o}].packs[${p}].items[${i}]`;
        if (!item.sku) {
          fail(supplierCommandErrorCodes.asnSku, `ship notice ${asn.asnNumber}: PO ${order.poNumber} line ${item.lineNumber} has no SKU of ours (add the supplier part to the partner's item cross-references)`, { field: `${field}.sku`, poNumber: order.poNumber, lineNumber: item.lineNumber });
        }
        const key = `${order.poNumber}#${item.lineNumber}`;
        const seen = lines.get(key);
        if (!seen) {
          lines.set(key, { poNumber: order.poNumber, lineNumber: item.lineNumber, sku: item.sku!, quantity: item.quantity, unit: item.unit, lots: new Set([item.lot]) });
          return;
        }
        if (seen.unit !== item.unit || seen.sku !== item.sku) {
          fail(supplierCommandErrorCodes.asnMixedUnits, `ship notice ${asn.asnNumber}: PO ${order.poNumber} line ${item.lineNumber} is shipped as ${seen.sku} ${seen.unit} and ${item.sku} ${item.unit}`, { field: `${field}.unit`, poNumber: order.poNumber, lineNumber: item.lineNumber });
        }
        seen.quantity = addDecimal(seen.quantity, item.quantity);
        seen.lots.add(item.lot);
      }),
    ),
  );
  return {
    asnNumber: asn.asnNumber,
    shipDate: asn.shippedAt.slice(0, 10),
    expectedDeliveryDate: asn.expectedDeliveryDate!,
    ...(/^[A-Z0-9]{2,4}$/.test(asn.carrier.code) ? { carrierCode: asn.carrier.code } : {}),
    ...(asn.trackingNumber ? { trackingNumber: asn.trackingNumber } : {}),
    lines: [...lines.values()].map(({ lots, ...l }) => {
      const lot = lots.size === 1 ? [...lots][0] : undefined;
      return { ...l, ...(lot ? { lot } : {}) };
    }),
  };
}

/**
 * A supplier's canonical invoice (810) as the `submitInvoice` command's submission: the one purchase order it bills,
 * lines by purchase order line number (`orderLineNumber`, else the invoice line number), freight and other charges,
 * tax. Credit and debit memos, invoices of several orders and discounts are refused (the command has no place for them).
 * @example const view = await commands.submitInvoice(ctx, invoiceToSubmission(invoice));
 */
export function invoiceToSubmission(invoice: Invoice): SupplierInvoiceSubmission {
  const n = invoice.invoiceNumber;
  if (invoice.direction !== 'payable') fail(supplierCommandErrorCodes.invoiceDirection, `invoice ${n} is ${invoice.direction}; only a supplier's (payable) invoice is taken`, { field: 'direction', invoiceNumber: n });
  if (invoice.kind !== 'invoice') fail(supplierCommandErrorCodes.invoiceKind, `invoice ${n} is a ${invoice.kind.replace('_', ' ')}; only invoices are taken`, { field: 'kind', invoiceNumber: n });
  const orders = invoice.orderRefs.flatMap((r) => (r.kind === 'purchase_order' ? [r.poNumber] : []));
  if (orders.length !== 1) {
    fail(supplierCommandErrorCodes.invoiceOrder, `invoice ${n} ${orders.length === 0 ? 'names no purchase order (810 BIG04)' : `names ${orders.length} purchase orders (${orders.join(', ')}); one per invoice`}`, { field: 'orderRefs', invoiceNumber: n });
  }
  if (invoice.totals.discount && compareDecimal(invoice.totals.discount.amount, '0') !== 0) {
    fail(supplierCommandErrorCodes.invoiceDiscount, `invoice ${n} has a discount of ${invoice.totals.discount.amount}; discounts are agreed on the purchase order price, not on the invoice`, { field: 'totals.discount', invoiceNumber: n });
  }
  const seen = new Set<number>();
  const lines = invoice.lines.map((l, i) => {
    const lineNumber = l.orderLineNumber ?? l.lineNumber;
    if (!l.sku) fail(supplierCommandErrorCodes.invoiceSku, `invoice ${n} line ${l.lineNumber} has no SKU of ours (add the supplier part to the partner's item cross-references)`, { field: `lines[${i}].sku`, invoiceNumber: n });
    if (seen.has(lineNumber)) fail(supplierCommandErrorCodes.invoiceLineTwice, `invoice ${n} bills purchase order line ${lineNumber} twice`, { field: `lines[${i}].orderLineNumber`, invoiceNumber: n });
    seen.add(lineNumber);
    return { lineNumber, sku: l.sku!, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice.amount };
  });
  const freight = invoice.totals.freight.amount;
  const tax = invoice.totals.tax.amount;
  return {
    invoiceNumber: n,
    invoiceDate: invoice.invoiceDate,
    poNumber: orders[0]!,
    currency: invoice.currency,
    lines,
    ...(compareDecimal(freight, '0') !== 0 ? { charges: [{ kind: 'freight', amount: freight }] } : {}),
    ...(compareDecimal(tax, '0') !== 0 ? { tax } : {}),
  };
}
