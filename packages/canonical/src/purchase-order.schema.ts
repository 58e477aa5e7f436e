import { z } from 'zod';
import {
  afterFieldChecks,
  auditFields,
  carrierSchema,
  channelSchema,
  contactSchema,
  documentNumberSchema,
  documentPartySchema,
  externalIdsSchema,
  isoDateSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  locationCodeSchema,
  partNumberSchema,
  paymentTermsSchema,
  refineUniqueLineNumbers,
  skuSchema,
  tenantIdSchema,
  textSchema,
} from './common.schema.js';
import { idSchema } from './ids.js';
import { currencyCodeSchema, nonNegativeMoneySchema } from './money.js';
import { purchaseOrderLineStatuses, purchaseOrderStates } from './purchase-order.lifecycle.js';
import { positiveQuantitySchema, quantitySchema } from './quantity.js';
import { documentTotalsSchema, refineCurrency, refineTotals } from './totals.schema.js';
import { unitOfMeasureSchema } from './units.js';

/** A purchase order line. */
export const purchaseOrderLineSchema = z.object({
  lineNumber: lineNumberSchema,
  itemId: idSchema('itm'),
  sku: skuSchema,
  supplierPartNumber: partNumberSchema.optional(),
  description: textSchema(200).optional(),
  quantity: positiveQuantitySchema,
  unit: unitOfMeasureSchema,
  unitPrice: nonNegativeMoneySchema,
  requestedDate: isoDateSchema,
  /** Date the supplier committed to in its acknowledgment. */
  promisedDate: isoDateSchema.optional(),
  status: z.enum(purchaseOrderLineStatuses),
  quantityAcknowledged: quantitySchema.optional(),
  quantityShipped: quantitySchema.optional(),
  quantityReceived: quantitySchema.optional(),
  quantityInvoiced: quantitySchema.optional(),
  /** Customer order lines this line was bought for (drop-ship, buy-to-order). */
  forSalesOrders: z.array(z.object({ salesOrderId: idSchema('so'), lineNumber: lineNumberSchema })).max(100).optional(),
});

/** A purchase order line. */
export type PurchaseOrderLine = z.infer<typeof purchaseOrderLineSchema>;

/** A purchase order to a supplier (EDI 850 outbound). */
export const purchaseOrderSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('po'),
    tenantId: tenantIdSchema,
    poNumber: documentNumberSchema,
    /** Incremented each time a change is published to the supplier (EDI 860). */
    revision: z.int().min(0).max(999),
    supplierId: idSchema('pty'),
    status: z.enum(purchaseOrderStates),
    orderedAt: isoDateTimeSchema,
    buyer: contactSchema.optional(),
    /** Channel the supplier receives this order on. */
    channel: channelSchema,
    currency: currencyCodeSchema,
    paymentTerms: paymentTermsSchema.optional(),
    /** Incoterms 2020 rule, e.g. FCA, DAP. */
    incoterms: z.enum(['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF']).optional(),
    shipToLocationId: locationCodeSchema,
    shipTo: documentPartySchema,
    billTo: documentPartySchema.optional(),
    requestedCarrier: carrierSchema.optional(),
    /** Drop-ship: the supplier ships straight to this customer order. */
    dropShipSalesOrderId: idSchema('so').optional(),
    lines: z.array(purchaseOrderLineSchema).min(1).max(9999),
    totals: documentTotalsSchema,
    notes: textSchema(2000).optional(),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((po, ctx) => {
    refineUniqueLineNumbers(po.lines, ctx);
    po.lines.forEach((line, i) => refineCurrency(line.unitPrice, po.currency, ctx, ['lines', i, 'unitPrice']));
    refineTotals(po.totals, po.currency, ctx);
  }, afterFieldChecks);

/** A purchase order. */
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
