import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database, Sql } from '../driver/database.js';
import { createCredentialInvalidations } from './credential-cache.js';
import { ctxFor } from '../store.fixture.js';
import { createOAuthClientRepo, hashClientSecret } from './oauth-client.repo.js';
import { createSigningKeyRepo } from './signing-key.repo.js';

const acme = ctxFor('acme');
const other = ctxFor('other');

for (const target of databaseTargets()) {
  describe(`OAuth clients and signing keys on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('a client authenticates with its secret only; only the hash is stored; revocation is tenant-scoped', async () => {
      const clients = createOAuthClientRepo(db);
      const { client, clientSecret } = await clients.register(acme, { partnerId: 'cus_alice', scopes: ['orders:read', 'orders:write', 'orders:read'] });
      assert.match(client.clientId, /^cli_[0-9A-Z]{26}$/);
      assert.match(clientSecret, /^tlcs_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(client.scopes, ['orders:read', 'orders:write']);
      const { rows } = await db.query<{ secret_hash: string }>('SELECT secret_hash FROM tl_oauth_clients WHERE client_id = $1', [client.clientId]);
      assert.equal(rows[0]!.secret_hash, hashClientSecret(clientSecret));
      assert.ok(!JSON.stringify(rows).includes(clientSecret));

      assert.deepEqual(await clients.authenticate(client.clientId, clientSecret), client);
      assert.equal(await clients.authenticate(client.clientId, `${clientSecret}x`), null);
      assert.equal(await clients.authenticate('cli_01ARZ3NDEKTSV4RRFFQ69G5FAV', clientSecret), null);
      assert.equal(await clients.authenticate("cli_' OR 1=1 --", clientSecret), null);
      assert.deepEqual(await clients.findActive(client.clientId), client);

      assert.equal(await clients.revoke(other, client.clientId), false, 'another tenant cannot revoke it');
      assert.equal(await clients.revoke(acme, client.clientId), true);
      assert.equal(await clients.authenticate(client.clientId, clientSecret), null);
      assert.equal(await clients.findActive(client.clientId), null);
      assert.equal(await clients.revoke(acme, client.clientId), false);
    });

    test('a staff client keeps its role: scopes are the role\'s plus its own; a role needs a staff client', async () => {
      const clients = createOAuthClientRepo(db);
      const { client, clientSecret } = await clients.register(acme, { staffName: 'cs.kim', role: 'customer_service', scopes: ['ops:exceptions:customer_service', 'extra:scope'] });
      assert.equal(client.role, 'customer_service');
      assert.deepEqual(client.scopes, ['ops:exceptions:customer_service', 'extra:scope']);
      assert.deepEqual(await clients.authenticate(client.clientId, clientSecret), client);
      const { rows } = await db.query<{ role: string; scopes: string[] }>('SELECT role, scopes FROM tl_oauth_clients WHERE client_id = $1', [client.clientId]);
      assert.deepEqual(rows[0], { role: 'customer_service', scopes: ['extra:scope'] });
      const roleOnly = await clients.register(acme, { staffName: 'fin.lee', role: 'finance', scopes: [] });
      assert.deepEqual(roleOnly.client.scopes, ['ops:exceptions:finance']);
      await assert.rejects(clients.register(acme, { partnerId: 'cus_x', role: 'buyer', scopes: ['orders:read'] }), (err: InputError) => err.code === 'TL_AUTH_BAD_ROLE');
      await assert.rejects(clients.register(acme, { staffName: 'x', role: 'ceo' as never, scopes: ['a'] }), (err: InputError) => err.code === 'TL_AUTH_BAD_ROLE');
      await assert.rejects(clients.register(acme, { staffName: 'x', scopes: [] }), (err: InputError) => err.code === 'TL_AUTH_BAD_SCOPES');
      const listed = await clients.list(acme);
      assert.ok(listed.some((c) => c.clientId === client.clientId && c.role === 'customer_service'));
      assert.ok(listed.every((c) => c.tenantId === 'acme' && c.revokedAt === undefined));
      assert.deepEqual(await clients.list(other), []);
    });

    test('with a cache, the per-request revocation check reuses the client within the TTL; a revocation here drops it at once, one elsewhere after the TTL', async () => {
      let reads = 0;
      const sql: Sql = {
        query: (text, params) => {
          if (/FROM tl_oauth_clients WHERE client_id/.test(text)) reads++;
          return db.query(text, params);
        },
        exec: (script) => db.exec(script),
      };
      let t = Date.now();
      const clients = createOAuthClientRepo(sql, { cache: { ttlMs: 5000, now: () => t } });
      const { client, clientSecret } = await clients.register(acme, { partnerId: 'cus_cache', scopes: ['orders:read'] });
      assert.deepEqual(await clients.findActive(client.clientId), client);
      assert.deepEqual(await clients.findActive(client.clientId), client);
      assert.equal(reads, 1, 'the second check is answered from memory');
      assert.ok(await clients.authenticate(client.clientId, clientSecret));
      assert.equal(reads, 2, 'the secret check at the token endpoint always reads the table');
      t += 5000;
      assert.ok(await clients.findActive(client.clientId));
      assert.equal(reads, 3, 'after the TTL the client is read again');
      assert.equal(await clients.revoke(acme, client.clientId), true);
      assert.equal(await clients.findActive(client.clientId), null, 'revoked here: refused at once');

      // another process on the same database: its own repository and invalidation channel
      const here = createOAuthClientRepo(db, { cache: { ttlMs: 5000, now: () => t, invalidations: createCredentialInvalidations() } });
      const elsewhere = createOAuthClientRepo(db, { cache: { ttlMs: 5000, invalidations: createCredentialInvalidations() } });
      const second = await here.register(acme, { partnerId: 'cus_cache2', scopes: ['orders:read'] });
      assert.ok(await here.findActive(second.client.clientId));
      assert.equal(await elsewhere.revoke(acme, second.client.clientId), true);
      assert.ok(await here.findActive(second.client.clientId), 'within the TTL the other process still has it cached');
      t += 5000;
      assert.equal(await here.findActive(second.client.clientId), null, 'after the TTL it is refused');
    });

    test('a staff client has no partner; a client needs exactly one owner and valid scopes', async () => {
      const clients = createOAuthClientRepo(db);
      const { client } = await clients.register(acme, { staffName: 'buyer.jane', scopes: ['ops:exceptions'] });
      assert.equal(client.partnerId, undefined);
      assert.equal(client.staffName, 'buyer.jane');
      const bad = (code: string) => (err: unknown) => err instanceof InputError && err.code === code;
      await assert.rejects(clients.register(acme, { partnerId: 'cus_a', staffName: 'x', scopes: ['a'] }), bad('TL_AUTH_BAD_CLIENT_OWNER'));
      await assert.rejects(clients.register(acme, { scopes: ['a'] }), bad('TL_AUTH_BAD_CLIENT_OWNER'));
      await assert.rejects(clients.register(acme, { staffName: 'jane doe', scopes: ['a'] }), bad('TL_AUTH_BAD_STAFF_NAME'));
      await assert.rejects(clients.register(acme, { partnerId: 'cus_a', scopes: [] }), bad('TL_AUTH_BAD_SCOPES'));
      await assert.rejects(clients.register(acme, { partnerId: 'cus_a', scopes: ['a b'] }), bad('TL_AUTH_BAD_SCOPES'));
    });

    test('signing keys: newest first, retired keys drop out after their retire time', async () => {
      const keys = createSigningKeyRepo(db);
      const jwk = (n: string) => ({ kty: 'OKP', crv: 'Ed25519', x: n });
      const t0 = new Date('2026-01-01T00:00:00.000Z');
      const t1 = new Date('2026-01-02T00:00:00.000Z');
      await keys.add({ kid: 'k1', alg: 'EdDSA', privateJwk: { ...jwk('a'), d: 'secret' }, publicJwk: jwk('a'), createdAt: t0.toISOString(), retireAfter: null });
      await keys.add({ kid: 'k2', alg: 'EdDSA', privateJwk: { ...jwk('b'), d: 'secret' }, publicJwk: jwk('b'), createdAt: t1.toISOString(), retireAfter: null });
      const retireAt = new Date('2026-01-02T00:15:00.000Z');
      await keys.retireAllExcept('k2', retireAt);
      const during = await keys.listUsable(new Date('2026-01-02T00:10:00.000Z'));
      assert.deepEqual(during.map((k) => k.kid), ['k2', 'k1']);
      assert.equal(during[1]!.retireAfter, retireAt.toISOString());
      assert.deepEqual(during[1]!.privateJwk, { ...jwk('a'), d: 'secret' });
      const later = await keys.listUsable(new Date('2026-01-02T00:20:00.000Z'));
      assert.deepEqual(later.map((k) => k.kid), ['k2']);
      await keys.retireAllExcept('k2', new Date('2026-01-03T00:00:00.000Z'));
      assert.equal((await keys.listUsable(new Date('2026-01-02T00:20:00.000Z'))).length, 1, 'a retirement is never postponed');
    });
  });
}
