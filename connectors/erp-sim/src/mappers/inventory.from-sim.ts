import { inventoryPositionSchema, type InventoryPosition } from '@tradelane/canonical';
import type { SimBalanceRow } from '../wire/sim-wire.types.js';
import { itemIdOf } from './derived-id.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

/** An item balance at a branch/plant as a canonical InventoryPosition (location = branch/plant, primary unit). */
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
      inbound: [],
      asOf: context.asOf,
    },
    `balance ${row.LITM}@${row.MCU}`,
  );
}
