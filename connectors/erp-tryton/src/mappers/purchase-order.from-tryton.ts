import { purchaseOrderSchema, type PurchaseOrder, type PurchaseOrderLineStatus, type PurchaseOrderState } from '@tradelane/canonical';
import type { ErpPurchaseOrder, ErpPurchaseOrderLine, ErpPurchaseOrderStatus } from '@tradelane/connector-kit';
import { decimalOf, isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonPurchaseLineRecord, TrytonPurchaseRecord } from '../wire/tryton-purchase-records.js';
import { acknowledgmentOfNote } from './acknowledgment-note.js';
import { trytonDerivedId } from './derived-id.js';
import { itemIdOfTryton, moneyOf } from './item.from-tryton.js';
import { partyIdOfTryton, paymentTermsFromName } from './party.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/** Derived canonical id of a Tryton purchase (by its database id). */
export const purchaseOrderIdOfTryton = (tenantId: string, purchaseId: number) => trytonDerivedId('po', tenantId, 'purchase', String(purchaseId));

/** The purchase order number the hub uses: the purchase's `number`, or its database id while it has none (draft). */
export const poNumberOfTryton = (purchase: Pick<TrytonPurchaseRecord, 'id' | 'number'>) => purchase.number ?? String(purchase.id);

/** Decimal text of a float quantity (six decimals at most, no trailing zeros). */
export const quantityText = (n: number) => String(Number(n.toFixed(6)));

/** Quantities of one purchase line derived from its incoming moves. */
export interface TrytonLineQuantities {
  cancelled: number;
  inTransit: number;
  received: number;
  /** Moves not done, not cancelled and not on their way yet. */
  open: number;
  /** Earliest `planned_date` of the moves still expected (the supplier's promise once acknowledged). */
  plannedDate?: string | undefined;
  /** Earliest `planned_date` of the supplier shipments on their way. */
  expectedDate?: string | undefined;
}

/**
 * Line quantities from the moves: done → received; cancelled (unless replaced, `moves_recreated`) → cancelled; on a
 * supplier shipment still in `draft` → in transit; the rest (draft moves on no shipment) → open.
 */
export function lineQuantities(line: TrytonPurchaseLineRecord): TrytonLineQuantities {
  const q: TrytonLineQuantities = { cancelled: 0, inTransit: 0, received: 0, open: 0 };
  const earliest = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);
  for (const m of line.moves) {
    if (m.recreated) continue;
    if (m.state === 'done') q.received += m.quantity;
    else if (m.state === 'cancelled') q.cancelled += m.quantity;
    else if (m.shipmentId !== undefined && m.shipmentState === 'draft') {
      q.inTransit += m.quantity;
      q.expectedDate = earliest(q.expectedDate, m.shipmentPlannedDate ?? m.plannedDate);
    } else {
      q.open += m.quantity;
      q.plannedDate = earliest(q.plannedDate, m.plannedDate);
    }
  }
  // a line confirmed but not processed yet has no moves: all of it is open
  if (line.moves.length === 0) q.open = line.quantity;
  return q;
}

const EPS = 1e-9;

/**
 * Where a Tryton purchase stands, in hub vocabulary: `draft`/`quotation` → Entered, `cancelled` → Cancelled, `done` →
 * Closed; confirmed or processing: every open line received → Received (Invoiced once the supplier's invoices cover
 * it), some received → PartiallyReceived, some on a supplier shipment → InTransit, every open line acknowledged →
 * Acknowledged, else Approved. A line whose whole quantity is cancelled is not open.
 */
export function purchaseOrderStatusFromTryton(purchase: Pick<TrytonPurchaseRecord, 'state' | 'lines'>): ErpPurchaseOrderStatus {
  if (purchase.state === 'draft' || purchase.state === 'quotation') return 'Entered';
  if (purchase.state === 'cancelled') return 'Cancelled';
  if (purchase.state === 'done') return 'Closed';
  const open = purchase.lines.map((l) => ({ l, q: lineQuantities(l) })).filter(({ l, q }) => l.quantity - q.cancelled > EPS);
  if (open.length === 0) return 'Cancelled';
  const received = open.every(({ l, q }) => q.received >= l.quantity - q.cancelled - EPS);
  if (received) return open.every(({ l, q }) => l.invoiced >= q.received - EPS) ? 'Invoiced' : 'Received';
  if (open.some(({ q }) => q.received > EPS)) return 'PartiallyReceived';
  if (open.some(({ q }) => q.inTransit > EPS)) return 'InTransit';
  if (open.every(({ l }) => acknowledgmentOfNote(l.note) !== undefined)) return 'Acknowledged';
  return 'Approved';
}

function canonicalState(purchase: TrytonPurchaseRecord, status: ErpPurchaseOrderStatus): PurchaseOrderState {
  if (status === 'Cancelled' || status === 'Closed') return status;
  if (purchase.invoices.disputed) return 'Disputed';
  if (status === 'Invoiced') return purchase.invoices.approved ? 'Matched' : 'Invoiced';
  if (status === 'Received' || status === 'PartiallyReceived' || status === 'Acknowledged') return status;
  if (status === 'InTransit') return 'Shipped';
  if (status === 'Entered') return 'Draft';
  return purchase.lines.some((l) => acknowledgmentOfNote(l.note) !== undefined) ? 'PartiallyAcknowledged' : 'Approved';
}

function lineState(purchase: TrytonPurchaseRecord, line: TrytonPurchaseLineRecord): PurchaseOrderLineStatus {
  const q = lineQuantities(line);
  const ack = acknowledgmentOfNote(line.note);
  if (line.quantity - q.cancelled <= EPS) return ack === 'rejected' ? 'Rejected' : 'Cancelled';
  if (purchase.state === 'done') return 'Closed';
  if (q.received >= line.quantity - q.cancelled - EPS) return 'Received';
  if (q.received > EPS) return 'PartiallyReceived';
  if (q.inTransit > EPS) return 'Shipped';
  if (ack === 'backordered') return 'Backordered';
  if (ack === 'changed') return 'Changed';
  if (ack === 'accepted') return 'Acknowledged';
  if (ack === 'rejected') return 'Rejected';
  return 'Open';
}

/**
 * A Tryton `purchase.purchase` as a canonical PurchaseOrder: id derived from the purchase id, number = `number`,
 * revision 0 (Tryton keeps no revisions), the party as supplier, channel `api`, the warehouse as ship-to, product lines
 * numbered 1… with the supplier's part number, requested date = the date Tryton planned the line for (its own
 * delivery date, the purchase's, or purchase date + supplier lead time), promised date = the planned date of its
 * expected moves once acknowledged, and shipped, received and invoiced quantities.
 */
export function canonicalPurchaseOrderFromTryton(purchase: TrytonPurchaseRecord, context: { tenantId: string; unitMap?: Readonly<Record<string, string>> }): PurchaseOrder {
  const currency = purchase.currency;
  const money = (value: unknown) => ({ amount: moneyOf(decimalOf(value)), currency });
  const status = purchaseOrderStatusFromTryton(purchase);
  const created = isoDateTimeOf(purchase.create_date, '1970-01-01T00:00:00.000Z');
  const orderedAt = purchase.purchaseDate ? `${purchase.purchaseDate}T00:00:00.000Z` : created;
  const a = purchase.shipToAddress;
  const street = (a?.street ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  const warehouse = purchase.warehouseCode ?? 'WH';
  const tax = money(purchase.tax_amount);
  const subtotal = money(purchase.untaxed_amount);
  return validateDocument(
    purchaseOrderSchema,
    {
      schemaVersion: 1,
      id: purchaseOrderIdOfTryton(context.tenantId, purchase.id),
      tenantId: context.tenantId,
      poNumber: poNumberOfTryton(purchase),
      revision: 0,
      supplierId: partyIdOfTryton(context.tenantId, purchase.party),
      status: canonicalState(purchase, status),
      orderedAt,
      channel: 'api',
      currency,
      ...(purchase.paymentTermName ? { paymentTerms: paymentTermsFromName(purchase.paymentTermName) } : {}),
      shipToLocationId: warehouse,
      shipTo: {
        code: warehouse,
        name: (purchase.warehouseName ?? purchase.companyName).slice(0, 120),
        address: {
          line1: street[0] ?? purchase.companyName,
          ...(street[1] ? { line2: street[1] } : {}),
          city: a?.city || '-',
          ...(a?.subdivision_code ? { region: a.subdivision_code.replace(/^[A-Z]{2}-/, '') } : {}),
          ...(a?.postal_code ? { postalCode: a.postal_code } : {}),
          country: a?.country_code ?? 'US',
        },
      },
      lines: purchase.lines.map((l) => {
        const q = lineQuantities(l);
        const ack = acknowledgmentOfNote(l.note);
        const remaining = l.quantity - q.cancelled;
        const requested = l.deliveryDate ?? purchase.purchaseDate ?? created.slice(0, 10);
        return {
          lineNumber: l.lineNumber,
          itemId: itemIdOfTryton(context.tenantId, l.productId),
          sku: l.sku,
          ...(l.supplierPartNumber ? { supplierPartNumber: l.supplierPartNumber.slice(0, 48) } : {}),
          ...(l.description ? { description: l.description.replace(/\s+/g, ' ').trim().slice(0, 200) } : {}),
          quantity: quantityText(remaining > EPS ? remaining : l.quantity),
          unit: unitFromTryton(l.unitSymbol, context.unitMap),
          unitPrice: money(l.unitPrice),
          requestedDate: requested,
          ...(ack && ack !== 'rejected' && q.plannedDate ? { promisedDate: q.plannedDate } : {}),
          status: lineState(purchase, l),
          ...(ack === 'rejected' ? { quantityAcknowledged: '0' } : ack ? { quantityAcknowledged: quantityText(Math.max(remaining, 0)) } : {}),
          quantityShipped: quantityText(q.inTransit + q.received),
          quantityReceived: quantityText(q.received),
          quantityInvoiced: quantityText(l.invoiced),
        };
      }),
      totals: { subtotal, tax, freight: { amount: '0.00', currency }, total: { amount: moneyOf(decimalOf(purchase.total_amount)), currency } },
      ...(purchase.comment || purchase.description ? { notes: (purchase.comment || purchase.description || '').slice(0, 2000) } : {}),
      externalIds: { [ERP_TRYTON_SYSTEM]: `purchase.purchase ${purchase.id}` },
      createdAt: created,
      updatedAt: isoDateTimeOf(purchase.write_date, created),
    },
    `purchase ${purchase.number ?? purchase.id}`,
  );
}

/** A Tryton purchase as an {@link ErpPurchaseOrder}: its state and per-line quantities plus the canonical document. */
export function purchaseOrderFromTryton(purchase: TrytonPurchaseRecord, context: { tenantId: string; unitMap?: Readonly<Record<string, string>> }): ErpPurchaseOrder {
  const purchaseOrder = canonicalPurchaseOrderFromTryton(purchase, context);
  const lines: ErpPurchaseOrderLine[] = purchase.lines.map((l) => {
    const q = lineQuantities(l);
    const ack = acknowledgmentOfNote(l.note);
    const canonical = purchaseOrder.lines.find((c) => c.lineNumber === l.lineNumber)!;
    return {
      lineNumber: l.lineNumber,
      sku: l.sku,
      ...(canonical.supplierPartNumber ? { supplierPartNumber: canonical.supplierPartNumber } : {}),
      unit: canonical.unit,
      quantityOrdered: quantityText(l.quantity),
      quantityCancelled: quantityText(q.cancelled),
      quantityInTransit: quantityText(q.inTransit),
      quantityReceived: quantityText(q.received),
      quantityInvoiced: quantityText(l.invoiced),
      unitPrice: moneyOf(decimalOf(l.unitPrice)),
      warehouseId: purchaseOrder.shipToLocationId,
      requestedDate: canonical.requestedDate,
      ...(canonical.promisedDate ? { promisedDate: canonical.promisedDate } : {}),
      ...(q.expectedDate ? { expectedDate: q.expectedDate } : {}),
      ...(ack ? { acknowledgment: ack } : {}),
    };
  });
  return {
    poNumber: purchaseOrder.poNumber,
    status: purchaseOrderStatusFromTryton(purchase),
    origin: purchase.fromRequests ? 'replenishment' : 'buyer',
    lines,
    purchaseOrder,
    updatedAt: purchaseOrder.updatedAt,
  };
}
