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
  | { kind: 'receipt.recorded'; reference: string; warehouseId: string; lines: Array<{ sku: string; quantity: string; unit: string }>; at: string };

/** Warehouse: release orders, read execution events (wave, pick, pack, manifest, receipt). */
export interface WmsFulfilment {
  releaseOrder(ctx: TenantContext, release: WarehouseRelease): Promise<IdempotentResult<WarehouseOrder>>;
  fetchEvents(ctx: TenantContext, page: PageRequest): Promise<Page<WmsEvent>>;
}
