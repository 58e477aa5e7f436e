import type { TenantContext } from '@tradelane/core';
import type { z } from 'zod';
import { createJsonHttp } from '@tradelane/connector-kit';
import { parceloTrackingSchema, parceloUpdatesSchema, type ParceloTracking, type ParceloUpdates } from '../codec/parcelo.codec.js';
import { badParceloAnswer, PARCELO_SYSTEM } from '../errors.js';

/** Parcelo's tracking API as the connector uses it (the only network I/O of the Parcelo connector). */
export interface ParceloTransport {
  tracking(ctx: TenantContext, trackingNumber: string): Promise<ParceloTracking>;
  updates(ctx: TenantContext, since: number, max: number): Promise<ParceloUpdates>;
  ping(): Promise<void>;
}

function decode<S extends z.ZodType>(schema: S, what: string, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badParceloAnswer(what, parsed.error.issues);
  return parsed.data;
}

/** Creates the Parcelo transport: JSON over HTTP with a per-call timeout and classified failures. */
export function createParceloTransport(options: { baseUrl: string; timeoutMs: number }): ParceloTransport {
  const http = createJsonHttp({ system: PARCELO_SYSTEM, ...options });
  return {
    async tracking(ctx, trackingNumber) {
      const res = await http.request(ctx, 'GET', `/v2/tracking/${encodeURIComponent(trackingNumber)}`);
      return decode(parceloTrackingSchema, 'tracking', res.body);
    },
    async updates(ctx, since, max) {
      const res = await http.request(ctx, 'GET', `/v2/tracking/updates?since=${since}&max=${max}`);
      return decode(parceloUpdatesSchema, 'updates', res.body);
    },
    async ping() {
      await http.request(undefined, 'GET', '/health');
    },
  };
}
