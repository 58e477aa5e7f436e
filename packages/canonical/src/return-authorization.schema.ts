import { z } from 'zod';
import {
  afterFieldChecks,
  auditFields,
  carrierSchema,
  documentNumberSchema,
  externalIdsSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  locationCodeSchema,
  refineUniqueLineNumbers,
  skuSchema,
  tenantIdSchema,
  textSchema,
} from './common.schema.js';
import { compareDecimal } from './decimal.js';
import { idSchema } from './ids.js';
import { currencyCodeSchema, nonNegativeMoneySchema } from './money.js';
import { positiveQuantitySchema, quantitySchema } from './quantity.js';
import { refineCurrency } from './totals.schema.js';
import { unitOfMeasureSchema } from './units.js';

/** States of a return authorization. */
export const returnAuthorizationStatuses = ['Requested', 'Approved', 'Rejected', 'Received', 'Inspected', 'Credited', 'Closed', 'Cancelled'] as const;

/** A return authorization state. */
export type ReturnAuthorizationStatus = (typeof returnAuthorizationStatuses)[number];

/** Why goods come back. */
export const returnReasonCodes = [
  'damaged_in_transit',
  'defective',
  'wrong_item',
  'not_ordered',
  'over_shipped',
  'expired',
  'no_longer_needed',
  'recall',
  'other',
] as const;

/** A return reason code. */
export type ReturnReasonCode = (typeof returnReasonCodes)[number];

/** One returned item. */
export const returnLineSchema = z.object({
  lineNumber: lineNumberSchema,
  salesOrderId: idSchema('so').optional(),
  salesOrderLineNumber: lineNumberSchema.optional(),
  sku: skuSchema,
  quantity: positiveQuantitySchema,
  unit: unitOfMeasureSchema,
  reasonCode: z.enum(returnReasonCodes),
  reason: textSchema(500).optional(),
  quantityReceived: quantitySchema.optional(),
  condition: z.enum(['new', 'opened', 'damaged', 'defective']).optional(),
  disposition: z.enum(['restock', 'scrap', 'return_to_supplier', 'repair']).optional(),
  creditAmount: nonNegativeMoneySchema.optional(),
});

/** A return line. */
export type ReturnLine = z.infer<typeof returnLineSchema>;

/** A return authorization (RMA) for goods a customer sends back. */
export const returnAuthorizationSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('rma'),
    tenantId: tenantIdSchema,
    rmaNumber: documentNumberSchema,
    customerId: idSchema('pty'),
    invoiceId: idSchema('inv').optional(),
    status: z.enum(returnAuthorizationStatuses),
    requestedAt: isoDateTimeSchema,
    decidedAt: isoDateTimeSchema.optional(),
    returnToLocationId: locationCodeSchema,
    currency: currencyCodeSchema,
    /** Restocking fee as a percentage decimal string, e.g. "15". */
    restockingFeePercent: z.string().regex(/^(?:(?:0|[1-9]\d?)(?:\.\d{1,2})?|100(?:\.0{1,2})?)$/, { error: 'restockingFeePercent must be 0-100' }).optional(),
    carrier: carrierSchema.optional(),
    trackingNumber: textSchema(40).optional(),
    creditMemoId: idSchema('inv').optional(),
    lines: z.array(returnLineSchema).min(1).max(999),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((rma, ctx) => {
    refineUniqueLineNumbers(rma.lines, ctx);
    rma.lines.forEach((line, i) => {
      refineCurrency(line.creditAmount, rma.currency, ctx, ['lines', i, 'creditAmount']);
      if (line.quantityReceived !== undefined && compareDecimal(line.quantityReceived, line.quantity) > 0) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'quantityReceived'], message: 'more received than authorized' });
      }
    });
    if (rma.status === 'Credited' && rma.creditMemoId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['creditMemoId'], message: 'a Credited return needs its credit memo' });
    }
  }, afterFieldChecks);

/** A return authorization. */
export type ReturnAuthorization = z.infer<typeof returnAuthorizationSchema>;
