import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { FakeApiKeys, KEYS, captureLogger } from '../customer/customer.test-support.js';
import { authPlugin, presentedApiKey } from './auth.plugin.js';

async function app(): Promise<{ a: FastifyInstance; apiKeys: FakeApiKeys; logs: string[] }> {
  const apiKeys = new FakeApiKeys();
  const { logger, lines } = captureLogger();
  const a = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    routes: [
      {
        prefix: '/v1/c',
        plugin: async (r) => {
          await r.register(authPlugin, { apiKeys });
          r.get('/whoami', async (req) => ({ ...req.ctx }));
          r.get('/orders', { config: { scope: 'orders:read' } }, async () => ({ ok: true }));
          r.post('/orders', { config: { scope: 'orders:write' } }, async () => ({ ok: true }));
          r.get('/returns', { config: { scope: ['orders:read', 'returns:write'] } }, async () => ({ ok: true }));
        },
      },
      {
        prefix: '/v1/ops',
        plugin: async (r) => {
          await r.register(authPlugin, { apiKeys, requirePartner: false, realm: 'ops' });
          r.get('/anything', { config: { scope: 'invoices:read' } }, async (req) => ({ actor: req.ctx.actor.id }));
        },
      },
    ],
  });
  return { a, apiKeys, logs: lines };
}

test('missing key → 401 TL_AUTH_MISSING with a Bearer challenge; the resolver is not called', async () => {
  const { a, apiKeys } = await app();
  const r = await a.inject({ method: 'GET', url: '/v1/c/orders' });
  assert.equal(r.statusCode, 401);
  assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
  assert.equal(r.json().code, 'TL_AUTH_MISSING');
  assert.equal(r.headers['www-authenticate'], 'Bearer realm="tradelane"');
  assert.equal(apiKeys.lookups, 0);
  const blank = await a.inject({ method: 'GET', url: '/v1/c/orders', headers: { 'x-api-key': '  ' } });
  assert.equal(blank.json().code, 'TL_AUTH_MISSING');
  await a.close();
});

test('unknown, malformed or ambiguous keys → 401 TL_AUTH_INVALID', async () => {
  const { a, apiKeys } = await app();
  for (const headers of [
    { authorization: 'Bearer tlk_nobody_0123456789' },
    { 'x-api-key': 'tlk_nobody_0123456789' },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'Bearer short' },
    { authorization: `Bearer ${KEYS.alice}`, 'x-api-key': KEYS.bob },
  ]) {
    const r = await a.inject({ method: 'GET', url: '/v1/c/orders', headers });
    assert.equal(r.statusCode, 401, JSON.stringify(headers));
    assert.equal(r.json().code, 'TL_AUTH_INVALID');
    assert.equal(r.headers['www-authenticate'], 'Bearer realm="tradelane", error="invalid_token"');
  }
  assert.equal(apiKeys.lookups, 2, 'only well-formed keys reach the resolver');
  await a.close();
});

test('Bearer and X-API-Key both authenticate; request.ctx carries the correlation id and traceparent', async () => {
  const { a } = await app();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const r = await a.inject({
    method: 'GET',
    url: '/v1/c/whoami',
    headers: { authorization: `bearer ${KEYS.alice}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  assert.equal(r.statusCode, 200, r.body);
  const ctx = r.json();
  assert.equal(ctx.tenantId, 't_acme');
  assert.equal(ctx.partnerId, 'cus_alice');
  assert.deepEqual(ctx.actor, { kind: 'client', id: 'cli_alice' });
  assert.equal(ctx.correlationId, traceId);
  assert.equal(ctx.correlationId, r.headers['x-correlation-id']);
  assert.equal(ctx.traceparent, r.headers.traceparent);
  assert.match(ctx.traceparent, new RegExp(`^00-${traceId}-`));
  const viaHeader = await a.inject({ method: 'GET', url: '/v1/c/whoami', headers: { 'x-api-key': KEYS.bob } });
  assert.equal(viaHeader.json().partnerId, 'cus_bob');
  const same = await a.inject({ method: 'GET', url: '/v1/c/whoami', headers: { 'x-api-key': KEYS.bob, authorization: `Bearer ${KEYS.bob}` } });
  assert.equal(same.statusCode, 200);
  await a.close();
});

test('missing scope or partner → 403 TL_AUTH_SCOPE; any one of several declared scopes suffices', async () => {
  const { a } = await app();
  const ro = { authorization: `Bearer ${KEYS.aliceReadOnly}` };
  assert.equal((await a.inject({ method: 'GET', url: '/v1/c/orders', headers: ro })).statusCode, 200);
  const write = await a.inject({ method: 'POST', url: '/v1/c/orders', headers: ro });
  assert.equal(write.statusCode, 403);
  assert.equal(write.json().code, 'TL_AUTH_SCOPE');
  assert.deepEqual(write.json().details, { required: ['orders:write'] });
  assert.equal(write.headers['www-authenticate'], 'Bearer realm="tradelane", error="insufficient_scope", scope="orders:write"');
  assert.equal((await a.inject({ method: 'GET', url: '/v1/c/returns', headers: ro })).statusCode, 200);

  const staff = { authorization: `Bearer ${KEYS.staff}` };
  const noPartner = await a.inject({ method: 'GET', url: '/v1/c/orders', headers: staff });
  assert.equal(noPartner.statusCode, 403);
  assert.equal(noPartner.json().code, 'TL_AUTH_SCOPE');
  const ops = await a.inject({ method: 'GET', url: '/v1/ops/anything', headers: staff });
  assert.equal(ops.statusCode, 200, 'requirePartner: false admits distributor keys; "*" holds every scope');
  assert.equal(ops.json().actor, 'usr_ops');
  const opsAnon = await a.inject({ method: 'GET', url: '/v1/ops/anything' });
  assert.equal(opsAnon.headers['www-authenticate'], 'Bearer realm="ops"');
  await a.close();
});

test('API keys never reach the logs', async () => {
  const { a, logs } = await app();
  await a.inject({ method: 'GET', url: '/v1/c/orders', headers: { authorization: `Bearer ${KEYS.alice}` } });
  await a.inject({ method: 'GET', url: '/v1/c/orders', headers: { 'x-api-key': 'tlk_nobody_0123456789' } });
  await a.inject({ method: 'POST', url: '/v1/c/orders', headers: { 'x-api-key': KEYS.aliceReadOnly } });
  assert.ok(logs.length > 3);
  for (const l of logs) assert.doesNotMatch(l, /tlk_/);
  assert.ok(logs.some((l) => JSON.parse(l).partnerId === 'cus_alice'), 'request logs carry who called');
  await a.close();
});

test('presentedApiKey reads either header and refuses junk', () => {
  assert.deepEqual(presentedApiKey({ authorization: 'Bearer   abcdefgh12' }), { key: 'abcdefgh12' });
  assert.deepEqual(presentedApiKey({ 'x-api-key': 'abcdefgh12' }), { key: 'abcdefgh12' });
  assert.deepEqual(presentedApiKey({}), { missing: true });
  assert.ok('malformed' in presentedApiKey({ authorization: 'Bearer a b' }));
  assert.ok('malformed' in presentedApiKey({ 'x-api-key': 'has spaces inside' }));
  assert.ok('malformed' in presentedApiKey({ 'x-api-key': 'x'.repeat(513) }));
});
