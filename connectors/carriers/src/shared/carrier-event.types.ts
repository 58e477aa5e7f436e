import type { TrackingEvent } from '@tradelane/canonical';

type HubAssigned = 'id' | 'tenantId' | 'schemaVersion' | 'recordedAt' | 'shipmentId';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A normalised tracking event that keeps its status-specific fields (proof of delivery, exception code, reason).
 * Assignable to connector-kit's `NormalisedTrackingEvent`.
 */
export type CarrierTrackingEvent = DistributiveOmit<TrackingEvent, HubAssigned>;

/** Formats an instant as RFC 3339 UTC with whole seconds, e.g. `2025-03-01T14:05:00Z`. */
export function toRfc3339Utc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Sorts events oldest first; ties keep the carrier's own order (`order` ascending). */
export function sortByOccurrence<T extends { event: CarrierTrackingEvent; order: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.order - b.order);
}
