import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryRateLimitStore, type RateLimitStore } from '@tradelane/core';
import { buildApp, type AppOptions } from '../app.js';
import { FakeApiKeys, FakeIdempotencyStore, FakeOrderToCash, KEYS, as, captureLogger } from '../customer/customer.test-support.js';

const ORDERS = '/v1/customer/orders';
const T = 1_700_000_020_000; // 40 s into a minute window: the window resets in 20 s

async function limitedApp(rateLimit: AppOptions['rateLimit'], extra: Partial<AppOptions> = {}) {
  const o2c = new FakeOrderToCash();
  const app = await buildApp({
    logger: captureLogger().logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    customer: { commands: o2c, queries: o2c, idempotency: new FakeIdempotencyStore(), apiKeys: new FakeApiKeys() },
    rateLimit,
    ...extra,
  });
  return { app, o2c };
}

test('rate limit: a client gets its limit, then 429 with Retry-After and the RateLimit headers; others are not affected', async () => {
  const { app, o2c } = await limitedApp({ limit: 3, now: () => T });
  for (let i = 1; i <= 3; i++) {
    const r = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['ratelimit-policy'], '3;w=60');
    assert.equal(r.headers.ratelimit, `limit=3, remaining=${3 - i}, reset=20`);
  }
  const calls = o2c.calls.listOrders;
  const refused = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) });
  assert.equal(refused.statusCode, 429, refused.body);
  assert.equal(refused.json().code, 'TL_RATE_LIMITED');
  assert.match(refused.headers['content-type'] as string, /^application\/problem\+json/);
  assert.equal(refused.headers['retry-after'], '20');
  assert.equal(refused.headers.ratelimit, 'limit=3, remaining=0, reset=20');
  assert.equal(refused.headers['ratelimit-policy'], '3;w=60');
  assert.equal(o2c.calls.listOrders, calls, 'a refused request never reaches the handler');
  // The same customer through another key is another client; another customer has its own budget.
  assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.bob) })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.aliceReadOnly) })).statusCode, 200);
  await app.close();
});

test('rate limit: the window resets, and Retry-After counts down to it', async () => {
  let now = T;
  const { app } = await limitedApp({ limit: 1, now: () => now });
  assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) })).statusCode, 200);
  now = T + 15_500;
  const refused = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) });
  assert.equal(refused.statusCode, 429);
  assert.equal(refused.headers['retry-after'], '5');
  now = T + 20_000;
  const again = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) });
  assert.equal(again.statusCode, 200);
  assert.equal(again.headers.ratelimit, 'limit=1, remaining=0, reset=60');
  await app.close();
});

test('rate limit: a client in a tier gets the tier limit', async () => {
  const { app } = await limitedApp({ limit: 1, tiers: { gold: 4 }, clientTiers: { cli_alice: 'gold' }, now: () => T });
  for (let i = 0; i < 4; i++) assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) })).statusCode, 200);
  const refused = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) });
  assert.equal(refused.statusCode, 429);
  assert.equal(refused.headers['ratelimit-policy'], '4;w=60');
  assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.bob) })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.bob) })).statusCode, 429, 'bob has the default limit');
  await app.close();
});

test('rate limit: rotating X-Forwarded-For does not open new buckets unless a proxy is trusted', async () => {
  const { app } = await limitedApp({ anonymousLimit: 2, now: () => T });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await app.inject({ method: 'GET', url: '/openapi.json', headers: { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}` } });
    statuses.push(r.statusCode);
  }
  assert.deepEqual(statuses, [200, 200, 429, 429]);
  // Another socket address is another client.
  assert.equal((await app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '192.0.2.7' })).statusCode, 200);
  await app.close();

  const trusted = await limitedApp({ anonymousLimit: 1, now: () => T }, { trustProxy: ['127.0.0.1'] });
  const via = (ip: string, remoteAddress = '127.0.0.1') =>
    trusted.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'x-forwarded-for': ip }, remoteAddress }).then((r) => r.statusCode);
  assert.deepEqual([await via('203.0.113.1'), await via('203.0.113.1'), await via('203.0.113.2')], [200, 429, 200]);
  // A client that is not the trusted proxy cannot speak for others.
  assert.deepEqual([await via('203.0.113.3', '192.0.2.9'), await via('203.0.113.4', '192.0.2.9')], [200, 429]);
  await trusted.app.close();

  const hops = await limitedApp({ anonymousLimit: 1, now: () => T }, { trustProxy: 1 });
  const viaHop = (xff: string) => hops.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'x-forwarded-for': xff } }).then((r) => r.statusCode);
  // With one trusted hop, only the address the proxy appended counts: a forged leftmost entry changes nothing.
  assert.deepEqual([await viaHop('1.1.1.1, 203.0.113.5'), await viaHop('2.2.2.2, 203.0.113.5')], [200, 429]);
  await hops.app.close();
});

test('rate limit: authenticated clients are keyed by client, not by address', async () => {
  const { app } = await limitedApp({ limit: 2, anonymousLimit: 100, now: () => T });
  const from = (ip: string) => app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice), remoteAddress: ip }).then((r) => r.statusCode);
  assert.deepEqual([await from('192.0.2.1'), await from('192.0.2.2'), await from('192.0.2.3')], [200, 200, 429]);
  await app.close();
});

test('rate limit: health probes are exempt; limits can be turned off', async () => {
  const { app } = await limitedApp({ anonymousLimit: 1, now: () => T });
  for (let i = 0; i < 5; i++) {
    const r = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers.ratelimit, undefined);
  }
  await app.close();
  const off = await limitedApp(false);
  for (let i = 0; i < 5; i++) assert.equal((await off.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 200);
  await off.app.close();
});

test('rate limit: processes sharing one store share the budget', async () => {
  const store = createMemoryRateLimitStore();
  const one = await limitedApp({ store, limit: 3, now: () => T });
  const two = await limitedApp({ store, limit: 3, now: () => T });
  const statuses: number[] = [];
  for (const app of [one.app, two.app, one.app, two.app]) statuses.push((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) })).statusCode);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  await one.app.close();
  await two.app.close();
});

test('rate limit: a failing store lets requests through', async () => {
  const broken: RateLimitStore = { hit: async () => Promise.reject(new Error('database down')) };
  const { app } = await limitedApp({ store: broken, limit: 1, now: () => T });
  for (let i = 0; i < 3; i++) assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice) })).statusCode, 200);
  await app.close();
});

test('rate limit: bad limits are refused at start', async () => {
  await assert.rejects(limitedApp({ limit: 0 }), /positive whole number/);
  await assert.rejects(limitedApp({ tiers: { gold: 1.5 } }), /gold must be a positive whole number/);
});

test('rate limit: an address that keeps failing authentication is refused before its credentials are checked', async () => {
  let now = T;
  const { app } = await limitedApp({ authFailureLimit: 3, now: () => now });
  const guess = (i: number, remoteAddress = '192.0.2.50') =>
    app.inject({ method: 'GET', url: ORDERS, headers: { authorization: `Bearer tlk_guess_${i}_0123456789` }, remoteAddress }).then((r) => r.statusCode);
  assert.deepEqual([await guess(1), await guess(2), await guess(3)], [401, 401, 401]);
  const refused = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice), remoteAddress: '192.0.2.50' });
  assert.equal(refused.statusCode, 429, 'even a valid key from that address waits');
  assert.equal(refused.headers['retry-after'], '20');
  assert.equal(await guess(4, '192.0.2.51'), 401, 'other addresses are not affected');
  now = T + 20_000;
  assert.equal((await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.alice), remoteAddress: '192.0.2.50' })).statusCode, 200);
  await app.close();
});
