import { httpError, networkError } from '@tradelane/connector-kit';
import { TransientError, type TenantContext } from '@tradelane/core';
import type { z } from 'zod';
import { wmsEventPageSchema, wmsOrderAckSchema, type WmsEventPage, type WmsOrderAck, type WmsOutboundOrderRequest } from '../codec/wms-api.codec.js';
import { badWmsAnswer, WMS_SIM_SYSTEM } from '../errors.js';

/** The WMS API as the connector uses it (the only network I/O of the WMS connector). */
export interface WmsSimTransport {
  /** Releases an outbound order; `created` is false when the WMS already had this `clientRef`. */
  releaseOrder(ctx: TenantContext, order: WmsOutboundOrderRequest): Promise<{ ack: WmsOrderAck; created: boolean }>;
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
  const base = options.baseUrl.replace(/\/+$/, '');
  const call = async (ctx: TenantContext | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ctx) headers['x-correlation-id'] = ctx.correlationId;
    if (ctx?.traceparent) headers.traceparent = ctx.traceparent;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw networkError(WMS_SIM_SYSTEM, err);
    }
    if (!res.ok) throw httpError(WMS_SIM_SYSTEM, res.status, text, res.headers.get('retry-after'));
    try {
      return { status: res.status, body: text.length > 0 ? JSON.parse(text) : null };
    } catch {
      throw new TransientError('TL_WMS_SIM_NOT_JSON', `WMS answered ${res.status} with a body that is not JSON: ${text.slice(0, 120)}`, {
        details: { system: WMS_SIM_SYSTEM, status: res.status },
      });
    }
  };
  return {
    async releaseOrder(ctx, order) {
      const res = await call(ctx, 'POST', '/wms/api/outbound-orders', order);
      return { ack: decode(wmsOrderAckSchema, 'release', res.body), created: res.status === 201 };
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
