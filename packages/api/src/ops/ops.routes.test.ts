import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.js';
import { FakeApiKeys, FakeIdempotencyStore, FakeOrderToCash, KEYS as CUSTOMER_KEYS, captureLogger } from '../customer/customer.test-support.js';
import { FakeP2pApiKeys, FakeProcureToPay, KEYS } from '../supplier/supplier.test-support.js';
import { FakeExceptionDesk } from './ops.test-support.js';

test('buildApp registers the customer, supplier and ops trees side by side, each with its own auth', async () => {
  const idempotency = new FakeIdempotencyStore();
  const p2p = new FakeProcureToPay();
  const o2c = new FakeOrderToCash();
  const apiKeys = new FakeP2pApiKeys();
  const app = await buildApp({
    logger: captureLogger().logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    customer: { commands: o2c, queries: o2c, idempotency, apiKeys: new FakeApiKeys() },
    supplier: { commands: p2p, queries: p2p, idempotency, apiKeys },
    ops: { exceptions: new FakeExceptionDesk(), idempotency, apiKeys },
  });
  const get = (url: string, key: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  assert.equal((await get('/v1/customer/orders', CUSTOMER_KEYS.alice)).statusCode, 200);
  assert.equal((await get('/v1/supplier/purchase-orders', KEYS.supplierA)).statusCode, 200);
  assert.equal((await get('/v1/ops/exceptions', KEYS.buyer)).statusCode, 200);
  assert.equal((await get('/v1/ops/exceptions', KEYS.supplierA)).statusCode, 403);
  assert.equal((await get('/v1/supplier/purchase-orders', KEYS.buyer)).statusCode, 403);
  await app.close();
});
