import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, type CustomerQueries, type TimelineEntry } from '@tradelane/core';
import { eventStreamHeadersSchema, idParamsSchema, problemResponses, timelineEntrySchema } from './schemas.js';

/** A slow reader whose unsent backlog passes this many bytes is cut off; it reconnects with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1_048_576;
/** Reconnection delay suggested to EventSource clients. */
const RETRY_MS = 3000;

/** Options of {@link orderEventsRoutes}. */
export interface OrderEventsDeps {
  queries: CustomerQueries;
  /** Interval of `: heartbeat` comments that keep proxies from closing an idle stream. @default 15000 */
  heartbeatMs?: number | undefined;
}

/**
 * `GET /orders/{id}/events`: the order's timeline as Server-Sent Events (scope `orders:read`). Sends the existing
 * entries first, then live ones from `queries.watchTimeline`; each is `id: <seq>`, `event: timeline`,
 * `data: <TimelineEntry JSON>`. `Last-Event-ID` resumes after that seq. Heartbeat comments every `heartbeatMs`;
 * the subscription ends when the client disconnects or the server closes.
 */
export function orderEventsRoutes(deps: OrderEventsDeps): FastifyPluginAsync {
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  return async (app) => {
    const openStreams = new Set<() => void>();
    // Streams are never idle, so the server would wait for them forever on shutdown: end them first.
    app.addHook('preClose', async () => {
      for (const close of [...openStreams]) close();
    });

    app.get<{ Params: { id: string }; Headers: { 'last-event-id'?: string } }>(
      '/orders/:id/events',
      {
        config: { scope: 'orders:read' },
        // A HEAD request would hold a stream open with nothing to read.
        exposeHeadRoute: false,
        schema: {
          summary: 'Live timeline of an order (Server-Sent Events)',
          tags: ['customer'],
          headers: eventStreamHeadersSchema,
          params: idParamsSchema('so', 'Order'),
          response: { 200: { content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { ctx } = request;
        const orderId = request.params.id;
        const lastEventId = request.headers['last-event-id'];
        let lastSent = lastEventId === undefined ? Number.NEGATIVE_INFINITY : Number(lastEventId);

        // Subscribe before reading the order so nothing appended in between is lost; entries are de-duplicated by seq.
        const early: TimelineEntry[] = [];
        let deliver: (entry: TimelineEntry) => void = (entry) => early.push(entry);
        const unsubscribe = deps.queries.watchTimeline(ctx, orderId, (entry) => deliver(entry));
        let order;
        try {
          order = await deps.queries.getOrder(ctx, orderId);
        } catch (err) {
          unsubscribe();
          throw err;
        }
        if (!order) {
          unsubscribe();
          throw new NotFoundError('TL_ORDER_NOT_FOUND', `No order ${orderId}.`);
        }

        const serialize = reply.compileSerializationSchema(timelineEntrySchema);
        const headers: Record<string, string | number | string[]> = {};
        for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          ...headers,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });

        let closed = false;
        const close = (): void => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          openStreams.delete(close);
          try {
            unsubscribe();
          } catch (err) {
            request.log.warn({ err }, 'timeline unsubscribe failed');
          }
          if (!res.writableEnded) res.end();
        };
        const write = (chunk: string): void => {
          if (closed || res.writableEnded || res.destroyed) return;
          res.write(chunk);
          if (res.writableLength > MAX_BUFFERED_BYTES) {
            request.log.warn('event stream reader too slow; closing so it resumes with Last-Event-ID');
            close();
          }
        };
        const send = (entry: TimelineEntry): void => {
          if (entry.seq <= lastSent) return;
          lastSent = entry.seq;
          write(`id: ${entry.seq}\nevent: timeline\ndata: ${serialize(entry as unknown as Record<string, unknown>)}\n\n`);
        };
        const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
        heartbeat.unref();
        openStreams.add(close);
        res.on('close', close);
        if (res.destroyed || !res.socket || res.socket.destroyed) {
          // The client left while the order was being read: nothing to stream to.
          close();
          return;
        }

        write(`retry: ${RETRY_MS}\n\n`);
        const bySeq = (a: TimelineEntry, b: TimelineEntry) => a.seq - b.seq;
        for (const entry of [...order.timeline].sort(bySeq)) send(entry);
        for (const entry of early.sort(bySeq)) send(entry);
        deliver = (entry) => {
          try {
            send(entry);
          } catch (err) {
            request.log.warn({ err }, 'event stream write failed');
            close();
          }
        };
      },
    );
  };
}
