import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { ConflictError, TransientError } from '@tradelane/core';
import { buildApp } from '../app.js';
import { FakeApiKeys, FakeIdempotencyStore, KEYS, captureLogger } from '../customer/customer.test-support.js';
import { authPlugin } from './auth.plugin.js';
import { canonicalJson, idempotencyPlugin, idempotencyRequestHash } from './idempotency.plugin.js';

async function app(store = new FakeIdempotencyStore()) {
  const { logger, lines } = captureLogger();
  const runs: string[] = [];
  const scopes: string[] = [];
  const begin = store.begin.bind(store);
  store.begin = async (ctx, request, options) => {
    scopes.push(request.scope);
    return begin(ctx, request, options);
  };
  let delayMs = 0;
  const a: FastifyInstance = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    routes: [
      {
        prefix: '/v1/t',
        plugin: async (r) => {
          await r.register(authPlugin, { apiKeys: new FakeApiKeys() });
          await r.register(idempotencyPlugin, { store, replayHeaders: ['x-thing-version'] });
          const body = { type: 'object', properties: { name: { type: 'string', minLength: 1 }, tags: { type: 'array' } }, required: ['name'] };
          r.post<{ Body: { name: string } }>('/things', { config: { idempotent: true }, schema: { body } }, async (req, reply) => {
            runs.push(req.body.name);
            if (delayMs) await new Promise((res) => setTimeout(res, delayMs));
            if (req.body.name === 'conflict') throw new ConflictError('TL_THING_EXISTS', 'A thing with that name exists.');
            if (req.body.name === 'transient' && runs.filter((n) => n === 'transient').length === 1) throw new TransientError('TL_ERP_DOWN', 'ERP is down');
            if (req.body.name === 'boom' && runs.filter((n) => n === 'boom').length === 1) throw new Error('db password hunter2');
            return reply.code(201).header('location', `/v1/t/things/${runs.length}`).header('x-thing-version', '7').header('x-other', 'no').send({ n: runs.length, name: req.body.name });
          });
          r.post<{ Params: { id: string } }>('/things/:id/notes', { config: { idempotent: true } }, async (req) => ({ note: req.params.id }));
          r.post('/search', async () => ({ ok: true }));
        },
      },
    ],
  });
  return { a, store, runs, scopes, logs: lines, slow: (ms: number) => (delayMs = ms) };
}

const h = (key?: string, who: string = KEYS.alice) => ({ authorization: `Bearer ${who}`, ...(key !== undefined ? { 'idempotency-key': key } : {}) });

test('the key is required on idempotent routes only, and must be 1-255 printable characters', async () => {
  const { a, runs } = await app();
  const missing = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h(), payload: { name: 'a' } });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().code, 'TL_IDEMPOTENCY_KEY_MISSING');
  for (const bad of ['x'.repeat(256), 'clé']) {
    const r = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h(bad), payload: { name: 'a' } });
    assert.equal(r.statusCode, 400, bad);
    assert.equal(r.json().code, 'TL_IDEMPOTENCY_KEY_INVALID');
  }
  assert.equal((await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('k'.repeat(255)), payload: { name: 'a' } })).statusCode, 201);
  assert.equal((await a.inject({ method: 'POST', url: '/v1/t/search', headers: h(), payload: {} })).statusCode, 200);
  assert.equal(runs.length, 1);
  await a.close();
});

test('same key and body → the stored response, with Idempotent-Replayed; key order does not matter', async () => {
  const { a, runs, scopes } = await app();
  const first = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('k1'), payload: { name: 'a', tags: [1, { y: 1, x: 2 }] } });
  assert.equal(first.statusCode, 201);
  const again = await a.inject({ method: 'POST', url: '/v1/t/things', headers: { ...h('k1'), 'content-type': 'application/json' }, payload: '{"tags":[1,{"x":2,"y":1}],"name":"a"}' });
  assert.equal(again.statusCode, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body, first.body);
  assert.equal(again.headers.location, '/v1/t/things/1');
  assert.equal(again.headers['x-thing-version'], '7', 'configured headers are replayed');
  assert.equal(again.headers['x-other'], undefined, 'other headers are not');
  assert.match(again.headers['content-type'] as string, /^application\/json/);
  assert.equal(runs.length, 1);
  assert.equal(scopes[0], 'cli_alice POST /v1/t/things');

  const reused = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('k1'), payload: { name: 'b' } });
  assert.equal(reused.statusCode, 422);
  assert.equal(reused.json().code, 'TL_IDEMPOTENCY_KEY_REUSED');

  const bob = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('k1', KEYS.bob), payload: { name: 'a', tags: [1, { y: 1, x: 2 }] } });
  assert.equal(bob.headers['idempotent-replayed'], undefined, 'another client has its own keys');
  assert.equal(runs.length, 2);

  // The route pattern scopes the key, the concrete path is part of the request: another id is another request.
  assert.equal((await a.inject({ method: 'POST', url: '/v1/t/things/1/notes', headers: h('n1'), payload: {} })).statusCode, 200);
  const otherId = await a.inject({ method: 'POST', url: '/v1/t/things/2/notes', headers: h('n1'), payload: {} });
  assert.equal(otherId.statusCode, 422);
  await a.close();
});

test('a 4xx domain error is stored and replayed; 5xx and transient errors release the key so a retry runs', async () => {
  const { a, runs, store } = await app();
  const c1 = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('c'), payload: { name: 'conflict' } });
  assert.equal(c1.statusCode, 409);
  const c2 = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('c'), payload: { name: 'conflict' } });
  assert.equal(c2.statusCode, 409);
  assert.equal(c2.headers['idempotent-replayed'], 'true');
  assert.match(c2.headers['content-type'] as string, /^application\/problem\+json/);
  assert.equal(c2.json().code, 'TL_THING_EXISTS');
  assert.equal(runs.filter((n) => n === 'conflict').length, 1);

  for (const name of ['transient', 'boom']) {
    const failed = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h(name), payload: { name } });
    assert.ok(failed.statusCode >= 500, name);
    assert.doesNotMatch(failed.body, /hunter2/);
    const retried = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h(name), payload: { name } });
    assert.equal(retried.statusCode, 201, `${name}: the retry runs`);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    const replayed = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h(name), payload: { name } });
    assert.equal(replayed.headers['idempotent-replayed'], 'true');
    assert.equal(replayed.body, retried.body);
  }
  assert.equal(store.calls.release, 2);
  await a.close();
});

test('a body failing validation claims no key; concurrent twins get 409 TL_IDEMPOTENCY_IN_FLIGHT', async () => {
  const { a, store, runs, slow } = await app();
  const invalid = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('v'), payload: { name: '' } });
  assert.equal(invalid.statusCode, 400);
  assert.equal(store.rows.size, 0);
  assert.equal((await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('v'), payload: { name: 'fixed' } })).statusCode, 201);

  slow(50);
  const [one, two] = await Promise.all([
    a.inject({ method: 'POST', url: '/v1/t/things', headers: h('twin'), payload: { name: 'twin' } }),
    a.inject({ method: 'POST', url: '/v1/t/things', headers: h('twin'), payload: { name: 'twin' } }),
  ]);
  const codes = [one.statusCode, two.statusCode].sort();
  assert.deepEqual(codes, [201, 409]);
  const refused = one.statusCode === 409 ? one : two;
  assert.equal(refused.json().code, 'TL_IDEMPOTENCY_IN_FLIGHT');
  assert.equal(refused.headers['retry-after'], '1');
  assert.equal(runs.filter((n) => n === 'twin').length, 1);
  await a.close();
});

test('when the store cannot save the response, the caller still gets it and the failure is logged', async () => {
  const store = new FakeIdempotencyStore();
  store.complete = async () => {
    throw new Error('store down');
  };
  const { a, logs } = await app(store);
  const r = await a.inject({ method: 'POST', url: '/v1/t/things', headers: h('s'), payload: { name: 'a' } });
  assert.equal(r.statusCode, 201);
  assert.ok(logs.some((l) => JSON.parse(l).msg === 'idempotent response could not be stored'));
  await a.close();
});

test('canonicalJson sorts keys at every depth; the request hash covers method, path and body', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: undefined }] }), '{"a":[true,null,{"d":"x"}],"b":1}');
  assert.equal(canonicalJson('é"'), '"é\\""');
  const h1 = idempotencyRequestHash('POST', '/v1/orders', { a: 1, b: 2 });
  assert.equal(h1, idempotencyRequestHash('post', '/v1/orders', { b: 2, a: 1 }));
  assert.match(h1, /^[0-9a-f]{64}$/);
  assert.notEqual(h1, idempotencyRequestHash('POST', '/v1/orders/x', { a: 1, b: 2 }));
  assert.notEqual(h1, idempotencyRequestHash('POST', '/v1/orders', { a: 1, b: '2' }));
});
