import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, NOW, PARTIES, as, supplierApp } from './supplier.test-support.js';

const url = (sku: string) => `/v1/supplier/items/${encodeURIComponent(sku)}/availability`;

test('PUT /items/{sku}/availability → 200 with the item as the hub holds it; no Idempotency-Key needed', async () => {
  const { app, p2p } = await supplierApp();
  const body = { available: '1200', unit: 'EA', leadTimeDays: 7, nextAvailableDate: '2026-04-01' };
  const r = await app.inject({ method: 'PUT', url: url('WID-100'), headers: as(KEYS.supplierA), payload: body });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json(), { sku: 'WID-100', available: '1200', unit: 'EA', leadTimeDays: 7, nextAvailableDate: '2026-04-01', updatedAt: NOW });
  assert.equal(p2p.items.get(`${PARTIES.supplierA}|WID-100`)?.supplierId, PARTIES.supplierA);
  const zero = await app.inject({ method: 'PUT', url: url('WID-100'), headers: as(KEYS.supplierA), payload: { available: '0', unit: 'CS' } });
  assert.deepEqual(zero.json(), { sku: 'WID-100', available: '0', unit: 'CS', updatedAt: NOW });
  await app.close();
});

test('PUT availability: scope, strict body, bad decimal, bad date, bad SKU', async () => {
  const { app, p2p } = await supplierApp();
  const noScope = await app.inject({ method: 'PUT', url: url('WID-100'), headers: as(KEYS.supplierAReadOnly), payload: { available: '1', unit: 'EA' } });
  assert.equal(noScope.statusCode, 403);
  assert.deepEqual(noScope.json().details, { required: ['availability:write'] });
  const staff = await app.inject({ method: 'PUT', url: url('WID-100'), headers: as(KEYS.staff), payload: { available: '1', unit: 'EA' } });
  assert.equal(staff.statusCode, 403);
  const cases: Array<[string, unknown, string, string]> = [
    ['WID-100', { unit: 'EA' }, 'body/available', 'required'],
    ['WID-100', { available: 12, unit: 'EA' }, 'body/available', 'type'],
    ['WID-100', { available: '-1', unit: 'EA' }, 'body/available', 'pattern'],
    ['WID-100', { available: '12.1234567', unit: 'EA' }, 'body/available', 'pattern'],
    ['WID-100', { available: '12', unit: 'EA', leadTimeDays: 2.5 }, 'body/leadTimeDays', 'type'],
    ['WID-100', { available: '12', unit: 'EA', leadTimeDays: -1 }, 'body/leadTimeDays', 'minimum'],
    ['WID-100', { available: '12', unit: 'EA', nextAvailableDate: '2026-04-31' }, 'body/nextAvailableDate', 'format'],
    ['WID-100', { available: '12', unit: 'EA', price: '4.00' }, 'body/price', 'additionalProperties'],
    ['-WID', { available: '12', unit: 'EA' }, 'params/sku', 'pattern'],
  ];
  for (const [sku, payload, path, rule] of cases) {
    const r = await app.inject({ method: 'PUT', url: url(sku), headers: as(KEYS.supplierA), payload: payload as object });
    assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
    assert.ok(
      r.json().errors.some((e: { path: string; rule: string }) => e.path === path && e.rule === rule),
      `expected ${path} (${rule}) in ${JSON.stringify(r.json().errors)}`,
    );
  }
  assert.equal(p2p.calls.updateAvailability, 0);
  await app.close();
});
