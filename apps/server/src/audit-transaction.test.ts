import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Party } from '@tradelane/canonical';
import type { ErpSalesOrders } from '@tradelane/connector-kit';
import { systemContext, type AuditEntry } from '@tradelane/core';
import { buildApp } from '@tradelane/api';
import { createCircuitBreaker, createCustomerCommands } from '@tradelane/flows';
import { createApiKeyRepo, createAuditLogRepo, createOrderToCashStore, createStore, verifyAuditChain, type Database } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { webhooksModule } from './webhooks.module.js';

const TENANT = 'atx';

async function httpEntries(db: Database): Promise<AuditEntry[]> {
  const page = await createAuditLogRepo(db, createStore(db).clock).list(systemContext(TENANT, 'check'), { limit: 1000 });
  return page.entries.filter((e) => e.action.startsWith('http.'));
}

async function count(db: Database, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

for (const target of databaseTargets()) {
  describe(`gateway audit entries commit with the write (${target.name})`, () => {
    let db: Database;
    let app: FastifyInstance;
    let auth: Record<string, string>;
    before(async () => {
      db = await target.open();
      const store = createStore(db);
      const o2c = createOrderToCashStore(store);
      const ctx = systemContext(TENANT, 'seed');
      const party = { id: 'cus_atx', kind: 'customer', code: 'ATX', name: 'Audit Tx Co', currency: 'USD' } as unknown as Party;
      await o2c.transactions.transaction((tx) => tx.orderToCash.catalog.upsertParties(ctx, [party], new Date()));
      const commands = createCustomerCommands({
        transactions: o2c.transactions,
        erpSalesOrders: {} as ErpSalesOrders,
        erpBreaker: createCircuitBreaker({ name: 'erp' }),
        clock: store.clock,
      });
      const apiKeys = createApiKeyRepo(db);
      const key = await apiKeys.createApiKey(ctx, { partnerId: 'cus_atx', scopes: ['orders:write', 'orders:read', 'webhooks:manage'] });
      auth = { authorization: `Bearer ${key.apiKey}` };
      app = await buildApp({
        logger: pino({ level: 'silent' }),
        version: '0.0.0-test',
        readiness: { check: async () => ({}) },
        customer: { commands: { ...commands, requestReturn: async () => assert.fail('unused') }, queries: o2c.queries, idempotency: store.idempotency, apiKeys },
        webhooks: { subscriptions: webhooksModule({ logger: pino({ level: 'silent' }) }).service(store), idempotency: store.idempotency, apiKeys },
        audit: createAuditLogRepo(db, store.clock),
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('an accepted order (202) and its audit entry commit in one transaction, with the created id and the declared status', async () => {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/customer/orders',
        headers: { ...auth, 'idempotency-key': 'atx-order-1' },
        payload: { customerPoNumber: 'PO-ATX-1', lines: [{ sku: 'WID-100', quantity: '3', unit: 'EA' }] },
      });
      assert.equal(r.statusCode, 202, r.body);
      const id = r.json().id as string;
      const entry = (await httpEntries(db)).find((e) => e.resource.id === id);
      assert.ok(entry, 'the acceptance is audited');
      assert.equal(entry.action, 'http.post.v1.customer.orders');
      assert.equal(entry.outcome, 'success');
      assert.equal(entry.correlationId, r.headers['x-correlation-id']);
      assert.deepEqual(entry.detail, { route: 'POST /v1/customer/orders', status: 202, partnerId: 'cus_atx' });
      // the entry's transaction is the order's: both rows carry the same transaction id (xmin)
      const { rows } = await db.query<{ same: boolean }>(
        `SELECT (SELECT xmin::text FROM tl_audit_log WHERE tenant_id = $1 AND seq = $2) = (SELECT xmin::text FROM tl_outbox WHERE tenant_id = $1 AND aggregate_id = $3 LIMIT 1) AS same`,
        [TENANT, entry.seq, id],
      );
      assert.equal(rows[0]!.same, true, 'the audit entry and the outbox event were written by one transaction');
      const replay = await app.inject({
        method: 'POST',
        url: '/v1/customer/orders',
        headers: { ...auth, 'idempotency-key': 'atx-order-1' },
        payload: { customerPoNumber: 'PO-ATX-1', lines: [{ sku: 'WID-100', quantity: '3', unit: 'EA' }] },
      });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      const replayed = (await httpEntries(db)).find((e) => e.correlationId === replay.headers['x-correlation-id']);
      assert.deepEqual(replayed?.detail, { route: 'POST /v1/customer/orders', status: 202, partnerId: 'cus_atx', replayed: true }, 'the replay writes nothing but is recorded on its own');
    });

    it('an audit entry that cannot be appended rolls the write back', async () => {
      await db.exec(`
        CREATE FUNCTION atx_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.action = 'http.post.v1.webhooks.subscriptions' AND NEW.outcome = 'success' THEN RAISE EXCEPTION 'audit store refuses'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER atx_refuse_audit BEFORE INSERT ON tl_audit_log FOR EACH ROW EXECUTE FUNCTION atx_refuse_audit();`);
      try {
        const before = await httpEntries(db);
        const r = await app.inject({
          method: 'POST',
          url: '/v1/webhooks/subscriptions',
          headers: { ...auth, 'idempotency-key': 'atx-refused' },
          payload: { url: 'https://refused.example.com/hook', eventTypes: ['sales_order.*'] },
        });
        assert.equal(r.statusCode, 500, r.body);
        assert.equal(await count(db, 'SELECT count(*) AS n FROM tl_webhook_subscriptions WHERE url = $1', ['https://refused.example.com/hook']), 0, 'the subscription was rolled back');
        const added = (await httpEntries(db)).slice(before.length);
        assert.deepEqual(
          added.map((e) => [e.outcome, e.detail?.status]),
          [['failure', 500]],
          'only the failed attempt is on record',
        );
      } finally {
        await db.exec('DROP TRIGGER atx_refuse_audit ON tl_audit_log; DROP FUNCTION atx_refuse_audit()');
      }
    });

    it('a write whose transaction fails leaves no success entry (nor the service\'s own entry)', async () => {
      await db.exec(`
        CREATE FUNCTION atx_refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'subscription store refuses'; END $$;
        CREATE TRIGGER atx_refuse_write BEFORE INSERT ON tl_webhook_subscriptions FOR EACH ROW EXECUTE FUNCTION atx_refuse_write();`);
      try {
        const before = await count(db, 'SELECT count(*) AS n FROM tl_audit_log WHERE tenant_id = $1', [TENANT]);
        const r = await app.inject({
          method: 'POST',
          url: '/v1/webhooks/subscriptions',
          headers: { ...auth, 'idempotency-key': 'atx-write-fails' },
          payload: { url: 'https://fails.example.com/hook', eventTypes: ['sales_order.*'] },
        });
        assert.equal(r.statusCode, 500, r.body);
        const { rows } = await db.query<{ action: string; outcome: string }>('SELECT action, outcome FROM tl_audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq', [TENANT, before]);
        assert.deepEqual(rows, [{ action: 'http.post.v1.webhooks.subscriptions', outcome: 'failure' }]);
      } finally {
        await db.exec('DROP TRIGGER atx_refuse_write ON tl_webhook_subscriptions; DROP FUNCTION atx_refuse_write()');
      }
    });

    it('50 parallel audited writes: each has its entry and `audit verify` holds', async () => {
      const made = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          app.inject({
            method: 'POST',
            url: '/v1/webhooks/subscriptions',
            headers: { ...auth, 'idempotency-key': `atx-par-${i}` },
            payload: { url: `https://par${i}.example.com/hook`, eventTypes: ['sales_order.*'] },
          }),
        ),
      );
      for (const r of made) assert.equal(r.statusCode, 201, r.body);
      const ids = new Set(made.map((r) => r.json().subscription.id as string));
      const entries = (await httpEntries(db)).filter((e) => e.action === 'http.post.v1.webhooks.subscriptions' && e.outcome === 'success');
      assert.deepEqual(new Set(entries.map((e) => e.resource.id)), ids);
      assert.ok(entries.every((e) => e.detail?.status === 201));
      const verified = await verifyAuditChain(db, TENANT);
      assert.equal(verified.ok, true, JSON.stringify(verified.firstBroken));
    });
  });
}
