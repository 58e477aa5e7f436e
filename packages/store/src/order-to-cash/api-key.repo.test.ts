import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database, Sql } from '../driver/database.js';
import { createCredentialInvalidations } from '../identity/credential-cache.js';
import { ctxFor } from '../store.fixture.js';
import { createApiKeyRepo, hashApiKey, type ApiKeyRepo } from './api-key.repo.js';

/** The database, counting the statements that read the key table. */
function counting(db: Database): Sql & { lookups: () => number } {
  let n = 0;
  return {
    query: (text, params) => {
      if (/FROM tl_o2c_api_keys WHERE key_hash/.test(text)) n++;
      return db.query(text, params);
    },
    exec: (script) => db.exec(script),
    lookups: () => n,
  };
}

/** A clock the test moves by hand (epoch ms, starting at the real time so key expiries compare sensibly). */
function manualClock() {
  let t = Date.now();
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const acme = ctxFor('acme');

for (const target of databaseTargets()) {
  describe(`API keys on ${target.name}`, () => {
    let db: Database;
    let keys: ApiKeyRepo;
    before(async () => {
      db = await target.open();
      keys = createApiKeyRepo(db);
    });
    after(() => db.close());

    test('a partner key resolves to its partner and scopes; only its hash is stored; a revoked key resolves to nothing', async () => {
      const created = await keys.createApiKey(acme, { partnerId: 'pty_supplier_1', scopes: ['asns:write'] });
      assert.match(created.apiKey, /^tlk_[A-Za-z0-9_-]{32}$/);
      const ctx = await keys.resolve(created.apiKey, 'corr-1');
      assert.deepEqual(ctx, { tenantId: 'acme', partnerId: 'pty_supplier_1', actor: { kind: 'client', id: created.id }, scopes: ['asns:write'], correlationId: 'corr-1' });
      const { rows } = await db.query<{ key_hash: string }>('SELECT key_hash FROM tl_o2c_api_keys WHERE id = $1', [created.id]);
      assert.equal(rows[0]!.key_hash, hashApiKey(created.apiKey));
      assert.equal(await keys.revokeApiKey(acme, created.id), true);
      assert.equal(await keys.resolve(created.apiKey, 'corr-2'), null);
      assert.equal(await keys.revokeApiKey(acme, created.id), false);
    });

    test('a staff key speaks for no partner: its actor is the named user', async () => {
      const created = await keys.createStaffApiKey(acme, { staffName: 'buyer.jane', scopes: ['ops:exceptions'] });
      const ctx = await keys.resolve(created.apiKey, 'corr-3');
      assert.deepEqual(ctx, { tenantId: 'acme', actor: { kind: 'user', id: 'buyer.jane' }, scopes: ['ops:exceptions'], correlationId: 'corr-3' });
      await assert.rejects(keys.createStaffApiKey(acme, { staffName: 'jane doe; drop', scopes: [] }), (err: unknown) => err instanceof InputError && err.code === 'TL_AUTH_BAD_STAFF_NAME');
      await assert.rejects(keys.createApiKey(acme, { partnerId: '', scopes: [] }), (err: unknown) => err instanceof InputError && err.code === 'TL_AUTH_BAD_PARTNER');
    });

    test('a staff key with a role carries the role\'s scopes; an unknown role is refused', async () => {
      const created = await keys.createStaffApiKey(acme, { staffName: 'fin.jo', role: 'finance', scopes: ['extra:read'] });
      assert.equal(created.role, 'finance');
      assert.deepEqual(created.scopes, ['ops:exceptions:finance', 'extra:read']);
      const ctx = await keys.resolve(created.apiKey, 'corr-r');
      assert.deepEqual(ctx?.scopes, ['ops:exceptions:finance', 'extra:read']);
      assert.deepEqual(ctx?.actor, { kind: 'user', id: 'fin.jo' });
      const admin = await keys.createStaffApiKey(acme, { staffName: 'int.admin', role: 'integration_admin' });
      assert.deepEqual(admin.scopes, ['webhooks:manage']);
      await assert.rejects(keys.createStaffApiKey(acme, { staffName: 'x', role: 'ceo' as never }), (err: unknown) => err instanceof InputError && err.code === 'TL_AUTH_BAD_ROLE');
    });

    test('rotation with overlap: the new key works at once, the old one until the overlap ends; no overlap stops it at once', async () => {
      const created = await keys.createApiKey(acme, { partnerId: 'pty_rot', scopes: ['orders:read'] });
      const rotated = await keys.rotateApiKey(acme, created.id, { overlapSeconds: 3600 });
      assert.notEqual(rotated.apiKey, created.apiKey);
      assert.equal(rotated.previousId, created.id);
      assert.equal(rotated.partnerId, 'pty_rot');
      assert.deepEqual(rotated.scopes, ['orders:read']);
      assert.ok(rotated.previousExpiresAt.getTime() > Date.now() + 3500_000 && rotated.previousExpiresAt.getTime() < Date.now() + 3700_000);
      assert.equal((await keys.resolve(created.apiKey, 'c'))?.partnerId, 'pty_rot', 'the old key works during the overlap');
      assert.deepEqual(await keys.resolve(rotated.apiKey, 'c'), { tenantId: 'acme', partnerId: 'pty_rot', actor: { kind: 'client', id: rotated.id }, scopes: ['orders:read'], correlationId: 'c' });
      await assert.rejects(keys.rotateApiKey(acme, created.id, { overlapSeconds: 60 }), (err: unknown) => (err as { code?: string }).code === 'TL_AUTH_KEY_NOT_FOUND', 'a key is rotated once');
      await db.query("UPDATE tl_o2c_api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [created.id]);
      assert.equal(await keys.resolve(created.apiKey, 'c'), null, 'after the overlap the old key is dead');
      assert.ok(await keys.resolve(rotated.apiKey, 'c'));

      const staff = await keys.createStaffApiKey(acme, { staffName: 'buyer.rot', role: 'buyer' });
      const again = await keys.rotateApiKey(acme, staff.id, { overlapSeconds: 0 });
      assert.equal(again.role, 'buyer');
      assert.equal(again.staffName, 'buyer.rot');
      assert.equal(await keys.resolve(staff.apiKey, 'c'), null, 'no overlap: the old key stops at once');
      assert.deepEqual((await keys.resolve(again.apiKey, 'c'))?.scopes, ['ops:exceptions:buyer']);
      await assert.rejects(keys.rotateApiKey(ctxFor('other'), again.id, { overlapSeconds: 0 }), (err: unknown) => (err as { code?: string }).code === 'TL_AUTH_KEY_NOT_FOUND', 'another tenant cannot rotate it');
      await assert.rejects(keys.rotateApiKey(acme, again.id, { overlapSeconds: -1 }), (err: unknown) => err instanceof InputError);
      assert.equal(await keys.revokeApiKey(acme, again.id), true);
      await assert.rejects(keys.rotateApiKey(acme, again.id, { overlapSeconds: 0 }), (err: unknown) => (err as { code?: string }).code === 'TL_AUTH_KEY_NOT_FOUND', 'a revoked key is not rotated');
    });
  });

  describe(`API key cache on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('a resolved key is reused within the TTL (no second read of the key table) and read again after it', async () => {
      const sql = counting(db);
      const clock = manualClock();
      const keys = createApiKeyRepo(sql, { cache: { ttlMs: 5000, now: clock.now } });
      const created = await keys.createApiKey(acme, { partnerId: 'pty_cache', scopes: ['orders:read'] });
      const first = await keys.resolve(created.apiKey, 'c1');
      assert.deepEqual(first, { tenantId: 'acme', partnerId: 'pty_cache', actor: { kind: 'client', id: created.id }, scopes: ['orders:read'], correlationId: 'c1' });
      assert.equal(sql.lookups(), 1);
      first!.scopes.push('orders:write');
      clock.advance(4999);
      const hit = await keys.resolve(created.apiKey, 'c2');
      assert.deepEqual(hit, { tenantId: 'acme', partnerId: 'pty_cache', actor: { kind: 'client', id: created.id }, scopes: ['orders:read'], correlationId: 'c2' }, 'a hit carries its own correlation id and an unmodified copy of the scopes');
      assert.equal(sql.lookups(), 1, 'a hit does not read the table');
      clock.advance(1);
      assert.ok(await keys.resolve(created.apiKey, 'c3'));
      assert.equal(sql.lookups(), 2, 'after the TTL the key is read again');
      assert.equal(await keys.resolve('tlk_unknown_key_00000000000000000', 'c4'), null);
      assert.equal(await keys.resolve('tlk_unknown_key_00000000000000000', 'c5'), null);
      assert.equal(sql.lookups(), 4, 'an unknown key is not cached: a key created elsewhere works at once');
    });

    test('revoking through this repository refuses the key at once, however long the TTL', async () => {
      const keys = createApiKeyRepo(db, { cache: { ttlMs: 60_000 } });
      const created = await keys.createApiKey(acme, { partnerId: 'pty_rev', scopes: ['orders:read'] });
      assert.ok(await keys.resolve(created.apiKey, 'c'));
      assert.equal(await keys.revokeApiKey(acme, created.id), true);
      assert.equal(await keys.resolve(created.apiKey, 'c'), null);
    });

    test('revoking through another repository of this process (the CLI\'s) refuses the key at once too', async () => {
      const server = createApiKeyRepo(db, { cache: { ttlMs: 60_000 } });
      const cli = createApiKeyRepo(db);
      const created = await server.createApiKey(acme, { partnerId: 'pty_cli', scopes: ['orders:read'] });
      assert.ok(await server.resolve(created.apiKey, 'c'));
      assert.equal(await cli.revokeApiKey(acme, created.id), true);
      assert.equal(await server.resolve(created.apiKey, 'c'), null);
    });

    test('a lookup that started before a revocation does not put the revoked key back in the cache', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let hold = false;
      const slow: Sql = {
        query: async (text, params) => {
          const result = await db.query(text, params);
          if (hold && /key_hash/.test(text)) await gate;
          return result as never;
        },
        exec: (script) => db.exec(script),
      };
      const keys = createApiKeyRepo(slow, { cache: { ttlMs: 60_000 } });
      const created = await keys.createApiKey(acme, { partnerId: 'pty_race', scopes: ['orders:read'] });
      hold = true;
      const inFlight = keys.resolve(created.apiKey, 'c');
      await new Promise((resolve) => setTimeout(resolve, 20));
      hold = false;
      assert.equal(await keys.revokeApiKey(acme, created.id), true);
      release();
      assert.ok(await inFlight, 'the lookup read the key before it was revoked');
      assert.equal(await keys.resolve(created.apiKey, 'c'), null, 'but did not cache it');
    });

    test('rotation: the old key keeps its overlap and stops when it ends, even with a longer TTL; no overlap stops it at once', async () => {
      const keys = createApiKeyRepo(db, { cache: { ttlMs: 60_000 } });
      const created = await keys.createApiKey(acme, { partnerId: 'pty_rot_cache', scopes: ['orders:read'] });
      assert.ok(await keys.resolve(created.apiKey, 'c'), 'cached before the rotation, without an end');
      const rotated = await keys.rotateApiKey(acme, created.id, { overlapSeconds: 1 });
      assert.equal((await keys.resolve(created.apiKey, 'c'))?.partnerId, 'pty_rot_cache', 'the old key works during the overlap');
      assert.ok(await keys.resolve(rotated.apiKey, 'c'), 'the new key works at once');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, rotated.previousExpiresAt.getTime() - Date.now()) + 50));
      assert.equal(await keys.resolve(created.apiKey, 'c'), null, 'the overlap\'s end bounds the cache entry');
      assert.ok(await keys.resolve(rotated.apiKey, 'c'));

      const again = await keys.rotateApiKey(acme, rotated.id, { overlapSeconds: 0 });
      assert.equal(await keys.resolve(rotated.apiKey, 'c'), null, 'no overlap: the cached key stops at once');
      assert.ok(await keys.resolve(again.apiKey, 'c'));
    });

    test('a key revoked by another process is refused once the TTL has passed', async () => {
      // Two processes on one database: each repository has its own cache and its own invalidation channel.
      const clock = manualClock();
      const here = createApiKeyRepo(db, { cache: { ttlMs: 5000, now: clock.now, invalidations: createCredentialInvalidations() } });
      const elsewhere = createApiKeyRepo(db, { cache: { ttlMs: 5000, invalidations: createCredentialInvalidations() } });
      const created = await here.createApiKey(acme, { partnerId: 'pty_other', scopes: ['orders:read'] });
      assert.ok(await here.resolve(created.apiKey, 'c'));
      assert.equal(await elsewhere.revokeApiKey(acme, created.id), true);
      assert.equal(await elsewhere.resolve(created.apiKey, 'c'), null, 'the revoking process refuses it at once');
      clock.advance(4000);
      assert.ok(await here.resolve(created.apiKey, 'c'), 'within the TTL this process still has it cached (the documented bound)');
      clock.advance(1000);
      assert.equal(await here.resolve(created.apiKey, 'c'), null, 'after the TTL it is refused');
      clock.advance(60_000);
      assert.equal(await here.resolve(created.apiKey, 'c'), null);
    });

    test('the cache holds a bounded number of keys and refuses an unbounded TTL', async () => {
      const sql = counting(db);
      const keys = createApiKeyRepo(sql, { cache: { ttlMs: 5000, maxEntries: 2 } });
      const made = await Promise.all([1, 2, 3].map((n) => keys.createApiKey(acme, { partnerId: `pty_max_${n}`, scopes: [] })));
      for (const k of made) assert.ok(await keys.resolve(k.apiKey, 'c'));
      assert.equal(sql.lookups(), 3);
      assert.ok(await keys.resolve(made[2]!.apiKey, 'c'));
      assert.ok(await keys.resolve(made[1]!.apiKey, 'c'));
      assert.equal(sql.lookups(), 3, 'the two newest are kept');
      assert.ok(await keys.resolve(made[0]!.apiKey, 'c'));
      assert.equal(sql.lookups(), 4, 'the oldest was dropped');
      assert.throws(() => createApiKeyRepo(db, { cache: { ttlMs: 3_600_000 } }), RangeError);
      assert.throws(() => createApiKeyRepo(db, { cache: { ttlMs: -1 } }), RangeError);
    });
  });
}
