import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { ctxFor } from '../store.fixture.js';
import { createApiKeyRepo, hashApiKey, type ApiKeyRepo } from './api-key.repo.js';

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
}
