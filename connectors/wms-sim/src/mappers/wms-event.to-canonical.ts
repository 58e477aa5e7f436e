import type { UnitOfMeasure } from '@tradelane/canonical';
import type { WmsEvent } from '@tradelane/connector-kit';
import { wmsEventSchema, type WmsUom } from '../codec/wms-api.codec.js';
import { badWmsAnswer, unknownWmsEvent, unknownWmsUom } from '../errors.js';

/** WMS event types and the hub warehouse event each becomes. */
export const wmsEventKindTable = {
  WAVE_RELEASED: 'wave.planned',
  PICK_CONFIRMED: 'pick.completed',
  PACK_COMPLETE: 'pack.completed',
  SHIP_CONFIRMED: 'shipment.manifested',
  RECEIPT_CLOSED: 'receipt.recorded',
} as const satisfies Record<string, WmsEvent['kind']>;

/**
 * WMS event types that are known but have no hub warehouse event (the hub caused them itself), with why; the
 * connector passes over them on the feed. Any type in neither table is an error, never skipped.
 */
export const wmsEventsWithoutHubEvent = {
  INBOUND_EXPECTED: 'the WMS confirming an inbound shipment the hub announced',
} as const;

/** True for a WMS event type the connector passes over (see {@link wmsEventsWithoutHubEvent}). */
export function isWmsEventWithoutHubEvent(eventType: string): boolean {
  return Object.hasOwn(wmsEventsWithoutHubEvent, eventType);
}

/** WMS units and the hub unit each means. */
export const wmsToHubUom: Readonly<Record<WmsUom, UnitOfMeasure>> = { EACH: 'EA', PACK: 'PK', BOX: 'BX', CASE: 'CS', CARTON: 'CT', PALLET: 'PL', PAIR: 'PR', FOOT: 'FT', ROLL: 'RL', GALLON: 'GAL' };

const qty = (n: number) => String(n);

/**
 * Maps one raw WMS feed event to a hub warehouse event. An unknown event type, or one without a hub event (filter
 * those first with {@link isWmsEventWithoutHubEvent}), is a permanent error naming it; a known type with a broken
 * shape is a permanent error naming the field. A receipt that closes an inbound shipment carries `asnNumber` and
 * each line's `poNumber` / `lineNumber`; its `reference` is the inbound reference (the hub's ASN id).
 */
export function wmsEventToCanonical(raw: { seq: number; eventType: string } & Record<string, unknown>): WmsEvent {
  if (!Object.hasOwn(wmsEventKindTable, raw.eventType)) throw unknownWmsEvent(raw.eventType, raw.seq);
  const parsed = wmsEventSchema.safeParse(raw);
  if (!parsed.success) throw badWmsAnswer(`${raw.eventType} event ${raw.seq}`, parsed.error.issues);
  const e = parsed.data;
  const atMs = Date.parse(e.eventTs);
  if (Number.isNaN(atMs)) throw badWmsAnswer(`${raw.eventType} event ${raw.seq}`, [{ path: ['eventTs'], message: `not a time: ${e.eventTs}` }]);
  const at = new Date(atMs).toISOString();
  switch (e.eventType) {
    case 'WAVE_RELEASED':
      return { kind: 'wave.planned', reference: e.clientRef, wmsOrderId: e.obOrderId, waveId: e.waveNo, at };
    case 'PICK_CONFIRMED':
      return {
        kind: 'pick.completed',
        reference: e.clientRef,
        wmsOrderId: e.obOrderId,
        lines: e.tasks.map((t) => ({ lineNumber: t.lineNo, sku: t.itemCode, quantityPicked: qty(t.qtyPicked), quantityShort: qty(t.qtyRequested - t.qtyPicked) })),
        at,
      };
    case 'PACK_COMPLETE':
      return {
        kind: 'pack.completed',
        reference: e.clientRef,
        wmsOrderId: e.obOrderId,
        packages: e.lpns.map((l) => ({ packageId: l.lpn, sscc: l.sscc, lines: l.contents.map((c) => ({ lineNumber: c.lineNo, sku: c.itemCode, quantity: qty(c.qty) })) })),
        at,
      };
    case 'SHIP_CONFIRMED':
      return {
        kind: 'shipment.manifested',
        reference: e.clientRef,
        wmsOrderId: e.obOrderId,
        shipmentRef: e.shipmentNo,
        carrier: { code: e.carrierScac, ...(e.carrierName ? { name: e.carrierName } : {}), ...(e.serviceCode ? { service: e.serviceCode } : {}) },
        trackingNumber: e.trackingNo,
        lines: e.contents.map((c) => ({ lineNumber: c.lineNo, sku: c.itemCode, quantity: qty(c.qty) })),
        at,
      };
    case 'RECEIPT_CLOSED':
      return {
        kind: 'receipt.recorded',
        reference: e.receiptRef,
        warehouseId: e.facility,
        ...(e.asnNo !== undefined ? { asnNumber: e.asnNo } : {}),
        lines: e.lines.map((l) => {
          const unit = Object.hasOwn(wmsToHubUom, l.uom) ? wmsToHubUom[l.uom as WmsUom] : undefined;
          if (!unit) throw unknownWmsUom(l.uom, e.seq);
          return {
            sku: l.itemCode,
            quantity: qty(l.qtyReceived),
            unit,
            ...(l.poNo !== undefined ? { poNumber: l.poNo } : {}),
            ...(l.poLineNo !== undefined ? { lineNumber: l.poLineNo } : {}),
          };
        }),
        at,
      };
    case 'INBOUND_EXPECTED':
      throw unknownWmsEvent(e.eventType, e.seq);
  }
}
