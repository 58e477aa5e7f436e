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
  });
}
