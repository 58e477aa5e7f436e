import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, PermanentError, systemClock, TransientError } from '@tradelane/core';
import { defineConnector, silentLog } from './connector.js';
import { httpError, networkError } from './http-errors.js';

const schema = {
  safeParse(input: unknown) {
    const c = input as { baseUrl?: unknown };
    if (typeof c?.baseUrl === 'string' && c.baseUrl.startsWith('http')) return { success: true as const, data: { baseUrl: c.baseUrl } };
    return { success: false as const, error: { issues: [{ path: ['baseUrl'], message: 'must be an http(s) URL' }] } };
  },
};

test('defineConnector validates config, naming the field, and checks declared capabilities', async () => {
  const good = defineConnector({
    id: 'demo-feed',
    title: 'Demo',
    configSchema: schema,
    capabilities: ['erpChangeFeed'] as const,
    create: () => ({
      erpChangeFeed: { fetchChanges: async () => ({ items: [], nextCursor: null }) },
      health: async () => ({ ok: true }),
      close: async () => {},
    }),
  });
  const deps = { clock: systemClock, log: silentLog };
  await assert.rejects(good.instantiate(deps, { baseUrl: 42 }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.code, 'TL_CONNECTOR_CONFIG_INVALID');
    assert.deepEqual(e.details?.errors, [{ path: 'baseUrl', message: 'must be an http(s) URL' }]);
    return true;
  });
  const inst = await good.instantiate(deps, { baseUrl: 'http://erp' });
  assert.deepEqual(await inst.erpChangeFeed.fetchChanges({} as never, {}), { items: [], nextCursor: null });

  const lying = defineConnector({
    id: 'liar',
    title: 'Declares what it lacks',
    configSchema: schema,
    capabilities: ['erpSalesOrders'] as const,
    create: () => ({ health: async () => ({ ok: true }), close: async () => {} }) as never,
  });
  await assert.rejects(lying.instantiate(deps, { baseUrl: 'http://x' }), /does not provide it/);
  assert.throws(() => defineConnector({ ...lying, id: 'Bad Id' }), RangeError);
});

test('HTTP and network failures are classified transient or permanent', () => {
  const busy = httpError('erp-sim', 503, 'maintenance', '120');
  assert.ok(busy instanceof TransientError);
  assert.equal(busy.retryAfterMs, 120_000);
  assert.equal(busy.code, 'TL_ERP_SIM_HTTP_503');
  assert.ok(httpError('erp-sim', 429, '') instanceof TransientError);
  const bad = httpError('erp-sim', 422, 'unknown item');
  assert.ok(bad instanceof PermanentError);
  assert.match(bad.message, /unknown item/);
  const down = networkError('erp-sim', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  assert.ok(down instanceof TransientError);
  assert.match(down.message, /ECONNREFUSED/);
});
