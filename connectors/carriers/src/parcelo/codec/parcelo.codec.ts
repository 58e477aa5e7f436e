import { z } from 'zod';

/** Parcelo's SCAC. */
export const PARCELO_SCAC = 'PRCL';

/** Parcelo local date-time without offset, e.g. `2025-03-01T09:15:00` (the offset travels in `utcOffset`). */
export const parceloLocalTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, { error: 'localTime must be YYYY-MM-DDTHH:mm:ss' });

/** Parcelo UTC offset of the scanning facility, e.g. `-05:00`. */
export const parceloUtcOffsetSchema = z.string().regex(/^[+-]\d{2}:\d{2}$/, { error: 'utcOffset must be ±HH:MM' });

/** Where Parcelo scanned a parcel. */
export const parceloLocationSchema = z.object({
  city: z.string().min(1),
  state: z.string().min(1).optional(),
  zip: z.string().min(1).optional(),
  country: z.string().min(2),
});

/** One Parcelo scan: short status code, optional reason, local time plus offset, signature on delivery. */
export const parceloScanSchema = z.object({
  scanId: z.int().positive(),
  code: z.string().min(1),
  text: z.string(),
  reason: z.string().min(1).optional(),
  localTime: parceloLocalTimeSchema,
  utcOffset: parceloUtcOffsetSchema,
  location: parceloLocationSchema.optional(),
  signature: z
    .object({
      signedBy: z.string().min(1).optional(),
      leftAt: z.string().min(1).optional(),
      imageUrl: z.string().min(1).optional(),
    })
    .optional(),
  /** Estimated delivery date, local to the destination (end of that day is assumed). */
  etaLocalDate: z.iso.date().optional(),
  /** UTC offset of the destination, for `etaLocalDate` (the scan's own `utcOffset` when absent). */
  etaUtcOffset: parceloUtcOffsetSchema.optional(),
});

/** A Parcelo scan. */
export type ParceloScan = z.infer<typeof parceloScanSchema>;

/** `GET /v2/tracking/:trackingNumber`: scans newest first. */
export const parceloTrackingSchema = z.object({
  trackingNumber: z.string().min(1),
  shipperReference: z.string(),
  serviceCode: z.string(),
  statusCode: z.string(),
  delivered: z.boolean(),
  scans: z.array(parceloScanSchema),
});

/** A Parcelo tracking answer. */
export type ParceloTracking = z.infer<typeof parceloTrackingSchema>;

/** `GET /v2/tracking/updates?since=&max=`: scans across all parcels after `since`, oldest first. */
export const parceloUpdatesSchema = z.object({
  updates: z.array(z.object({ trackingNumber: z.string().min(1), scan: parceloScanSchema })),
  since: z.int().nonnegative(),
  latest: z.int().nonnegative(),
  more: z.boolean(),
});

/** A Parcelo updates page. */
export type ParceloUpdates = z.infer<typeof parceloUpdatesSchema>;

/** `POST /v2/labels` request: idempotent on `shipperReference`. */
export const parceloLabelRequestSchema = z.object({
  shipperReference: z.string().min(1).max(60),
  serviceCode: z.enum(['GRD', 'EXP']).default('GRD'),
  shipTo: z.object({
    name: z.string().min(1),
    attention: z.string().min(1).optional(),
    street1: z.string().min(1),
    street2: z.string().min(1).optional(),
    city: z.string().min(1),
    state: z.string().min(1).optional(),
    zip: z.string().min(1).optional(),
    country: z.string().length(2),
  }),
  parcels: z
    .array(z.object({ reference: z.string().min(1).optional(), weightKg: z.number().positive().optional() }))
    .min(1)
    .max(50),
});

/** A Parcelo label request. */
export type ParceloLabelRequest = z.infer<typeof parceloLabelRequestSchema>;

/** `POST /v2/labels` answer (201 created, 200 when the reference already had a label). */
export const parceloLabelSchema = z.object({
  trackingNumber: z.string().min(1),
  labelId: z.string().min(1),
  shipperReference: z.string(),
  serviceCode: z.string(),
});

/** A Parcelo label. */
export type ParceloLabel = z.infer<typeof parceloLabelSchema>;
