import { z } from 'zod';

/** The WMS's own units of measure (it does not use the hub's codes). */
export const wmsUoms = ['EACH', 'PACK', 'BOX', 'CASE', 'CARTON', 'PALLET', 'PAIR', 'FOOT', 'ROLL', 'GALLON'] as const;

/** A WMS unit of measure. */
export type WmsUom = (typeof wmsUoms)[number];

/** Whole units: the WMS counts pieces, it never picks fractions. */
const wholeQty = z.int().positive().max(1_000_000);

/** A WMS address block. */
export const wmsShipToSchema = z.object({
  name: z.string().min(1).max(120),
  attn: z.string().min(1).max(120).optional(),
  addr1: z.string().min(1).max(120),
  addr2: z.string().min(1).max(120).optional(),
  city: z.string().min(1).max(80),
  state: z.string().min(1).max(80).optional(),
  postal: z.string().min(1).max(15).optional(),
  ctry: z.string().length(2),
});

/** `POST /wms/api/outbound-orders`: an order release, idempotent on `clientRef`. */
export const wmsOutboundOrderRequestSchema = z.object({
  clientRef: z.string().min(1).max(60),
  custOrderNo: z.string().min(1).max(60),
  hostOrderNo: z.string().min(1).max(40),
  facility: z.string().min(1).max(32),
  shipTo: wmsShipToSchema,
  carrier: z.object({ scac: z.string().regex(/^[A-Z0-9]{2,4}$/), service: z.string().min(1).max(60).optional() }).optional(),
  lines: z
    .array(z.object({ lineNo: z.int().positive(), itemCode: z.string().min(1).max(48), qtyOrdered: wholeQty, uom: z.enum(wmsUoms) }))
    .min(1)
    .max(999),
});

/** A WMS outbound order request. */
export type WmsOutboundOrderRequest = z.infer<typeof wmsOutboundOrderRequestSchema>;

/** WMS order status vocabulary. */
export const wmsOrderStatuses = ['RELEASED', 'WAVED', 'PICKED', 'PACKED', 'BACKORDERED', 'SHIPPED', 'SHORTSHIPPED'] as const;

/** A WMS order status. */
export type WmsOrderStatus = (typeof wmsOrderStatuses)[number];

/** `POST /wms/api/outbound-orders` answer (201 created, 200 when `clientRef` was already released). */
export const wmsOrderAckSchema = z.object({
  obOrderId: z.string().min(1),
  clientRef: z.string().min(1),
  facility: z.string().min(1),
  orderStatus: z.enum(wmsOrderStatuses),
});

/** A WMS order acknowledgment. */
export type WmsOrderAck = z.infer<typeof wmsOrderAckSchema>;

/** `POST /wms/api/receipts`: an inbound receipt (return or purchase), idempotent on `receiptRef`. */
export const wmsReceiptRequestSchema = z.object({
  receiptRef: z.string().min(1).max(60),
  facility: z.string().min(1).max(32),
  receiptType: z.enum(['RETURN', 'PURCHASE']),
  sourceDoc: z.string().min(1).max(60).optional(),
  lines: z.array(z.object({ itemCode: z.string().min(1).max(48), qtyReceived: wholeQty, uom: z.enum(wmsUoms) })).min(1).max(999),
});

/** A WMS receipt request. */
export type WmsReceiptRequest = z.infer<typeof wmsReceiptRequestSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

/** One expected line of an inbound shipment: the purchase order line it fills, item, whole quantity, unit. */
export const wmsInboundLineSchema = z.object({
  poNo: z.string().min(1).max(40),
  poLineNo: z.int().positive().max(99_999),
  itemCode: z.string().min(1).max(48),
  qtyExpected: wholeQty,
  uom: z.enum(wmsUoms),
});

/** `POST /wms/api/inbound`: an expected inbound shipment (from a supplier's ship notice), idempotent on `inboundRef`. */
export const wmsInboundRequestSchema = z.object({
  inboundRef: z.string().min(1).max(60),
  asnNo: z.string().min(1).max(60),
  vendorId: z.string().min(1).max(40),
  facility: z.string().min(1).max(32),
  expectedDate: isoDate,
  lines: z.array(wmsInboundLineSchema).min(1).max(999),
});

/** A WMS inbound shipment request. */
export type WmsInboundRequest = z.infer<typeof wmsInboundRequestSchema>;

/** WMS inbound shipment status vocabulary: announced and waiting, or received (closed). */
export const wmsInboundStatuses = ['EXPECTED', 'RECEIVED'] as const;

/** A WMS inbound shipment status. */
export type WmsInboundStatus = (typeof wmsInboundStatuses)[number];

/** `POST /wms/api/inbound` answer: 201 created, 200 when `inboundRef` exists (same, or replaced: `revision` > 1). */
export const wmsInboundAckSchema = z.object({
  inboundId: z.string().min(1),
  inboundRef: z.string().min(1),
  facility: z.string().min(1),
  inboundStatus: z.enum(wmsInboundStatuses),
  revision: z.int().positive(),
});

/** A WMS inbound shipment acknowledgment. */
export type WmsInboundAck = z.infer<typeof wmsInboundAckSchema>;

/** `POST /admin/inbound/:inboundIdOrRef/receive`: receive now, in full (no body / no lines) or with these quantities. */
export const wmsInboundReceiveRequestSchema = z
  .object({
    lines: z
      .array(z.object({ poNo: z.string().min(1).max(40), poLineNo: z.int().positive(), qtyReceived: z.int().nonnegative().max(1_000_000) }).strict())
      .min(1)
      .max(999)
      .optional(),
  })
  .strict();

/** A request to receive an inbound shipment now. */
export type WmsInboundReceiveRequest = z.infer<typeof wmsInboundReceiveRequestSchema>;

/** One unit of content (a line's quantity in an LPN or a shipment). */
export const wmsContentSchema = z.object({ lineNo: z.int().positive(), itemCode: z.string(), qty: z.int().nonnegative() });

/** A pick task as reported in PICK_CONFIRMED. */
export const wmsPickTaskSchema = z.object({
  taskId: z.string(),
  lineNo: z.int().positive(),
  itemCode: z.string(),
  uom: z.enum(wmsUoms),
  qtyRequested: z.int().nonnegative(),
  qtyPicked: z.int().nonnegative(),
  taskStatus: z.enum(['OPEN', 'DONE', 'SHORT']),
});

/** A license plate (packed container) as reported in PACK_COMPLETE. */
export const wmsLpnSchema = z.object({
  lpn: z.string(),
  sscc: z.string(),
  weightKg: z.number().positive(),
  contents: z.array(wmsContentSchema),
});

const eventBase = { seq: z.int().positive(), eventTs: z.string(), facility: z.string() };
const orderBase = { ...eventBase, obOrderId: z.string(), clientRef: z.string() };

/** A WMS event as the feed serves it (discriminated on `eventType`; unknown types pass through as `other`). */
export const wmsEventSchema = z.discriminatedUnion('eventType', [
  z.object({ ...orderBase, eventType: z.literal('WAVE_RELEASED'), waveNo: z.string() }),
  z.object({ ...orderBase, eventType: z.literal('PICK_CONFIRMED'), waveNo: z.string(), tasks: z.array(wmsPickTaskSchema) }),
  z.object({ ...orderBase, eventType: z.literal('PACK_COMPLETE'), waveNo: z.string(), lpns: z.array(wmsLpnSchema) }),
  z.object({
    ...orderBase,
    eventType: z.literal('SHIP_CONFIRMED'),
    shipmentNo: z.string(),
    carrierScac: z.string(),
    carrierName: z.string().optional(),
    serviceCode: z.string().optional(),
    trackingNo: z.string(),
    lpns: z.array(z.string()),
    contents: z.array(wmsContentSchema),
  }),
  z.object({
    ...eventBase,
    eventType: z.literal('RECEIPT_CLOSED'),
    receiptNo: z.string(),
    receiptRef: z.string(),
    receiptType: z.enum(['RETURN', 'PURCHASE']),
    /** Set when the receipt closes an announced inbound shipment (then `receiptRef` is its `inboundRef`). */
    inboundId: z.string().optional(),
    asnNo: z.string().optional(),
    lines: z.array(
      z.object({
        itemCode: z.string(),
        qtyReceived: z.int().positive(),
        uom: z.string(),
        poNo: z.string().optional(),
        poLineNo: z.int().positive().optional(),
        qtyExpected: z.int().nonnegative().optional(),
      }),
    ),
  }),
  z.object({
    ...eventBase,
    eventType: z.literal('INBOUND_EXPECTED'),
    inboundId: z.string(),
    inboundRef: z.string(),
    asnNo: z.string(),
    vendorId: z.string(),
    expectedDate: z.string(),
    revision: z.int().positive(),
    lines: z.array(z.object({ poNo: z.string(), poLineNo: z.int().positive(), itemCode: z.string(), qtyExpected: z.int().positive(), uom: z.string() })),
  }),
]);

/** A WMS event. */
export type WmsApiEvent = z.infer<typeof wmsEventSchema>;

/** `GET /wms/api/events?after=&limit=`: events with `seq > after`, oldest first. */
export const wmsEventPageSchema = z.object({
  events: z.array(z.looseObject({ seq: z.int().positive(), eventType: z.string() })),
  lastSeq: z.int().nonnegative(),
  hasMore: z.boolean(),
});

/** A WMS events page (events still raw: each is decoded on its own so an unknown type can be named). */
export type WmsEventPage = z.infer<typeof wmsEventPageSchema>;

/** A WMS ship-to block. */
export type WmsShipTo = z.infer<typeof wmsShipToSchema>;
