import { z } from 'zod';
import { afterFieldChecks, auditFields, externalIdsSchema, isoDateSchema, skuSchema, tenantIdSchema, textSchema } from './common.schema.js';
import { compareDecimal } from './decimal.js';
import { idSchema } from './ids.js';
import { currencyCodeSchema, nonNegativeMoneySchema } from './money.js';
import { quantitySchema } from './quantity.js';
import { unitOfMeasureSchema } from './units.js';

/** A quantity break: from `minQuantity` (inclusive, in the price's unit) the unit price is `unitPrice`. */
export const priceTierSchema = z.object({
  minQuantity: quantitySchema,
  unitPrice: nonNegativeMoneySchema,
});

/** A price tier. */
export type PriceTier = z.infer<typeof priceTierSchema>;

const priceBase = {
  schemaVersion: z.literal(1),
  id: idSchema('prc'),
  tenantId: tenantIdSchema,
  itemId: idSchema('itm'),
  sku: skuSchema,
  currency: currencyCodeSchema,
  /** Unit the tiers are priced per. */
  unit: unitOfMeasureSchema,
  /** Quantity breaks, ascending by minQuantity; the first starts the price. */
  tiers: z.array(priceTierSchema).min(1).max(20),
  validFrom: isoDateSchema,
  /** Last day the price applies (inclusive); open-ended when absent. */
  validTo: isoDateSchema.optional(),
  externalIds: externalIdsSchema,
  ...auditFields,
};

/** Price: a list price for everyone, or a contract price for one customer (discriminated on `kind`). */
export const priceSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...priceBase, kind: z.literal('list'), priceList: textSchema(40).optional() }),
    z.object({
      ...priceBase,
      kind: z.literal('contract'),
      customerId: idSchema('pty'),
      contractNumber: textSchema(40).optional(),
    }),
  ])
  .superRefine((price, ctx) => {
    price.tiers.forEach((tier, i) => {
      if (tier.unitPrice.currency !== price.currency) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'unitPrice', 'currency'], message: `tier currency must be ${price.currency}` });
      }
      const previous = price.tiers[i - 1];
      if (previous && compareDecimal(tier.minQuantity, previous.minQuantity) <= 0) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'minQuantity'], message: 'tiers must be strictly ascending by minQuantity' });
      }
    });
    if (price.validTo !== undefined && price.validTo < price.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo must not be before validFrom' });
    }
  }, afterFieldChecks);

/** A list or contract price. */
export type Price = z.infer<typeof priceSchema>;
