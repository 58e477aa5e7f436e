/**
 * Gateway guarantees through the whole hub (HTTP, auth on the API key store, the store-backed idempotency keys, the
 * order-to-cash process): 50 parallel creates with one Idempotency-Key make one order, and the rate limits answer
 * 429 with their headers. On PGlite always, on server Postgres too when TRADELANE_TEST_DATABASE_URL is set (there the
 * rate-limit counters live in the database).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { OrderView } from '@tradelane/core';
import { openPostgres, quoteIdent } from '@tradelane/store';
import { lookupService } from '@tradelane/testkit';
import { customerCall, startTestHub, type TestHub } from './hub.test-support.js';

const ANONYMOUS_LIMIT = 5;
const pg = lookupService('TRADELANE_TEST_DATABASE_URL', 'Postgres');

/** A fresh schema on the test server, as a DATABASE_URL whose connections use it, and how to drop it. */
async function postgresSchemaUrl(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `tl_test_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(url, { schema, poolSize: 1 });
  await admin.close();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    drop: async () => {
      const db = await openPostgres(url, { poolSize: 1 });
      await db.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => {});
      await db.close();
    },
  };
}

const targets: Array<{ name: string; env: () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }> }> = [
  { name: 'pglite', env: async () => ({ env: {}, drop: async () => {} }) },
];
if (pg.available) {
  targets.push({
    name: 'postgres',
    env: async () => {
      const s = await postgresSchemaUrl(pg.value);
      return { env: { DATABASE_URL: s.url }, drop: s.drop };
    },
  });
}

for (const target of targets) {
  describe(`gateway limits through the hub on ${target.name}`, () => {
    let hub: TestHub;
    let drop: () => Promise<void> = async () => {};
    before(async () => {
      const t = await target.env();
      drop = t.drop;
      hub = await startTestHub({ ...t.env, TRADELANE_RATE_LIMIT_ANONYMOUS: String(ANONYMOUS_LIMIT), TRADELANE_RATE_LIMIT_DEFAULT: '1000' });
    });
    after(async () => {
      await hub?.close();
      await drop();
    });
    const apiKey = () => {
      const c = hub.customers.get('4242');
      assert.ok(c, 'demo customer 4242');
      return c.apiKey;
    };

    it('50 parallel requests with one Idempotency-Key create exactly one order', async () => {
      const body = { customerPoNumber: `PO-PAR-${target.name}`, lines: [{ sku: 'FAS-1001', quantity: '3', unit: 'EA' }] };
      const headers = { 'idempotency-key': `parallel-${target.name}` };
      const answers = await Promise.all(Array.from({ length: 50 }, () => customerCall<OrderView>(hub, apiKey(), 'POST', '/orders', body, headers)));
      for (const a of answers) {
        assert.ok(a.status === 202 || (a.status === 409 && (a.body as any).code === 'TL_IDEMPOTENCY_IN_FLIGHT'), `unexpected ${a.status} ${JSON.stringify(a.body)}`);
      }
      const created = answers.filter((a) => a.status === 202);
      assert.ok(created.length >= 1, 'at least one attempt got the order');
      assert.equal(created.filter((a) => a.headers.get('idempotent-replayed') !== 'true').length, 1, 'exactly one attempt ran the create');
      assert.equal(new Set(created.map((a) => a.body.id)).size, 1, 'every 202 names the same order');
      // A retry after the dust settles replays the same order.
      const retry = await customerCall<OrderView>(hub, apiKey(), 'POST', '/orders', body, headers);
      assert.equal(retry.status, 202);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      assert.equal(retry.body.id, created[0]!.body.id);
      const listed = await customerCall<{ items: OrderView[] }>(hub, apiKey(), 'GET', `/orders?q=${encodeURIComponent(body.customerPoNumber)}&limit=200`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.equal(listed.body.items.filter((o) => o.customerPoNumber === body.customerPoNumber).length, 1, 'one order in the store');
    });

    it('rate limits: authenticated answers carry the policy; unauthenticated callers are limited per address', async () => {
      const read = await customerCall(hub, apiKey(), 'GET', '/orders?limit=1');
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('ratelimit-policy'), '1000;w=60');
      assert.match(read.headers.get('ratelimit') ?? '', /^limit=1000, remaining=\d+, reset=\d+$/);
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < ANONYMOUS_LIMIT + 2; i++) {
        last = await fetch(`${hub.server.url}/openapi.json`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
        statuses.push(last.status);
        await last.arrayBuffer();
      }
      assert.deepEqual(statuses.slice(ANONYMOUS_LIMIT), [429, 429], statuses.join(','));
      assert.ok(Number(last!.headers.get('retry-after')) >= 1);
      assert.equal(last!.headers.get('ratelimit-policy'), `${ANONYMOUS_LIMIT};w=60`);
      const health = await fetch(`${hub.server.url}/health`);
      assert.equal(health.status, 200, 'health probes are not limited');
      if (target.name === 'postgres') {
        const { rows } = await hub.server.db.query<{ key: string }>("SELECT key FROM tl_rate_limits WHERE key LIKE 'ip:%'");
        assert.equal(rows.length, 1, 'the counters live in Postgres, one per address');
      }
    });
  });
}
