import type { WarehouseRelease } from '@tradelane/connector-kit';
import type { WmsOutboundOrderRequest } from '../codec/wms-api.codec.js';

/** A hub release with the given lines (SKU and whole quantity), shipped with `carrier`. */
export function sampleRelease(reference: string, lines: Array<[string, number]> = [['SKU-A', 10], ['SKU-B', 5]], carrier = 'PRCL'): WarehouseRelease {
  return {
    reference,
    orderReference: 'so_01JAAAAAAAAAAAAAAAAAAAAAAA',
    erpOrderNumber: `ERP-${reference.slice(-6)}`,
    warehouseId: 'DC1',
    shipTo: {
      name: 'Acme Hardware',
      address: { line1: '1 Main St', line2: 'Dock 4', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
      contact: { name: 'Pat Lee' },
    },
    carrier: { code: carrier, service: 'Ground' },
    lines: lines.map(([sku, qty], i) => ({ lineNumber: i + 1, sku, quantity: String(qty), unit: 'EA' })),
  };
}

/** A WMS outbound order in the WMS's own format. */
export function sampleWmsOrder(clientRef: string, lines: Array<[string, number]> = [['SKU-A', 10], ['SKU-B', 5]], scac = 'PRCL'): WmsOutboundOrderRequest {
  return {
    clientRef,
    custOrderNo: 'so_01JAAAAAAAAAAAAAAAAAAAAAAA',
    hostOrderNo: 'ERP-1001',
    facility: 'DC1',
    shipTo: { name: 'Acme Hardware', attn: 'Pat Lee', addr1: '1 Main St', city: 'Springfield', state: 'IL', postal: '62701', ctry: 'US' },
    carrier: { scac },
    lines: lines.map(([itemCode, qtyOrdered], i) => ({ lineNo: i + 1, itemCode, qtyOrdered, uom: 'EACH' })),
  };
}
