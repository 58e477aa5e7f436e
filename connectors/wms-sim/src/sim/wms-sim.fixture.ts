import type { InboundNotice, WarehouseRelease } from '@tradelane/connector-kit';
import type { WmsInboundRequest, WmsOutboundOrderRequest } from '../codec/wms-api.codec.js';

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

/** A hub inbound notice for two lines of purchase order PO-4410 (SKU and whole quantity per line). */
export function sampleInboundNotice(reference: string, lines: Array<[string, number]> = [['SKU-A', 24], ['SKU-B', 12]]): InboundNotice {
  return {
    reference,
    asnNumber: 'ASN-7781',
    supplierId: 'SUP-100',
    warehouseId: 'DC1',
    expectedDate: '2025-03-04',
    lines: lines.map(([sku, qty], i) => ({ poNumber: 'PO-4410', lineNumber: i + 1, sku, quantity: String(qty), unit: 'EA' })),
  };
}

/** A WMS expected inbound shipment in the WMS's own format (lines of PO-4410). */
export function sampleWmsInbound(inboundRef: string, lines: Array<[string, number]> = [['SKU-A', 24], ['SKU-B', 12]]): WmsInboundRequest {
  return {
    inboundRef,
    asnNo: 'ASN-7781',
    vendorId: 'SUP-100',
    facility: 'DC1',
    expectedDate: '2025-03-04',
    lines: lines.map(([itemCode, qtyExpected], i) => ({ poNo: 'PO-4410', poLineNo: i + 1, itemCode, qtyExpected, uom: 'EACH' })),
  };
}
