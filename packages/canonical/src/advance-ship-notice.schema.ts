import { z } from 'zod';
import {
  afterFieldChecks,
  carrierSchema,
  channelSchema,
  documentNumberSchema,
  documentPartySchema,
  externalIdsSchema,
  isoDateSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  locationCodeSchema,
  partNumberSchema,
  skuSchema,
  tenantIdSchema,
  textSchema,
  weightSchema,
} from './common.schema.js';
import { gtinSchema, ssccSchema } from './gs1.js';
import { idSchema } from './ids.js';
import { positiveQuantitySchema } from './quantity.js';
import { unitOfMeasureSchema } from './units.js';

/** An item line inside a pack (856 HL item level). */
export const asnItemSchema = z.object({
  /** Purchase order line this quantity ships against. */
  lineNumber: lineNumberSchema,
  sku: skuSchema.optional(),
  supplierPartNumber: partNumberSchema.optional(),
  gtin: gtinSchema.optional(),
  quantity: positiveQuantitySchema,
  unit: unitOfMeasureSchema,
  lot: textSchema(40).optional(),
  serialNumbers: z.array(textSchema(60)).max(1000).optional(),
  expiryDate: isoDateSchema.optional(),
});

/** A pack: pallet, carton, ... identified by its SSCC-18 label (856 HL tare/pack level). */
export const asnPackSchema = z.object({
  sscc: ssccSchema,
  packaging: z.enum(['pallet', 'carton', 'case', 'tote', 'bundle', 'other']),
  /** SSCC of the pallet (or other pack) this pack sits on. */
  parentSscc: ssccSchema.optional(),
  weight: weightSchema.optional(),
  items: z.array(asnItemSchema).max(1000),
});

/** One purchase order within the shipment (856 HL order level). */
export const asnOrderSchema = z.object({
  purchaseOrderId: idSchema('po').optional(),
  poNumber: documentNumberSchema,
  packs: z.array(asnPackSchema).min(1).max(5000),
});

/** An advance ship notice from a supplier (EDI 856): shipment → orders → packs → items. */
export const advanceShipNoticeSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('asn'),
    tenantId: tenantIdSchema,
    /** Supplier's shipment identification (856 BSN02). */
    asnNumber: documentNumberSchema,
    supplierId: idSchema('pty'),
    purpose: z.enum(['original', 'replace', 'cancel']),
    shipFrom: documentPartySchema,
    shipToLocationId: locationCodeSchema,
    carrier: carrierSchema,
    trackingNumber: textSchema(40).optional(),
    billOfLading: textSchema(40).optional(),
    proNumber: textSchema(40).optional(),
    shippedAt: isoDateTimeSchema,
    expectedDeliveryDate: isoDateSchema.optional(),
    grossWeight: weightSchema.optional(),
    orders: z.array(asnOrderSchema).min(1).max(500),
    receivedVia: channelSchema,
    receivedAt: isoDateTimeSchema,
    externalIds: externalIdsSchema,
  })
  .superRefine((asn, ctx) => {
    const ssccs = new Set<string>();
    asn.orders.forEach((order, o) => {
      order.packs.forEach((pack, p) => {
        if (ssccs.has(pack.sscc)) {
          ctx.addIssue({ code: 'custom', path: ['orders', o, 'packs', p, 'sscc'], message: `SSCC ${pack.sscc} appears twice` });
        }
        ssccs.add(pack.sscc);
      });
    });
    const parentOf = new Map<string, string>();
    asn.orders.forEach((order) => order.packs.forEach((pack) => pack.parentSscc !== undefined && parentOf.set(pack.sscc, pack.parentSscc)));
    asn.orders.forEach((order, o) => {
      order.packs.forEach((pack, p) => {
        if (pack.parentSscc === undefined) {
          return;
        }
        const path = ['orders', o, 'packs', p, 'parentSscc'];
        if (pack.parentSscc === pack.sscc || !ssccs.has(pack.parentSscc)) {
          ctx.addIssue({ code: 'custom', path, message: `parent SSCC ${pack.parentSscc} is not another pack of this shipment` });
          return;
        }
        // Walk up the parents; coming back to this pack means the packs contain each other.
        let current: string | undefined = pack.parentSscc;
        for (let steps = 0; current !== undefined && steps <= parentOf.size; steps += 1) {
          if (current === pack.sscc) {
            ctx.addIssue({ code: 'custom', path, message: `SSCC ${pack.sscc} is (indirectly) its own parent` });
            return;
          }
          current = parentOf.get(current);
        }
      });
    });
    if (asn.expectedDeliveryDate !== undefined && asn.expectedDeliveryDate < asn.shippedAt.slice(0, 10)) {
      ctx.addIssue({ code: 'custom', path: ['expectedDeliveryDate'], message: 'expected delivery is before the ship date' });
    }
  }, afterFieldChecks);

/** An advance ship notice. */
export type AdvanceShipNotice = z.infer<typeof advanceShipNoticeSchema>;
