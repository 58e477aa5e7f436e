/**
 * EDI 214 (carrier shipment status) to canonical TrackingEvent records, one per AT7. AT701 status codes become the
 * normalised tracking statuses (built-in table, partner overrides); AT705-AT707 give the instant with its time zone.
 */
import { type Id, type TrackingEvent, trackingEventSchema } from '@tradelane/canonical';
import type { X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import { trackingExceptionByCode, trackingStatusByCode, utcOffsetByTimeCode } from './x12-code.maps.js';
import { type X12MappingContext, X12SetReader, clockOf, isoInstant } from './x12-set.reader.js';

/** Extra inputs for the 214 mapping. */
export interface Tracking214Options {
  /** Our shipment id for the shipper's reference (B1002), when known. */
  shipmentIdFor?: ((reference: string) => Id<'shp'> | undefined) | undefined;
}

const COUNTRY3: Readonly<Record<string, string>> = { USA: 'US', CAN: 'CA', MEX: 'MX' };
/** Status codes that announce an estimate rather than report something that happened. */
const ESTIMATES = new Set(['AG', 'X2', 'B6']);

/**
 * A 214 as tracking events, in the order of the AT7 segments.
 * @example const events = x12214ToTrackingEvents(set, { tenantId, profile: carrierProfile });
 */
export function x12214ToTrackingEvents(set: X12TransactionSet, ctx: X12MappingContext, options: Tracking214Options = {}): TrackingEvent[] {
  const r: X12SetReader = new X12SetReader(set, '214');
  const profile = ctx.profile;
  const { now, id } = clockOf(ctx);
  const b10 = r.require('B10');
  const where = profile.elements.trackingNumber;
  let trackingNumber: string;
  if (where.startsWith('L11:')) {
    const l11 = r.firstWith('L11', 2, where.slice(4));
    if (!l11) r.fail('L11', 2, `no L11 with qualifier ${where.slice(4)} (the tracking number)`);
    trackingNumber = r.requireText(l11, 1, 'tracking number');
  } else {
    trackingNumber = r.requireText(b10, where === 'B1002' ? 2 : 1, 'tracking number');
  }
  const carrierCode = r.requireText(b10, 3, 'carrier SCAC');
  if (!/^[A-Z0-9]{2,4}$/.test(carrierCode)) r.fail(b10, 3, `"${carrierCode}" is not a SCAC`);
  const shipperRef = r.text(b10, 2);
  const shipmentId = shipperRef ? options.shipmentIdFor?.(shipperRef) : undefined;
  const recorded = isoInstant(now);
  const events: TrackingEvent[] = [];
  const loops = r.loops('LX', []);
  const bodies = loops.length > 0 ? loops : [r.segments.slice()];
  for (const loop of bodies) {
    const ms1 = r.first('MS1', loop);
    const remarks = r.all('K1', loop).map((k) => [r.text(k, 1), r.text(k, 2)].filter(Boolean).join(' ')).filter(Boolean);
    for (const at7 of r.all('AT7', loop)) {
      events.push(eventFrom(r, at7, ms1, remarks));
    }
  }
  if (events.length === 0) r.fail('AT7', undefined, 'a 214 needs at least one AT7 status');
  return events;

  function eventFrom(rd: X12SetReader, at7: X12Segment, ms1: X12Segment | undefined, remarks: string[]): TrackingEvent {
    const code = rd.text(at7, 1) || rd.text(at7, 3);
    const reason = rd.text(at7, 2) || rd.text(at7, 4);
    if (!code) rd.fail(at7, 1, 'no shipment status code (AT701 or AT703)');
    const status = profile.codes.tracking[code] ?? trackingStatusByCode[code];
    if (!status) rd.fail(at7, 1, `status code "${code}" is not known (add it to the partner profile's codes.tracking)`);
    const date = rd.requireDate(at7, 5, 'status date');
    const time = rd.time(at7, 6) ?? '00:00:00';
    const zone = rd.text(at7, 7);
    const offset = (zone ? utcOffsetByTimeCode[zone] : undefined) || profile.elements.defaultUtcOffset;
    const when = `${date}T${time}${offset}`;
    const estimate = ESTIMATES.has(code);
    const occurredAt = estimate ? recorded : when;
    const recordedAt = Date.parse(recorded) < Date.parse(occurredAt) ? occurredAt : recorded;
    let location: TrackingEvent['location'];
    if (ms1) {
      const city = rd.text(ms1, 1);
      const region = rd.text(ms1, 2);
      const rawCountry = rd.text(ms1, 3);
      const country = rawCountry.length === 3 ? COUNTRY3[rawCountry] : rawCountry || undefined;
      location = {
        ...(city ? { city: city.slice(0, 80) } : {}),
        ...(region ? { region } : {}),
        ...(rd.text(ms1, 8) ? { postalCode: rd.text(ms1, 8).slice(0, 15) } : {}),
        ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
      };
    }
    const base = {
      schemaVersion: 1 as const,
      id: id('trk'),
      tenantId: ctx.tenantId,
      ...(shipmentId ? { shipmentId } : {}),
      carrierCode,
      trackingNumber: trackingNumber.slice(0, 40),
      occurredAt,
      recordedAt,
      ...(location && Object.keys(location).length > 0 ? { location } : {}),
      ...(remarks.length > 0 ? { description: remarks.join('; ').slice(0, 500) } : {}),
      carrierStatusCode: reason ? `${code}/${reason}` : code,
      source: 'edi_214' as const,
      ...(estimate ? { estimatedDeliveryAt: when } : {}),
    };
    let doc: unknown;
    switch (status) {
      case 'Delivered':
        doc = { ...base, status, proofOfDelivery: { signedBy: (remarks[0] ?? 'NOT PROVIDED').slice(0, 120), deliveredAt: occurredAt } };
        break;
      case 'Exception':
        doc = {
          ...base,
          status,
          exceptionCode: profile.codes.trackingExceptions[code] ?? profile.codes.trackingExceptions[reason] ?? trackingExceptionByCode[code] ?? 'other',
          ...(reason && reason !== 'NS' ? { reason: `status reason ${reason}` } : {}),
        };
        break;
      default:
        doc = { ...base, status };
    }
    const parsed = trackingEventSchema.safeParse(doc);
    if (!parsed.success) rd.schemaFailure('tracking event', parsed.error.issues);
    return parsed.data;
  }
}
