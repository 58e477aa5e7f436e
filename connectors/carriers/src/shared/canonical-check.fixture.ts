import { newId, trackingEventSchema, type TrackingEvent } from '@tradelane/canonical';
import type { NormalisedTrackingEvent } from '@tradelane/connector-kit';

/** Completes a normalised event the way the hub would and validates it against the canonical schema. */
export function asCanonical(event: NormalisedTrackingEvent): TrackingEvent {
  return trackingEventSchema.parse({
    ...event,
    schemaVersion: 1,
    id: newId('trk'),
    tenantId: 'acme',
    recordedAt: new Date(Math.max(Date.now(), Date.parse(event.occurredAt))).toISOString(),
  });
}
