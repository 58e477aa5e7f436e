import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { systemContext } from '@tradelane/core';
import { buildApp } from '@tradelane/api';
import { createApiKeyRepo, createAuditLogRepo, createStore, type Database } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { AUDIT_EXIT, runAuditCommand } from './audit.command.js';
import { CLIENTS_EXIT, runClientsCommand } from './clients.command.js';
import { webhooksModule } from './webhooks.module.js';

function keepOpen(db: Database) {
  return async () => ({ ...db, close: async () => {} }) as Database;
}

async function cli(db: Database, argv: string[]) {
  let out = '';
  const code = await runClientsCommand(argv, { stdout: (s) => void (out += s), stderr: (s) => void (out += s), openDatabase: keepOpen(db) });
  return { code, out };
}

for (const target of databaseTargets()) {
  describe(`governance on the store (${target.name}): audited webhook routes, staff roles, key rotation`, () => {
    let db: Database;
    let app: FastifyInstance;
    before(async () => {
      db = await target.open();
      const store = createStore(db);
      app = await buildApp({
        logger: pino({ level: 'silent' }),
        version: '0.0.0-test',
        readiness: { check: async () => ({}) },
        webhooks: { subscriptions: webhooksModule({ logger: pino({ level: 'silent' }) }).service(store), idempotency: store.idempotency, apiKeys: createApiKeyRepo(db) },
        audit: createAuditLogRepo(db, store.clock),
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('a burst of concurrent audited writes keeps the chain whole: tradelane audit verify says ok', async () => {
      const partner = await createApiKeyRepo(db).createApiKey(systemContext('gov', 'seed'), { partnerId: 'cus_gov', scopes: ['webhooks:manage'] });
      const auth = { authorization: `Bearer ${partner.apiKey}` };
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers: { ...auth, 'idempotency-key': `burst-${i}` }, payload: { url: `https://hooks${i}.example.com/tl`, eventTypes: ['sales_order.*'] } }),
        ),
      );
      for (const r of created) assert.equal(r.statusCode, 201, r.body);
      const ids = created.map((r) => r.json().subscription.id as string);
      const changed = await Promise.all(ids.map((id) => app.inject({ method: 'PATCH', url: `/v1/webhooks/subscriptions/${id}`, headers: auth, payload: { enabled: false } })));
      for (const r of changed) assert.equal(r.statusCode, 200, r.body);
      const ssrf = await app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers: { ...auth, 'idempotency-key': 'ssrf' }, payload: { url: 'http://10.0.0.5/x', eventTypes: ['*'] } });
      assert.equal(ssrf.statusCode, 400, ssrf.body);
      assert.equal(ssrf.json().code, 'TL_WEBHOOK_TARGET_FORBIDDEN');

      const page = await createAuditLogRepo(db, createStore(db).clock).list(systemContext('gov', 'check'), { limit: 1000 });
      const http = page.entries.filter((e) => e.action.startsWith('http.post.v1.') || e.action.startsWith('http.patch.v1.'));
      assert.equal(http.filter((e) => e.outcome === 'success').length, 40);
      assert.ok(http.some((e) => e.outcome === 'failure' && e.detail?.route === 'POST /v1/webhooks/subscriptions'));
      assert.ok(http.every((e) => e.actor.id === partner.id));
      assert.doesNotMatch(JSON.stringify(page.entries), /whsec_[A-Za-z0-9]|tlk_[A-Za-z0-9]/);
      let out = '';
      const code = await runAuditCommand(['verify', '--tenant', 'gov'], { stdout: (s) => void (out += s), stderr: (s) => void (out += s), openDatabase: keepOpen(db) });
      assert.equal(code, AUDIT_EXIT.ok, out);
    });

    it('tradelane clients create --staff --role: an integration admin manages any partner\'s webhooks, a buyer is denied (and audited)', async () => {
      const admin = await cli(db, ['create', '--tenant', 'gov2', '--staff', 'int.admin', '--role', 'integration_admin', '--api-key']);
      assert.equal(admin.code, CLIENTS_EXIT.ok, admin.out);
      const adminKey = JSON.parse(admin.out);
      assert.deepEqual([adminKey.role, adminKey.scopes], ['integration_admin', ['webhooks:manage']]);
      const buyer = await cli(db, ['create', '--tenant', 'gov2', '--staff', 'buyer.jo', '--role', 'buyer', '--api-key']);
      const buyerKey = JSON.parse(buyer.out);
      assert.deepEqual(buyerKey.scopes, ['ops:exceptions:buyer']);
      const oauth = await cli(db, ['create', '--tenant', 'gov2', '--staff', 'fin.al', '--role', 'finance']);
      assert.equal(oauth.code, CLIENTS_EXIT.ok, oauth.out);
      assert.deepEqual(JSON.parse(oauth.out).scopes, ['ops:exceptions:finance']);
      assert.equal((await cli(db, ['create', '--tenant', 'gov2', '--partner', 'p1', '--role', 'buyer'])).code, CLIENTS_EXIT.usage);
      assert.equal((await cli(db, ['create', '--tenant', 'gov2', '--staff', 'x', '--role', 'ceo'])).code, CLIENTS_EXIT.usage);

      const made = await app.inject({
        method: 'POST',
        url: '/v1/webhooks/subscriptions',
        headers: { authorization: `Bearer ${adminKey.api_key}`, 'idempotency-key': 'adm-1' },
        payload: { url: 'https://partner.example.com/hooks', eventTypes: ['purchase_order.published'], partnerId: 'sup_9' },
      });
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.json().subscription.partnerId, 'sup_9');
      const denied = await app.inject({ method: 'GET', url: '/v1/webhooks/subscriptions', headers: { authorization: `Bearer ${buyerKey.api_key}` } });
      assert.equal(denied.statusCode, 403);
      const entries = (await createAuditLogRepo(db, createStore(db).clock).list(systemContext('gov2', 'check'))).entries;
      assert.ok(entries.some((e) => e.actor.id === 'int.admin' && e.outcome === 'success' && e.action === 'http.post.v1.webhooks.subscriptions'));

      const rotated = await cli(db, ['rotate-key', '--tenant', 'gov2', adminKey.key_id, '--overlap-seconds', '0']);
      assert.equal(rotated.code, CLIENTS_EXIT.ok, rotated.out);
      const next = JSON.parse(rotated.out);
      const old = await app.inject({ method: 'GET', url: '/v1/webhooks/subscriptions', headers: { authorization: `Bearer ${adminKey.api_key}` } });
      assert.equal(old.statusCode, 401, 'rotated without overlap: the old key stops');
      const fresh = await app.inject({ method: 'GET', url: '/v1/webhooks/subscriptions', headers: { authorization: `Bearer ${next.api_key}` } });
      assert.equal(fresh.statusCode, 200);
      assert.equal((await cli(db, ['rotate-key', '--tenant', 'gov2', adminKey.key_id])).code, CLIENTS_EXIT.notFound);
    });
  });
}
