/**
 * The rate limit as two hub processes on one database see it: each app has its own Postgres counter store (as each
 * process does), and together they admit exactly the client's limit per window.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { authPlugin, buildApp } from '@tradelane/api';
import { createRateLimitRepo, type Database } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';

const LIMIT = 20;
const T = 1_700_000_010_000;

const probe: FastifyPluginAsync = async (app) => {
  await app.register(authPlugin, {
    apiKeys: { resolve: async (key, correlationId) => (key === 'tlk_rate_probe_key' ? { tenantId: 'rl', partnerId: 'cus_rl', actor: { kind: 'client', id: 'key_rl' }, scopes: ['x'], correlationId } : null) },
  });
  app.get('/ping', async () => ({ ok: true }));
};

for (const target of databaseTargets()) {
  describe(`rate limit shared by two processes (${target.name})`, () => {
    let db: Database;
    const apps: FastifyInstance[] = [];
    before(async () => {
      db = await target.open();
      for (let i = 0; i < 2; i++) {
        apps.push(
          await buildApp({
            logger: pino({ level: 'silent' }),
            version: '0.0.0-test',
            readiness: { check: async () => ({}) },
            rateLimit: { store: createRateLimitRepo(db), limit: LIMIT, now: () => T },
            routes: [{ prefix: '/v1/probe', plugin: probe }],
          }),
        );
      }
    });
    after(async () => {
      for (const app of apps) await app.close();
      await db.close();
    });

    it('90 concurrent requests across both admit exactly the limit; the rest get 429 with Retry-After', async () => {
      const answers = await Promise.all(
        Array.from({ length: 90 }, (_, i) => apps[i % 2]!.inject({ method: 'GET', url: '/v1/probe/ping', headers: { authorization: 'Bearer tlk_rate_probe_key' } })),
      );
      const ok = answers.filter((r) => r.statusCode === 200);
      const limited = answers.filter((r) => r.statusCode === 429);
      assert.equal(ok.length, LIMIT);
      assert.equal(limited.length, 90 - LIMIT);
      assert.ok(limited.every((r) => r.json().code === 'TL_RATE_LIMITED' && Number(r.headers['retry-after']) > 0));
      assert.ok(ok.every((r) => r.headers['ratelimit-policy'] === `${LIMIT};w=60`));
      const remaining = ok.map((r) => Number(/remaining=(\d+)/.exec(String(r.headers.ratelimit))![1])).sort((a, b) => a - b);
      assert.deepEqual(remaining, Array.from({ length: LIMIT }, (_, i) => i), 'each admitted request has its own position in the shared count');
    });
  });
}
