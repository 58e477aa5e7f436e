import { z } from 'zod';
import {
  afterFieldChecks,
  auditFields,
  carrierSchema,
  documentPartySchema,
  externalIdsSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  skuSchema,
  tenantIdSchema,
  textSchema,
  weightSchema,
} from './common.schema.js';
import { ssccSchema } from './gs1.js';
import { idSchema } from './ids.js';
import { positiveQuantitySchema } from './quantity.js';
import { proofOfDeliverySchema, trackingStatuses } from './tracking-event.schema.js';
import { unitOfMeasureSchema } from './units.js';

/** One package of a shipment. */
export const shipmentPackageSchema = z.object({
  sscc: ssccSchema.optional(),
  trackingNumber: textSchema(40).optional(),
  weight: weightSchema.optional(),
});

/** What a shipment carries, per order line. */
export const shipmentLineSchema = z.object({
  salesOrderId: idSchema('so').optional(),
  purchaseOrderId: idSchema('po').optional(),
  lineNumber: lineNumberSchema,
  sku: skuSchema,
  quantity: positiveQuantitySchema,
  unit: unitOfMeasureSchema,
});

/** A physical shipment moving with a carrier, outbound to a customer or inbound from a supplier. */
export const shipmentSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('shp'),
    tenantId: tenantIdSchema,
    direction: z.enum(['outbound', 'inbound']),
    /** The ship notice this inbound shipment was announced by. */
    asnId: idSchema('asn').optional(),
    carrier: carrierSchema,
    trackingNumber: textSchema(40),
    status: z.enum(trackingStatuses),
    shipFrom: documentPartySchema,
    shipTo: documentPartySchema,
    shippedAt: isoDateTimeSchema.optional(),
    estimatedDeliveryAt: isoDateTimeSchema.optional(),
    proofOfDelivery: proofOfDeliverySchema.optional(),
    packages: z.array(shipmentPackageSchema).min(1).max(5000),
    lines: z.array(shipmentLineSchema).min(1).max(9999),
    lastEventAt: isoDateTimeSchema.optional(),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((shipment, ctx) => {
    if (shipment.status === 'Delivered' && shipment.proofOfDelivery === undefined) {
      ctx.addIssue({ code: 'custom', path: ['proofOfDelivery'], message: 'a Delivered shipment needs proof of delivery' });
    }
    shipment.lines.forEach((line, i) => {
      const ref = shipment.direction === 'outbound' ? 'salesOrderId' : 'purchaseOrderId';
      if (line[ref] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, ref], message: `${shipment.direction} shipment lines need a ${ref}` });
      }
    });
  }, afterFieldChecks);

/** A shipment. */
export type Shipment = z.infer<typeof shipmentSchema>;
