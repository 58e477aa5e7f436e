import { compareDecimal } from '@tradelane/canonical';
import type { ErpOrder, ErpOrderStatus } from '@tradelane/connector-kit';
import type { NewTimelineEntry, StoredOrder } from '@tradelane/core';

/** Order statuses in the order they are reached; a status never moves back (except holds and cancellation). */
export const orderStatusRank: readonly string[] = [
  'Received',
  'Validated',
  'Accepted',
  'OnHold',
  'Committed',
  'Acknowledged',
  'Backordered',
  'Allocated',
  'Released',
  'Picked',
  'Packed',
  'PartiallyShipped',
  'Shipped',
  'InTransit',
  'Delivered',
  'Invoiced',
  'Paid',
  'Closed',
];

const erpStatusToHub: Record<ErpOrderStatus, string> = {
  Entered: 'Acknowledged',
  OnHold: 'OnHold',
  Allocated: 'Allocated',
  PartiallyAllocated: 'Backordered',
  Backordered: 'Backordered',
  Released: 'Released',
  PartiallyShipped: 'PartiallyShipped',
  Shipped: 'Shipped',
  Invoiced: 'Invoiced',
  Closed: 'Closed',
  Cancelled: 'Cancelled',
};

/** True when every line that is not cancelled has shipped its whole quantity. */
export function fullyShipped(order: StoredOrder): boolean {
  return order.view.lines.every((l) => l.status === 'Cancelled' || compareDecimal(l.quantityShipped, l.quantity) >= 0);
}

/** The later of two statuses; `Cancelled` and `Rejected` are final, `OnHold` applies until a later status replaces it. */
export function advanceStatus(current: string, next: string): string {
  if (current === 'Cancelled' || current === 'Rejected') return current;
  if (next === 'Cancelled') return next;
  if (next === 'OnHold') return orderStatusRank.indexOf(current) <= orderStatusRank.indexOf('Acknowledged') ? 'OnHold' : current;
  const a = orderStatusRank.indexOf(current);
  const b = orderStatusRank.indexOf(next);
  return b > a ? next : current;
}

/**
 * Applies what the ERP says about an order to the read model: order number, header status (never backwards), per-line
 * allocated / backordered / shipped quantities and promised dates; returns the timeline entries the change implies
 * (keys make them land once).
 */
export function applyErpOrder(order: StoredOrder, erp: ErpOrder, at: string, options: { committed?: boolean } = {}): { order: StoredOrder; entries: NewTimelineEntry[] } {
  const entries: NewTimelineEntry[] = [];
  const view = { ...order.view, lines: order.view.lines.map((l) => ({ ...l })) };
  if (options.committed || !view.orderNumber) {
    entries.push({ key: 'erp:committed', status: 'Committed', at, source: 'erp', detail: `committed to the ERP as order ${erp.erpOrderNumber}` });
    entries.push({ key: 'erp:acknowledged', status: 'Acknowledged', at, source: 'erp', detail: `ERP order ${erp.erpOrderNumber} acknowledged (${erp.status})` });
  }
  view.orderNumber = erp.erpOrderNumber;
  let status = advanceStatus(view.status, 'Acknowledged');
  if (erp.status === 'OnHold') {
    entries.push({ key: 'erp:on-hold', status: 'OnHold', at, source: 'erp', detail: `on hold in the ERP${erp.holdReason ? `: ${erp.holdReason}` : ''}` });
  }
  for (const el of erp.lines) {
    const line = view.lines.find((l) => l.lineNumber === el.lineNumber);
    if (!line) continue;
    line.quantityAllocated = el.quantityAllocated;
    line.quantityBackordered = el.quantityBackordered;
    if (compareDecimal(el.quantityShipped, line.quantityShipped) > 0) line.quantityShipped = el.quantityShipped;
    if (el.promisedDate) line.promisedDate = el.promisedDate;
    if (compareDecimal(el.quantityAllocated, '0') > 0) {
      entries.push({
        key: `erp:line:${el.lineNumber}:allocated:${el.quantityAllocated}`,
        status: 'Allocated',
        at,
        source: 'erp',
        detail: `line ${el.lineNumber}: ${el.quantityAllocated} ${el.unit} allocated${el.warehouseId ? ` in ${el.warehouseId}` : ''}${el.promisedDate ? `, promised ${el.promisedDate}` : ''}`,
        lineNumber: el.lineNumber,
      });
    }
    if (compareDecimal(el.quantityBackordered, '0') > 0) {
      entries.push({
        key: `erp:line:${el.lineNumber}:backordered:${el.quantityBackordered}`,
        status: 'Backordered',
        at,
        source: 'erp',
        detail: `line ${el.lineNumber}: ${el.quantityBackordered} ${el.unit} backordered${el.promisedDate ? `, expected ${el.promisedDate}` : ''}`,
        lineNumber: el.lineNumber,
      });
    }
    if (line.status === 'Open' || line.status === 'Allocated' || line.status === 'Backordered') {
      line.status = compareDecimal(el.quantityBackordered, '0') > 0 ? 'Backordered' : compareDecimal(el.quantityAllocated, '0') > 0 ? 'Allocated' : line.status;
    }
  }
  const hub = erpStatusToHub[erp.status];
  const next = advanceStatus(status, hub);
  if (next !== status) {
    status = next;
    if (hub === 'Released' || hub === 'Cancelled' || hub === 'Closed') {
      entries.push({ key: `erp:status:${hub}`, status: hub, at, source: 'erp', detail: `ERP order ${erp.erpOrderNumber} ${hub.toLowerCase()}` });
    }
  }
  view.status = status;
  return { order: { ...order, view }, entries };
}
