import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TenantContext } from '@tradelane/core';
import { hubApp } from '../identity/identity.test-support.js';

const SUBS = '/v1/webhooks/subscriptions';
const key = (name: string) => `tlk_wh_${name}_0123456789`;

async function webhookHub() {
  const hub = await hubApp();
  const ctx = (actor: string, partnerId: string | undefined, scopes: string[]): TenantContext => ({
    tenantId: 't_acme',
    ...(partnerId ? { partnerId } : {}),
    actor: { kind: partnerId ? 'client' : 'user', id: actor },
    scopes,
    correlationId: '',
  });
  hub.customerKeys.contexts.set(key('alice'), ctx('cli_alice_wh', 'cus_alice', ['webhooks:manage']));
  hub.customerKeys.contexts.set(key('bob'), ctx('cli_bob_wh', 'cus_bob', ['webhooks:manage']));
  hub.customerKeys.contexts.set(key('noscope'), ctx('cli_alice_ro', 'cus_alice', ['orders:read']));
  hub.customerKeys.contexts.set(key('admin'), ctx('usr_integration', undefined, ['webhooks:manage']));
  const h = (who: string, idem?: string) => ({ authorization: `Bearer ${key(who)}`, ...(idem ? { 'idempotency-key': idem } : {}) });
  return { ...hub, h };
}

test('a partner creates (secret once), lists, reads, changes, disables, rotates and reads the delivery log of its own subscriptions', async () => {
  const { app, h, webhooks, audit } = await webhookHub();
  const created = await app.inject({ method: 'POST', url: SUBS, headers: h('alice', 'c1'), payload: { url: 'https://hooks.alice.example/tl', eventTypes: ['sales_order.*'] } });
  assert.equal(created.statusCode, 201, created.body);
  const { subscription, secret } = created.json();
  assert.match(secret, /^whsec_/);
  assert.equal(subscription.partnerId, 'cus_alice');
  assert.equal(subscription.status, 'enabled');

  const one = await app.inject({ method: 'GET', url: `${SUBS}/${subscription.id}`, headers: h('alice') });
  assert.equal(one.statusCode, 200);
  assert.doesNotMatch(one.body, /whsec_[A-Za-z0-9+/=]{12,}/, 'the secret is shown once');
  const list = await app.inject({ method: 'GET', url: SUBS, headers: h('alice') });
  assert.deepEqual(list.json().items.map((s: { id: string }) => s.id), [subscription.id]);

  const patched = await app.inject({ method: 'PATCH', url: `${SUBS}/${subscription.id}`, headers: h('alice'), payload: { eventTypes: ['sales_order.shipped'], enabled: false } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.deepEqual([patched.json().eventTypes, patched.json().status], [['sales_order.shipped'], 'disabled']);
  const reenabled = await app.inject({ method: 'PATCH', url: `${SUBS}/${subscription.id}`, headers: h('alice'), payload: { enabled: true } });
  assert.equal(reenabled.json().status, 'enabled');

  const rotated = await app.inject({ method: 'POST', url: `${SUBS}/${subscription.id}/rotate-secret`, headers: h('alice', 'r1') });
  assert.equal(rotated.statusCode, 200, rotated.body);
  assert.notEqual(rotated.json().secret, secret);
  assert.equal(rotated.json().subscription.secrets.length, 2);

  const delivery = webhooks.seedDelivery(subscription.id, 'failed');
  const log = await app.inject({ method: 'GET', url: `${SUBS}/${subscription.id}/deliveries?status=failed`, headers: h('alice') });
  assert.equal(log.statusCode, 200, log.body);
  assert.deepEqual(log.json().items.map((d: { id: string }) => d.id), [delivery.id]);
  assert.equal(log.json().items[0].body, undefined, 'the log lists deliveries, not their bodies');
  const retried = await app.inject({ method: 'POST', url: `${SUBS}/${subscription.id}/deliveries/${delivery.id}/retry`, headers: h('alice') });
  assert.equal(retried.statusCode, 200, retried.body);
  assert.equal(retried.json().status, 'pending');

  const actions = audit.entries.filter((e) => e.action.startsWith('http.')).map((e) => `${String(e.detail?.route)} ${e.outcome}`);
  assert.deepEqual(actions, [
    'POST /v1/webhooks/subscriptions success',
    'PATCH /v1/webhooks/subscriptions/:id success',
    'PATCH /v1/webhooks/subscriptions/:id success',
    'POST /v1/webhooks/subscriptions/:id/rotate-secret success',
    'GET /v1/webhooks/subscriptions/:id/deliveries success',
    'POST /v1/webhooks/subscriptions/:id/deliveries/:deliveryId/retry success',
  ]);
  assert.deepEqual(audit.entries[0]!.resource, { kind: 'webhook_subscription', id: subscription.id });
  assert.doesNotMatch(JSON.stringify(audit.entries), /whsec_/);
});

test('partners are kept apart; staff manage any partner; scope, SSRF and unknown fields are refused', async () => {
  const { app, h } = await webhookHub();
  const created = await app.inject({ method: 'POST', url: SUBS, headers: h('alice', 'c1'), payload: { url: 'https://hooks.alice.example/tl', eventTypes: ['*'] } });
  const id = created.json().subscription.id as string;
  for (const [method, url] of [['GET', `${SUBS}/${id}`], ['GET', `${SUBS}/${id}/deliveries`]] as const) {
    const r = await app.inject({ method, url, headers: h('bob') });
    assert.equal(r.statusCode, 404, `${method} ${url} as bob`);
  }
  const patch = await app.inject({ method: 'PATCH', url: `${SUBS}/${id}`, headers: h('bob'), payload: { enabled: false } });
  assert.equal(patch.statusCode, 404);
  assert.deepEqual((await app.inject({ method: 'GET', url: SUBS, headers: h('bob') })).json().items, []);
  const forOther = await app.inject({ method: 'POST', url: SUBS, headers: h('bob', 'c2'), payload: { url: 'https://b.example/x', eventTypes: ['*'], partnerId: 'cus_alice' } });
  assert.equal(forOther.statusCode, 403);

  const noScope = await app.inject({ method: 'GET', url: SUBS, headers: h('noscope') });
  assert.equal(noScope.statusCode, 403);

  const ssrf = await app.inject({ method: 'POST', url: SUBS, headers: h('alice', 'c3'), payload: { url: 'http://127.0.0.1:8080/x', eventTypes: ['*'] } });
  assert.equal(ssrf.statusCode, 400, ssrf.body);
  assert.equal(ssrf.json().code, 'TL_WEBHOOK_TARGET_FORBIDDEN');
  const ssrfPatch = await app.inject({ method: 'PATCH', url: `${SUBS}/${id}`, headers: h('alice'), payload: { url: 'http://169.254.169.254/latest' } });
  assert.equal(ssrfPatch.statusCode, 400);
  const extra = await app.inject({ method: 'POST', url: SUBS, headers: h('alice', 'c4'), payload: { url: 'https://a.example/x', eventTypes: ['*'], secret: 'mine' } });
  assert.equal(extra.statusCode, 400);
  const noKey = await app.inject({ method: 'POST', url: SUBS, headers: h('alice'), payload: { url: 'https://a.example/x', eventTypes: ['*'] } });
  assert.equal(noKey.statusCode, 400, 'creates need an Idempotency-Key');

  const staffNoPartner = await app.inject({ method: 'POST', url: SUBS, headers: h('admin', 'c5'), payload: { url: 'https://b.example/x', eventTypes: ['*'] } });
  assert.equal(staffNoPartner.statusCode, 403);
  const staff = await app.inject({ method: 'POST', url: SUBS, headers: h('admin', 'c6'), payload: { url: 'https://b.example/x', eventTypes: ['*'], partnerId: 'cus_bob' } });
  assert.equal(staff.statusCode, 201, staff.body);
  assert.equal(staff.json().subscription.partnerId, 'cus_bob');
  const all = await app.inject({ method: 'GET', url: SUBS, headers: h('admin') });
  assert.equal(all.json().items.length, 2);
  const bobs = await app.inject({ method: 'GET', url: `${SUBS}?partnerId=cus_bob`, headers: h('admin') });
  assert.equal(bobs.json().items.length, 1);
  const staffDisable = await app.inject({ method: 'PATCH', url: `${SUBS}/${id}`, headers: h('admin'), payload: { enabled: false } });
  assert.equal(staffDisable.statusCode, 200);
});
