import type { UnitOfMeasure } from '@tradelane/canonical';
import type { InboundNotice } from '@tradelane/connector-kit';
import type { WmsInboundRequest } from '../codec/wms-api.codec.js';
import { wmsInboundNotMappable } from '../errors.js';
import { hubToWmsUom, wholeUnits } from './release.to-wms.js';

/**
 * Maps a hub inbound notice to the WMS's expected inbound shipment. A line the WMS cannot take (unit it does not
 * stock in, fractional quantity) or a purchase order line named twice is a permanent error naming the line.
 */
export function inboundNoticeToWms(notice: InboundNotice): WmsInboundRequest {
  const seen = new Set<string>();
  return {
    inboundRef: notice.reference,
    asnNo: notice.asnNumber,
    vendorId: notice.supplierId,
    facility: notice.warehouseId,
    expectedDate: notice.expectedDate,
    lines: notice.lines.map((line) => {
      const where = `inbound notice ${notice.reference} PO ${line.poNumber} line ${line.lineNumber}`;
      const details = { reference: notice.reference, poNumber: line.poNumber, lineNumber: line.lineNumber };
      const key = `${line.poNumber}#${line.lineNumber}`;
      if (seen.has(key)) throw wmsInboundNotMappable('DUPLICATE_PO_LINE', `${where}: the WMS expects each purchase order line once`, details);
      seen.add(key);
      const uom = hubToWmsUom[line.unit as UnitOfMeasure];
      if (!uom) throw wmsInboundNotMappable('UNIT_UNSUPPORTED', `${where}: the WMS does not stock in unit ${line.unit}`, { ...details, unit: line.unit });
      const qty = wholeUnits(line.quantity);
      if (qty === undefined) {
        throw wmsInboundNotMappable('FRACTIONAL_QUANTITY', `${where}: the WMS receives whole units only, got ${line.quantity}`, { ...details, quantity: line.quantity });
      }
      return { poNo: line.poNumber, poLineNo: line.lineNumber, itemCode: line.sku, qtyExpected: qty, uom };
    }),
  };
}
