import type { ProofOfDelivery, TrackingStatus, trackingExceptionCodes } from '@tradelane/canonical';
import type { CarrierTrackingEvent } from './carrier-event.types.js';

/** A canonical tracking exception reason. */
export type TrackingExceptionCode = (typeof trackingExceptionCodes)[number];

/** Fields every normalised event has, whatever its status. */
export interface NormalisedEventBase {
  carrierCode: string;
  trackingNumber: string;
  occurredAt: string;
  carrierStatusCode: string;
  source: 'carrier_api';
  location?: { city?: string; region?: string; postalCode?: string; country?: string } | undefined;
  description?: string | undefined;
  estimatedDeliveryAt?: string | undefined;
}

/** Status-specific facts: proof of delivery, exception reason, free-text reason. */
export interface NormalisedEventDetail {
  proofOfDelivery?: ProofOfDelivery | undefined;
  exceptionCode?: TrackingExceptionCode | undefined;
  reason?: string | undefined;
}

/** Cuts text to the canonical length limit; undefined for empty text. */
export function clip(text: string | undefined, max: number): string | undefined {
  const t = text?.trim();
  if (!t) return undefined;
  return t.length > max ? t.slice(0, max) : t;
}

/** Keeps only a location the canonical schema accepts (country as ISO alpha-2, bounded text). */
export function normaliseLocation(loc: { city?: string | undefined; region?: string | undefined; postalCode?: string | undefined; country?: string | undefined }) {
  const out: NonNullable<NormalisedEventBase['location']> = {};
  const city = clip(loc.city, 80);
  const region = clip(loc.region, 80);
  const postalCode = clip(loc.postalCode, 15);
  const country = loc.country?.trim().toUpperCase();
  if (city) out.city = city;
  if (region) out.region = region;
  if (postalCode) out.postalCode = postalCode;
  if (country && /^[A-Z]{2}$/.test(country)) out.country = country;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Assembles a normalised event of the given status; Delivered always carries proof of delivery. */
export function normalisedEvent(base: NormalisedEventBase, status: TrackingStatus, detail: NormalisedEventDetail = {}): CarrierTrackingEvent {
  const common = {
    carrierCode: base.carrierCode,
    trackingNumber: base.trackingNumber,
    occurredAt: base.occurredAt,
    carrierStatusCode: base.carrierStatusCode,
    source: base.source,
    ...(base.location ? { location: base.location } : {}),
    ...(base.description ? { description: base.description } : {}),
    ...(base.estimatedDeliveryAt ? { estimatedDeliveryAt: base.estimatedDeliveryAt } : {}),
  };
  const reason = clip(detail.reason, 500);
  switch (status) {
    case 'Delivered':
      return { ...common, status, proofOfDelivery: detail.proofOfDelivery ?? { signedBy: 'NO SIGNATURE', deliveredAt: base.occurredAt } };
    case 'Exception':
      return { ...common, status, exceptionCode: detail.exceptionCode ?? 'other', ...(reason ? { reason } : {}) };
    case 'ReturnedToSender':
      return { ...common, status, ...(reason ? { reason } : {}) };
    default:
      return { ...common, status };
  }
}
