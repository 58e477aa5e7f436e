import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, as, customerApp, customerOf } from './customer.test-support.js';

function shippedOrder(o2c: Awaited<ReturnType<typeof customerApp>>['o2c'], partner: 'cus_alice' | 'cus_bob') {
  return o2c.seedOrder(customerOf(partner), {
    customerPoNumber: `PO-${partner}`,
    status: 'Delivered',
    lines: [
      {
        lineNumber: 1,
        sku: 'WID-100',
        quantity: '30',
        unit: 'EA',
        unitPrice: { amount: '4.25', currency: 'USD' },
        status: 'Delivered',
        quantityAllocated: '30',
        quantityBackordered: '0',
        quantityShipped: '30',
      },
    ],
  });
}

test('POST /returns → 201 with the RMA and Location; GET /returns/{id}; idempotent', async () => {
  const { app, o2c } = await customerApp();
  const order = shippedOrder(o2c, 'cus_alice');
  const body = { orderId: order.id, reason: 'Two arrived damaged', lines: [{ lineNumber: 1, quantity: '2', reasonCode: 'DAMAGED' }] };
  const r = await app.inject({ method: 'POST', url: '/v1/customer/returns', headers: as(KEYS.alice, { 'idempotency-key': 'rma-1' }), payload: body });
  assert.equal(r.statusCode, 201, r.body);
  const rma = r.json();
  assert.match(rma.id, /^rma_/);
  assert.equal(rma.status, 'Requested');
  assert.deepEqual(rma.lines, [{ lineNumber: 1, sku: 'WID-100', quantity: '2', reasonCode: 'DAMAGED' }]);
  assert.equal(r.headers.location, `/v1/customer/returns/${rma.id}`);

  const replay = await app.inject({ method: 'POST', url: '/v1/customer/returns', headers: as(KEYS.alice, { 'idempotency-key': 'rma-1' }), payload: body });
  assert.equal(replay.statusCode, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.json().id, rma.id);
  assert.equal(o2c.calls.requestReturn, 1);

  const got = await app.inject({ method: 'GET', url: `/v1/customer/returns/${rma.id}`, headers: as(KEYS.alice) });
  assert.equal(got.statusCode, 200);
  assert.equal(got.json().timeline[0].detail, 'Two arrived damaged');
  const readOnly = await app.inject({ method: 'GET', url: `/v1/customer/returns/${rma.id}`, headers: as(KEYS.aliceReadOnly) });
  assert.equal(readOnly.statusCode, 200, 'orders:read is enough to read a return');

  const bob = await app.inject({ method: 'GET', url: `/v1/customer/returns/${rma.id}`, headers: as(KEYS.bob) });
  assert.equal(bob.statusCode, 404);
  assert.equal(bob.json().code, 'TL_RETURN_NOT_FOUND');
  await app.close();
});

test('POST /returns field errors, missing key, scope, and another customer\'s order', async () => {
  const { app, o2c, idempotency } = await customerApp();
  const mine = shippedOrder(o2c, 'cus_alice');
  const theirs = shippedOrder(o2c, 'cus_bob');
  const post = (payload: object, headers = as(KEYS.alice, { 'idempotency-key': `k-${Math.random()}` })) =>
    app.inject({ method: 'POST', url: '/v1/customer/returns', headers, payload });
  const line = { lineNumber: 1, quantity: '1', reasonCode: 'DAMAGED' };
  for (const [payload, path, rule] of [
    [{ reason: 'x', lines: [line] }, 'body/orderId', 'required'],
    [{ orderId: 'so_123', reason: 'x', lines: [line] }, 'body/orderId', 'pattern'],
    [{ orderId: mine.id, reason: '', lines: [line] }, 'body/reason', 'minLength'],
    [{ orderId: mine.id, reason: 'x', lines: [{ ...line, quantity: 1 }] }, 'body/lines/0/quantity', 'type'],
    [{ orderId: mine.id, reason: 'x', lines: [{ ...line, reasonCode: 'broken!' }] }, 'body/lines/0/reasonCode', 'pattern'],
    [{ orderId: mine.id, reason: 'x', lines: [{ ...line, lineNumber: 0 }] }, 'body/lines/0/lineNumber', 'minimum'],
    [{ orderId: mine.id, reason: 'x', lines: [line], refund: true }, 'body/refund', 'additionalProperties'],
  ] as const) {
    const r = await post(payload);
    assert.equal(r.statusCode, 400, path);
    assert.equal(r.json().errors[0].path, path, r.body);
    assert.equal(r.json().errors[0].rule, rule);
  }
  const noKey = await post({ orderId: mine.id, reason: 'x', lines: [line] }, as(KEYS.alice));
  assert.equal(noKey.json().code, 'TL_IDEMPOTENCY_KEY_MISSING');
  const noScope = await post({ orderId: mine.id, reason: 'x', lines: [line] }, as(KEYS.aliceReadOnly, { 'idempotency-key': 'ro' }));
  assert.equal(noScope.statusCode, 403);
  assert.equal(o2c.calls.requestReturn, 0);

  const cross = await post({ orderId: theirs.id, reason: 'x', lines: [line] }, as(KEYS.alice, { 'idempotency-key': 'cross-1' }));
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().code, 'TL_ORDER_NOT_FOUND');
  const crossAgain = await post({ orderId: theirs.id, reason: 'x', lines: [line] }, as(KEYS.alice, { 'idempotency-key': 'cross-1' }));
  assert.equal(crossAgain.statusCode, 404);
  assert.equal(crossAgain.headers['idempotent-replayed'], 'true', 'a 4xx outcome is stored and replayed');
  assert.equal(o2c.calls.requestReturn, 1);
  assert.equal(idempotency.calls.complete, 1);
  await app.close();
});
