import { inventoryPositionSchema, isId, type InboundSupply, type InventoryPosition } from '@tradelane/canonical';
import { julianToIsoDate } from '../wire/julian-date.js';
import { parseLnid } from '../wire/line-number.js';
import type { SimInboundRow } from '../wire/sim-purchasing.types.js';
import type { SimBalanceRow } from '../wire/sim-wire.types.js';
import { asnIdOf, itemIdOf, purchaseOrderIdOf } from './derived-id.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

function inboundFromSim(row: SimInboundRow, tenantId: string): InboundSupply {
  const purchaseOrderId = purchaseOrderIdOf(tenantId, row.DOCO);
  const common = { purchaseOrderId, quantity: String(row.QTY), expectedDate: julianToIsoDate(row.DATE) };
  if (row.TYP === 'PO') return { source: 'po', ...common, lineNumber: parseLnid(row.LNID), acknowledged: row.ACK === 'Y' };
  const asnId = row.ASNREF && isId(row.ASNREF, 'asn') ? row.ASNREF : asnIdOf(tenantId, row.AN8 ?? 0, row.VASN ?? String(row.ERN));
  return { source: 'asn', asnId, ...common };
}

/**
 * An item balance at a branch/plant as a canonical InventoryPosition (location = branch/plant, primary unit), with the
 * inbound supply of approved purchase orders: open lines (`po`) and what suppliers shipped per ship notice (`asn`).
 */
export function inventoryFromSim(row: SimBalanceRow, context: { tenantId: string; asOf: string }): InventoryPosition {
  return validateDocument(
    inventoryPositionSchema,
    {
      schemaVersion: 1,
      tenantId: context.tenantId,
      itemId: itemIdOf(context.tenantId, row.LITM),
      sku: row.LITM,
      locationId: row.MCU,
      unit: unitFromSim(row.UOM),
      onHand: String(row.PQOH),
      allocated: String(row.PCOM),
      available: String(row.PQOH - row.PCOM),
      inbound: row.INBD.map((i) => inboundFromSim(i, context.tenantId)),
      asOf: context.asOf,
    },
    `balance ${row.LITM}@${row.MCU}`,
  );
}
