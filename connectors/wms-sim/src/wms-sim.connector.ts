import { defineConnector, type ConnectorDeps, type ConnectorInstance, healthFromPing, type WmsEvent } from '@tradelane/connector-kit';
import { z } from 'zod';
import { badWmsCursor } from './errors.js';
import { releaseToWmsOrder } from './mappers/release.to-wms.js';
import { inboundNoticeToWms } from './mappers/inbound-notice.to-wms.js';
import { isWmsEventWithoutHubEvent, wmsEventToCanonical } from './mappers/wms-event.to-canonical.js';
import { createWmsSimTransport } from './transport/wms-sim.transport.js';

/** Configuration of the WMS simulator connector. */
export const wmsSimConfigSchema = z.object({
  /** Base URL of the WMS, e.g. `http://127.0.0.1:4201` (the API is under `/wms/api`). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }),
  /** Per-request timeout in milliseconds. @default 5000 */
  timeoutMs: z.int().min(100).max(120_000).default(5000),
  /** Events per feed page when the caller does not say. @default 100 */
  pageSize: z.int().min(1).max(500).default(100),
});

/** Parsed WMS simulator connector configuration. */
export type WmsSimConfig = z.infer<typeof wmsSimConfigSchema>;

/** Creates a WMS simulator client (the connector instance). */
export function createWmsSimClient(deps: ConnectorDeps, config: WmsSimConfig): ConnectorInstance<'wmsFulfilment'> {
  const transport = createWmsSimTransport({ baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
  return {
    wmsFulfilment: {
      async releaseOrder(ctx, release) {
        const { ack, created } = await transport.releaseOrder(ctx, releaseToWmsOrder(release));
        deps.log.info({ reference: release.reference, wmsOrderId: ack.obOrderId, duplicate: !created }, 'order released to WMS');
        return { record: { reference: ack.clientRef, wmsOrderId: ack.obOrderId, warehouseId: ack.facility }, duplicate: !created };
      },
      async announceInbound(ctx, notice) {
        const { ack, created } = await transport.announceInbound(ctx, inboundNoticeToWms(notice));
        deps.log.info({ reference: notice.reference, wmsInboundId: ack.inboundId, revision: ack.revision, duplicate: !created }, 'inbound announced to WMS');
        return { record: { reference: ack.inboundRef, wmsInboundId: ack.inboundId }, duplicate: !created };
      },
      async fetchEvents(ctx, page) {
        const cursor = page.cursor ?? '';
        if (cursor !== '' && !/^\d{1,15}$/.test(cursor)) throw badWmsCursor(cursor);
        let after = cursor === '' ? 0 : Number(cursor);
        const limit = Math.min(Math.max(page.limit ?? config.pageSize, 1), 500);
        // Events without a hub event are passed over; read on so a page is empty only when no hub event follows.
        for (;;) {
          const res = await transport.events(ctx, after, limit);
          const items: WmsEvent[] = res.events.filter((e) => !isWmsEventWithoutHubEvent(e.eventType)).map((e) => wmsEventToCanonical(e));
          if (items.length > 0) return { items, nextCursor: String(res.lastSeq) };
          if (!res.hasMore || res.events.length === 0 || res.lastSeq <= after) return { items: [], nextCursor: null };
          after = res.lastSeq;
        }
      },
    },
    health: () => healthFromPing(() => transport.ping()),
    async close() {},
  };
}

/**
 * The WMS simulator: order releases (idempotent on the release reference), inbound shipments announced from ship
 * notices (idempotent on the notice reference) and warehouse events by cursor.
 * @example const wms = await wmsSimConnector.instantiate(deps, { baseUrl: 'http://127.0.0.1:4201' });
 */
export const wmsSimConnector = defineConnector({
  id: 'wms-sim',
  title: 'WMS simulator',
  configSchema: wmsSimConfigSchema,
  capabilities: ['wmsFulfilment'] as const,
  create: (deps, config) => createWmsSimClient(deps, config),
});
