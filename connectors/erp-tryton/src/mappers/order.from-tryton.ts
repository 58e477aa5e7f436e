import type { ErpOrder, ErpOrderStatus } from '@tradelane/connector-kit';
import { decimalOf, isoDateTimeOf, normalizeDecimal } from '../codec/tryton-json.codec.js';
import type { TrytonSaleRecord } from '../wire/tryton-records.js';
import { moneyOf } from './item.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';

/**
 * Where a Tryton sale stands in hub vocabulary, from `state`, `shipment_state` and `invoice_state`:
 *
 * | Tryton | hub |
 * |---|---|
 * | cancelled | Cancelled |
 * | draft, quotation, confirmed | Entered |
 * | processing, shipment waiting (lines carry reserved quantities) | Released |
 * | processing, shipment exception | Backordered |
 * | processing, partially shipped (or waiting with some quantity shipped, see {@link orderFromTryton}) | PartiallyShipped |
 * | processing, sent, invoice none/waiting | Shipped |
 * | processing, sent, invoice paid/partially paid | Invoiced |
 * | done | Closed |
 */
export function orderStatusFromTryton(sale: Pick<TrytonSaleRecord, 'state' | 'shipment_state' | 'invoice_state'>): ErpOrderStatus {
  switch (sale.state) {
    case 'cancelled':
      return 'Cancelled';
    case 'draft':
    case 'quotation':
    case 'confirmed':
      return 'Entered';
    case 'done':
      return 'Closed';
    case 'processing':
      if (sale.shipment_state === 'exception') return 'Backordered';
      if (sale.shipment_state === 'partially shipped') return 'PartiallyShipped';
      if (sale.shipment_state === 'sent') return sale.invoice_state === 'paid' || sale.invoice_state === 'partially paid' ? 'Invoiced' : 'Shipped';
      return 'Released';
  }
}

/** Float quantity as a decimal string with at most 6 decimals. */
const qty = (n: number | null | undefined) => normalizeDecimal((n ?? 0).toFixed(6));

/**
 * A Tryton `sale.sale` as an {@link ErpOrder}: reference = `reference` (the hub's order id), number = `number`
 * (the id while still a draft without a number), product lines only, numbered by position; quantities shipped
 * from done outgoing moves, allocated from assigned ones. A processing sale still waiting for shipments after one of
 * them was done (Tryton 6.0 keeps `shipment_state` at `waiting` then) is `PartiallyShipped`.
 */
export function orderFromTryton(sale: TrytonSaleRecord, context: { unitMap?: Readonly<Record<string, string>> } = {}): ErpOrder {
  const lines = sale.lines.filter((l) => l.type === 'line' && l['product.code']);
  const computed = orderStatusFromTryton(sale);
  const status = computed === 'Released' && lines.some((l) => (l.shipped ?? 0) > 0) ? 'PartiallyShipped' : computed;
  const released = sale.state === 'processing' || sale.state === 'done';
  return {
    reference: sale.reference ?? '',
    erpOrderNumber: sale.number ?? String(sale.id),
    status,
    lines: lines.map((l, i) => {
      const quantity = l.quantity ?? 0;
      const shipped = Math.min(l.shipped ?? 0, quantity);
      const allocated = Math.min(l.assigned ?? 0, quantity - shipped);
      const backordered = status === 'Backordered' ? Math.max(0, quantity - shipped - allocated) : 0;
      return {
        lineNumber: i + 1,
        sku: l['product.code']!,
        quantity: qty(quantity),
        unit: l['unit.symbol'] ? unitFromTryton(l['unit.symbol'], context.unitMap) : 'EA',
        quantityAllocated: qty(allocated),
        quantityBackordered: qty(backordered),
        quantityShipped: qty(shipped),
        ...(released ? { quantityReleased: qty(quantity) } : {}),
        ...(sale['warehouse.code'] ? { warehouseId: sale['warehouse.code'] } : {}),
        ...(l.unit_price !== undefined && l.unit_price !== null ? { unitPrice: moneyOf(decimalOf(l.unit_price)) } : {}),
      };
    }),
    ...(sale.total_amount !== undefined && sale.total_amount !== null ? { total: moneyOf(decimalOf(sale.total_amount)) } : {}),
    updatedAt: isoDateTimeOf(sale.write_date ?? sale.create_date, isoDateTimeOf(sale.create_date, new Date(0).toISOString())),
  };
}
