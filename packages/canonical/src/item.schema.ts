import { z } from 'zod';
import { afterFieldChecks, auditFields, externalIdsSchema, partNumberSchema, skuSchema, tenantIdSchema, textSchema, weightSchema } from './common.schema.js';
import { gtinSchema } from './gs1.js';
import { idSchema } from './ids.js';
import { positiveQuantitySchema } from './quantity.js';
import { unitConversionSchema, unitOfMeasureSchema } from './units.js';

/** One unit of measure an item is handled in. */
export const itemUnitSchema = z.object({
  unit: unitOfMeasureSchema,
  /** Customers may order in this unit. */
  sellable: z.boolean(),
  /** We may buy from suppliers in this unit. */
  purchasable: z.boolean(),
  weight: weightSchema.optional(),
});

/** Cross-reference from a partner's or a standard identifier to this item (discriminated on `kind`). */
export const itemCrossReferenceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('customer_part'),
    customerId: idSchema('pty'),
    partNumber: partNumberSchema,
    unit: unitOfMeasureSchema.optional(),
  }),
  z.object({
    kind: z.literal('supplier_part'),
    supplierId: idSchema('pty'),
    partNumber: partNumberSchema,
    unit: unitOfMeasureSchema.optional(),
    minimumOrderQuantity: positiveQuantitySchema.optional(),
    /** The supplier normally used for this item. */
    primary: z.boolean(),
  }),
  z.object({
    kind: z.literal('gtin'),
    gtin: gtinSchema,
    /** The packaging level this GTIN identifies (each, case, pallet). */
    unit: unitOfMeasureSchema,
  }),
]);

/** An item cross-reference. */
export type ItemCrossReference = z.infer<typeof itemCrossReferenceSchema>;

/** Item (product) master data. */
export const itemSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('itm'),
    tenantId: tenantIdSchema,
    sku: skuSchema,
    description: textSchema(200),
    longDescription: textSchema(4000).optional(),
    status: z.enum(['active', 'discontinued', 'inactive']),
    category: textSchema(80).optional(),
    /** Unit inventory is counted in; every other unit converts to it. */
    baseUnit: unitOfMeasureSchema,
    units: z.array(itemUnitSchema).min(1).max(20),
    conversions: z.array(unitConversionSchema).max(20),
    crossReferences: z.array(itemCrossReferenceSchema).max(200),
    /** Stocked items are held in inventory; non-stock items are drop-shipped or bought to order. */
    stocked: z.boolean(),
    hazmat: z.boolean().optional(),
    taxCode: textSchema(20).optional(),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((item, ctx) => {
    const units = new Set<string>();
    item.units.forEach((u, i) => {
      if (units.has(u.unit)) {
        ctx.addIssue({ code: 'custom', path: ['units', i, 'unit'], message: `unit ${u.unit} is listed twice` });
      }
      units.add(u.unit);
    });
    if (!units.has(item.baseUnit)) {
      ctx.addIssue({ code: 'custom', path: ['baseUnit'], message: `base unit ${item.baseUnit} must be one of the item's units` });
    }
    item.conversions.forEach((c, i) => {
      for (const end of ['from', 'to'] as const) {
        if (!units.has(c[end])) {
          ctx.addIssue({ code: 'custom', path: ['conversions', i, end], message: `unit ${c[end]} is not one of the item's units` });
        }
      }
    });
    const gtins = new Set<string>();
    item.crossReferences.forEach((ref, i) => {
      if (ref.kind === 'gtin') {
        if (gtins.has(ref.gtin)) {
          ctx.addIssue({ code: 'custom', path: ['crossReferences', i, 'gtin'], message: `GTIN ${ref.gtin} is listed twice` });
        }
        gtins.add(ref.gtin);
      }
      if (ref.unit !== undefined && !units.has(ref.unit)) {
        ctx.addIssue({ code: 'custom', path: ['crossReferences', i, 'unit'], message: `unit ${ref.unit} is not one of the item's units` });
      }
    });
  }, afterFieldChecks);

/** An item. */
export type Item = z.infer<typeof itemSchema>;
