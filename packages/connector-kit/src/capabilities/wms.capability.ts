import type { TenantContext } from '@tradelane/core';
import type { Carrier, DocumentParty } from '@tradelane/canonical';
import type { IdempotentResult, Page, PageRequest } from './common.js';

/** An order released to the warehouse for picking. `reference` makes the release idempotent. */
export interface WarehouseRelease {
  reference: string;
  orderReference: string;
  erpOrderNumber: string;
  warehouseId: string;
  shipTo: DocumentParty;
  carrier?: Carrier | undefined;
  lines: Array<{ lineNumber: number; sku: string; quantity: string; unit: string }>;
}

/** The warehouse's acknowledgment of a release. */
export interface WarehouseOrder {
  reference: string;
  wmsOrderId: string;
  warehouseId: string;
}

/** A warehouse execution event, in hub vocabulary. */
export type WmsEvent =
  | { kind: 'wave.planned'; reference: string; wmsOrderId: string; waveId: string; at: string }
  | { kind: 'pick.completed'; reference: string; wmsOrderId: string; lines: Array<{ lineNumber: number; sku: string; quantityPicked: string; quantityShort: string }>; at: string }
  | {
      kind: 'pack.completed';
      reference: string;
      wmsOrderId: string;
      packages: Array<{ packageId: string; sscc?: string | undefined; lines: Array<{ lineNumber: number; sku: string; quantity: string }> }>;
      at: string;
    }
  | {
      kind: 'shipment.manifested';
      reference: string;
      wmsOrderId: string;
      shipmentRef: string;
      carrier: Carrier;
      trackingNumber: string;
      lines: Array<{ lineNumber: number; sku: string; quantity: string }>;
      at: string;
    }
  | {
      kind: 'receipt.recorded';
      /** The receipt's reference: a return's reference, or the {@link InboundNotice} `reference` when an announced inbound was received. */
      reference: string;
      warehouseId: string;
      /** The supplier's ship notice number, when the receipt closes an announced inbound ({@link InboundNotice}). */
      asnNumber?: string | undefined;
      /** Received lines; `poNumber` and `lineNumber` name the purchase order line when the receipt closes an announced inbound. */
      lines: Array<{ sku: string; quantity: string; unit: string; poNumber?: string | undefined; lineNumber?: number | undefined }>;
      at: string;
    };

/**
 * An inbound shipment announced to the warehouse from a supplier's ship notice, so it can be received against it.
 * `reference` (the hub's ASN id) makes the announcement idempotent; each line names the purchase order line it fills.
 * @example
 * const notice: InboundNotice = {
 *   reference: 'asn_01JB…', asnNumber: 'ASN-7781', supplierId: 'SUP-100', warehouseId: 'DC1', expectedDate: '2025-03-04',
 *   lines: [{ poNumber: 'PO-4410', lineNumber: 1, sku: 'SKU-A', quantity: '24', unit: 'EA' }],
 * };
 */
export type InboundNotice = {
  /** The hub's ASN id: the idempotency key of the announcement, and the `reference` of the receipt that closes it. */
  reference: string;
  /** The supplier's ship notice number. */
  asnNumber: string;
  supplierId: string;
  warehouseId: string;
  /** Expected arrival date, `YYYY-MM-DD`. */
  expectedDate: string;
  /** Expected lines: purchase order number and line, SKU, decimal quantity and hub unit of measure. */
  lines: Array<{ poNumber: string; lineNumber: number; sku: string; quantity: string; unit: string }>;
};

/** Warehouse: release orders, announce inbound shipments, read execution events (wave, pick, pack, manifest, receipt). */
export interface WmsFulfilment {
  /** Releases an order for picking; idempotent on `release.reference` (`duplicate: true` on a retry). */
  releaseOrder(ctx: TenantContext, release: WarehouseRelease): Promise<IdempotentResult<WarehouseOrder>>;
  /**
   * Announces an expected inbound shipment (optional: not every warehouse takes ship notices). The same `reference`
   * again returns the existing inbound with `duplicate: true`; a changed notice under the same `reference` replaces
   * it while nothing was received yet, and is a permanent error afterwards. Its receipt comes later on the event feed
   * as `receipt.recorded` with this `reference`, the `asnNumber` and the purchase order line of each received line.
   */
  announceInbound?(ctx: TenantContext, notice: InboundNotice): Promise<IdempotentResult<{ reference: string; wmsInboundId: string }>>;
  /** Warehouse events after `page.cursor`, oldest first. */
  fetchEvents(ctx: TenantContext, page: PageRequest): Promise<Page<WmsEvent>>;
}
