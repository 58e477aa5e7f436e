import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ConflictError, InputError, PermanentError } from '@tradelane/core';
import { buildApp } from './app.js';
import type { ReadinessCheck } from './routes/health.routes.js';

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function app(checks: Record<string, ReadinessCheck> = { database: { ok: true } }) {
  const { logger, lines } = captureLogger();
  const a = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => checks },
    routes: [
      {
        prefix: '/v1/test',
        plugin: async (r) => {
          r.post(
            '/things',
            { schema: { body: { type: 'object', properties: { qty: { type: 'integer', minimum: 1 } }, required: ['qty'], additionalProperties: false } } },
            async () => ({ ok: true }),
          );
          r.get('/conflict', async () => {
            throw new ConflictError('TL_ORDER_STATE', 'order is already Released', { orderId: 'so_1' });
          });
          r.get('/input', async () => {
            throw new InputError('TL_ORDER_QTY', 'quantity must be > 0', { field: 'lines[0].quantity' });
          });
          r.get('/secret', async () => {
            throw new PermanentError('TL_ERP_MAPPING', 'password=hunter2 leaked in message');
          });
          r.get('/boom', async () => {
            throw new Error('database password is hunter2');
          });
        },
      },
    ],
  });
  return { a, lines };
}

test('GET /health answers 200 and /ready reports its checks', async () => {
  const { a } = await app();
  const h = await a.inject({ method: 'GET', url: '/health' });
  assert.equal(h.statusCode, 200);
  assert.equal(h.json().status, 'ok');
  const r = await a.inject({ method: 'GET', url: '/ready' });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { status: 'ready', checks: { database: { ok: true } } });
  await a.close();
});

test('/ready answers 503 problem+json naming the failing check', async () => {
  const { a } = await app({ database: { ok: true }, migrations: { ok: false, detail: '2 pending' } });
  const r = await a.inject({ method: 'GET', url: '/ready' });
  assert.equal(r.statusCode, 503);
  assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
  assert.equal(r.json().code, 'TL_NOT_READY');
  assert.match(r.json().detail, /migrations \(2 pending\)/);
  await a.close();
});

test('unknown route → 404 problem+json TL_ROUTE_NOT_FOUND', async () => {
  const { a } = await app();
  const r = await a.inject({ method: 'GET', url: '/v1/nope?x=1' });
  assert.equal(r.statusCode, 404);
  assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
  const body = r.json();
  assert.equal(body.code, 'TL_ROUTE_NOT_FOUND');
  assert.equal(body.status, 404);
  assert.equal(body.title, 'Not Found');
  assert.equal(body.type, 'https://tradelane.dev/problems/tl-route-not-found');
  assert.equal(body.instance, '/v1/nope?x=1');
  await a.close();
});

test('bad JSON → 400 TL_REQUEST_BAD_JSON; schema violations name the field and rule', async () => {
  const { a } = await app();
  const bad = await a.inject({ method: 'POST', url: '/v1/test/things', headers: { 'content-type': 'application/json' }, payload: '{"qty": 1,' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'TL_REQUEST_BAD_JSON');
  assert.match(bad.headers['content-type'] as string, /^application\/problem\+json/);

  const missing = await a.inject({ method: 'POST', url: '/v1/test/things', payload: {} });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().code, 'TL_REQUEST_INVALID');
  assert.deepEqual(missing.json().errors[0].path, 'body/qty');
  assert.equal(missing.json().errors[0].rule, 'required');

  const extra = await a.inject({ method: 'POST', url: '/v1/test/things', payload: { qty: 1, admin: true } });
  assert.equal(extra.statusCode, 400);
  assert.equal(extra.json().errors[0].path, 'body/admin');

  const wrongType = await a.inject({ method: 'POST', url: '/v1/test/things', headers: { 'content-type': 'text/xml' }, payload: '<qty>1</qty>' });
  assert.equal(wrongType.statusCode, 415);
  assert.equal(wrongType.json().code, 'TL_REQUEST_UNSUPPORTED_MEDIA_TYPE');

  const ok = await a.inject({ method: 'POST', url: '/v1/test/things', payload: { qty: 2 } });
  assert.equal(ok.statusCode, 200);
  await a.close();
});

test('domain errors keep their status and code; 5xx never leak their message', async () => {
  const { a, lines } = await app();
  const c = await a.inject({ method: 'GET', url: '/v1/test/conflict' });
  assert.equal(c.statusCode, 409);
  assert.equal(c.json().code, 'TL_ORDER_STATE');
  assert.deepEqual(c.json().details, { orderId: 'so_1' });
  const i = await a.inject({ method: 'GET', url: '/v1/test/input' });
  assert.equal(i.statusCode, 400);
  assert.equal(i.json().detail, 'quantity must be > 0');
  for (const url of ['/v1/test/secret', '/v1/test/boom']) {
    const r = await a.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 500);
    assert.doesNotMatch(r.body, /hunter2/);
    assert.equal(r.json().detail, 'The request could not be completed.');
  }
  assert.equal(
    (await a.inject({ method: 'GET', url: '/v1/test/boom' })).json().code,
    'TL_INTERNAL',
  );
  assert.ok(lines.some((l) => l.msg === 'request failed'), 'the 500 is logged server-side');
  await a.close();
});

test('correlation id: honours x-correlation-id, else the traceparent trace id, else a new one; echoed and logged', async () => {
  const { a, lines } = await app();
  const given = await a.inject({ method: 'GET', url: '/health', headers: { 'x-correlation-id': 'order-batch-42-abc' } });
  assert.equal(given.headers['x-correlation-id'], 'order-batch-42-abc');
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const tp = await a.inject({ method: 'GET', url: '/health', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
  assert.equal(tp.headers['x-correlation-id'], traceId);
  assert.match(tp.headers['traceparent'] as string, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  const junk = await a.inject({ method: 'GET', url: '/health', headers: { 'x-correlation-id': 'bad id with spaces\n', traceparent: 'garbage' } });
  assert.match(junk.headers['x-correlation-id'] as string, /^[0-9a-f-]{36}$/);
  assert.ok(lines.some((l) => l.correlationId === 'order-batch-42-abc'), 'request logs carry the correlation id');
  await a.close();
});
