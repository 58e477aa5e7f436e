import type { TrackingStatus } from '@tradelane/canonical';
import { toRfc3339Utc, type CarrierTrackingEvent } from '../../shared/carrier-event.types.js';
import { clip, normalisedEvent, normaliseLocation, type TrackingExceptionCode } from '../../shared/normalised-event.builder.js';
import { PARCELO_SCAC, type ParceloScan } from '../codec/parcelo.codec.js';
import { badParceloTime, unknownParceloStatus } from '../errors.js';

/** Every Parcelo status code and the normalised status it means. */
export const parceloStatusTable: Readonly<Record<string, TrackingStatus>> = {
  LC: 'InfoReceived', // label created, parcel not yet handed over
  PU: 'InTransit', // picked up
  IT: 'InTransit', // in transit (hub departures and arrivals)
  OD: 'OutForDelivery',
  DL: 'Delivered', // with signature or safe-place note
  EX: 'Exception', // with a reason code
  RS: 'ReturnedToSender',
};

/** Parcelo exception reason codes and the canonical exception code each means; others become `other`. */
export const parceloReasonTable: Readonly<Record<string, TrackingExceptionCode>> = {
  ADR: 'address_issue',
  NA: 'recipient_unavailable',
  CLS: 'recipient_unavailable',
  REF: 'refused',
  DMG: 'damaged',
  WX: 'weather',
  DLY: 'delayed',
  CUS: 'customs',
  LST: 'lost',
};

/**
 * Converts Parcelo local time plus its separate UTC offset to epoch milliseconds; undefined when either is not valid.
 * @example parceloLocalToEpochMs('2025-03-01T04:15:00', '-05:00') // Date.parse('2025-03-01T09:15:00Z')
 */
export function parceloLocalToEpochMs(localTime: string, utcOffset: string): number | undefined {
  const t = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(localTime);
  const o = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!t || !o) return undefined;
  const [y, mo, d, h, mi, s] = t.slice(1).map(Number) as [number, number, number, number, number, number];
  const offsetMinutes = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3]));
  if (Number(o[3]) > 59 || Math.abs(offsetMinutes) > 14 * 60) return undefined;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi || check.getUTCSeconds() !== s) {
    return undefined;
  }
  return asUtc - offsetMinutes * 60_000;
}

/** Maps one Parcelo scan to a normalised tracking event; unknown status codes and bad times are permanent errors. */
export function parceloScanToCanonical(trackingNumber: string, scan: ParceloScan): CarrierTrackingEvent {
  const status = Object.hasOwn(parceloStatusTable, scan.code) ? parceloStatusTable[scan.code] : undefined;
  if (!status) throw unknownParceloStatus(scan.code, trackingNumber, scan.scanId);
  const at = parceloLocalToEpochMs(scan.localTime, scan.utcOffset);
  if (at === undefined) throw badParceloTime(scan.localTime, scan.utcOffset, trackingNumber);
  const occurredAt = toRfc3339Utc(at);
  const eta = scan.etaLocalDate ? parceloLocalToEpochMs(`${scan.etaLocalDate}T23:59:59`, scan.etaUtcOffset ?? scan.utcOffset) : undefined;
  const exceptionCode = scan.reason && Object.hasOwn(parceloReasonTable, scan.reason) ? parceloReasonTable[scan.reason] : 'other';
  const signedBy = clip(scan.signature?.signedBy ?? scan.signature?.leftAt, 120);
  const imageRef = clip(scan.signature?.imageUrl, 500);
  return normalisedEvent(
    {
      carrierCode: PARCELO_SCAC,
      trackingNumber,
      occurredAt,
      carrierStatusCode: scan.reason ? `${scan.code}:${scan.reason}` : scan.code,
      source: 'carrier_api',
      location: scan.location ? normaliseLocation({ city: scan.location.city, region: scan.location.state, postalCode: scan.location.zip, country: scan.location.country }) : undefined,
      description: clip(scan.text, 500),
      estimatedDeliveryAt: eta === undefined ? undefined : toRfc3339Utc(eta),
    },
    status,
    {
      proofOfDelivery: { signedBy: signedBy ?? 'NO SIGNATURE', deliveredAt: occurredAt, ...(imageRef ? { imageRef } : {}) },
      exceptionCode,
      reason: scan.reason ? `${scan.text} (${scan.reason})` : scan.text,
    },
  );
}
