import type { TenantContext } from '@tradelane/core';
import type { TrackingEvent } from '@tradelane/canonical';
import type { Page, PageRequest } from './common.js';

/** `Omit` applied to each member of a union, keeping per-member fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A tracking event in the normalised status set (with its per-status fields), before the hub gives it an id and a tenant. */
export type NormalisedTrackingEvent = DistributiveOmit<TrackingEvent, 'id' | 'tenantId' | 'schemaVersion' | 'recordedAt' | 'shipmentId'>;

/** A carrier's tracking, normalised to one status set whatever the carrier's own codes and time conventions. */
export interface CarrierTracking {
  /** SCAC-style code of the carrier this instance speaks to. */
  readonly carrierCode: string;
  /** Every event of one tracking number, oldest first. */
  track(ctx: TenantContext, trackingNumber: string): Promise<NormalisedTrackingEvent[]>;
  /** New events across all shipments since the cursor. */
  fetchEvents(ctx: TenantContext, page: PageRequest): Promise<Page<NormalisedTrackingEvent>>;
}
