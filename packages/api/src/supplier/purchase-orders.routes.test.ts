import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, NOW, PARTIES, as, fakeId, supplierApp } from './supplier.test-support.js';

const POS = '/v1/supplier/purchase-orders';
const ackUrl = (id: string) => `${POS}/${encodeURIComponent(id)}/acknowledgments`;

test('GET /purchase-orders lists only your orders, filters and pages; GET by id or PO number', async () => {
  const { app, p2p } = await supplierApp();
  const a1 = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7002', status: 'Acknowledged', awaitingAcknowledgment: false, updatedAt: '2026-03-01T00:00:00.000Z' });
  p2p.seedPurchaseOrder(PARTIES.supplierB, { poNumber: 'PO-8001' });
  const get = (url: string, key: string = KEYS.supplierA) => app.inject({ method: 'GET', url, headers: as(key) });

  const all = await get(POS);
  assert.equal(all.statusCode, 200, all.body);
  assert.equal(all.headers['cache-control'], 'private, no-store');
  assert.deepEqual(all.json().items.map((p: { poNumber: string }) => p.poNumber), ['PO-7001', 'PO-7002']);
  assert.equal(all.json().nextCursor, null);
  assert.deepEqual({ ...p2p.last.listPurchaseOrders }, { limit: 50 });

  const awaiting = await get(`${POS}?awaitingAcknowledgment=true`);
  assert.deepEqual(awaiting.json().items.map((p: { poNumber: string }) => p.poNumber), ['PO-7001']);
  assert.equal(p2p.last.listPurchaseOrders?.awaitingAcknowledgment, true, 'the query string boolean arrives as a boolean');
  const acked = await get(`${POS}?status=Acknowledged&updatedSince=2026-02-01T00:00:00Z&limit=500`);
  assert.deepEqual(acked.json().items.map((p: { poNumber: string }) => p.poNumber), ['PO-7002']);
  assert.deepEqual({ ...p2p.last.listPurchaseOrders }, { status: 'Acknowledged', updatedSince: '2026-02-01T00:00:00Z', limit: 200 });
  const paged = await get(`${POS}?limit=1`);
  assert.equal(paged.json().nextCursor, '1');
  const next = await get(`${POS}?limit=1&cursor=1`);
  assert.deepEqual(next.json().items.map((p: { poNumber: string }) => p.poNumber), ['PO-7002']);

  const byId = await get(`${POS}/${a1.id}`);
  assert.equal(byId.statusCode, 200);
  assert.deepEqual(byId.json(), {
    id: a1.id,
    poNumber: 'PO-7001',
    status: 'New',
    revision: 1,
    awaitingAcknowledgment: true,
    acknowledgmentDueBy: '2026-03-11T08:00:00.000Z',
    orderDate: '2026-03-09',
    shipTo: { code: 'DC1', name: 'Main distribution center' },
    currency: 'USD',
    total: { amount: '1105.00', currency: 'USD' },
    lines: [
      {
        lineNumber: 1,
        sku: 'WID-100',
        supplierPartNumber: 'SP-9001',
        quantity: '100',
        unit: 'EA',
        unitPrice: { amount: '4.25', currency: 'USD' },
        requestedDate: '2026-03-20',
        status: 'Open',
        quantityShipped: '0',
        quantityReceived: '0',
      },
      {
        lineNumber: 2,
        sku: 'BOLT-M8',
        quantity: '36',
        unit: 'BX',
        unitPrice: { amount: '18.90', currency: 'USD' },
        requestedDate: '2026-03-20',
        status: 'Open',
        quantityShipped: '0',
        quantityReceived: '0',
      },
    ],
    updatedAt: '2026-03-09T10:00:00.000Z',
  });
  const byNumber = await get(`${POS}/PO-7001`);
  assert.equal(byNumber.json().id, a1.id);
  await app.close();
});

test('GET /purchase-orders refuses unknown and malformed query parameters', async () => {
  const { app, p2p } = await supplierApp();
  for (const [qs, path, rule] of [
    ['?status=Pending', 'querystring/status', 'enum'],
    ['?awaitingAcknowledgment=maybe', 'querystring/awaitingAcknowledgment', 'type'],
    ['?updatedSince=2026-03-01', 'querystring/updatedSince', 'format'],
    ['?limit=0', 'querystring/limit', 'minimum'],
    ['?supplier=pty_supplier_b', 'querystring/supplier', 'additionalProperties'],
  ] as const) {
    const r = await app.inject({ method: 'GET', url: `${POS}${qs}`, headers: as(KEYS.supplierA) });
    assert.equal(r.statusCode, 400, `${qs}: ${r.body}`);
    assert.equal(r.json().code, 'TL_REQUEST_INVALID');
    assert.equal(r.json().errors[0].path, path, r.body);
    assert.equal(r.json().errors[0].rule, rule);
  }
  assert.equal(p2p.calls.listPurchaseOrders, 0);
  await app.close();
});

test('isolation: supplier B cannot read or acknowledge supplier A\'s order (404, no data)', async () => {
  const { app, p2p } = await supplierApp();
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  for (const url of [`${POS}/${po.id}`, `${POS}/PO-7001`]) {
    const r = await app.inject({ method: 'GET', url, headers: as(KEYS.supplierB) });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'TL_PURCHASE_ORDER_NOT_FOUND');
    assert.doesNotMatch(r.body, /WID-100|SP-9001|Main distribution/);
  }
  const list = await app.inject({ method: 'GET', url: POS, headers: as(KEYS.supplierB) });
  assert.deepEqual(list.json(), { items: [], nextCursor: null });
  const ack = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierB, 'b-1'), payload: { lines: [{ lineNumber: 1, action: 'accept' }] } });
  assert.equal(ack.statusCode, 404);
  assert.equal(ack.json().code, 'TL_PURCHASE_ORDER_NOT_FOUND');
  assert.equal(po.awaitingAcknowledgment, true, 'nothing changed');
  assert.equal(p2p.acknowledgments.size, 0);
  await app.close();
});

test('who may call: no key 401, staff and customer keys 403, missing scope 403', async () => {
  const { app, p2p } = await supplierApp();
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const none = await app.inject({ method: 'GET', url: POS });
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 'TL_AUTH_MISSING');
  const staff = await app.inject({ method: 'GET', url: POS, headers: as(KEYS.staff) });
  assert.equal(staff.statusCode, 403, 'a key with every scope but no supplier is refused');
  assert.equal(staff.json().code, 'TL_AUTH_SCOPE');
  assert.match(staff.json().detail, /supplier/);
  const customer = await app.inject({ method: 'GET', url: POS, headers: as(KEYS.customer) });
  assert.equal(customer.statusCode, 403);
  assert.equal(customer.json().code, 'TL_AUTH_SCOPE');
  assert.deepEqual(customer.json().details, { required: ['purchase-orders:read'] });
  const readOnly = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierAReadOnly, 'ro-1'), payload: { lines: [{ lineNumber: 1, action: 'accept' }] } });
  assert.equal(readOnly.statusCode, 403);
  assert.deepEqual(readOnly.json().details, { required: ['acknowledgments:write'] });
  assert.equal(p2p.calls.acknowledge, 0);
  assert.equal(p2p.calls.listPurchaseOrders, 0);
  await app.close();
});

test('POST /purchase-orders/{id}/acknowledgments → 201 Applied inside tolerance; the same acknowledgment again → 200 Duplicate', async () => {
  const { app, p2p } = await supplierApp();
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const body = {
    acknowledgmentNumber: 'ACK-1',
    lines: [
      { lineNumber: 1, action: 'change', quantity: '97', promisedDate: '2026-03-21' },
      { lineNumber: 2, action: 'accept', unit: 'BX' },
    ],
  };
  const r = await app.inject({ method: 'POST', url: ackUrl('PO-7001'), headers: as(KEYS.supplierA, 'ack-k1'), payload: body });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual(r.json(), {
    id: fakeId('ack', 2),
    purchaseOrderId: po.id,
    outcome: 'Applied',
    lines: [
      { lineNumber: 1, outcome: 'within_tolerance', reasons: ['quantity -3.0% within -5%', 'date 2026-03-20 → 2026-03-21'] },
      { lineNumber: 2, outcome: 'as_ordered', reasons: [] },
    ],
    receivedAt: NOW,
  });
  assert.equal(po.status, 'Acknowledged');

  const dup = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'ack-k2'), payload: body });
  assert.equal(dup.statusCode, 200, 'a repeated acknowledgment under a new key is a duplicate, not a second one');
  assert.equal(dup.json().outcome, 'Duplicate');
  assert.equal(dup.json().id, r.json().id);
  assert.equal(p2p.acknowledgments.size, 1);
  await app.close();
});

test('acknowledgment outside tolerance → 201 Exception with the exception id and the reasons', async () => {
  const { app, p2p } = await supplierApp();
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const r = await app.inject({
    method: 'POST',
    url: ackUrl(po.id),
    headers: as(KEYS.supplierA, 'ack-x'),
    payload: { revision: 1, lines: [{ lineNumber: 1, action: 'change', quantity: '88', unitPrice: '4.50' }, { lineNumber: 2, action: 'reject', note: 'Discontinued' }] },
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual(r.json(), {
    id: fakeId('ack', 2),
    purchaseOrderId: po.id,
    outcome: 'Exception',
    lines: [
      { lineNumber: 1, outcome: 'out_of_tolerance', reasons: ['quantity -12.0% exceeds -5%', 'price +5.88% exceeds 2%'] },
      { lineNumber: 2, outcome: 'rejected', reasons: ['rejected by the supplier'] },
    ],
    exceptionId: fakeId('exc', 3),
    receivedAt: NOW,
  });
  const stale = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'ack-stale'), payload: { revision: 2, lines: [{ lineNumber: 1, action: 'accept' }] } });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().code, 'TL_PURCHASE_ORDER_REVISION');
  await app.close();
});

test('acknowledgment field errors name the field and rule; the process is not called and no key is claimed', async () => {
  const { app, p2p, idempotency } = await supplierApp();
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const cases: Array<[unknown, string, string]> = [
    [{}, 'body/lines', 'required'],
    [{ lines: [] }, 'body/lines', 'minItems'],
    [{ lines: [{ lineNumber: 1, action: 'accept' }], urgent: true }, 'body/urgent', 'additionalProperties'],
    [{ lines: [{ lineNumber: 1, action: 'accept', discount: '1' }] }, 'body/lines/0/discount', 'additionalProperties'],
    [{ lines: [{ lineNumber: 1, action: 'approve' }] }, 'body/lines/0/action', 'enum'],
    [{ lines: [{ lineNumber: 1, action: 'change', quantity: 90 }] }, 'body/lines/0/quantity', 'type'],
    [{ lines: [{ lineNumber: 1, action: 'change', quantity: '9O' }] }, 'body/lines/0/quantity', 'pattern'],
    [{ lines: [{ lineNumber: 1, action: 'change', unitPrice: '4.123456' }] }, 'body/lines/0/unitPrice', 'pattern'],
    [{ lines: [{ lineNumber: 1, action: 'change', unitPrice: '-4.10' }] }, 'body/lines/0/unitPrice', 'pattern'],
    [{ lines: [{ lineNumber: 1, action: 'change', promisedDate: '2026-02-30' }] }, 'body/lines/0/promisedDate', 'format'],
    [{ lines: [{ lineNumber: 1, action: 'backorder', promisedDate: '21/03/2026' }] }, 'body/lines/0/promisedDate', 'format'],
    [{ lines: [{ lineNumber: 1, action: 'backorder' }] }, 'body/lines/0/promisedDate', 'required'],
    [{ lines: [{ lineNumber: 0, action: 'accept' }] }, 'body/lines/0/lineNumber', 'minimum'],
    [{ lines: [{ lineNumber: 1, action: 'accept', unit: 'BOXES' }] }, 'body/lines/0/unit', 'enum'],
    [{ revision: '1', lines: [{ lineNumber: 1, action: 'accept' }] }, 'body/revision', 'type'],
    [{ lines: [{ lineNumber: 1, action: 'accept' }, { lineNumber: 1, action: 'reject' }] }, 'body/lines/1/lineNumber', 'uniqueLineNumber'],
  ];
  for (const [payload, path, rule] of cases) {
    const r = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, `bad-${Math.random()}`), payload: payload as object });
    assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
    assert.equal(r.json().code, 'TL_REQUEST_INVALID');
    assert.ok(
      r.json().errors.some((e: { path: string; rule: string }) => e.path === path && e.rule === rule),
      `expected ${path} (${rule}) in ${JSON.stringify(r.json().errors)}`,
    );
  }
  const change = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'k-change'), payload: { lines: [{ lineNumber: 1, action: 'change' }] } });
  assert.equal(change.statusCode, 400, 'a change must say what changes');
  const badId = await app.inject({ method: 'POST', url: ackUrl(' PO-1'), headers: as(KEYS.supplierA, 'k-id'), payload: { lines: [{ lineNumber: 1, action: 'accept' }] } });
  assert.equal(badId.statusCode, 400);
  assert.equal(badId.json().errors[0].path, 'params/id');
  assert.equal(p2p.calls.acknowledge, 0);
  assert.equal(idempotency.rows.size, 0, 'a request failing validation never claims its key');
  await app.close();
});

test('acknowledgment idempotency: replay, reuse with another body 422, missing key 400', async () => {
  const { app, p2p } = await supplierApp();
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const body = { lines: [{ lineNumber: 1, action: 'accept' }, { lineNumber: 2, action: 'accept' }] };
  const first = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'ak-1'), payload: body });
  assert.equal(first.statusCode, 201);
  const again = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'ak-1'), payload: body });
  assert.equal(again.statusCode, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body, first.body);
  assert.equal(p2p.calls.acknowledge, 1);
  const reused = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'ak-1'), payload: { lines: [{ lineNumber: 1, action: 'reject' }] } });
  assert.equal(reused.statusCode, 422);
  assert.equal(reused.json().code, 'TL_IDEMPOTENCY_KEY_REUSED');
  const missing = await app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA), payload: body });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().code, 'TL_IDEMPOTENCY_KEY_MISSING');
  assert.equal(p2p.calls.acknowledge, 1);
  await app.close();
});

test('acknowledgment: 10 concurrent requests with one key → one acknowledgment, the rest 409 in flight or replays', async () => {
  const { app, p2p } = await supplierApp();
  p2p.delayMs = 40;
  const po = p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const body = { acknowledgmentNumber: 'ACK-9', lines: [{ lineNumber: 1, action: 'accept' }] };
  const rs = await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'POST', url: ackUrl(po.id), headers: as(KEYS.supplierA, 'burst'), payload: body })));
  const fresh = rs.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined);
  const inFlight = rs.filter((r) => r.statusCode === 409);
  assert.equal(fresh.length, 1);
  assert.ok(inFlight.length > 0, rs.map((r) => r.statusCode).join(','));
  for (const r of inFlight) assert.equal(r.json().code, 'TL_IDEMPOTENCY_IN_FLIGHT');
  assert.equal(p2p.calls.acknowledge, 1);
  await app.close();
});
