import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, PARTIES, as, supplierApp } from './supplier.test-support.js';

const SCORECARD = '/v1/supplier/scorecard';

test('GET /scorecard → 200 with your figures for the period', async () => {
  const { app, p2p } = await supplierApp();
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7002' });
  p2p.seedPurchaseOrder(PARTIES.supplierB, { poNumber: 'PO-8001' });
  await app.inject({ method: 'POST', url: '/v1/supplier/purchase-orders/PO-7001/acknowledgments', headers: as(KEYS.supplierA, 'k'), payload: { lines: [{ lineNumber: 1, action: 'accept' }] } });
  const r = await app.inject({ method: 'GET', url: `${SCORECARD}?from=2026-03-01&to=2026-03-31`, headers: as(KEYS.supplierA) });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json(), {
    supplierId: PARTIES.supplierA,
    from: '2026-03-01',
    to: '2026-03-31',
    purchaseOrders: 2,
    acknowledgmentLatency: { count: 1, medianHours: 4.5, p90Hours: 20 },
    onTimeAsnRate: null,
    fillRate: null,
    invoiceFirstPassMatchRate: null,
  });
  assert.deepEqual({ ...p2p.last.scorecard }, { from: '2026-03-01', to: '2026-03-31' });
  const b = await app.inject({ method: 'GET', url: SCORECARD, headers: as(KEYS.supplierB) });
  assert.equal(b.json().purchaseOrders, 1);
  assert.equal(b.json().acknowledgmentLatency.count, 0);
  assert.deepEqual({ ...p2p.last.scorecard }, {}, 'no period: the process chooses its default');
  await app.close();
});

test('GET /scorecard: scope, bad dates, reversed period, unknown parameter', async () => {
  const { app, p2p } = await supplierApp();
  const noScope = await app.inject({ method: 'GET', url: SCORECARD, headers: as(KEYS.supplierAReadOnly) });
  assert.equal(noScope.statusCode, 403);
  assert.deepEqual(noScope.json().details, { required: ['scorecard:read'] });
  for (const [qs, path, rule] of [
    ['?from=2026-13-01', 'querystring/from', 'format'],
    ['?to=yesterday', 'querystring/to', 'format'],
    ['?from=2026-03-31&to=2026-03-01', 'querystring/from', 'dateOrder'],
    ['?supplierId=pty_supplier_b', 'querystring/supplierId', 'additionalProperties'],
  ] as const) {
    const r = await app.inject({ method: 'GET', url: `${SCORECARD}${qs}`, headers: as(KEYS.supplierA) });
    assert.equal(r.statusCode, 400, `${qs}: ${r.body}`);
    assert.equal(r.json().errors[0].path, path, r.body);
    assert.equal(r.json().errors[0].rule, rule);
  }
  assert.equal(p2p.calls.scorecard, 0);
  await app.close();
});
