import type { UnitOfMeasure } from '@tradelane/canonical';
import type { WarehouseRelease } from '@tradelane/connector-kit';
import type { WmsOutboundOrderRequest, WmsUom } from '../codec/wms-api.codec.js';
import { wmsReleaseNotMappable } from '../errors.js';

/** Hub units the WMS stocks in, and the WMS's own name for each. */
export const hubToWmsUom: Readonly<Partial<Record<UnitOfMeasure, WmsUom>>> = {
  EA: 'EACH',
  PK: 'PACK',
  BX: 'BOX',
  CS: 'CASE',
  CT: 'CARTON',
  PL: 'PALLET',
  PR: 'PAIR',
  FT: 'FOOT',
  RL: 'ROLL',
  GAL: 'GALLON',
};

/** Reads a hub decimal quantity as whole units; undefined when it has a fraction or is not positive. */
export function wholeUnits(quantity: string): number | undefined {
  const m = /^(\d{1,12})(?:\.0+)?$/.exec(quantity);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}

/** Maps a hub warehouse release to the WMS's outbound order; a line the WMS cannot take is a permanent error. */
export function releaseToWmsOrder(release: WarehouseRelease): WmsOutboundOrderRequest {
  const to = release.shipTo;
  const addr2 = [to.address.line2, to.address.line3].filter(Boolean).join(', ');
  return {
    clientRef: release.reference,
    custOrderNo: release.orderReference,
    hostOrderNo: release.erpOrderNumber,
    facility: release.warehouseId,
    shipTo: {
      name: to.name,
      ...(to.contact?.name ? { attn: to.contact.name } : {}),
      addr1: to.address.line1,
      ...(addr2 ? { addr2: addr2.slice(0, 120) } : {}),
      city: to.address.city,
      ...(to.address.region ? { state: to.address.region } : {}),
      ...(to.address.postalCode ? { postal: to.address.postalCode } : {}),
      ctry: to.address.country,
    },
    ...(release.carrier ? { carrier: { scac: release.carrier.code, ...(release.carrier.service ? { service: release.carrier.service } : {}) } } : {}),
    lines: release.lines.map((line) => {
      const uom = hubToWmsUom[line.unit as UnitOfMeasure];
      if (!uom) {
        throw wmsReleaseNotMappable('UNIT_UNSUPPORTED', `release ${release.reference} line ${line.lineNumber}: the WMS does not stock in unit ${line.unit}`, {
          reference: release.reference,
          lineNumber: line.lineNumber,
          unit: line.unit,
        });
      }
      const qty = wholeUnits(line.quantity);
      if (qty === undefined) {
        throw wmsReleaseNotMappable('FRACTIONAL_QUANTITY', `release ${release.reference} line ${line.lineNumber}: the WMS picks whole units only, got ${line.quantity}`, {
          reference: release.reference,
          lineNumber: line.lineNumber,
          quantity: line.quantity,
        });
      }
      return { lineNo: line.lineNumber, itemCode: line.sku, qtyOrdered: qty, uom };
    }),
  };
}
