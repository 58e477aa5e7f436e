import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, as, customerApp, customerOf, submission } from './customer.test-support.js';

const ORDERS = '/v1/customer/orders';
const key = (k: string) => ({ 'idempotency-key': k });

test('POST /orders → 202 Received with Location; internal fields are not serialised', async () => {
  const { app, o2c } = await customerApp();
  const r = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key('k-1')), payload: submission() });
  assert.equal(r.statusCode, 202, r.body);
  const order = r.json();
  assert.equal(order.status, 'Received');
  assert.match(order.id, /^so_[0-9A-Z]{26}$/);
  assert.equal(r.headers.location, `/v1/customer/orders/${order.id}`);
  assert.equal(r.headers['idempotent-replayed'], undefined);
  assert.equal(r.headers['cache-control'], 'private, no-store');
  assert.equal(order.lines.length, 2);
  assert.equal(order.lines[1].quantity, '2.5');
  assert.equal(order.total.amount, '174.75');
  assert.equal(order.timeline[0].status, 'Received');
  assert.equal(order.erpInternalNote, undefined, 'unknown fields are stripped by the response schema');
  assert.equal(o2c.calls.submitOrder, 1);
  await app.close();
});

test('POST /orders field errors name the field and rule, and claim no idempotency key', async () => {
  const { app, o2c, idempotency } = await customerApp();
  const post = (payload: unknown) => app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key(`bad-${Math.random()}`)), payload: payload as object });
  const line = { sku: 'WID-100', quantity: '1', unit: 'EA' };
  const cases: Array<[unknown, string, string]> = [
    [{ lines: [line] }, 'body/customerPoNumber', 'required'],
    [{ customerPoNumber: 'PO-1', lines: [] }, 'body/lines', 'minItems'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, quantity: 5 }] }, 'body/lines/0/quantity', 'type'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, quantity: '0' }] }, 'body/lines/0/quantity', 'pattern'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, quantity: '1.1234567' }] }, 'body/lines/0/quantity', 'pattern'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, unit: 'BOXES' }] }, 'body/lines/0/unit', 'enum'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, requestedDate: '2025-02-30' }] }, 'body/lines/0/requestedDate', 'format'],
    [{ customerPoNumber: 'PO-1', requestedDeliveryDate: '01/04/2025', lines: [line] }, 'body/requestedDeliveryDate', 'format'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, expectedUnitPrice: 4.25 }] }, 'body/lines/0/expectedUnitPrice', 'type'],
    [{ customerPoNumber: 'PO-1', lines: [line], priority: 'high' }, 'body/priority', 'additionalProperties'],
    [{ customerPoNumber: 'PO-1', lines: [{ ...line, discount: '5' }] }, 'body/lines/0/discount', 'additionalProperties'],
    [{ customerPoNumber: ' PO-1', lines: [line] }, 'body/customerPoNumber', 'pattern'],
    [{ customerPoNumber: 'PO-1', shipComplete: 'yes', lines: [line] }, 'body/shipComplete', 'type'],
  ];
  for (const [payload, path, rule] of cases) {
    const r = await post(payload);
    assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
    assert.equal(r.json().code, 'TL_REQUEST_INVALID');
    assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
    assert.ok(
      r.json().errors.some((e: { path: string; rule: string }) => e.path === path && e.rule === rule),
      `expected ${path} (${rule}) in ${JSON.stringify(r.json().errors)}`,
    );
  }
  const noItem = await post({ customerPoNumber: 'PO-1', lines: [{ quantity: '1', unit: 'EA' }] });
  assert.equal(noItem.statusCode, 400);
  const paths = noItem.json().errors.map((e: { path: string }) => e.path);
  assert.ok(paths.includes('body/lines/0/sku') && paths.includes('body/lines/0/gtin'), JSON.stringify(paths));
  assert.equal(o2c.calls.submitOrder, 0);
  assert.equal(idempotency.rows.size, 0, 'a request failing validation never claims its key');
  await app.close();
});

test('POST /orders idempotency: replay, reuse with another body, missing key', async () => {
  const { app, o2c } = await customerApp();
  const first = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key('po-42')), payload: submission() });
  const again = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key('po-42')), payload: submission() });
  assert.equal(again.statusCode, 202);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body, first.body);
  assert.equal(again.headers.location, first.headers.location);
  assert.notEqual(again.headers['x-correlation-id'], first.headers['x-correlation-id']);
  assert.equal(o2c.calls.submitOrder, 1);

  const reused = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key('po-42')), payload: submission({ customerPoNumber: 'PO-OTHER' }) });
  assert.equal(reused.statusCode, 422);
  assert.equal(reused.json().code, 'TL_IDEMPOTENCY_KEY_REUSED');

  const otherClient = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.bob, key('po-42')), payload: submission() });
  assert.equal(otherClient.statusCode, 202, 'keys are scoped to the client');
  assert.equal(otherClient.headers['idempotent-replayed'], undefined);
  assert.notEqual(otherClient.json().id, first.json().id);

  const missing = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice), payload: submission() });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().code, 'TL_IDEMPOTENCY_KEY_MISSING');
  assert.equal(o2c.calls.submitOrder, 2);
  await app.close();
});

test('POST /orders: 20 concurrent requests with one key → one order, one 202, the rest 409 or replays', async () => {
  const { app, o2c } = await customerApp();
  o2c.submitDelayMs = 40;
  const rs = await Promise.all(
    Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key('burst-1')), payload: submission() })),
  );
  const fresh = rs.filter((r) => r.statusCode === 202 && r.headers['idempotent-replayed'] === undefined);
  const replays = rs.filter((r) => r.statusCode === 202 && r.headers['idempotent-replayed'] === 'true');
  const inFlight = rs.filter((r) => r.statusCode === 409);
  assert.equal(fresh.length, 1);
  assert.equal(fresh.length + replays.length + inFlight.length, 20, rs.map((r) => r.statusCode).join(','));
  assert.ok(inFlight.length > 0, 'overlapping twins are refused while the first runs');
  for (const r of inFlight) {
    assert.equal(r.json().code, 'TL_IDEMPOTENCY_IN_FLIGHT');
    assert.equal(r.headers['retry-after'], '1');
  }
  for (const r of replays) assert.equal(r.body, fresh[0]!.body);
  assert.equal(o2c.calls.submitOrder, 1);
  assert.equal(o2c.orders.size, 1);
  await app.close();
});

test('GET /orders filters, pages, caps the limit and refuses unknown or bad parameters', async () => {
  const { app, o2c } = await customerApp();
  o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-A1', status: 'Shipped', orderedAt: '2025-03-02T09:00:00.000Z' });
  o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-A2', status: 'Received', orderedAt: '2025-03-04T09:00:00.000Z' });
  o2c.seedOrder(customerOf('cus_bob'), { customerPoNumber: 'PO-B1', status: 'Shipped' });
  const get = (qs: string, k: string = KEYS.alice) => app.inject({ method: 'GET', url: `${ORDERS}${qs}`, headers: as(k) });

  const all = await get('');
  assert.equal(all.statusCode, 200);
  assert.deepEqual(all.json().items.map((o: { customerPoNumber: string }) => o.customerPoNumber).sort(), ['PO-A1', 'PO-A2']);
  assert.equal(all.json().nextCursor, null);
  assert.equal(o2c.lastQuery.listOrders?.limit, 50, 'default page size');

  const shipped = await get('?status=Shipped');
  assert.deepEqual(shipped.json().items.map((o: { customerPoNumber: string }) => o.customerPoNumber), ['PO-A1']);
  const byPo = await get('?q=A2&from=2025-03-01&to=2025-03-31');
  assert.deepEqual(byPo.json().items.map((o: { customerPoNumber: string }) => o.customerPoNumber), ['PO-A2']);
  assert.deepEqual({ ...o2c.lastQuery.listOrders }, { q: 'A2', from: '2025-03-01', to: '2025-03-31', limit: 50 });

  const paged = await get('?limit=1');
  assert.equal(paged.json().items.length, 1);
  assert.equal(paged.json().nextCursor, '1');
  const next = await get(`?limit=1&cursor=${paged.json().nextCursor}`);
  assert.equal(next.json().items.length, 1);
  assert.equal(next.json().nextCursor, null);

  await get('?limit=5000');
  assert.equal(o2c.lastQuery.listOrders?.limit, 200, 'limit is capped at 200');

  for (const [qs, path] of [
    ['?limit=0', 'querystring/limit'],
    ['?limit=ten', 'querystring/limit'],
    ['?from=2025-13-01', 'querystring/from'],
    ['?status=shipped;drop', 'querystring/status'],
    ['?sort=asc', 'querystring/sort'],
  ] as const) {
    const r = await get(qs);
    assert.equal(r.statusCode, 400, qs);
    assert.equal(r.json().errors[0].path, path, qs);
  }
  const backwards = await get('?from=2025-03-31&to=2025-03-01');
  assert.equal(backwards.statusCode, 400);
  assert.deepEqual(backwards.json().details, { field: 'querystring/from' });

  const bob = await get('', KEYS.bob);
  assert.deepEqual(bob.json().items.map((o: { customerPoNumber: string }) => o.customerPoNumber), ['PO-B1']);
  await app.close();
});

test('GET /orders/{id}: lines, shipments, timeline; another customer\'s order is 404 like an unknown one', async () => {
  const { app, o2c } = await customerApp();
  const mine = o2c.seedOrder(customerOf('cus_alice'), {
    customerPoNumber: 'PO-A1',
    status: 'Shipped',
    lines: [
      {
        lineNumber: 1,
        sku: 'WID-100',
        quantity: '30',
        unit: 'EA',
        unitPrice: { amount: '4.25', currency: 'USD' },
        status: 'Shipped',
        quantityAllocated: '30',
        quantityBackordered: '0',
        quantityShipped: '30',
        promisedDate: '2025-03-03',
      },
    ],
    shipments: [
      {
        shipmentId: 'shp_1',
        carrierCode: 'UPSN',
        trackingNumber: '1Z999AA10123456784',
        status: 'InTransit',
        shippedAt: '2025-03-03T15:00:00.000Z',
        lines: [{ lineNumber: 1, quantity: '30' }],
      },
    ],
  });
  const theirs = o2c.seedOrder(customerOf('cus_bob'), { customerPoNumber: 'PO-B1' });

  const r = await app.inject({ method: 'GET', url: `${ORDERS}/${mine.id}`, headers: as(KEYS.alice) });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().lines[0].quantityShipped, '30');
  assert.equal(r.json().shipments[0].trackingNumber, '1Z999AA10123456784');
  assert.equal(r.json().timeline.length, 1);

  for (const id of [theirs.id, 'so_01J9Z3K4M5N6P7Q8R9S0T1V2W3']) {
    const nf = await app.inject({ method: 'GET', url: `${ORDERS}/${id}`, headers: as(KEYS.alice) });
    assert.equal(nf.statusCode, 404);
    assert.equal(nf.json().code, 'TL_ORDER_NOT_FOUND');
    assert.doesNotMatch(nf.body, /PO-B1/);
  }
  const malformed = await app.inject({ method: 'GET', url: `${ORDERS}/12345`, headers: as(KEYS.alice) });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().errors[0].path, 'params/id');
  await app.close();
});

test('POST /orders/{id}/change and /cancel: commands, field errors, 409 on a conflicting state, 404 across customers', async () => {
  const { app, o2c } = await customerApp();
  const created = (await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.alice, key('c-1')), payload: submission() })).json();
  const change = (id: string, payload: unknown, k: string = KEYS.alice) =>
    app.inject({ method: 'POST', url: `${ORDERS}/${id}/change`, headers: as(k), payload: payload as object });
  const cancel = (id: string, payload: unknown, k: string = KEYS.alice) =>
    app.inject({ method: 'POST', url: `${ORDERS}/${id}/cancel`, headers: as(k), payload: payload as object });

  const changed = await change(created.id, { lines: [{ lineNumber: 1, quantity: '40' }] });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().lines[0].quantity, '40');
  assert.equal(changed.json().timeline.length, 2);

  const badChange = await change(created.id, { lines: [{ lineNumber: '1', quantity: '40' }] });
  assert.equal(badChange.statusCode, 400);
  assert.equal(badChange.json().errors[0].path, 'body/lines/0/lineNumber');
  const emptyChange = await change(created.id, { lines: [] });
  assert.equal(emptyChange.json().errors[0].path, 'body/lines');

  assert.equal((await change(created.id, { lines: [{ lineNumber: 1, quantity: '1' }] }, KEYS.bob)).statusCode, 404);
  assert.equal((await cancel(created.id, { reason: 'not mine' }, KEYS.bob)).statusCode, 404);

  const noReason = await cancel(created.id, {});
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().errors[0].path, 'body/reason');

  const cancelled = await cancel(created.id, { reason: 'Ordered twice' });
  assert.equal(cancelled.statusCode, 200);
  assert.equal(cancelled.json().status, 'Cancelled');

  const late = await change(created.id, { lines: [{ lineNumber: 1, quantity: '5' }] });
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'TL_ORDER_STATE');
  assert.deepEqual(late.json().details, { status: 'Cancelled' });
  const twice = await cancel(created.id, { reason: 'again' });
  assert.equal(twice.statusCode, 409);
  assert.equal(o2c.calls.cancelOrder, 3, "bob's attempt reached the port, which refused it");
  await app.close();
});

test('order routes enforce their scopes', async () => {
  const { app, o2c } = await customerApp();
  const order = o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-A1' });
  const read = await app.inject({ method: 'GET', url: `${ORDERS}/${order.id}`, headers: as(KEYS.aliceReadOnly) });
  assert.equal(read.statusCode, 200);
  const write = await app.inject({ method: 'POST', url: ORDERS, headers: as(KEYS.aliceReadOnly, key('ro-1')), payload: submission() });
  assert.equal(write.statusCode, 403);
  assert.equal(write.json().code, 'TL_AUTH_SCOPE');
  const cancel = await app.inject({ method: 'POST', url: `${ORDERS}/${order.id}/cancel`, headers: as(KEYS.aliceReadOnly), payload: { reason: 'x' } });
  assert.equal(cancel.statusCode, 403);
  const staff = await app.inject({ method: 'GET', url: ORDERS, headers: as(KEYS.staff) });
  assert.equal(staff.statusCode, 403, 'a key that speaks for no customer cannot use the customer API');
  assert.equal(o2c.calls.submitOrder + o2c.calls.cancelOrder + o2c.calls.listOrders, 0);
  await app.close();
});
