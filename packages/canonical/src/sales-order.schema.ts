import { z } from 'zod';
import {
  auditFields,
  carrierSchema,
  channelSchema,
  documentNumberSchema,
  documentPartySchema,
  externalIdsSchema,
  isoDateSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  partNumberSchema,
  paymentTermsSchema,
  refineUniqueLineNumbers,
  skuSchema,
  tenantIdSchema,
  textSchema,
  afterFieldChecks,
} from './common.schema.js';
import { idSchema } from './ids.js';
import { currencyCodeSchema, nonNegativeMoneySchema } from './money.js';
import { positiveQuantitySchema, quantitySchema } from './quantity.js';
import { salesOrderLineStatuses, salesOrderStates } from './sales-order.lifecycle.js';
import { documentTotalsSchema, refineCurrency, refineTotals } from './totals.schema.js';
import { unitOfMeasureSchema } from './units.js';

/** A sales order line: what the customer ordered, at what price, and where it stands. */
export const salesOrderLineSchema = z.object({
  lineNumber: lineNumberSchema,
  itemId: idSchema('itm').optional(),
  sku: skuSchema.optional(),
  customerPartNumber: partNumberSchema.optional(),
  description: textSchema(200).optional(),
  quantity: positiveQuantitySchema,
  unit: unitOfMeasureSchema,
  unitPrice: nonNegativeMoneySchema,
  requestedDate: isoDateSchema.optional(),
  promisedDate: isoDateSchema.optional(),
  status: z.enum(salesOrderLineStatuses),
  quantityAllocated: quantitySchema.optional(),
  quantityShipped: quantitySchema.optional(),
  quantityCancelled: quantitySchema.optional(),
});

/** A sales order line. */
export type SalesOrderLine = z.infer<typeof salesOrderLineSchema>;

/** A hold on an order; active until `releasedAt` is set. */
export const orderHoldSchema = z.object({
  code: z.enum(['credit_hold', 'price_review', 'fraud_review', 'compliance', 'manual']),
  reason: textSchema(200),
  placedAt: isoDateTimeSchema,
  releasedAt: isoDateTimeSchema.optional(),
  releasedBy: textSchema(120).optional(),
});

/** An order hold. */
export type OrderHold = z.infer<typeof orderHoldSchema>;

/** Summary of a shipment made against the order (the full document is a Shipment). */
export const orderShipmentRefSchema = z.object({
  shipmentId: idSchema('shp'),
  carrierCode: z.string().regex(/^[A-Z0-9]{2,4}$/).optional(),
  trackingNumber: textSchema(40).optional(),
  shippedAt: isoDateTimeSchema.optional(),
});

/** A customer's order (ERP/EDI 850 inbound from the customer side). */
export const salesOrderSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('so'),
    tenantId: tenantIdSchema,
    /** Order number in the ERP, known once committed. */
    orderNumber: documentNumberSchema.optional(),
    customerId: idSchema('pty'),
    customerPoNumber: documentNumberSchema,
    channel: channelSchema,
    status: z.enum(salesOrderStates),
    orderedAt: isoDateTimeSchema,
    requestedDeliveryDate: isoDateSchema.optional(),
    shipTo: documentPartySchema,
    billTo: documentPartySchema,
    currency: currencyCodeSchema,
    paymentTerms: paymentTermsSchema.optional(),
    requestedCarrier: carrierSchema.optional(),
    /** Ship complete, or allow partial shipments as stock arrives. */
    shipComplete: z.boolean(),
    lines: z.array(salesOrderLineSchema).min(1).max(9999),
    totals: documentTotalsSchema,
    holds: z.array(orderHoldSchema).max(20),
    shipments: z.array(orderShipmentRefSchema).max(200),
    notes: textSchema(2000).optional(),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((order, ctx) => {
    refineUniqueLineNumbers(order.lines, ctx);
    order.lines.forEach((line, i) => {
      if (line.itemId === undefined && line.sku === undefined && line.customerPartNumber === undefined) {
        ctx.addIssue({ code: 'custom', path: ['lines', i], message: 'a line needs an itemId, a sku or a customerPartNumber' });
      }
      refineCurrency(line.unitPrice, order.currency, ctx, ['lines', i, 'unitPrice']);
    });
    refineTotals(order.totals, order.currency, ctx);
  }, afterFieldChecks);

/** A sales order. */
export type SalesOrder = z.infer<typeof salesOrderSchema>;
