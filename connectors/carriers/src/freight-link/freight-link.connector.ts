import { defineConnector, type ConnectorDeps, type ConnectorInstance, healthFromPing, type NormalisedTrackingEvent } from '@tradelane/connector-kit';
import { sortByOccurrence } from '../shared/carrier-event.types.js';
import { carrierConnectorConfigSchema, parseSeqCursor, type CarrierConnectorConfig } from '../shared/carrier-config.schema.js';
import { FREIGHTLINK_SCAC } from './codec/freight-link.codec.js';
import { badFreightLinkCursor } from './errors.js';
import { freightLinkEventToCanonical } from './mappers/freight-link-event.to-canonical.js';
import { createFreightLinkTransport } from './transport/freight-link.transport.js';

/** Configuration of the FreightLink connector: `{ baseUrl, timeoutMs = 5000, pageSize = 100 }`. */
export const freightLinkConfigSchema = carrierConnectorConfigSchema;

/** Parsed FreightLink connector configuration. */
export type FreightLinkConfig = CarrierConnectorConfig;

/** Creates a FreightLink tracking client (the connector instance). */
export function createFreightLinkClient(deps: ConnectorDeps, config: FreightLinkConfig): ConnectorInstance<'carrierTracking'> {
  const transport = createFreightLinkTransport({ baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
  return {
    carrierTracking: {
      carrierCode: FREIGHTLINK_SCAC,
      async track(ctx, proNumber) {
        const history = await transport.history(ctx, proNumber);
        const mapped = history.history.map((e) => ({ event: freightLinkEventToCanonical(history.proNumber, e), order: e.eventId }));
        return sortByOccurrence(mapped).map((m): NormalisedTrackingEvent => m.event);
      },
      async fetchEvents(ctx, page) {
        const after = parseSeqCursor(page.cursor);
        if (after === undefined) throw badFreightLinkCursor(String(page.cursor));
        const pageSize = Math.min(Math.max(page.limit ?? config.pageSize, 1), 200);
        const res = await transport.events(ctx, after, pageSize);
        const items: NormalisedTrackingEvent[] = res.events.map((e) => freightLinkEventToCanonical(e.proNumber, e));
        deps.log.debug({ carrier: FREIGHTLINK_SCAC, after, count: items.length }, 'freightlink events read');
        return { items, nextCursor: items.length > 0 ? String(res.lastEventId) : null };
      },
    },
    health: () => healthFromPing(() => transport.ping()),
    async close() {},
  };
}

/**
 * FreightLink (SCAC `FRLK`) LTL tracking: verbose statuses, epoch-second times, POD with receiver and image, normalised.
 * @example const freightLink = await freightLinkConnector.instantiate(deps, { baseUrl: 'http://127.0.0.1:4102' });
 */
export const freightLinkConnector = defineConnector({
  id: 'freightlink',
  title: 'FreightLink LTL carrier (FRLK)',
  configSchema: freightLinkConfigSchema,
  capabilities: ['carrierTracking'] as const,
  create: (deps, config) => createFreightLinkClient(deps, config),
});
