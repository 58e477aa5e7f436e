import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TimelineEntry } from '@tradelane/core';
import { KEYS, as, customerApp, customerOf } from './customer.test-support.js';

interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Reads Server-Sent Events frames from a fetch body. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: SseFrame[] = [];
  const parse = () => {
    let at: number;
    while ((at = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const frame: SseFrame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const i = line.indexOf(':');
          const field = line.slice(0, i) as keyof SseFrame;
          frame[field] = line.slice(i + 1).replace(/^ /, '');
        }
      }
      frames.push(frame);
    }
  };
  return {
    /** Resolves with the next frame matching `want`, reading more as needed. */
    async next(want: (f: SseFrame) => boolean = () => true, timeoutMs = 2000): Promise<SseFrame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = frames.findIndex(want);
        if (i !== -1) return frames.splice(0, i + 1).pop()!;
        if (Date.now() > deadline) throw new Error('no matching SSE frame in time');
        const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('SSE read timed out')), deadline - Date.now() + 10));
        const { value, done } = await Promise.race([reader.read(), timer]);
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        parse();
      }
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function eventually(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const entry = (seq: number, status: string): TimelineEntry => ({ seq, status, at: `2025-03-0${seq}T10:00:00.000Z`, source: 'hub', detail: `${status} detail` });
const isTimeline = (f: SseFrame) => f.event === 'timeline';

test('GET /orders/{id}/events streams existing entries, then live ones, with heartbeats; closing unsubscribes', async () => {
  const { app, o2c } = await customerApp({ heartbeatMs: 40 });
  const order = o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-1', timeline: [entry(2, 'Accepted'), entry(1, 'Received')] });
  const base = await listen(app);
  const ac = new AbortController();
  const res = await fetch(`${base}/v1/customer/orders/${order.id}/events`, { headers: as(KEYS.alice), signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.ok(res.headers.get('x-correlation-id'), 'the stream carries the correlation id');
  const sse = sseReader(res.body!);

  assert.equal((await sse.next((f) => f.retry !== undefined)).retry, '3000');
  const first = await sse.next(isTimeline);
  assert.equal(first.id, '1');
  assert.deepEqual(JSON.parse(first.data!), entry(1, 'Received'));
  assert.equal((await sse.next(isTimeline)).id, '2');
  assert.equal(o2c.watcherCount(order.id), 1);

  const live = o2c.appendTimeline(order.id, 'Allocated', 'All lines allocated');
  const pushed = await sse.next(isTimeline);
  assert.equal(pushed.id, String(live.seq));
  assert.equal(JSON.parse(pushed.data!).status, 'Allocated');

  assert.equal((await sse.next((f) => f.comment !== undefined)).comment, 'heartbeat');

  ac.abort();
  await sse.cancel();
  await eventually(() => o2c.watcherCount(order.id) === 0, 'the subscription to end');
  // fetch opens a spare connection after an abort and holds it until its own keep-alive ends; drop it.
  app.server.closeAllConnections();
  await app.close();
});

test('Last-Event-ID resumes after that seq; entries appended while connecting are not lost or doubled', async () => {
  const { app, o2c } = await customerApp({ heartbeatMs: 60_000 });
  const order = o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-1', timeline: [entry(1, 'Received'), entry(2, 'Accepted'), entry(3, 'Allocated')] });
  // Entries appended between the subscription and the read arrive through the listener and the read: sent once.
  const getOrder = o2c.getOrder.bind(o2c);
  o2c.getOrder = async (ctx, id) => {
    o2c.appendTimeline(id, 'Released', 'Released to the warehouse');
    return getOrder(ctx, id);
  };
  const base = await listen(app);
  const res = await fetch(`${base}/v1/customer/orders/${order.id}/events`, { headers: as(KEYS.alice, { 'last-event-id': '2' }) });
  assert.equal(res.status, 200);
  const sse = sseReader(res.body!);
  assert.equal((await sse.next(isTimeline)).id, '3');
  assert.equal((await sse.next(isTimeline)).id, '4');
  o2c.appendTimeline(order.id, 'Picked', 'Picked');
  assert.equal((await sse.next(isTimeline)).id, '5');

  const bad = await fetch(`${base}/v1/customer/orders/${order.id}/events`, { headers: as(KEYS.alice, { 'last-event-id': 'abc' }) });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { errors: Array<{ path: string }> }).errors[0]!.path, 'headers/last-event-id');

  // Closing the server ends open streams instead of waiting for them.
  assert.equal(o2c.watcherCount(order.id), 1);
  const started = Date.now();
  await app.close();
  assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`);
  assert.equal(o2c.watcherCount(order.id), 0);
  await assert.rejects(sse.next(isTimeline), /stream ended/);
});

test('the event stream answers 401 without a key and 404 for another customer\'s order, without subscribing', async () => {
  const { app, o2c } = await customerApp();
  const theirs = o2c.seedOrder(customerOf('cus_bob'), { customerPoNumber: 'PO-B' });
  const base = await listen(app);
  const anon = await fetch(`${base}/v1/customer/orders/${theirs.id}/events`);
  assert.equal(anon.status, 401);
  const nf = await fetch(`${base}/v1/customer/orders/${theirs.id}/events`, { headers: as(KEYS.alice) });
  assert.equal(nf.status, 404);
  assert.match(nf.headers.get('content-type')!, /^application\/problem\+json/);
  assert.equal(((await nf.json()) as { code: string }).code, 'TL_ORDER_NOT_FOUND');
  assert.equal(o2c.watcherCount(theirs.id), 0);
  await app.close();
});

test('a client that leaves while the order is being read leaves no subscription behind', async () => {
  const { app, o2c } = await customerApp();
  const order = o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-1' });
  let reading!: () => void;
  const readStarted = new Promise<void>((r) => (reading = r));
  let finishRead!: () => void;
  const getOrder = o2c.getOrder.bind(o2c);
  o2c.getOrder = async (ctx, id) => {
    reading();
    await new Promise<void>((r) => (finishRead = r));
    return getOrder(ctx, id);
  };
  const base = await listen(app);
  const ac = new AbortController();
  const pending = fetch(`${base}/v1/customer/orders/${order.id}/events`, { headers: as(KEYS.alice), signal: ac.signal }).catch((e: Error) => e);
  await readStarted;
  assert.equal(o2c.watcherCount(order.id), 1);
  ac.abort();
  assert.ok((await pending) instanceof Error);
  await new Promise((r) => setTimeout(r, 50));
  finishRead();
  await eventually(() => o2c.watcherCount(order.id) === 0, 'the subscription to end');
  app.server.closeAllConnections();
  await app.close();
});
