import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, as, customerApp } from './customer.test-support.js';

test('GET /items → offers with price, availability and asOf; paging and the limit cap', async () => {
  const { app, o2c } = await customerApp();
  const r = await app.inject({ method: 'GET', url: '/v1/customer/items?q=widget', headers: as(KEYS.alice) });
  assert.equal(r.statusCode, 200, r.body);
  const page = r.json();
  assert.deepEqual(page.items.map((i: { sku: string }) => i.sku), ['WID-100', 'WID-200']);
  assert.deepEqual(page.items[0].price, { amount: '4.25', currency: 'USD' });
  assert.equal(page.items[0].available, '1200');
  assert.equal(page.items[0].asOf, '2025-03-10T08:00:00.000Z');
  assert.equal(page.nextCursor, null);
  assert.deepEqual(o2c.lastQuery.searchItems, { q: 'widget', limit: 50 });

  const first = (await app.inject({ method: 'GET', url: '/v1/customer/items?limit=2', headers: as(KEYS.alice) })).json();
  assert.equal(first.items.length, 2);
  const rest = (await app.inject({ method: 'GET', url: `/v1/customer/items?limit=2&cursor=${first.nextCursor}`, headers: as(KEYS.alice) })).json();
  assert.deepEqual(rest.items.map((i: { sku: string }) => i.sku), ['BOLT-M8']);

  await app.inject({ method: 'GET', url: '/v1/customer/items?limit=999', headers: as(KEYS.alice) });
  assert.deepEqual(o2c.lastQuery.searchItems, { limit: 200 });
  await app.close();
});

test('GET /items refuses bad parameters field by field and needs catalog:read', async () => {
  const { app, o2c } = await customerApp();
  for (const [qs, path, rule] of [
    ['?limit=-1', 'querystring/limit', 'minimum'],
    ['?limit=1.5', 'querystring/limit', 'type'],
    [`?q=${'x'.repeat(101)}`, 'querystring/q', 'maxLength'],
    ['?warehouse=W1', 'querystring/warehouse', 'additionalProperties'],
  ] as const) {
    const r = await app.inject({ method: 'GET', url: `/v1/customer/items${qs}`, headers: as(KEYS.alice) });
    assert.equal(r.statusCode, 400, qs);
    assert.equal(r.json().errors[0].path, path);
    assert.equal(r.json().errors[0].rule, rule);
  }
  const ro = await app.inject({ method: 'GET', url: '/v1/customer/items', headers: as(KEYS.aliceReadOnly) });
  assert.equal(ro.statusCode, 403);
  assert.match(ro.json().detail, /catalog:read/);
  assert.equal(o2c.calls.searchItems, 0);
  await app.close();
});
