import { defineConnector, type ConnectorDeps, type ConnectorInstance, healthFromPing, type NormalisedTrackingEvent } from '@tradelane/connector-kit';
import { sortByOccurrence } from '../shared/carrier-event.types.js';
import { carrierConnectorConfigSchema, parseSeqCursor, type CarrierConnectorConfig } from '../shared/carrier-config.schema.js';
import { PARCELO_SCAC } from './codec/parcelo.codec.js';
import { badParceloCursor } from './errors.js';
import { parceloScanToCanonical } from './mappers/parcelo-scan.to-canonical.js';
import { createParceloTransport } from './transport/parcelo.transport.js';

/** Configuration of the Parcelo connector: `{ baseUrl, timeoutMs = 5000, pageSize = 100 }`. */
export const parceloConfigSchema = carrierConnectorConfigSchema;

/** Parsed Parcelo connector configuration. */
export type ParceloConfig = CarrierConnectorConfig;

/** Creates a Parcelo tracking client (the connector instance). */
export function createParceloClient(deps: ConnectorDeps, config: ParceloConfig): ConnectorInstance<'carrierTracking'> {
  const transport = createParceloTransport({ baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
  return {
    carrierTracking: {
      carrierCode: PARCELO_SCAC,
      async track(ctx, trackingNumber) {
        const tracking = await transport.tracking(ctx, trackingNumber);
        const mapped = tracking.scans.map((scan) => ({ event: parceloScanToCanonical(tracking.trackingNumber, scan), order: scan.scanId }));
        return sortByOccurrence(mapped).map((m): NormalisedTrackingEvent => m.event);
      },
      async fetchEvents(ctx, page) {
        const since = parseSeqCursor(page.cursor);
        if (since === undefined) throw badParceloCursor(String(page.cursor));
        const max = Math.min(Math.max(page.limit ?? config.pageSize, 1), 200);
        const updates = await transport.updates(ctx, since, max);
        const items: NormalisedTrackingEvent[] = updates.updates.map((u) => parceloScanToCanonical(u.trackingNumber, u.scan));
        deps.log.debug({ carrier: PARCELO_SCAC, since, count: items.length }, 'parcelo updates read');
        return { items, nextCursor: items.length > 0 ? String(updates.latest) : null };
      },
    },
    health: () => healthFromPing(() => transport.ping()),
    async close() {},
  };
}

/**
 * Parcelo (SCAC `PRCL`) tracking: short status codes, local times with a separate UTC offset, normalised.
 * @example const parcelo = await parceloConnector.instantiate(deps, { baseUrl: 'http://127.0.0.1:4101' });
 */
export const parceloConnector = defineConnector({
  id: 'parcelo',
  title: 'Parcelo parcel carrier (PRCL)',
  configSchema: parceloConfigSchema,
  capabilities: ['carrierTracking'] as const,
  create: (deps, config) => createParceloClient(deps, config),
});
