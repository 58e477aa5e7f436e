import { inventoryPositionSchema, type InventoryPosition } from '@tradelane/canonical';
import { normalizeDecimal } from '../codec/tryton-json.codec.js';
import type { TrytonProductRecord } from '../wire/tryton-records.js';
import { itemIdOfTryton, skuOfTryton } from './item.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/** Quantities of one product in one warehouse, as read with `context.locations = [warehouse]`. */
export interface TrytonStockFigures {
  /** `product.product.quantity` (physical stock now, in the default uom). */
  quantity: number;
  /** `product.product.forecast_quantity` (stock after planned moves, reservations included). */
  forecastQuantity: number;
}

/** Rounds a float quantity from Tryton to at most 6 decimals as a decimal string. */
function qty(value: number): string {
  return normalizeDecimal(value.toFixed(6));
}

/**
 * Stock of a product in a warehouse: on hand = `quantity`, available = `forecast_quantity` (what is left after
 * planned outgoing and incoming moves), allocated = on hand − available when positive.
 */
export function inventoryFromTryton(
  row: TrytonProductRecord,
  figures: TrytonStockFigures,
  context: { tenantId: string; locationId: string; asOf: string; unitMap?: Readonly<Record<string, string>> },
): InventoryPosition {
  const onHand = Math.max(0, figures.quantity);
  const allocated = Math.max(0, figures.quantity - figures.forecastQuantity);
  return validateDocument(
    inventoryPositionSchema,
    {
      schemaVersion: 1,
      tenantId: context.tenantId,
      itemId: itemIdOfTryton(context.tenantId, row.id),
      sku: skuOfTryton(row),
      locationId: context.locationId,
      unit: unitFromTryton(row['default_uom.symbol'], context.unitMap),
      onHand: qty(onHand),
      allocated: qty(allocated),
      available: qty(figures.forecastQuantity),
      inbound: [],
      asOf: context.asOf,
    },
    `stock of product ${row.id} in ${context.locationId}`,
  );
}
