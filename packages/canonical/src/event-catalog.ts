import { z } from 'zod';
import { advanceShipNoticeSchema } from './advance-ship-notice.schema.js';
import {
  channelSchema,
  documentNumberSchema,
  isoDateSchema,
  isoDateTimeSchema,
  lineNumberSchema,
  locationCodeSchema,
  skuSchema,
  textSchema,
} from './common.schema.js';
import { eventEnvelopeSchema, makeEvent, type EventEnvelope, type MakeEventInput } from './event-envelope.schema.js';
import { exceptionSchema } from './exception.schema.js';
import { idSchema } from './ids.js';
import { inventoryPositionSchema } from './inventory-position.schema.js';
import { invoiceSchema } from './invoice.schema.js';
import { purchaseOrderAcknowledgmentSchema } from './purchase-order-acknowledgment.schema.js';
import { purchaseOrderSchema } from './purchase-order.schema.js';
import { positiveQuantitySchema, quantitySchema, signedQuantitySchema } from './quantity.js';
import { salesOrderSchema } from './sales-order.schema.js';
import { shipmentSchema } from './shipment.schema.js';
import { proofOfDeliverySchema, trackingEventSchema } from './tracking-event.schema.js';
import { unitOfMeasureSchema } from './units.js';

const salesOrderData = z.object({ salesOrder: salesOrderSchema });
/** An order just accepted from a customer: not validated yet, so it carries ids, not a full SalesOrder. */
const salesOrderReceivedData = z.object({
  orderId: idSchema('so'),
  /** The customer the order was submitted for. */
  partnerId: z.string().min(1).max(100),
  customerPoNumber: z.string().min(1).max(40),
});
const purchaseOrderData = z.object({ purchaseOrder: purchaseOrderSchema });
const exceptionData = z.object({ exception: exceptionSchema });

/** Goods received at a warehouse against a purchase order (there is no separate receipt document). */
export const receiptSchema = z.object({
  purchaseOrderId: idSchema('po'),
  poNumber: documentNumberSchema,
  asnId: idSchema('asn').optional(),
  locationId: locationCodeSchema,
  receivedAt: isoDateTimeSchema,
  lines: z
    .array(
      z.object({
        lineNumber: lineNumberSchema,
        sku: skuSchema,
        quantity: quantitySchema,
        quantityDamaged: quantitySchema.optional(),
        unit: unitOfMeasureSchema,
        lot: textSchema(40).optional(),
      }),
    )
    .min(1),
});

/** A warehouse receipt. */
export type Receipt = z.infer<typeof receiptSchema>;

/** A 3-way-match discrepancy between purchase order, receipt and supplier invoice. */
export const matchDiscrepancySchema = z.object({
  code: z.enum(['price', 'quantity_not_received', 'quantity_over_ordered', 'unknown_line', 'duplicate_invoice', 'tax', 'freight']),
  lineNumber: lineNumberSchema.optional(),
  expected: textSchema(60).optional(),
  actual: textSchema(60).optional(),
  message: textSchema(500),
});

/**
 * `purchase_order.ack_reminded` v1: the supplier has not acknowledged the current revision of a purchase order and
 * its reminder time passed.
 */
export const purchaseOrderAckReminderDataSchema = z.object({
  purchaseOrderId: idSchema('po'),
  poNumber: documentNumberSchema,
  /** The supplier asked to acknowledge. */
  supplierId: idSchema('pty'),
  /** The revision waiting for an acknowledgment. */
  revision: z.int().min(0),
  /** When the acknowledgment is due; past it, a buyer is told. */
  acknowledgmentDueBy: isoDateTimeSchema.optional(),
});

/**
 * `purchase_order.change_rejected` v1: a buyer rejected the changes of a supplier's acknowledgment; the order stands
 * as ordered (`purchaseOrder`, same revision) and waits for a new acknowledgment.
 */
export const purchaseOrderChangeRejectedDataSchema = z.object({
  purchaseOrder: purchaseOrderSchema,
  /** The acknowledgment whose changes were rejected. */
  acknowledgmentId: idSchema('poa'),
  /** The buyer's note to the supplier. */
  note: textSchema(500),
});

/**
 * `sales_order.repromised` v1: the promised date of a backordered customer order line changed because the inbound
 * supply it waits on moved (acknowledgment, ship notice, ERP change).
 */
export const salesOrderRepromisedDataSchema = z.object({
  orderId: idSchema('so'),
  /** The customer (party id) the order belongs to. */
  customerId: z.string().min(1).max(100),
  customerPoNumber: z.string().min(1).max(40),
  lineNumber: lineNumberSchema,
  sku: skuSchema,
  /** The date promised before; null when the line had no promise yet. */
  previousPromisedDate: isoDateSchema.nullable(),
  promisedDate: isoDateSchema,
  /** Why the supply moved, e.g. `ship notice ASN-1 expects delivery 2025-03-04`. */
  reason: textSchema(500),
});

/**
 * Every event the product emits, with its payload version and payload schema.
 * Bump `version` (and keep the old schema for replay) when a payload changes incompatibly.
 */
export const eventCatalog = {
  'sales_order.received': { version: 1, schema: salesOrderReceivedData },
  'sales_order.accepted': { version: 1, schema: salesOrderData },
  'sales_order.committed': { version: 1, schema: salesOrderData },
  'sales_order.allocated': { version: 1, schema: salesOrderData },
  'sales_order.backordered': {
    version: 1,
    schema: z.object({
      salesOrder: salesOrderSchema,
      backorderedLines: z
        .array(z.object({ lineNumber: lineNumberSchema, quantity: positiveQuantitySchema, expectedDate: isoDateSchema.optional() }))
        .min(1),
    }),
  },
  'sales_order.released': { version: 1, schema: salesOrderData },
  'sales_order.shipped': { version: 1, schema: z.object({ salesOrder: salesOrderSchema, shipment: shipmentSchema }) },
  'sales_order.delivered': {
    version: 1,
    schema: z.object({ salesOrder: salesOrderSchema, shipmentId: idSchema('shp'), proofOfDelivery: proofOfDeliverySchema }),
  },
  'sales_order.invoiced': { version: 1, schema: z.object({ salesOrder: salesOrderSchema, invoice: invoiceSchema }) },
  'sales_order.cancelled': {
    version: 1,
    schema: z.object({ salesOrder: salesOrderSchema, reason: textSchema(500), cancelledBy: textSchema(120) }),
  },
  'sales_order.repromised': { version: 1, schema: salesOrderRepromisedDataSchema },
  'purchase_order.approved': { version: 1, schema: purchaseOrderData },
  'purchase_order.published': { version: 1, schema: z.object({ purchaseOrder: purchaseOrderSchema, channel: channelSchema }) },
  'purchase_order.acknowledged': {
    version: 1,
    schema: z.object({
      purchaseOrder: purchaseOrderSchema,
      acknowledgment: purchaseOrderAcknowledgmentSchema,
      /** Every change is inside the supplier's tolerance profile (so the ERP was updated without a person). */
      withinTolerance: z.boolean(),
    }),
  },
  'purchase_order.ack_reminded': { version: 1, schema: purchaseOrderAckReminderDataSchema },
  'purchase_order.change_rejected': { version: 1, schema: purchaseOrderChangeRejectedDataSchema },
  'purchase_order.changed': {
    version: 1,
    schema: z.object({
      purchaseOrder: purchaseOrderSchema,
      previousRevision: z.int().min(0),
      changedBy: z.enum(['buyer', 'supplier']),
      reason: textSchema(500).optional(),
    }),
  },
  'asn.received': { version: 1, schema: z.object({ asn: advanceShipNoticeSchema }) },
  'receipt.recorded': { version: 1, schema: z.object({ receipt: receiptSchema }) },
  'invoice.matched': {
    version: 1,
    schema: z.object({ invoice: invoiceSchema, purchaseOrderIds: z.array(idSchema('po')).min(1), matchedAt: isoDateTimeSchema }),
  },
  'invoice.disputed': {
    version: 1,
    schema: z.object({
      invoice: invoiceSchema,
      discrepancies: z.array(matchDiscrepancySchema).min(1),
      exceptionId: idSchema('exc').optional(),
    }),
  },
  'exception.opened': { version: 1, schema: exceptionData },
  'exception.resolved': { version: 1, schema: exceptionData },
  'inventory.changed': {
    version: 1,
    schema: z.object({
      position: inventoryPositionSchema,
      previous: z.object({ onHand: quantitySchema, allocated: quantitySchema, available: signedQuantitySchema }).optional(),
      reason: z.enum(['receipt', 'shipment', 'adjustment', 'allocation', 'transfer', 'inbound', 'sync']),
    }),
  },
  'tracking.updated': {
    version: 1,
    schema: z.object({ trackingEvent: trackingEventSchema, salesOrderIds: z.array(idSchema('so')).optional() }),
  },
} as const satisfies Record<string, { readonly version: number; readonly schema: z.ZodType }>;

/** A cataloged event type, e.g. 'sales_order.accepted'. */
export type EventType = keyof typeof eventCatalog;

/** Payload type of a cataloged event. */
export type EventData<K extends EventType> = z.infer<(typeof eventCatalog)[K]['schema']>;

/** Any cataloged event, discriminated on `type`. */
export type CatalogEvent = { [K in EventType]: EventEnvelope<EventData<K>> & { type: K } }[EventType];

/** Every cataloged event type. */
export const eventTypes = Object.keys(eventCatalog) as EventType[];

/** True when `type` is a cataloged event type. */
export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalog, type);
}

/** One validation problem, with its path from the envelope root. */
export interface EventIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Stable codes of an event that cannot be accepted. */
export type EventErrorCode = 'TL_EVENT_INVALID_ENVELOPE' | 'TL_EVENT_UNKNOWN_TYPE' | 'TL_EVENT_UNSUPPORTED_VERSION' | 'TL_EVENT_INVALID_DATA';

/** Outcome of {@link parseEvent}. */
export type ParseEventResult =
  | { ok: true; event: CatalogEvent }
  | { ok: false; error: { code: EventErrorCode; message: string; issues: EventIssue[] } };

function toIssues(error: z.ZodError, prefix: (string | number)[]): EventIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    code: issue.code,
    message: issue.message,
  }));
}

/**
 * Validates an envelope and its payload against the catalog; never throws.
 * @example const result = parseEvent(JSON.parse(body)); if (result.ok && result.event.type === 'asn.received') use(result.event.data.asn);
 */
export function parseEvent(envelope: unknown): ParseEventResult {
  const parsed = eventEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    return { ok: false, error: { code: 'TL_EVENT_INVALID_ENVELOPE', message: 'not a valid CloudEvents envelope', issues: toIssues(parsed.error, []) } };
  }
  const { type, dataversion } = parsed.data;
  if (!isEventType(type)) {
    return { ok: false, error: { code: 'TL_EVENT_UNKNOWN_TYPE', message: `unknown event type ${type}`, issues: [] } };
  }
  const entry = eventCatalog[type];
  if (dataversion !== entry.version) {
    return {
      ok: false,
      error: {
        code: 'TL_EVENT_UNSUPPORTED_VERSION',
        message: `${type} dataversion ${dataversion} is not supported (catalog has version ${entry.version})`,
        issues: [],
      },
    };
  }
  const data = (entry.schema as z.ZodType).safeParse(parsed.data.data);
  if (!data.success) {
    return { ok: false, error: { code: 'TL_EVENT_INVALID_DATA', message: `${type} v${dataversion} payload is invalid`, issues: toIssues(data.error, ['data']) } };
  }
  return { ok: true, event: { ...parsed.data, data: data.data } as CatalogEvent };
}

/** Input of {@link makeCatalogEvent}: like makeEvent, with the payload typed and the version taken from the catalog. */
export type MakeCatalogEventInput<K extends EventType> = Omit<MakeEventInput<EventData<K>>, 'type' | 'dataVersion'> & { type: K };

/**
 * Builds a cataloged event, validating its payload; throws a TypeError listing the issues when invalid.
 * @example makeCatalogEvent({ type: 'asn.received', source: '/tradelane/connectors/edi-x12', tenantId: 'acme', subject: asn.id, data: { asn } })
 */
export function makeCatalogEvent<K extends EventType>(input: MakeCatalogEventInput<K>): EventEnvelope<EventData<K>> & { type: K } {
  const entry = eventCatalog[input.type];
  const data = (entry.schema as z.ZodType).safeParse(input.data);
  if (!data.success) {
    const detail = data.error.issues.map((i) => `data.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new TypeError(`invalid ${input.type} payload: ${detail}`);
  }
  return makeEvent({ ...input, dataVersion: entry.version }) as EventEnvelope<EventData<K>> & { type: K };
}
