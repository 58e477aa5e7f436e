import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, NOW, PARTIES, as, fakeId, supplierApp } from './supplier.test-support.js';

const ASNS = '/v1/supplier/asns';

function asn(overrides: Record<string, unknown> = {}) {
  return {
    asnNumber: 'ASN-5001',
    shipDate: '2026-03-18',
    expectedDeliveryDate: '2026-03-20',
    carrierCode: 'UPSN',
    trackingNumber: '1Z999AA10123456784',
    lines: [
      { poNumber: 'PO-7001', lineNumber: 1, sku: 'WID-100', quantity: '60', unit: 'EA', lot: 'L-2026-03' },
      { poNumber: 'PO-7001', lineNumber: 1, sku: 'WID-100', quantity: '37.5', unit: 'EA', lot: 'L-2026-04' },
    ],
    ...overrides,
  };
}

test('POST /asns → 201 with the ASN and Location; GET /asns/{id}; the same ASN number again → 200 duplicate', async () => {
  const { app, p2p } = await supplierApp();
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const r = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA, 'asn-1'), payload: asn() });
  assert.equal(r.statusCode, 201, r.body);
  const id = fakeId('asn', 2);
  const expected = {
    id,
    asnNumber: 'ASN-5001',
    status: 'InTransit',
    shipDate: '2026-03-18',
    expectedDeliveryDate: '2026-03-20',
    carrierCode: 'UPSN',
    trackingNumber: '1Z999AA10123456784',
    lines: [
      { poNumber: 'PO-7001', lineNumber: 1, sku: 'WID-100', quantity: '60', unit: 'EA', quantityReceived: '0' },
      { poNumber: 'PO-7001', lineNumber: 1, sku: 'WID-100', quantity: '37.5', unit: 'EA', quantityReceived: '0' },
    ],
    receivedAt: NOW,
  };
  assert.deepEqual(r.json(), expected);
  assert.equal(r.headers.location, `/v1/supplier/asns/${id}`);

  const got = await app.inject({ method: 'GET', url: `${ASNS}/${id}`, headers: as(KEYS.supplierA) });
  assert.equal(got.statusCode, 200);
  assert.deepEqual(got.json(), expected);
  const readOnly = await app.inject({ method: 'GET', url: `${ASNS}/${id}`, headers: as(KEYS.supplierAReadOnly) });
  assert.equal(readOnly.statusCode, 200, 'purchase-orders:read is enough to read an ASN');

  const dup = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA, 'asn-2'), payload: asn() });
  assert.equal(dup.statusCode, 200);
  assert.deepEqual(dup.json(), { ...expected, duplicate: true });
  assert.equal(p2p.asns.size, 1, 'a duplicate message is applied once');

  const replay = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA, 'asn-1'), payload: asn() });
  assert.equal(replay.statusCode, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.body, r.body);
  const reused = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA, 'asn-1'), payload: asn({ asnNumber: 'ASN-5002' }) });
  assert.equal(reused.statusCode, 422);
  assert.equal(p2p.calls.submitAsn, 2);
  await app.close();
});

test('ASN isolation: another supplier\'s PO is unknown and its ASN unreadable', async () => {
  const { app, p2p } = await supplierApp();
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const mine = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA, 'a'), payload: asn() });
  const cross = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierB, 'b'), payload: asn({ asnNumber: 'ASN-B1' }) });
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().code, 'TL_PURCHASE_ORDER_NOT_FOUND');
  const read = await app.inject({ method: 'GET', url: `${ASNS}/${mine.json().id}`, headers: as(KEYS.supplierB) });
  assert.equal(read.statusCode, 404);
  assert.equal(read.json().code, 'TL_ASN_NOT_FOUND');
  assert.doesNotMatch(read.body, /ASN-5001|1Z999/);
  const noScope = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierAReadOnly, 'ro'), payload: asn() });
  assert.equal(noScope.statusCode, 403);
  const customer = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.customer, 'c'), payload: asn() });
  assert.equal(customer.statusCode, 403);
  const staff = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.staff, 's'), payload: asn() });
  assert.equal(staff.statusCode, 403);
  assert.equal(p2p.asns.size, 1);
  await app.close();
});

test('POST /asns field errors name the field and rule; the process is not called', async () => {
  const { app, p2p, idempotency } = await supplierApp();
  const line = asn().lines[0]!;
  const cases: Array<[unknown, string, string]> = [
    [asn({ asnNumber: undefined }), 'body/asnNumber', 'required'],
    [asn({ shipDate: '2026-3-18' }), 'body/shipDate', 'format'],
    [asn({ expectedDeliveryDate: '2026-03-32' }), 'body/expectedDeliveryDate', 'format'],
    [asn({ shipDate: '2026-03-21' }), 'body/shipDate', 'dateOrder'],
    [asn({ carrier: 'UPS' }), 'body/carrier', 'additionalProperties'],
    [asn({ lines: [] }), 'body/lines', 'minItems'],
    [asn({ lines: [{ ...line, quantity: 60 }] }), 'body/lines/0/quantity', 'type'],
    [asn({ lines: [{ ...line, quantity: '0' }] }), 'body/lines/0/quantity', 'pattern'],
    [asn({ lines: [{ ...line, quantity: '1e3' }] }), 'body/lines/0/quantity', 'pattern'],
    [asn({ lines: [{ ...line, unit: 'PIECES' }] }), 'body/lines/0/unit', 'enum'],
    [asn({ lines: [{ ...line, serial: 'X' }] }), 'body/lines/0/serial', 'additionalProperties'],
    [asn({ lines: [{ ...line, poNumber: undefined }] }), 'body/lines/0/poNumber', 'required'],
  ];
  for (const [payload, path, rule] of cases) {
    const r = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA, `bad-${Math.random()}`), payload: payload as object });
    assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
    assert.equal(r.json().code, 'TL_REQUEST_INVALID');
    assert.ok(
      r.json().errors.some((e: { path: string; rule: string }) => e.path === path && e.rule === rule),
      `expected ${path} (${rule}) in ${JSON.stringify(r.json().errors)}`,
    );
  }
  const badId = await app.inject({ method: 'GET', url: `${ASNS}/ASN-5001`, headers: as(KEYS.supplierA) });
  assert.equal(badId.statusCode, 400);
  assert.equal(badId.json().errors[0].path, 'params/id');
  const noKey = await app.inject({ method: 'POST', url: ASNS, headers: as(KEYS.supplierA), payload: asn() });
  assert.equal(noKey.json().code, 'TL_IDEMPOTENCY_KEY_MISSING');
  assert.equal(p2p.calls.submitAsn, 0);
  assert.equal(idempotency.rows.size, 0);
  await app.close();
});
