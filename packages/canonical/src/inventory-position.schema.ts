import { z } from 'zod';
import { isoDateSchema, isoDateTimeSchema, locationCodeSchema, skuSchema, tenantIdSchema } from './common.schema.js';
import { idSchema } from './ids.js';
import { positiveQuantitySchema, quantitySchema, signedQuantitySchema } from './quantity.js';
import { unitOfMeasureSchema } from './units.js';

/** Supply on its way: an open purchase order line or a ship notice already sent by the supplier. */
export const inboundSupplySchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('po'),
    purchaseOrderId: idSchema('po'),
    lineNumber: z.int().min(1).optional(),
    quantity: positiveQuantitySchema,
    expectedDate: isoDateSchema,
    /** The supplier acknowledged this quantity and date. */
    acknowledged: z.boolean(),
  }),
  z.object({
    source: z.literal('asn'),
    asnId: idSchema('asn'),
    purchaseOrderId: idSchema('po').optional(),
    quantity: positiveQuantitySchema,
    expectedDate: isoDateSchema,
  }),
]);

/** Inbound supply. */
export type InboundSupply = z.infer<typeof inboundSupplySchema>;

/** Stock of one item at one location, as of a point in time (key: tenantId + itemId + locationId). */
export const inventoryPositionSchema = z.object({
  schemaVersion: z.literal(1),
  tenantId: tenantIdSchema,
  itemId: idSchema('itm'),
  sku: skuSchema,
  locationId: locationCodeSchema,
  /** Unit every quantity below is in (the item's base unit). */
  unit: unitOfMeasureSchema,
  onHand: quantitySchema,
  allocated: quantitySchema,
  /** Can be promised now; negative when over-allocated. */
  available: signedQuantitySchema,
  /** Held back for quality, damage or count discrepancies. */
  onHold: quantitySchema.optional(),
  inbound: z.array(inboundSupplySchema).max(500),
  /** When the source systems last agreed on these figures. */
  asOf: isoDateTimeSchema,
});

/** An inventory position. */
export type InventoryPosition = z.infer<typeof inventoryPositionSchema>;
