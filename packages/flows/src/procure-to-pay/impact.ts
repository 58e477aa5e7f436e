import { addDecimal, compareDecimal, subtractDecimal } from '@tradelane/canonical';
import type { InboundSupply, ProcureToPayTx, StoredPurchaseOrder, TenantContext, TimelineEntry } from '@tradelane/core';
import { factorToBase } from '../order-to-cash/order-validation.js';
import { emit, openException, p2pEventTypes, supplyDate, today, type P2pSettings } from './procure-to-pay.process.js';

/**
 * Rewrites the inbound supply of every line of a purchase order (availability-to-promise): what is still to arrive
 * (committed minus received) and when (ship notice date, else promised, else requested).
 * @returns the SKUs whose supply changed
 */
export async function refreshSupply(ctx: TenantContext, tx: ProcureToPayTx, po: StoredPurchaseOrder): Promise<Set<string>> {
  const changed = new Set<string>();
  const current = new Map<string, InboundSupply>();
  for (const s of await tx.procureToPay.supply.inboundOfPurchaseOrder(ctx, po.id)) current.set(`${s.lineNumber}`, s);
  const closed = po.erpStatus === 'Cancelled' || po.erpStatus === 'Closed';
  for (const l of po.view.lines) {
    const dead = closed || l.status === 'Rejected' || l.status === 'Cancelled';
    const committed = dead ? '0' : (l.quantityAcknowledged ?? l.quantity);
    const open = subtractDecimal(committed, l.quantityReceived);
    const quantity = compareDecimal(open, '0') > 0 ? open : '0';
    const asnDate = po.asnDates?.[String(l.lineNumber)];
    const supply: InboundSupply = {
      purchaseOrderId: po.id,
      poNumber: po.poNumber,
      lineNumber: l.lineNumber,
      supplierId: po.supplierId,
      sku: l.sku,
      warehouseId: po.warehouseId,
      quantity,
      unit: l.unit,
      expectedDate: supplyDate(l, asnDate),
      confidence: asnDate && compareDecimal(l.quantityShipped, l.quantityReceived) > 0 ? 'shipped' : l.quantityAcknowledged !== undefined ? 'acknowledged' : 'ordered',
    };
    const before = current.get(String(l.lineNumber));
    if (!before && quantity === '0') continue;
    if (!before || before.quantity !== supply.quantity || before.expectedDate !== supply.expectedDate || before.confidence !== supply.confidence) {
      await tx.procureToPay.supply.putInbound(ctx, supply);
      changed.add(l.sku);
    }
  }
  return changed;
}

/** What re-promising did to one customer order line. */
export interface RepromiseOutcome {
  orderId: string;
  lineNumber: number;
  previousPromisedDate: string | null;
  promisedDate: string;
}

/**
 * Re-promises the backordered customer order lines of `sku` against its inbound supply. The rule: backordered lines
 * take inbound supply first come, first served — oldest order first, earliest expected supply first — and a line's
 * promised date is the expected date of the supply that completes it; a line no inbound supply covers is promised
 * at the earliest supplier statement (next available date, or today plus lead time), else keeps its date. A changed
 * date updates the order line (quantities compared in the item's base unit), appends `Promised`/`Repromised` to the customer timeline and writes
 * `sales_order.repromised`; a date moved later also opens a `promise_missed` exception for customer service.
 */
export async function repromise(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, sku: string, reason: string, source: TimelineEntry['source']): Promise<RepromiseOutcome[]> {
  const lines = await tx.procureToPay.supply.backorderedLines(ctx, sku);
  if (lines.length === 0) return [];
  const supply = await tx.procureToPay.supply.inboundOf(ctx, sku);
  const statements = await tx.procureToPay.suppliers.itemsBySku(ctx, sku);
  const fallback = statements
    .map((s) => s.nextAvailableDate ?? (s.leadTimeDays !== undefined ? today(settings.clock, s.leadTimeDays) : undefined))
    .filter((d): d is string => d !== undefined)
    .sort()[0];
  // Quantities are compared in the item's base unit (a PO in boxes fills orders in eaches).
  const item = await tx.orderToCash.catalog.findItem(ctx, { sku, customerId: '' });
  const base = (quantity: string, unit: string) => Number(quantity) * Number((item && factorToBase(item, unit)) ?? '1');
  const available = supply.map((s) => base(s.quantity, s.unit));
  const outcomes: RepromiseOutcome[] = [];
  let index = 0;
  let left = available[0] ?? 0;
  for (const line of lines) {
    let need = base(line.quantityBackordered, line.unit);
    let date: string | undefined;
    let supplyKey = 'supplier';
    while (need > 0 && index < supply.length) {
      const take = Math.min(need, left);
      need -= take;
      left -= take;
      date = supply[index]!.expectedDate;
      supplyKey = `${supply[index]!.poNumber}:${supply[index]!.lineNumber}`;
      if (left <= 0) {
        index += 1;
        left = available[index] ?? 0;
      }
    }
    if (need > 0) {
      date = fallback;
      supplyKey = 'supplier';
    }
    if (!date) continue;
    const previous = line.promisedDate ?? null;
    await tx.procureToPay.supply.putPromise(ctx, { orderId: line.orderId, partnerId: line.partnerId, lineNumber: line.lineNumber, sku, promisedDate: date, supplyKey });
    if (previous === date) continue;
    const order = await tx.orderToCash.orders.get(ctx, line.orderId, { forUpdate: true });
    if (!order) continue;
    const view = { ...order.view, lines: order.view.lines.map((l) => (l.lineNumber === line.lineNumber ? { ...l, promisedDate: date } : l)) };
    await tx.orderToCash.orders.save(ctx, { ...order, view });
    const at = settings.clock.now().toISOString();
    const detail = previous ? `line ${line.lineNumber}: promised ${date} (was ${previous}): ${reason}` : `line ${line.lineNumber}: promised ${date}: ${reason}`;
    await tx.orderToCash.orders.appendTimeline(ctx, line.orderId, [
      { key: `p2p:promise:${line.lineNumber}:${date}`, status: previous ? 'Repromised' : 'Promised', at, source, detail, lineNumber: line.lineNumber },
    ]);
    await emit(ctx, tx, settings, p2pEventTypes.repromised, line.orderId, {
      orderId: line.orderId,
      customerId: line.partnerId,
      customerPoNumber: order.view.customerPoNumber,
      lineNumber: line.lineNumber,
      sku,
      previousPromisedDate: previous,
      promisedDate: date,
      reason: reason.slice(0, 500),
    }, { type: 'sales_order', id: line.orderId }, line.partnerId);
    if (previous && date > previous) {
      const open = (await tx.procureToPay.exceptions.findOpen(ctx, 'promise_missed', line.orderId)).find((e) => e.context.lineNumber === line.lineNumber);
      if (open) {
        const at = settings.clock.now().toISOString();
        await tx.procureToPay.exceptions.save(ctx, {
          ...open,
          view: {
            ...open.view,
            evidence: { ...open.view.evidence, previousPromisedDate: previous, promisedDate: date, reason, supply: supplyKey },
            history: [...open.view.history, { at, actor: 'system:procure-to-pay', action: 'moved', note: `moved from ${previous} to ${date}: ${reason}` }],
          },
        });
      } else {
        await openException(ctx, tx, settings, {
          type: 'promise_missed',
          ownerRole: 'customer_service',
          subject: { kind: 'sales_order', id: line.orderId, number: order.view.orderNumber ?? order.view.customerPoNumber },
          customerId: line.partnerId,
          summary: `order ${order.view.customerPoNumber} line ${line.lineNumber} (${sku}) moved from ${previous} to ${date}`,
          evidence: { lineNumber: line.lineNumber, sku, quantityBackordered: line.quantityBackordered, previousPromisedDate: previous, promisedDate: date, reason, supply: supplyKey },
          actions: ['acknowledge'],
          context: { lineNumber: line.lineNumber, promisedDate: date },
        });
      }
    }
    outcomes.push({ orderId: line.orderId, lineNumber: line.lineNumber, previousPromisedDate: previous, promisedDate: date });
  }
  return outcomes;
}

/** Availability-to-promise of one SKU in one warehouse. */
export interface AtpLocation {
  warehouseId: string;
  onHand: string;
  allocated: string;
  /** On hand minus allocated (negative when over-allocated). */
  available: string;
  /** Open inbound supply by expected date. */
  inbound: Array<{ date: string; quantity: string; confidence: InboundSupply['confidence']; poNumber: string; lineNumber: number }>;
  /** Available plus inbound supply expected on or before each date. */
  projected: Array<{ date: string; available: string }>;
}

/** Availability-to-promise of one SKU across warehouses. */
export interface AvailabilityToPromise {
  sku: string;
  asOf: string;
  locations: AtpLocation[];
}

/** Computes the availability-to-promise view of a SKU from stock (ERP inventory read model) and inbound supply. */
export async function availabilityToPromise(ctx: TenantContext, tx: ProcureToPayTx, sku: string, asOf: Date): Promise<AvailabilityToPromise> {
  const item = await tx.orderToCash.catalog.findItem(ctx, { sku, customerId: '' });
  const positions = item ? await tx.orderToCash.catalog.inventoryOf(ctx, item.id) : [];
  const supply = await tx.procureToPay.supply.inboundOf(ctx, sku);
  const warehouses = [...new Set([...positions.map((p) => p.locationId), ...supply.map((s) => s.warehouseId)])].sort();
  return {
    sku,
    asOf: asOf.toISOString(),
    locations: warehouses.map((warehouseId) => {
      const p = positions.find((x) => x.locationId === warehouseId);
      const onHand = p?.onHand ?? '0';
      const allocated = p?.allocated ?? '0';
      const available = subtractDecimal(onHand, allocated);
      const inbound = supply.filter((s) => s.warehouseId === warehouseId).map((s) => ({ date: s.expectedDate, quantity: s.quantity, confidence: s.confidence, poNumber: s.poNumber, lineNumber: s.lineNumber }));
      const projected: AtpLocation['projected'] = [];
      let running = available;
      for (const i of inbound) {
        running = addDecimal(running, i.quantity);
        const last = projected.at(-1);
        if (last && last.date === i.date) last.available = running;
        else projected.push({ date: i.date, available: running });
      }
      return { warehouseId, onHand, allocated, available, inbound, projected };
    }),
  };
}

