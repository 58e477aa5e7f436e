import {
  addDecimal,
  compareDecimal,
  eventCatalog,
  makeEvent,
  subtractDecimal,
  type EventEnvelope,
  type TrackingEvent,
} from '@tradelane/canonical';
import type { ErpSalesOrders, ErpShipmentConfirmation, NormalisedTrackingEvent, WmsEvent, WmsFulfilment } from '@tradelane/connector-kit';
import {
  PermanentError,
  TransientError,
  type Clock,
  type NewTimelineEntry,
  type OrderShipmentView,
  type OrderToCashTx,
  type TenantContext,
} from '@tradelane/core';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { ErpChangeData } from './erp-feed.consumers.js';
import { advanceStatus, applyErpOrder, fullyShipped } from './erp-order.apply.js';

/** Hub event type of each warehouse event kind, as the WMS feed poller writes them to the outbox. */
export const wmsEventTypes = {
  'wave.planned': 'wms.wave_planned',
  'pick.completed': 'wms.pick_completed',
  'pack.completed': 'wms.pack_completed',
  'shipment.manifested': 'wms.shipment_manifested',
  'receipt.recorded': 'wms.receipt_recorded',
} as const satisfies Record<WmsEvent['kind'], string>;

/** Payload of the warehouse events: the event as the WMS connector reported it. */
export interface WmsEventData {
  event: WmsEvent;
}

/** Accepts `{ event: { kind, reference } }` payloads. */
export const wmsEventDataSchema = {
  safeParse(data: unknown): { success: true; data: WmsEventData } | { success: false; error: unknown } {
    const e = (data as { event?: { kind?: unknown; reference?: unknown } } | null)?.event;
    if (e && typeof e === 'object' && typeof e.kind === 'string' && e.kind in wmsEventTypes && typeof e.reference === 'string') return { success: true, data: data as WmsEventData };
    return { success: false, error: new PermanentError('TL_O2C_BAD_WMS_EVENT', 'payload is not a warehouse event') };
  },
};

/** Written when the warehouse ships part of an order; its consumer confirms the shipment in the ERP. */
export const SHIPMENT_DISPATCHED = 'shipment.dispatched';

/** Payload of `shipment.dispatched`. */
export interface ShipmentDispatchedData {
  orderId: string;
  erpOrderNumber: string;
  shipment: ErpShipmentConfirmation;
}

/** Accepts `shipment.dispatched` payloads. */
export const shipmentDispatchedSchema = {
  safeParse(data: unknown): { success: true; data: ShipmentDispatchedData } | { success: false; error: unknown } {
    const d = data as Partial<ShipmentDispatchedData> | null;
    if (d && typeof d.orderId === 'string' && typeof d.erpOrderNumber === 'string' && d.shipment && typeof d.shipment.reference === 'string') return { success: true, data: d as ShipmentDispatchedData };
    return { success: false, error: new PermanentError('TL_O2C_BAD_EVENT', 'shipment.dispatched needs orderId, erpOrderNumber and shipment') };
  },
};

/** The catalog event carrier tracking becomes (`tracking.updated`). */
export const TRACKING_UPDATED = 'tracking.updated';

/** Payload of `tracking.updated`. */
export interface TrackingUpdatedData {
  trackingEvent: TrackingEvent;
}

/** What fulfilment needs. */
export interface FulfilmentDeps {
  wms: WmsFulfilment | undefined;
  erpSalesOrders: ErpSalesOrders;
  erpBreaker: CircuitBreaker;
  clock: Clock;
}

const ZERO = '0';
const positive = (q: string) => compareDecimal(q, ZERO) > 0;

/** A tracking event as the hub records it: its id and tenant, read time no earlier than the carrier's event time. */
export function trackingEventOf(event: NormalisedTrackingEvent, read: { tenantId: string; time: string; id: string }): TrackingEvent {
  const recordedAt = Date.parse(read.time) < Date.parse(event.occurredAt) ? event.occurredAt : read.time;
  return { ...event, schemaVersion: 1, id: read.id as TrackingEvent['id'], tenantId: read.tenantId, recordedAt } as TrackingEvent;
}

function describeLines(lines: ReadonlyArray<{ lineNumber: number; quantity: string; unit?: string | undefined }>): string {
  return lines.map((l) => `line ${l.lineNumber} × ${l.quantity}${l.unit ? ` ${l.unit}` : ''}`).join(', ');
}

/**
 * Fulfilment of committed orders: what the ERP releases goes to the warehouse (once per released quantity), the
 * warehouse's wave, pick, pack and manifest events become timeline entries and shipments, each shipment is confirmed
 * in the ERP (which invoices it), and carrier tracking moves shipments to in transit and delivered with proof of
 * delivery. Every handler runs in its consumer's transaction; calls out are idempotent on hub references.
 */
export function createFulfilment(deps: FulfilmentDeps) {
  const { clock } = deps;

  /** Consumer of `erp_order.updated`: releases what the ERP released and the WMS has not been sent yet. */
  async function releaseToWarehouse(ctx: TenantContext, event: EventEnvelope<ErpChangeData>, tx: OrderToCashTx): Promise<void> {
    const change = event.data.change;
    const wms = deps.wms;
    if (change.kind !== 'order.updated' || !wms || !change.order.reference) return;
    const erpOrder = change.order;
    const repos = tx.orderToCash;
    const order = await repos.orders.get(ctx, erpOrder.reference, { forUpdate: true });
    if (!order?.salesOrder || order.view.status === 'Cancelled' || order.view.status === 'Rejected') return;

    const releases = await repos.fulfilment.releasesOf(ctx, order.id);
    const sent = new Map<number, string>();
    for (const r of releases) for (const l of r.lines) sent.set(l.lineNumber, addDecimal(sent.get(l.lineNumber) ?? ZERO, l.quantity));
    const byWarehouse = new Map<string, Array<{ lineNumber: number; sku: string; quantity: string; unit: string }>>();
    for (const line of erpOrder.lines) {
      if (line.quantityReleased === undefined) continue;
      const delta = subtractDecimal(line.quantityReleased, sent.get(line.lineNumber) ?? ZERO);
      if (!positive(delta)) continue;
      const warehouseId = line.warehouseId ?? 'default';
      const list = byWarehouse.get(warehouseId) ?? [];
      list.push({ lineNumber: line.lineNumber, sku: line.sku, quantity: delta, unit: line.unit });
      byWarehouse.set(warehouseId, list);
    }
    if (byWarehouse.size === 0) return;

    const at = clock.now().toISOString();
    const entries: NewTimelineEntry[] = [];
    let seq = releases.length;
    for (const [warehouseId, lines] of byWarehouse) {
      seq += 1;
      // The reference is computed from what committed before: a retry after a rollback sends the same release again,
      // and the WMS answers with the order it already has.
      const reference = `${order.id}-R${seq}`;
      const { record } = await wms.releaseOrder(ctx, {
        reference,
        orderReference: order.id,
        erpOrderNumber: erpOrder.erpOrderNumber,
        warehouseId,
        shipTo: order.salesOrder.shipTo,
        ...(order.salesOrder.requestedCarrier ? { carrier: order.salesOrder.requestedCarrier } : {}),
        lines,
      });
      await repos.fulfilment.recordRelease(ctx, { reference, orderId: order.id, erpOrderNumber: erpOrder.erpOrderNumber, seq, warehouseId, wmsOrderId: record.wmsOrderId, lines, releasedAt: at });
      entries.push({ key: `hub:release:${seq}`, status: 'Released', at, source: 'hub', detail: `released to warehouse ${warehouseId} as ${record.wmsOrderId}: ${describeLines(lines)}` });
    }
    const view = { ...order.view, status: advanceStatus(order.view.status, 'Released') };
    view.lines = view.lines.map((l) => {
      const released = addDecimal(sent.get(l.lineNumber) ?? ZERO, [...byWarehouse.values()].flat().find((x) => x.lineNumber === l.lineNumber)?.quantity ?? ZERO);
      return (l.status === 'Allocated' || l.status === 'Open') && compareDecimal(released, l.quantity) >= 0 ? { ...l, status: 'Released' } : l;
    });
    await repos.orders.save(ctx, { ...order, view });
    // The release follows from the ERP state this change carries; that state's entries (keyed, so they land once
    // whichever consumer of the change commits first) go before the release, so the timeline reads in cause order.
    const erpEntries = applyErpOrder(order, erpOrder, change.at).entries.filter((e) => !e.key.startsWith('erp:committed') && !e.key.startsWith('erp:acknowledged'));
    await repos.orders.appendTimeline(ctx, order.id, [...erpEntries, ...entries]);
  }

  /** Consumer of the warehouse events: picks, packs and shipments of the hub's releases. */
  async function applyWarehouseEvent(ctx: TenantContext, event: EventEnvelope<WmsEventData>, tx: OrderToCashTx): Promise<void> {
    const e = event.data.event;
    if (e.kind === 'receipt.recorded') return; // inbound receipts belong to purchasing
    const repos = tx.orderToCash;
    const release = await repos.fulfilment.findRelease(ctx, e.reference);
    if (!release) return; // not released by this hub
    const order = await repos.orders.get(ctx, release.orderId, { forUpdate: true });
    if (!order) return;
    const key = `wms:${event.id}`;
    const view = { ...order.view, lines: order.view.lines.map((l) => ({ ...l })), shipments: [...order.view.shipments] };
    const entries: NewTimelineEntry[] = [];

    switch (e.kind) {
      case 'wave.planned':
        entries.push({ key, status: 'Released', at: e.at, source: 'wms', detail: `${release.wmsOrderId}: picking wave ${e.waveId} planned in ${release.warehouseId}` });
        break;
      case 'pick.completed': {
        const shorts = e.lines.filter((l) => positive(l.quantityShort));
        for (const l of e.lines) {
          const line = view.lines.find((x) => x.lineNumber === l.lineNumber);
          if (line && positive(l.quantityPicked) && ['Open', 'Allocated', 'Backordered', 'Released'].includes(line.status)) line.status = 'Picked';
        }
        view.status = advanceStatus(view.status, 'Picked');
        const picked = e.lines.filter((l) => positive(l.quantityPicked)).map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantityPicked }));
        entries.push({
          key,
          status: 'Picked',
          at: e.at,
          source: 'wms',
          detail: `${release.wmsOrderId}: picked ${picked.length ? describeLines(picked) : 'nothing'}${shorts.length ? `; short ${describeLines(shorts.map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantityShort })))}` : ''}`,
        });
        break;
      }
      case 'pack.completed': {
        view.status = advanceStatus(view.status, 'Packed');
        const labels = e.packages.map((p) => p.sscc ?? p.packageId).join(', ');
        entries.push({ key, status: 'Packed', at: e.at, source: 'wms', detail: `${release.wmsOrderId}: packed in ${e.packages.length} package(s): ${labels}` });
        break;
      }
      case 'shipment.manifested': {
        const shipmentId = e.shipmentRef;
        if (view.shipments.some((s) => s.shipmentId === shipmentId)) return;
        const lines = e.lines.map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity }));
        for (const l of lines) {
          const line = view.lines.find((x) => x.lineNumber === l.lineNumber);
          if (!line) continue;
          line.quantityShipped = addDecimal(line.quantityShipped, l.quantity);
          line.status = compareDecimal(line.quantityShipped, line.quantity) >= 0 ? 'Shipped' : 'PartiallyShipped';
        }
        const shipment: OrderShipmentView = { shipmentId, carrierCode: e.carrier.code, trackingNumber: e.trackingNumber, status: 'InfoReceived', shippedAt: e.at, lines };
        view.shipments.push(shipment);
        const next = { ...order, view };
        view.status = advanceStatus(view.status, fullyShipped(next) ? 'Shipped' : 'PartiallyShipped');
        await repos.fulfilment.recordShipment(ctx, { shipmentId, orderId: order.id, carrierCode: e.carrier.code, trackingNumber: e.trackingNumber });
        entries.push({
          key,
          status: 'Shipped',
          at: e.at,
          source: 'wms',
          detail: `shipment ${shipmentId} left ${release.warehouseId} with ${e.carrier.code}, tracking ${e.trackingNumber}: ${describeLines(lines)}`,
          shipmentId,
        });
        const data: ShipmentDispatchedData = {
          orderId: order.id,
          erpOrderNumber: release.erpOrderNumber,
          shipment: { reference: shipmentId, carrierCode: e.carrier.code, trackingNumber: e.trackingNumber, shippedAt: e.at, lines },
        };
        await tx.outbox.append(ctx, {
          envelope: makeEvent({ type: SHIPMENT_DISPATCHED, source: '/tradelane/order-to-cash', tenantId: ctx.tenantId, subject: order.id, data, dataVersion: 1, correlationId: ctx.correlationId, time: clock.now().toISOString() }),
          aggregateType: 'sales_order',
          aggregateId: order.id,
        });
        break;
      }
    }
    await repos.orders.save(ctx, { ...order, view });
    await repos.orders.appendTimeline(ctx, order.id, entries);
  }

  /** Consumer of `shipment.dispatched`: ship confirm in the ERP, idempotent on the shipment id. */
  async function confirmShipment(ctx: TenantContext, event: EventEnvelope<ShipmentDispatchedData>, tx: OrderToCashTx): Promise<void> {
    const { orderId, erpOrderNumber, shipment } = event.data;
    await deps.erpBreaker.call(() => deps.erpSalesOrders.confirmShipment(ctx, erpOrderNumber, shipment));
    await tx.orderToCash.orders.appendTimeline(ctx, orderId, [
      {
        key: `erp:ship-confirm:${shipment.reference}`,
        status: 'ShipConfirmed',
        at: clock.now().toISOString(),
        source: 'erp',
        detail: `ERP order ${erpOrderNumber}: shipment ${shipment.reference} confirmed (${describeLines(shipment.lines)})`,
        shipmentId: shipment.reference,
      },
    ]);
  }

  /** Consumer of `tracking.updated`: the shipment's status, delivery and proof of delivery; the order's when all agree. */
  async function applyTracking(ctx: TenantContext, event: EventEnvelope<TrackingUpdatedData>, tx: OrderToCashTx): Promise<void> {
    const t = event.data.trackingEvent;
    const repos = tx.orderToCash;
    const found = await repos.fulfilment.findShipment(ctx, t.carrierCode, t.trackingNumber);
    // The carrier can report before the warehouse's manifest is applied: retried until it is, then dead-lettered
    // (replayable) when the shipment never turns up.
    if (!found) throw new TransientError('TL_O2C_SHIPMENT_UNKNOWN', `no shipment with ${t.carrierCode} tracking number ${t.trackingNumber} (yet)`);
    const order = await repos.orders.get(ctx, found.orderId, { forUpdate: true });
    if (!order) return;
    const view = { ...order.view, shipments: order.view.shipments.map((s) => ({ ...s })) };
    const shipment = view.shipments.find((s) => s.shipmentId === found.shipmentId);
    if (!shipment) return;
    if (shipment.status !== 'Delivered' && shipment.status !== 'ReturnedToSender') shipment.status = t.status;
    let detail = t.description ?? t.status;
    if (t.status === 'Delivered') {
      shipment.deliveredAt = t.proofOfDelivery.deliveredAt;
      shipment.proofOfDelivery = { signedBy: t.proofOfDelivery.signedBy, at: t.proofOfDelivery.deliveredAt };
      detail = `delivered, signed by ${t.proofOfDelivery.signedBy}`;
    } else if (t.status === 'Exception') {
      detail = `exception (${t.exceptionCode})${t.reason ? `: ${t.reason}` : ''}`;
    } else if (t.status === 'ReturnedToSender') {
      detail = `returned to sender${t.reason ? `: ${t.reason}` : ''}`;
    }
    const where = t.location ? [t.location.city, t.location.region, t.location.country].filter(Boolean).join(', ') : '';
    if (t.status === 'InTransit' || t.status === 'OutForDelivery') view.status = advanceStatus(view.status, 'InTransit');
    if (t.status === 'Delivered' && fullyShipped(order) && view.shipments.every((s) => s.status === 'Delivered')) view.status = advanceStatus(view.status, 'Delivered');
    await repos.orders.save(ctx, { ...order, view });
    await repos.orders.appendTimeline(ctx, order.id, [
      {
        key: `carrier:${event.id}`,
        status: t.status,
        at: t.occurredAt,
        source: 'carrier',
        detail: `${t.carrierCode} ${t.trackingNumber}: ${detail}${where ? ` (${where})` : ''}`,
        shipmentId: found.shipmentId,
      },
    ]);
  }

  return { releaseToWarehouse, applyWarehouseEvent, confirmShipment, applyTracking, trackingSchema: eventCatalog[TRACKING_UPDATED].schema };
}
