import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, NOW, PARTIES, as, fakeId, supplierApp } from './supplier.test-support.js';

const INVOICES = '/v1/supplier/invoices';

function invoice(overrides: Record<string, unknown> = {}) {
  return {
    invoiceNumber: 'SINV-301',
    invoiceDate: '2026-03-22',
    poNumber: 'PO-7001',
    currency: 'USD',
    lines: [{ lineNumber: 1, sku: 'WID-100', quantity: '100', unit: 'EA', unitPrice: '4.25' }],
    charges: [{ kind: 'freight', amount: '12.50' }],
    tax: '0',
    ...overrides,
  };
}

const receivedLines = (p2p: Awaited<ReturnType<typeof supplierApp>>['p2p']) =>
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001', status: 'Received' }).lines.forEach((l) => (l.quantityReceived = l.quantity));

test('POST /invoices → 201 Approved with its 3-way match and Location; GET /invoices/{id}; duplicate → 200', async () => {
  const { app, p2p } = await supplierApp();
  receivedLines(p2p);
  const r = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierA, 'inv-1'), payload: invoice() });
  assert.equal(r.statusCode, 201, r.body);
  const id = fakeId('inv', 2);
  const expected = {
    id,
    invoiceNumber: 'SINV-301',
    poNumber: 'PO-7001',
    status: 'Approved',
    invoiceDate: '2026-03-22',
    total: { amount: '437.50', currency: 'USD' },
    match: {
      result: 'matched',
      lines: [
        { lineNumber: 1, sku: 'WID-100', orderedQuantity: '100', receivedQuantity: '100', invoicedQuantity: '100', poUnitPrice: '4.25', invoicedUnitPrice: '4.25', variances: [] },
      ],
    },
    receivedAt: NOW,
  };
  assert.deepEqual(r.json(), expected);
  assert.equal(r.headers.location, `/v1/supplier/invoices/${id}`);
  const got = await app.inject({ method: 'GET', url: `${INVOICES}/${id}`, headers: as(KEYS.supplierA) });
  assert.deepEqual(got.json(), expected);

  const dup = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierA, 'inv-2'), payload: invoice() });
  assert.equal(dup.statusCode, 200);
  assert.equal(dup.json().duplicate, true);
  assert.equal(dup.json().id, id);
  assert.equal(p2p.invoices.size, 1);
  await app.close();
});

test('POST /invoices with a price variance → 201 Disputed with the variance and the exception id', async () => {
  const { app, p2p } = await supplierApp();
  receivedLines(p2p);
  const r = await app.inject({
    method: 'POST',
    url: INVOICES,
    headers: as(KEYS.supplierA, 'inv-v'),
    payload: invoice({ charges: undefined, tax: undefined, lines: [{ lineNumber: 1, sku: 'WID-100', quantity: '100', unit: 'EA', unitPrice: '4.42' }] }),
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().status, 'Disputed');
  assert.equal(r.json().total.amount, '442.00');
  assert.deepEqual(r.json().match.lines[0].variances, ['price +4.00% exceeds 2%']);
  assert.equal(r.json().exceptionId, fakeId('exc', 3));
  await app.close();
});

test('invoices: isolation, scopes, field errors and idempotency', async () => {
  const { app, p2p, idempotency } = await supplierApp();
  receivedLines(p2p);
  const mine = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierA, 'i-1'), payload: invoice() });
  const cross = await app.inject({ method: 'GET', url: `${INVOICES}/${mine.json().id}`, headers: as(KEYS.supplierB) });
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().code, 'TL_SUPPLIER_INVOICE_NOT_FOUND');
  const crossPo = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierB, 'b-1'), payload: invoice({ invoiceNumber: 'B-1' }) });
  assert.equal(crossPo.statusCode, 404);
  assert.equal(crossPo.json().code, 'TL_PURCHASE_ORDER_NOT_FOUND');
  const readOnly = await app.inject({ method: 'GET', url: `${INVOICES}/${mine.json().id}`, headers: as(KEYS.supplierAReadOnly) });
  assert.equal(readOnly.statusCode, 403);
  assert.deepEqual(readOnly.json().details, { required: ['supplier-invoices:read'] });
  const customer = await app.inject({ method: 'GET', url: `${INVOICES}/${mine.json().id}`, headers: as(KEYS.customer) });
  assert.equal(customer.statusCode, 403, 'invoices:read of a customer is not supplier-invoices:read');

  const line = invoice().lines[0]!;
  const cases: Array<[unknown, string, string]> = [
    [invoice({ currency: 'usd' }), 'body/currency', 'pattern'],
    [invoice({ invoiceDate: '22.03.2026' }), 'body/invoiceDate', 'format'],
    [invoice({ tax: 1.5 }), 'body/tax', 'type'],
    [invoice({ tax: '1,50' }), 'body/tax', 'pattern'],
    [invoice({ charges: [{ kind: 'freight', amount: '12.5', taxable: true }] }), 'body/charges/0/taxable', 'additionalProperties'],
    [invoice({ lines: [{ ...line, unitPrice: '4.25.1' }] }), 'body/lines/0/unitPrice', 'pattern'],
    [invoice({ lines: [{ ...line, unitPrice: undefined }] }), 'body/lines/0/unitPrice', 'required'],
    [invoice({ lines: [line, line] }), 'body/lines/1/lineNumber', 'uniqueLineNumber'],
    [invoice({ dueDate: '2026-04-22' }), 'body/dueDate', 'additionalProperties'],
  ];
  for (const [payload, path, rule] of cases) {
    const r = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierA, `bad-${Math.random()}`), payload: payload as object });
    assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
    assert.ok(
      r.json().errors.some((e: { path: string; rule: string }) => e.path === path && e.rule === rule),
      `expected ${path} (${rule}) in ${JSON.stringify(r.json().errors)}`,
    );
  }
  assert.equal(p2p.calls.submitInvoice, 2);
  const replay = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierA, 'i-1'), payload: invoice() });
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.statusCode, 201);
  const reused = await app.inject({ method: 'POST', url: INVOICES, headers: as(KEYS.supplierA, 'i-1'), payload: invoice({ tax: '3.00' }) });
  assert.equal(reused.statusCode, 422);
  assert.equal(p2p.calls.submitInvoice, 2);
  assert.equal(idempotency.rows.size, 2, 'only the two requests that ran claimed keys');
  await app.close();
});
