import type { TrackingStatus } from '@tradelane/canonical';
import { toRfc3339Utc, type CarrierTrackingEvent } from '../../shared/carrier-event.types.js';
import { clip, normalisedEvent, normaliseLocation, type TrackingExceptionCode } from '../../shared/normalised-event.builder.js';
import { FREIGHTLINK_SCAC, type FreightLinkEvent } from '../codec/freight-link.codec.js';
import { unknownFreightLinkStatus } from '../errors.js';

/** Every FreightLink status and the normalised status it means. */
export const freightLinkStatusTable: Readonly<Record<string, TrackingStatus>> = {
  SHIPMENT_CREATED: 'InfoReceived', // bill of lading received, freight not yet moved
  DEPARTED_FACILITY: 'InTransit',
  ARRIVED_AT_FACILITY: 'InTransit',
  ON_VEHICLE_FOR_DELIVERY: 'OutForDelivery',
  DELIVERED: 'Delivered', // with receiver name and POD image id
  DELIVERY_ATTEMPTED: 'Exception', // with an attempt reason code
  RETURNED: 'ReturnedToSender',
};

/** FreightLink delivery-attempt reason codes and the canonical exception code each means; others become `other`. */
export const freightLinkReasonTable: Readonly<Record<string, TrackingExceptionCode>> = {
  ADDRESS_INCORRECT: 'address_issue',
  CONSIGNEE_UNAVAILABLE: 'recipient_unavailable',
  CONSIGNEE_CLOSED: 'recipient_unavailable',
  REFUSED_BY_CONSIGNEE: 'refused',
  DAMAGED_IN_TRANSIT: 'damaged',
  WEATHER_DELAY: 'weather',
  APPOINTMENT_REQUIRED: 'delayed',
  CUSTOMS_HOLD: 'customs',
};

/** Key under which FreightLink POD images are referenced (`freightlink:pod/<image id>`). */
export function freightLinkPodImageRef(podImageId: string): string {
  return `freightlink:pod/${podImageId}`;
}

/** Maps one FreightLink history entry to a normalised tracking event; an unknown status is a permanent error. */
export function freightLinkEventToCanonical(proNumber: string, event: FreightLinkEvent): CarrierTrackingEvent {
  const status = Object.hasOwn(freightLinkStatusTable, event.status) ? freightLinkStatusTable[event.status] : undefined;
  if (!status) throw unknownFreightLinkStatus(event.status, proNumber, event.eventId);
  const occurredAt = toRfc3339Utc(event.eventTimeEpoch * 1000);
  const reasonCode = event.attempt?.reasonCode;
  const exceptionCode = reasonCode && Object.hasOwn(freightLinkReasonTable, reasonCode) ? freightLinkReasonTable[reasonCode] : 'other';
  const reason =
    status === 'Exception'
      ? [event.statusDetail, event.attempt?.note, reasonCode ? `(${reasonCode})` : undefined].filter(Boolean).join(' ')
      : (event.returnReason ?? event.statusDetail);
  return normalisedEvent(
    {
      carrierCode: FREIGHTLINK_SCAC,
      trackingNumber: proNumber,
      occurredAt,
      carrierStatusCode: reasonCode ? `${event.status}:${reasonCode}` : event.status,
      source: 'carrier_api',
      location: event.facility
        ? normaliseLocation({ city: event.facility.city, region: event.facility.stateProvince, country: event.facility.countryCode })
        : undefined,
      description: clip(event.statusDetail, 500),
      estimatedDeliveryAt: event.estimatedDeliveryEpoch === undefined ? undefined : toRfc3339Utc(event.estimatedDeliveryEpoch * 1000),
    },
    status,
    {
      proofOfDelivery: event.pod
        ? {
            signedBy: clip(event.pod.receiverName, 120) ?? 'NO SIGNATURE',
            deliveredAt: toRfc3339Utc((event.pod.signedEpoch ?? event.eventTimeEpoch) * 1000),
            imageRef: freightLinkPodImageRef(event.pod.podImageId),
          }
        : undefined,
      exceptionCode,
      reason,
    },
  );
}
