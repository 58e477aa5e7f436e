import { createJsonHttp } from '@tradelane/connector-kit';
import type { TenantContext } from '@tradelane/core';
import type { z } from 'zod';
import {
  wmsEventPageSchema,
  wmsInboundAckSchema,
  wmsOrderAckSchema,
  type WmsEventPage,
  type WmsInboundAck,
  type WmsInboundRequest,
  type WmsOrderAck,
  type WmsOutboundOrderRequest,
} from '../codec/wms-api.codec.js';
import { badWmsAnswer, WMS_SIM_SYSTEM } from '../errors.js';

/** The WMS API as the connector uses it (the only network I/O of the WMS connector). */
export interface WmsSimTransport {
  /** Releases an outbound order; `created` is false when the WMS already had this `clientRef`. */
  releaseOrder(ctx: TenantContext, order: WmsOutboundOrderRequest): Promise<{ ack: WmsOrderAck; created: boolean }>;
  /** Announces an expected inbound shipment; `created` is false when the WMS already had this `inboundRef` (same or replaced). */
  announceInbound(ctx: TenantContext, inbound: WmsInboundRequest): Promise<{ ack: WmsInboundAck; created: boolean }>;
  events(ctx: TenantContext, after: number, limit: number): Promise<WmsEventPage>;
  ping(): Promise<void>;
}

function decode<S extends z.ZodType>(schema: S, what: string, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badWmsAnswer(what, parsed.error.issues);
  return parsed.data;
}

/** Creates the WMS transport: JSON over HTTP with a per-call timeout; failures classified transient or permanent. */
export function createWmsSimTransport(options: { baseUrl: string; timeoutMs: number }): WmsSimTransport {
  const call = createJsonHttp({ system: WMS_SIM_SYSTEM, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs }).request;

  return {
    async releaseOrder(ctx, order) {
      const res = await call(ctx, 'POST', '/wms/api/outbound-orders', order);
      return { ack: decode(wmsOrderAckSchema, 'release', res.body), created: res.status === 201 };
    },
    async announceInbound(ctx, inbound) {
      const res = await call(ctx, 'POST', '/wms/api/inbound', inbound);
      return { ack: decode(wmsInboundAckSchema, 'inbound', res.body), created: res.status === 201 };
    },
    async events(ctx, after, limit) {
      const res = await call(ctx, 'GET', `/wms/api/events?after=${after}&limit=${limit}`);
      return decode(wmsEventPageSchema, 'events', res.body);
    },
    async ping() {
      await call(undefined, 'GET', '/wms/api/health');
    },
  };
}
