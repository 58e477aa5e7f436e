import { z } from 'zod';
import { afterFieldChecks, countryCodeSchema, isoDateTimeSchema, tenantIdSchema, textSchema } from './common.schema.js';
import { idSchema } from './ids.js';

/** The one normalised tracking status set every carrier format maps to. */
export const trackingStatuses = ['InfoReceived', 'InTransit', 'OutForDelivery', 'Delivered', 'Exception', 'ReturnedToSender'] as const;

/** A normalised tracking status. */
export type TrackingStatus = (typeof trackingStatuses)[number];

/** Tracking statuses after which a carrier reports nothing more. */
export const finalTrackingStatuses: readonly TrackingStatus[] = ['Delivered', 'ReturnedToSender'];

/** Proof of delivery. */
export const proofOfDeliverySchema = z.object({
  /** Name on the signature, or the carrier's note such as "FRONT DOOR" when no one signed. */
  signedBy: textSchema(120),
  deliveredAt: isoDateTimeSchema,
  /** Reference to a stored image of the signature or photo (blob key or URL). */
  imageRef: textSchema(500).optional(),
});

/** Proof of delivery. */
export type ProofOfDelivery = z.infer<typeof proofOfDeliverySchema>;

/** Where a tracking event happened. */
export const trackingLocationSchema = z.object({
  city: textSchema(80).optional(),
  region: textSchema(80).optional(),
  postalCode: textSchema(15).optional(),
  country: countryCodeSchema.optional(),
});

/** Reasons a carrier reports an exception. */
export const trackingExceptionCodes = ['address_issue', 'damaged', 'delayed', 'weather', 'refused', 'customs', 'lost', 'recipient_unavailable', 'other'] as const;

const eventBase = {
  schemaVersion: z.literal(1),
  id: idSchema('trk'),
  tenantId: tenantIdSchema,
  shipmentId: idSchema('shp').optional(),
  carrierCode: z.string().regex(/^[A-Z0-9]{2,4}$/, { error: 'carrier code must be a 2-4 character SCAC' }),
  trackingNumber: textSchema(40),
  occurredAt: isoDateTimeSchema,
  recordedAt: isoDateTimeSchema,
  location: trackingLocationSchema.optional(),
  description: textSchema(500).optional(),
  /** The carrier's own status code, kept for audit (e.g. EDI 214 AT7 "X1", a JSON API's "DL"). */
  carrierStatusCode: textSchema(40),
  source: z.enum(['carrier_api', 'carrier_webhook', 'edi_214', 'wms', 'manual']),
  estimatedDeliveryAt: isoDateTimeSchema.optional(),
};

/** One carrier tracking event, normalised (discriminated on `status`). */
export const trackingEventSchema = z
  .discriminatedUnion('status', [
    z.object({ ...eventBase, status: z.literal('InfoReceived') }),
    z.object({ ...eventBase, status: z.literal('InTransit') }),
    z.object({ ...eventBase, status: z.literal('OutForDelivery') }),
    z.object({ ...eventBase, status: z.literal('Delivered'), proofOfDelivery: proofOfDeliverySchema }),
    z.object({
      ...eventBase,
      status: z.literal('Exception'),
      exceptionCode: z.enum(trackingExceptionCodes),
      reason: textSchema(500).optional(),
    }),
    z.object({ ...eventBase, status: z.literal('ReturnedToSender'), reason: textSchema(500).optional() }),
  ])
  .superRefine((event, ctx) => {
    if (Date.parse(event.recordedAt) < Date.parse(event.occurredAt)) {
      ctx.addIssue({ code: 'custom', path: ['recordedAt'], message: 'recordedAt must not be before occurredAt' });
    }
  }, afterFieldChecks);

/** A tracking event. */
export type TrackingEvent = z.infer<typeof trackingEventSchema>;
