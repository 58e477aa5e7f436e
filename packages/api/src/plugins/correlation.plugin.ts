import { randomBytes, randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Chooses the correlation id of a request: a well-formed incoming `x-correlation-id`, else the trace id of a valid
 * W3C `traceparent`, else a new UUID. Malformed values are ignored, never echoed.
 */
export function correlationIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-correlation-id'];
  if (typeof given === 'string' && SAFE_ID.test(given)) return given;
  const tp = headers['traceparent'];
  if (typeof tp === 'string') {
    const m = TRACEPARENT.exec(tp.trim());
    if (m && !/^0+$/.test(m[1]!) && !/^0+$/.test(m[2]!)) return m[1]!;
  }
  return randomUUID();
}

/** The traceparent for our span: same trace as the caller's when it sent one, a new span id either way. */
export function childTraceparent(incoming: string | undefined, correlationId: string): string {
  const m = incoming ? TRACEPARENT.exec(incoming.trim()) : null;
  const traceId = m ? m[1]! : /^[0-9a-f]{32}$/.test(correlationId) ? correlationId : correlationId.replace(/-/g, '').padEnd(32, '0').slice(0, 32);
  const safeTrace = /^[0-9a-f]{32}$/.test(traceId) ? traceId : randomBytes(16).toString('hex');
  return `00-${safeTrace}-${randomBytes(8).toString('hex')}-01`;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** W3C traceparent for work done on behalf of this request. */
    traceparent: string;
  }
}

/** Echoes the correlation id and traceparent on every response. Use with {@link correlationIdFrom} as `genReqId`. */
export const correlationPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('traceparent', '');
    app.addHook('onRequest', async (request, reply) => {
      const incoming = request.headers['traceparent'];
      request.traceparent = childTraceparent(typeof incoming === 'string' ? incoming : undefined, request.id);
      void reply.header('x-correlation-id', request.id);
      void reply.header('traceparent', request.traceparent);
    });
  },
  { name: 'tradelane-correlation' },
);
