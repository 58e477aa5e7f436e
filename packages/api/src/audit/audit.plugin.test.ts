import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyAuditEntries } from '@tradelane/core';
import { customerApp, KEYS as CUSTOMER_KEYS, as as asCustomer, submission } from '../customer/customer.test-support.js';
import { KEYS, PARTIES, TENANT, as, supplierApp } from '../supplier/supplier.test-support.js';
import { opsApp } from '../ops/ops.test-support.js';
import { auditActionOf, auditOutcomeOf, auditResourceOf } from './audit.plugin.js';

test('auditOutcomeOf and auditResourceOf', () => {
  assert.equal(auditOutcomeOf(201), 'success');
  assert.equal(auditOutcomeOf(403), 'denied');
  assert.equal(auditOutcomeOf(401), 'denied');
  assert.equal(auditOutcomeOf(409), 'failure');
  assert.deepEqual(auditResourceOf('/v1/customer/orders/:id/cancel', { id: 'so_1' }, undefined), { kind: 'orders', id: 'so_1' });
  assert.deepEqual(auditResourceOf('/v1/customer/orders', {}, 'so_2'), { kind: 'orders', id: 'so_2' });
  assert.deepEqual(auditResourceOf('/v1/webhooks/subscriptions/:id/deliveries/:deliveryId/retry', { id: 'whs_1', deliveryId: 'whd_1' }, undefined), { kind: 'deliveries', id: 'whd_1' });
  assert.deepEqual(auditResourceOf('/v1/x', {}, undefined, 'thing'), { kind: 'thing', id: '-' });
  assert.equal(auditActionOf('POST', '/v1/webhooks/subscriptions/:id/rotate-secret'), 'http.post.v1.webhooks.subscriptions.id.rotate_secret');
});

test('customer writes are audited with actor, tenant, partner and outcome; a replay is marked; bodies and keys never appear', async () => {
  const { app, audit } = await customerApp();
  const headers = asCustomer(CUSTOMER_KEYS.alice, { 'idempotency-key': 'aud-1' });
  const first = await app.inject({ method: 'POST', url: '/v1/customer/orders', headers, payload: submission({ customerPoNumber: 'PO-AUDIT-SECRET' }) });
  assert.equal(first.statusCode, 202, first.body);
  const replay = await app.inject({ method: 'POST', url: '/v1/customer/orders', headers, payload: submission({ customerPoNumber: 'PO-AUDIT-SECRET' }) });
  assert.equal(replay.statusCode, 202);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.body, first.body, 'the replay answers as before');
  const list = await app.inject({ method: 'GET', url: '/v1/customer/orders', headers: asCustomer(CUSTOMER_KEYS.alice) });
  assert.equal(list.statusCode, 200);

  const [created, replayed, ...rest] = audit.entries;
  assert.equal(rest.length, 0, 'a plain order read is not audited');
  assert.equal(created!.action, 'http.post.v1.customer.orders');
  assert.equal(created!.tenantId, 't_acme');
  assert.deepEqual(created!.actor, { kind: 'client', id: 'cli_alice' });
  assert.equal(created!.outcome, 'success');
  assert.deepEqual(created!.resource, { kind: 'orders', id: first.json().id });
  assert.equal(created!.correlationId, first.headers['x-correlation-id']);
  assert.deepEqual(created!.detail, { route: 'POST /v1/customer/orders', status: 202, partnerId: 'cus_alice' });
  assert.deepEqual(replayed!.detail, { route: 'POST /v1/customer/orders', status: 202, partnerId: 'cus_alice', replayed: true });
  const stored = JSON.stringify(audit.entries);
  assert.doesNotMatch(stored, /PO-AUDIT-SECRET|tlk_/);
  assert.equal(verifyAuditEntries(audit.entries), undefined);

  const denied = await app.inject({ method: 'POST', url: '/v1/customer/orders', headers: asCustomer(CUSTOMER_KEYS.aliceReadOnly, { 'idempotency-key': 'aud-2' }), payload: submission() });
  assert.equal(denied.statusCode, 403);
  const last = audit.entries.at(-1)!;
  assert.equal(last.outcome, 'denied');
  assert.deepEqual(last.actor, { kind: 'client', id: 'cli_alice_ro' });
  assert.equal(last.action, 'http.post.v1.customer.orders');
  const anonymous = await app.inject({ method: 'POST', url: '/v1/customer/orders', payload: submission() });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(audit.entries.length, 3, 'no credential, no tenant: not audited');
});

test('supplier writes and invoice reads (privileged) are audited; a failure is recorded as failure', async () => {
  const { app, p2p, audit } = await supplierApp();
  p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-7001' });
  const asn = {
    asnNumber: 'ASN-AUDIT',
    shipDate: '2026-03-18',
    expectedDeliveryDate: '2026-03-20',
    lines: [{ poNumber: 'PO-7001', lineNumber: 1, sku: 'WID-100', quantity: '10', unit: 'EA' }],
  };
  const ok = await app.inject({ method: 'POST', url: '/v1/supplier/asns', headers: as(KEYS.supplierA, 'asn-aud-1'), payload: asn });
  assert.equal(ok.statusCode, 201, ok.body);
  const e = audit.entries.at(-1)!;
  assert.deepEqual([e.detail?.route, e.outcome, e.actor.id, e.tenantId, e.resource.id], ['POST /v1/supplier/asns', 'success', 'cli_sup_a', TENANT, ok.json().id]);
  const bad = await app.inject({ method: 'POST', url: '/v1/supplier/asns', headers: as(KEYS.supplierA, 'asn-aud-2'), payload: { ...asn, asnNumber: 'ASN-AUDIT-2', lines: [{ ...asn.lines[0], poNumber: 'PO-NOPE' }] } });
  assert.ok(bad.statusCode >= 400 && bad.statusCode !== 403, bad.body);
  assert.equal(audit.entries.at(-1)!.outcome, 'failure');
  const invoices = await app.inject({ method: 'GET', url: '/v1/supplier/invoices', headers: as(KEYS.supplierA) });
  if (invoices.statusCode === 200) assert.equal(audit.entries.at(-1)!.detail?.route, 'GET /v1/supplier/invoices');
});

test('ops: exception reads are privileged and audited; a partner key on the staff tree is audited as denied', async () => {
  const { app, desk, audit } = await opsApp();
  const exc = desk.seed();
  const read = await app.inject({ method: 'GET', url: `/v1/ops/exceptions/${exc.id}`, headers: as(KEYS.buyer) });
  assert.equal(read.statusCode, 200);
  assert.deepEqual(
    [audit.entries.at(-1)!.detail?.route, audit.entries.at(-1)!.resource, audit.entries.at(-1)!.actor],
    ['GET /v1/ops/exceptions/:id', { kind: 'exceptions', id: exc.id }, { kind: 'user', id: 'usr_buyer' }],
  );
  const claim = await app.inject({ method: 'POST', url: `/v1/ops/exceptions/${exc.id}/claim`, headers: as(KEYS.buyer) });
  assert.equal(claim.statusCode, 200);
  assert.equal(audit.entries.at(-1)!.action, 'http.post.v1.ops.exceptions.id.claim');
  const partner = await app.inject({ method: 'POST', url: `/v1/ops/exceptions/${exc.id}/claim`, headers: as(KEYS.supplierA) });
  assert.equal(partner.statusCode, 403);
  assert.deepEqual([audit.entries.at(-1)!.outcome, audit.entries.at(-1)!.actor.id], ['denied', 'cli_sup_a']);
  assert.equal(verifyAuditEntries(audit.entries), undefined);
});

test('a privileged read whose audit entry cannot be written discloses nothing; a write is still answered', async () => {
  const { app, desk, audit } = await opsApp();
  const exc = desk.seed({ summary: 'UNAUDITED-SUMMARY' });
  audit.append = async () => {
    throw new Error('audit store down');
  };
  const read = await app.inject({ method: 'GET', url: `/v1/ops/exceptions/${exc.id}`, headers: as(KEYS.buyer) });
  assert.equal(read.statusCode, 500);
  assert.doesNotMatch(read.body, /UNAUDITED-SUMMARY/);
  const claim = await app.inject({ method: 'POST', url: `/v1/ops/exceptions/${exc.id}/claim`, headers: as(KEYS.buyer) });
  assert.equal(claim.statusCode, 200);
});
