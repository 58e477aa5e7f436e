import type { TenantContext } from '@tradelane/core';
import type { z } from 'zod';
import { createJsonHttp } from '@tradelane/connector-kit';
import { freightLinkEventPageSchema, freightLinkHistorySchema, type FreightLinkEventPage, type FreightLinkHistory } from '../codec/freight-link.codec.js';
import { badFreightLinkAnswer, FREIGHTLINK_SYSTEM } from '../errors.js';

/** FreightLink's tracking API as the connector uses it (the only network I/O of the FreightLink connector). */
export interface FreightLinkTransport {
  history(ctx: TenantContext, proNumber: string): Promise<FreightLinkHistory>;
  events(ctx: TenantContext, afterEventId: number, pageSize: number): Promise<FreightLinkEventPage>;
  ping(): Promise<void>;
}

function decode<S extends z.ZodType>(schema: S, what: string, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badFreightLinkAnswer(what, parsed.error.issues);
  return parsed.data;
}

/** Creates the FreightLink transport: JSON over HTTP with a per-call timeout and classified failures. */
export function createFreightLinkTransport(options: { baseUrl: string; timeoutMs: number }): FreightLinkTransport {
  const http = createJsonHttp({ system: FREIGHTLINK_SYSTEM, ...options });
  return {
    async history(ctx, proNumber) {
      const res = await http.request(ctx, 'GET', `/api/v1/shipments/${encodeURIComponent(proNumber)}/history`);
      return decode(freightLinkHistorySchema, 'history', res.body);
    },
    async events(ctx, afterEventId, pageSize) {
      const res = await http.request(ctx, 'GET', `/api/v1/events?afterEventId=${afterEventId}&pageSize=${pageSize}`);
      return decode(freightLinkEventPageSchema, 'events', res.body);
    },
    async ping() {
      await http.request(undefined, 'GET', '/api/v1/ping');
    },
  };
}
