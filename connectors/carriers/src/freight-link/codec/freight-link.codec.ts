import { z } from 'zod';

/** FreightLink's SCAC. */
export const FREIGHTLINK_SCAC = 'FRLK';

/** A FreightLink terminal. */
export const freightLinkFacilitySchema = z.object({
  code: z.string().min(1),
  city: z.string().min(1),
  stateProvince: z.string().min(1).optional(),
  countryCode: z.string().min(2),
});

/** One FreightLink history entry: verbose status, epoch-second time, attempt reason, POD with receiver and image. */
export const freightLinkEventSchema = z.object({
  eventId: z.int().positive(),
  status: z.string().min(1),
  statusDetail: z.string(),
  /** Seconds since 1970-01-01T00:00:00Z. */
  eventTimeEpoch: z.int().nonnegative(),
  facility: freightLinkFacilitySchema.optional(),
  attempt: z.object({ reasonCode: z.string().min(1), note: z.string().optional() }).optional(),
  returnReason: z.string().min(1).optional(),
  pod: z.object({ receiverName: z.string().min(1), podImageId: z.string().min(1), signedEpoch: z.int().nonnegative().optional() }).optional(),
  estimatedDeliveryEpoch: z.int().nonnegative().optional(),
});

/** A FreightLink history entry. */
export type FreightLinkEvent = z.infer<typeof freightLinkEventSchema>;

/** `GET /api/v1/shipments/:proNumber/history`: oldest first. */
export const freightLinkHistorySchema = z.object({
  proNumber: z.string().min(1),
  customerReference: z.string(),
  currentStatus: z.string(),
  history: z.array(freightLinkEventSchema),
});

/** A FreightLink shipment history. */
export type FreightLinkHistory = z.infer<typeof freightLinkHistorySchema>;

/** `GET /api/v1/events?afterEventId=&pageSize=`: events across all shipments, oldest first. */
export const freightLinkEventPageSchema = z.object({
  events: z.array(freightLinkEventSchema.extend({ proNumber: z.string().min(1) })),
  lastEventId: z.int().nonnegative(),
  hasMore: z.boolean(),
});

/** A FreightLink events page. */
export type FreightLinkEventPage = z.infer<typeof freightLinkEventPageSchema>;

/** `POST /api/v1/shipments` request: idempotent on `customerReference`. */
export const freightLinkShipmentRequestSchema = z.object({
  customerReference: z.string().min(1).max(60),
  serviceLevel: z.enum(['STANDARD', 'GUARANTEED']).default('STANDARD'),
  consignee: z.object({
    companyName: z.string().min(1),
    contactName: z.string().min(1).optional(),
    address1: z.string().min(1),
    address2: z.string().min(1).optional(),
    city: z.string().min(1),
    stateProvince: z.string().min(1).optional(),
    postalCode: z.string().min(1).optional(),
    countryCode: z.string().length(2),
  }),
  handlingUnits: z
    .array(z.object({ sscc: z.string().min(1).optional(), weightLb: z.number().positive().optional() }))
    .min(1)
    .max(50),
});

/** A FreightLink shipment request. */
export type FreightLinkShipmentRequest = z.infer<typeof freightLinkShipmentRequestSchema>;

/** `POST /api/v1/shipments` answer (201 created, 200 when the reference was already booked). */
export const freightLinkBookingSchema = z.object({
  proNumber: z.string().min(1),
  bolNumber: z.string().min(1),
  customerReference: z.string(),
  serviceLevel: z.string(),
  createdEpoch: z.int().nonnegative(),
});

/** A FreightLink booking. */
export type FreightLinkBooking = z.infer<typeof freightLinkBookingSchema>;
