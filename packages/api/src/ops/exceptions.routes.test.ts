import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, NOW, as, fakeId } from '../supplier/supplier.test-support.js';
import { staffScopes, type StaffRole } from '@tradelane/core';
import { opsApp } from './ops.test-support.js';

const EXC = '/v1/ops/exceptions';

test('GET /exceptions filters by type, owner role, SLA state and status; GET /exceptions/{id} answers the whole exception', async () => {
  const { app, desk } = await opsApp();
  const ack = desk.seed();
  desk.seed({ type: 'invoice_dispute', ownerRole: 'finance', sla: { dueAt: '2026-03-10T09:00:00.000Z', state: 'due_soon' }, actions: ['approve_variance', 'dispute'] });
  desk.seed({ type: 'promise_missed', ownerRole: 'customer_service', status: 'Resolved', sla: { dueAt: '2026-03-09T09:00:00.000Z', state: 'breached' } });
  const get = (url: string) => app.inject({ method: 'GET', url, headers: as(KEYS.buyer) });

  const all = await get(EXC);
  assert.equal(all.statusCode, 200, all.body);
  assert.equal(all.json().items.length, 3);
  assert.equal(all.headers['cache-control'], 'private, no-store');
  assert.deepEqual({ ...desk.lastQuery }, { limit: 50 });
  const finance = await get(`${EXC}?ownerRole=finance&slaState=due_soon&type=invoice_dispute&status=Open&limit=1000`);
  assert.deepEqual(finance.json().items.map((e: { type: string }) => e.type), ['invoice_dispute']);
  assert.deepEqual({ ...desk.lastQuery }, { ownerRole: 'finance', slaState: 'due_soon', type: 'invoice_dispute', status: 'Open', limit: 200 });
  const paged = await get(`${EXC}?limit=2`);
  assert.equal(paged.json().nextCursor, '2');

  const one = await get(`${EXC}/${ack.id}`);
  assert.equal(one.statusCode, 200);
  assert.deepEqual(one.json(), {
    id: ack.id,
    type: 'acknowledgment_out_of_tolerance',
    ownerRole: 'buyer',
    status: 'Open',
    subject: { kind: 'purchase_order', id: fakeId('po', 1), number: 'PO-7001' },
    supplierId: 'pty_supplier_a',
    summary: 'PO-7001 line 1: quantity -12.0% exceeds -5%',
    evidence: { ordered: [{ lineNumber: 1, quantity: '100', unitPrice: '4.25' }], acknowledged: [{ lineNumber: 1, quantity: '88', unitPrice: '4.25' }] },
    actions: ['accept_change', 'reject_change', 'counter'],
    sla: { dueAt: '2026-03-11T08:00:00.000Z', state: 'ok' },
    createdAt: '2026-03-10T07:00:00.000Z',
    history: [{ at: '2026-03-10T07:00:00.000Z', actor: 'system', action: 'raised' }],
  });
  const missing = await get(`${EXC}/${fakeId('exc', 999)}`);
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'TL_EXCEPTION_NOT_FOUND');
  await app.close();
});

test('GET /exceptions refuses unknown filters and values', async () => {
  const { app, desk } = await opsApp();
  for (const [qs, path, rule] of [
    ['?type=late', 'querystring/type', 'enum'],
    ['?ownerRole=warehouse', 'querystring/ownerRole', 'enum'],
    ['?slaState=red', 'querystring/slaState', 'enum'],
    ['?status=open', 'querystring/status', 'enum'],
    ['?supplierId=x', 'querystring/supplierId', 'additionalProperties'],
  ] as const) {
    const r = await app.inject({ method: 'GET', url: `${EXC}${qs}`, headers: as(KEYS.buyer) });
    assert.equal(r.statusCode, 400, `${qs}: ${r.body}`);
    assert.equal(r.json().errors[0].path, path);
    assert.equal(r.json().errors[0].rule, rule);
  }
  const badId = await app.inject({ method: 'GET', url: `${EXC}/123`, headers: as(KEYS.buyer) });
  assert.equal(badId.statusCode, 400);
  assert.equal(badId.json().errors[0].path, 'params/id');
  assert.equal(desk.calls.list, 0);
  await app.close();
});

test('only staff with ops:exceptions: supplier and customer keys 403 (even on a seeded id), clerk without the scope 403', async () => {
  const { app, desk } = await opsApp();
  const e = desk.seed();
  for (const key of [KEYS.supplierA, KEYS.customer]) {
    for (const [method, url] of [['GET', EXC], ['GET', `${EXC}/${e.id}`], ['POST', `${EXC}/${e.id}/claim`]] as const) {
      const r = await app.inject({ method, url, headers: as(key) });
      assert.equal(r.statusCode, 403, `${key} ${method} ${url}`);
      assert.equal(r.json().code, 'TL_AUTH_SCOPE');
      assert.doesNotMatch(r.body, /PO-7001/);
    }
  }
  const clerk = await app.inject({ method: 'GET', url: EXC, headers: as(KEYS.clerk) });
  assert.equal(clerk.statusCode, 403);
  assert.deepEqual(clerk.json().details, { required: ['ops:exceptions', 'ops:exceptions:buyer', 'ops:exceptions:finance', 'ops:exceptions:customer_service'] });
  const none = await app.inject({ method: 'GET', url: EXC });
  assert.equal(none.statusCode, 401);
  const admin = await app.inject({ method: 'GET', url: EXC, headers: as(KEYS.staff) });
  assert.equal(admin.statusCode, 200, 'a staff key holding * may');
  const supplierTree = await app.inject({ method: 'GET', url: '/v1/supplier/purchase-orders', headers: as(KEYS.buyer) });
  assert.equal(supplierTree.statusCode, 403, 'and a staff key is refused by the supplier tree');
  assert.equal(desk.calls.claim, 0);
  assert.equal(e.status, 'Open');
  await app.close();
});

test('POST /exceptions/{id}/claim → 200 claimed (again by the same buyer: unchanged); by another buyer → 409', async () => {
  const { app, desk } = await opsApp();
  const e = desk.seed();
  const r = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/claim`, headers: as(KEYS.buyer) });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'Claimed');
  assert.equal(r.json().claimedBy, 'usr_buyer');
  assert.deepEqual(r.json().history.at(-1), { at: NOW, actor: 'usr_buyer', action: 'claimed' });
  const again = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/claim`, headers: as(KEYS.buyer) });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().history.length, 2);
  const other = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/claim`, headers: as(KEYS.buyer2) });
  assert.equal(other.statusCode, 409);
  assert.equal(other.json().code, 'TL_EXCEPTION_CLAIMED');
  assert.deepEqual(other.json().details, { claimedBy: 'usr_buyer' });
  const withBody = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/claim`, headers: as(KEYS.buyer), payload: { owner: 'usr_someone' } });
  assert.equal(withBody.statusCode, 400, 'a claim carries no body');
  assert.equal(withBody.json().errors[0].path, 'body/owner');
  const unknown = await app.inject({ method: 'POST', url: `${EXC}/${fakeId('exc', 999)}/claim`, headers: as(KEYS.buyer) });
  assert.equal(unknown.statusCode, 404);
  await app.close();
});

test('POST /exceptions/{id}/resolve → 200 resolved and audited; replay; 422 on reuse; resolved again 409; claimed by another 409', async () => {
  const { app, desk } = await opsApp();
  const e = desk.seed();
  await app.inject({ method: 'POST', url: `${EXC}/${e.id}/claim`, headers: as(KEYS.buyer) });
  const body = { action: 'accept_change', note: 'Supplier short on steel; 88 is fine' };
  const byOther = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer2, 'r-other'), payload: body });
  assert.equal(byOther.statusCode, 409);
  assert.equal(byOther.json().code, 'TL_EXCEPTION_CLAIMED');

  const r = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer, 'r-1'), payload: body });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'Resolved');
  assert.equal(r.json().resolvedAt, NOW);
  assert.deepEqual(r.json().resolution, { action: 'accept_change', by: 'usr_buyer', note: 'Supplier short on steel; 88 is fine' });
  assert.deepEqual(r.json().history.map((h: { action: string }) => h.action), ['raised', 'claimed', 'accept_change']);

  const replay = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer, 'r-1'), payload: body });
  assert.equal(replay.statusCode, 200);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.body, r.body);
  const reused = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer, 'r-1'), payload: { action: 'reject_change' } });
  assert.equal(reused.statusCode, 422);
  assert.equal(reused.json().code, 'TL_IDEMPOTENCY_KEY_REUSED');
  const twice = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer, 'r-2'), payload: { action: 'reject_change' } });
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().code, 'TL_EXCEPTION_RESOLVED');
  const noKey = await app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer), payload: body });
  assert.equal(noKey.statusCode, 400);
  assert.equal(noKey.json().code, 'TL_IDEMPOTENCY_KEY_MISSING');
  assert.equal(desk.calls.resolve, 3);
  await app.close();
});

test('resolve with a counter-proposal; field errors; an action the exception does not offer', async () => {
  const { app, desk, idempotency } = await opsApp();
  const e = desk.seed();
  const post = (payload: unknown, key = `k-${Math.random()}`) =>
    app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer, key), payload: payload as object });
  const cases: Array<[unknown, string, string]> = [
    [{}, 'body/action', 'required'],
    [{ action: 'Accept Change' }, 'body/action', 'pattern'],
    [{ action: 'accept_change', assignee: 'x' }, 'body/assignee', 'additionalProperties'],
    [{ action: 'counter' }, 'body/counter', 'required'],
    [{ action: 'counter', counter: [{ lineNumber: 1, quantity: 95 }] }, 'body/counter/0/quantity', 'type'],
    [{ action: 'counter', counter: [{ lineNumber: 1, unitPrice: '4.2.5' }] }, 'body/counter/0/unitPrice', 'pattern'],
    [{ action: 'counter', counter: [{ lineNumber: 1, promisedDate: '2026-02-29' }] }, 'body/counter/0/promisedDate', 'format'],
    [{ action: 'counter', counter: [{ lineNumber: 1, quantity: '95', discount: '1' }] }, 'body/counter/0/discount', 'additionalProperties'],
    [{ action: 'counter', counter: [{ lineNumber: 1, quantity: '95' }, { lineNumber: 1, quantity: '96' }] }, 'body/counter/1/lineNumber', 'uniqueLineNumber'],
  ];
  for (const [payload, path, rule] of cases) {
    const r = await post(payload);
    assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
    assert.ok(
      r.json().errors.some((x: { path: string; rule: string }) => x.path === path && x.rule === rule),
      `expected ${path} (${rule}) in ${JSON.stringify(r.json().errors)}`,
    );
  }
  assert.equal(desk.calls.resolve, 0);
  assert.equal(idempotency.rows.size, 0);

  const notOffered = await post({ action: 'write_off' });
  assert.equal(notOffered.statusCode, 400);
  assert.equal(notOffered.json().code, 'TL_EXCEPTION_ACTION_UNKNOWN');
  assert.deepEqual(notOffered.json().details, { allowed: ['accept_change', 'reject_change', 'counter'] });

  const counter = await post({ action: 'counter', note: 'Meet halfway', counter: [{ lineNumber: 1, quantity: '95', promisedDate: '2026-03-22' }] });
  assert.equal(counter.statusCode, 200, counter.body);
  assert.deepEqual(counter.json().resolution, { action: 'counter', by: 'usr_buyer', note: 'Meet halfway' });
  await app.close();
});

test('resolve: concurrent requests with one key → resolved once, the rest 409 in flight or replays', async () => {
  const { app, desk } = await opsApp();
  desk.resolveDelayMs = 40;
  const e = desk.seed();
  const rs = await Promise.all(
    Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: `${EXC}/${e.id}/resolve`, headers: as(KEYS.buyer, 'same'), payload: { action: 'reject_change' } })),
  );
  const fresh = rs.filter((r) => r.statusCode === 200 && r.headers['idempotent-replayed'] === undefined);
  const inFlight = rs.filter((r) => r.statusCode === 409);
  assert.equal(fresh.length, 1);
  assert.ok(inFlight.length > 0, rs.map((r) => r.statusCode).join(','));
  for (const r of inFlight) assert.equal(r.json().code, 'TL_IDEMPOTENCY_IN_FLIGHT');
  assert.equal(desk.calls.resolve, 1);
  await app.close();
});

test('roles: a buyer sees and works buyer exceptions only; a buyer cannot resolve a finance dispute (403), finance can', async () => {
  const { app, desk, audit, apiKeys } = await opsApp();
  const staff = (id: string, role: StaffRole) => ({ tenantId: 't_acme', actor: { kind: 'user' as const, id }, scopes: staffScopes(role), correlationId: '' });
  const buyerKey = 'tlk_role_buyer_0123456789';
  const financeKey = 'tlk_role_finance_0123456789';
  apiKeys.contexts.set(buyerKey, staff('usr_role_buyer', 'buyer'));
  apiKeys.contexts.set(financeKey, staff('usr_role_finance', 'finance'));
  const ack = desk.seed();
  const dispute = desk.seed({ type: 'invoice_dispute', ownerRole: 'finance', actions: ['approve_variance', 'dispute'] });

  const list = await app.inject({ method: 'GET', url: EXC, headers: as(buyerKey) });
  assert.equal(list.statusCode, 200, list.body);
  assert.deepEqual(list.json().items.map((e: { id: string }) => e.id), [ack.id]);
  assert.equal(desk.lastQuery?.ownerRole, 'buyer', 'the role filter is applied below the route');
  const asked = await app.inject({ method: 'GET', url: `${EXC}?ownerRole=finance`, headers: as(buyerKey) });
  assert.deepEqual(asked.json().items, []);
  const read = await app.inject({ method: 'GET', url: `${EXC}/${dispute.id}`, headers: as(buyerKey) });
  assert.equal(read.statusCode, 403);
  assert.equal(read.json().code, 'TL_AUTH_ROLE');
  assert.doesNotMatch(read.body, new RegExp(dispute.summary));
  const claim = await app.inject({ method: 'POST', url: `${EXC}/${dispute.id}/claim`, headers: as(buyerKey) });
  assert.equal(claim.statusCode, 403);
  const resolve = await app.inject({ method: 'POST', url: `${EXC}/${dispute.id}/resolve`, headers: as(buyerKey, 'res-buyer-1'), payload: { action: 'approve_variance' } });
  assert.equal(resolve.statusCode, 403);
  assert.equal(resolve.json().code, 'TL_AUTH_ROLE');
  const denied = audit.entries.filter((e) => e.outcome === 'denied');
  assert.ok(denied.some((e) => e.action === 'http.post.v1.ops.exceptions.id.resolve' && e.actor.id === 'usr_role_buyer' && e.resource.id === dispute.id));

  const byFinance = await app.inject({ method: 'POST', url: `${EXC}/${dispute.id}/resolve`, headers: as(financeKey, 'res-fin-1'), payload: { action: 'approve_variance' } });
  assert.equal(byFinance.statusCode, 200, byFinance.body);
  const buyerOnAck = await app.inject({ method: 'POST', url: `${EXC}/${ack.id}/claim`, headers: as(buyerKey) });
  assert.equal(buyerOnAck.statusCode, 200, buyerOnAck.body);
});
