import { z } from 'zod';
import {
  afterFieldChecks,
  channelSchema,
  documentNumberSchema,
  externalIdsSchema,
  isoDateSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  partNumberSchema,
  skuSchema,
  tenantIdSchema,
  textSchema,
} from './common.schema.js';
import { idSchema } from './ids.js';
import { currencyCodeSchema, nonNegativeMoneySchema } from './money.js';
import { positiveQuantitySchema } from './quantity.js';
import { refineCurrency } from './totals.schema.js';
import { unitOfMeasureSchema } from './units.js';

/** Per-line actions a supplier can answer with (EDI 855 ACK01: IA, IQ, DR, IP, IR, IB). */
export const acknowledgmentActions = ['accept', 'change_quantity', 'change_date', 'change_price', 'reject', 'backorder'] as const;

/** A per-line acknowledgment action. */
export type AcknowledgmentAction = (typeof acknowledgmentActions)[number];

const lineBase = {
  lineNumber: lineNumberSchema,
  sku: skuSchema.optional(),
  supplierPartNumber: partNumberSchema.optional(),
  note: textSchema(500).optional(),
};

/** One acknowledged purchase order line, discriminated on `action`, carrying the values the supplier changed. */
export const acknowledgmentLineSchema = z.discriminatedUnion('action', [
  z.object({
    ...lineBase,
    action: z.literal('accept'),
    quantity: positiveQuantitySchema,
    unit: unitOfMeasureSchema,
    scheduledDate: isoDateSchema.optional(),
  }),
  z.object({
    ...lineBase,
    action: z.literal('change_quantity'),
    originalQuantity: positiveQuantitySchema.optional(),
    quantity: positiveQuantitySchema,
    unit: unitOfMeasureSchema,
    scheduledDate: isoDateSchema.optional(),
  }),
  z.object({
    ...lineBase,
    action: z.literal('change_date'),
    originalDate: isoDateSchema.optional(),
    scheduledDate: isoDateSchema,
  }),
  z.object({
    ...lineBase,
    action: z.literal('change_price'),
    originalUnitPrice: nonNegativeMoneySchema.optional(),
    unitPrice: nonNegativeMoneySchema,
  }),
  z.object({
    ...lineBase,
    action: z.literal('reject'),
    reasonCode: z.enum(['discontinued', 'unknown_item', 'price', 'no_capacity', 'duplicate', 'other']),
    reason: textSchema(200).optional(),
  }),
  z.object({
    ...lineBase,
    action: z.literal('backorder'),
    quantity: positiveQuantitySchema,
    unit: unitOfMeasureSchema,
    /** When the backordered quantity is expected to ship; unknown when absent. */
    scheduledDate: isoDateSchema.optional(),
  }),
]);

/** An acknowledgment line. */
export type AcknowledgmentLine = z.infer<typeof acknowledgmentLineSchema>;

/** A supplier's answer to a purchase order (EDI 855). */
export const purchaseOrderAcknowledgmentSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('poa'),
    tenantId: tenantIdSchema,
    purchaseOrderId: idSchema('po'),
    poNumber: documentNumberSchema,
    /** The PO revision this acknowledgment answers. */
    poRevision: z.int().min(0).max(999),
    supplierId: idSchema('pty'),
    ackNumber: documentNumberSchema.optional(),
    /** Header verdict (EDI 855 BAK02: AC accepted, AD accepted with changes, RJ rejected). */
    ackType: z.enum(['accepted', 'accepted_with_changes', 'rejected']),
    acknowledgedAt: isoDateTimeSchema,
    receivedVia: channelSchema,
    currency: currencyCodeSchema,
    lines: z.array(acknowledgmentLineSchema).min(1).max(9999),
    note: textSchema(2000).optional(),
    externalIds: externalIdsSchema,
    receivedAt: isoDateTimeSchema,
  })
  .superRefine((ack, ctx) => {
    // A PO line may be split across several ack lines (e.g. part accepted, part backordered), so line numbers
    // repeat only across different actions.
    const seen = new Set<string>();
    ack.lines.forEach((line, i) => {
      const key = `${line.lineNumber}:${line.action}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'action'], message: `line ${line.lineNumber} has two ${line.action} answers` });
      }
      seen.add(key);
      if (line.action === 'change_price') {
        refineCurrency(line.unitPrice, ack.currency, ctx, ['lines', i, 'unitPrice']);
        refineCurrency(line.originalUnitPrice, ack.currency, ctx, ['lines', i, 'originalUnitPrice']);
      }
    });
    if (ack.ackType === 'accepted' && ack.lines.some((l) => l.action !== 'accept')) {
      ctx.addIssue({ code: 'custom', path: ['ackType'], message: 'ackType accepted requires every line to be accept' });
    }
    if (ack.ackType === 'rejected' && ack.lines.some((l) => l.action !== 'reject')) {
      ctx.addIssue({ code: 'custom', path: ['ackType'], message: 'ackType rejected requires every line to be reject' });
    }
  }, afterFieldChecks);

/** A purchase order acknowledgment. */
export type PurchaseOrderAcknowledgment = z.infer<typeof purchaseOrderAcknowledgmentSchema>;
