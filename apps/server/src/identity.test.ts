import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { authPlugin, buildApp } from '@tradelane/api';
import type { Database } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { CLIENTS_EXIT, runClientsCommand } from './clients.command.js';
import { loadConfig } from './config.js';
import { hubIdentity } from './server.js';

const config = loadConfig({ TRADELANE_OAUTH_ISSUER: 'https://hub.example.test', TRADELANE_OAUTH_TOKEN_TTL_S: '300' });

/** A tiny guarded tree that echoes the caller's context, to see what a token turns into. */
function probe(identity: ReturnType<typeof hubIdentity>): FastifyPluginAsync {
  return async (app) => {
    await app.register(authPlugin, { apiKeys: { resolve: async () => null }, accessTokens: identity.tokens, requirePartner: false });
    app.get('/me', { config: { scope: 'orders:read' } }, async (request) => ({
      tenantId: request.ctx.tenantId,
      partnerId: request.ctx.partnerId ?? null,
      actor: request.ctx.actor,
      scopes: request.ctx.scopes,
    }));
  };
}

async function cli(db: Database, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runClientsCommand(argv, {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    openDatabase: async () => ({ ...db, close: async () => {} }),
  });
  return { code, out: out.join(''), err: err.join('') };
}

test('config: OAuth issuer defaults to the hub URL, audience to <issuer>/v1; bad values are refused', () => {
  const defaults = loadConfig({});
  assert.deepEqual(defaults.oauth, { issuer: 'http://localhost:3000', audience: 'http://localhost:3000/v1', tokenTtlSeconds: 600, keyRotationSeconds: 86_400 });
  assert.equal(config.oauth.issuer, 'https://hub.example.test');
  assert.equal(config.oauth.tokenTtlSeconds, 300);
  assert.throws(() => loadConfig({ TRADELANE_OAUTH_TOKEN_TTL_S: '5' }), /TRADELANE_OAUTH_TOKEN_TTL_S/);
  assert.throws(() => loadConfig({ TRADELANE_OAUTH_ISSUER: 'hub' }), /TRADELANE_OAUTH_ISSUER/);
});

for (const target of databaseTargets()) {
  describe(`OAuth clients and tokens on the store (${target.name})`, () => {
    let db: Database;
    let app: FastifyInstance;
    let identity: ReturnType<typeof hubIdentity>;
    before(async () => {
      db = await target.open();
      identity = hubIdentity(db, config);
      app = await buildApp({
        logger: pino({ level: 'silent' }),
        version: '0.0.0-test',
        readiness: { check: async () => ({}) },
        identity,
        routes: [{ prefix: '/v1/probe', plugin: probe(identity) }],
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test('clients create prints the secret once; the token flow works end to end; revoke stops the token', async () => {
      const created = await cli(db, ['create', '--tenant', 'acme', '--partner', 'cus_alice', '--scopes', 'orders:read,orders:write']);
      assert.equal(created.code, CLIENTS_EXIT.ok, created.err);
      const printed = JSON.parse(created.out) as { client_id: string; client_secret: string; scopes: string[]; partner: string };
      assert.match(printed.client_id, /^cli_/);
      assert.deepEqual(printed.scopes, ['orders:read', 'orders:write']);
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM tl_oauth_clients WHERE secret_hash = $1', [printed.client_secret]);
      assert.equal(Number(rows[0]!.n), 0, 'the secret itself is not stored');

      const basic = Buffer.from(`${printed.client_id}:${printed.client_secret}`).toString('base64');
      const token = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials&scope=orders%3Aread',
      });
      assert.equal(token.statusCode, 200, token.body);
      const accessToken = token.json().access_token as string;
      const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(payload.iss, 'https://hub.example.test');
      assert.equal(payload.aud, 'https://hub.example.test/v1');
      assert.equal((payload.exp as number) - (payload.iat as number), 300);

      const me = await app.inject({ method: 'GET', url: '/v1/probe/me', headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(me.statusCode, 200, me.body);
      assert.deepEqual(me.json(), { tenantId: 'acme', partnerId: 'cus_alice', actor: { kind: 'client', id: printed.client_id }, scopes: ['orders:read'] });

      // A second process on the same database verifies the token with the keys it reads from the store.
      const other = hubIdentity(db, config);
      assert.ok(await other.tokens.verify(accessToken, 'corr-2'));
      const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: Array<Record<string, unknown>> };
      assert.equal(jwks.keys.length, 1);
      assert.equal(jwks.keys[0]!.d, undefined);

      const wrongTenant = await cli(db, ['revoke', '--tenant', 'other', printed.client_id]);
      assert.equal(wrongTenant.code, CLIENTS_EXIT.notFound);
      const revoked = await cli(db, ['revoke', '--tenant', 'acme', printed.client_id]);
      assert.equal(revoked.code, CLIENTS_EXIT.ok);
      const after = await app.inject({ method: 'GET', url: '/v1/probe/me', headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(after.statusCode, 401);
      const again = await app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
      assert.equal(again.statusCode, 401);
      assert.equal(again.json().error, 'invalid_client');
    });

    test('a staff client acts as its user; usage errors exit 64 and bad input 65', async () => {
      const created = await cli(db, ['create', '--tenant', 'acme', '--staff', 'buyer.jane', '--scopes', 'ops:exceptions']);
      assert.equal(created.code, CLIENTS_EXIT.ok, created.err);
      const printed = JSON.parse(created.out) as { client_id: string; client_secret: string; staff: string };
      assert.equal(printed.staff, 'buyer.jane');
      const client = await identity.clients.authenticate(printed.client_id, printed.client_secret);
      const token = await identity.tokens.issue(client!, ['ops:exceptions']);
      const ctx = await identity.tokens.verify(token.access_token, 'corr-3');
      assert.deepEqual(ctx, { tenantId: 'acme', actor: { kind: 'user', id: 'buyer.jane' }, scopes: ['ops:exceptions'], correlationId: 'corr-3' });

      assert.equal((await cli(db, ['create', '--tenant', 'acme', '--scopes', 'a'])).code, CLIENTS_EXIT.usage);
      assert.equal((await cli(db, ['create', '--tenant', 'acme', '--partner', 'p', '--staff', 's', '--scopes', 'a'])).code, CLIENTS_EXIT.usage);
      assert.equal((await cli(db, ['create', '--tenant', 'acme', '--partner', 'p'])).code, CLIENTS_EXIT.usage);
      assert.equal((await cli(db, ['create', '--partner', 'p', '--scopes', 'a'])).code, CLIENTS_EXIT.usage);
      assert.equal((await cli(db, ['rotate', '--tenant', 'acme'])).code, CLIENTS_EXIT.usage);
      const bad = await cli(db, ['create', '--tenant', 'acme', '--staff', 'jane doe', '--scopes', 'a']);
      assert.equal(bad.code, CLIENTS_EXIT.dataError);
      assert.match(bad.err, /TL_AUTH_BAD_STAFF_NAME/);
    });

    test('a staff client\'s role is stored with it, listed, and decides its tokens\' scopes', async () => {
      const created = await cli(db, ['create', '--tenant', 'roles', '--staff', 'bo.buyer', '--role', 'buyer', '--scopes', 'webhooks:manage']);
      assert.equal(created.code, CLIENTS_EXIT.ok, created.err);
      const printed = JSON.parse(created.out) as { client_id: string; client_secret: string; staff: string; role: string; scopes: string[] };
      assert.deepEqual([printed.staff, printed.role, printed.scopes], ['bo.buyer', 'buyer', ['ops:exceptions:buyer', 'webhooks:manage']]);
      const { rows } = await db.query<{ role: string; scopes: string[] }>('SELECT role, scopes FROM tl_oauth_clients WHERE client_id = $1', [printed.client_id]);
      assert.deepEqual(rows[0], { role: 'buyer', scopes: ['webhooks:manage'] }, 'the role is stored; the scopes column keeps only the extra scopes');
      const partner = await cli(db, ['create', '--tenant', 'roles', '--partner', 'cus_r', '--scopes', 'orders:read']);
      const plainStaff = await cli(db, ['create', '--tenant', 'roles', '--staff', 'no.role', '--scopes', 'ops:exceptions']);

      const listed = await cli(db, ['list', '--tenant', 'roles']);
      assert.equal(listed.code, CLIENTS_EXIT.ok, listed.err);
      const rowsOut = JSON.parse(listed.out) as Array<Record<string, unknown>>;
      assert.deepEqual(
        rowsOut.map((c) => [c.client_id, c.staff ?? null, c.partner ?? null, c.role ?? null, c.scopes]),
        [
          [printed.client_id, 'bo.buyer', null, 'buyer', ['ops:exceptions:buyer', 'webhooks:manage']],
          [JSON.parse(partner.out).client_id, null, 'cus_r', null, ['orders:read']],
          [JSON.parse(plainStaff.out).client_id, 'no.role', null, null, ['ops:exceptions']],
        ],
      );
      assert.doesNotMatch(listed.out, /tlcs_|secret/);
      await cli(db, ['revoke', '--tenant', 'roles', JSON.parse(partner.out).client_id]);
      assert.equal((JSON.parse((await cli(db, ['list', '--tenant', 'roles'])).out) as unknown[]).length, 2);
      const all = JSON.parse((await cli(db, ['list', '--tenant', 'roles', '--all'])).out) as Array<{ revoked_at?: string }>;
      assert.equal(all.filter((c) => c.revoked_at).length, 1);

      const uncached = hubIdentity(db, { ...config, auth: { ...config.auth, credentialCacheMs: 0 } });
      const tokenApp = await buildApp({ logger: pino({ level: 'silent' }), version: '0.0.0-test', readiness: { check: async () => ({}) }, identity: uncached });
      try {
        const basic = Buffer.from(`${printed.client_id}:${printed.client_secret}`).toString('base64');
        const issue = async () => {
          const r = await tokenApp.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
          assert.equal(r.statusCode, 200, r.body);
          return r.json() as { access_token: string; scope: string };
        };
        const asBuyer = await issue();
        assert.equal(asBuyer.scope, 'ops:exceptions:buyer webhooks:manage');
        // The stored role is what counts: change it and the next token carries the new role's scopes, the old
        // token keeps only what the client still has.
        await db.query("UPDATE tl_oauth_clients SET role = 'finance' WHERE client_id = $1", [printed.client_id]);
        const asFinance = await issue();
        assert.equal(asFinance.scope, 'ops:exceptions:finance webhooks:manage');
        assert.deepEqual((await uncached.tokens.verify(asFinance.access_token, 'c1'))?.scopes, ['ops:exceptions:finance', 'webhooks:manage']);
        assert.deepEqual((await uncached.tokens.verify(asBuyer.access_token, 'c2'))?.scopes, ['webhooks:manage']);
        await assert.rejects(db.query("UPDATE tl_oauth_clients SET role = 'ceo' WHERE client_id = $1", [printed.client_id]), /tl_oauth_clients_role/);
        await assert.rejects(db.query("UPDATE tl_oauth_clients SET role = 'buyer' WHERE partner_id = 'cus_r'"), /tl_oauth_clients_role/);
      } finally {
        await tokenApp.close();
      }
      assert.equal((await cli(db, ['create', '--tenant', 'roles', '--partner', 'cus_r', '--role', 'buyer'])).code, CLIENTS_EXIT.usage);
      const roleOnly = await cli(db, ['create', '--tenant', 'roles', '--staff', 'fin.only', '--role', 'finance']);
      assert.deepEqual(JSON.parse(roleOnly.out).scopes, ['ops:exceptions:finance']);
    });
  });
}
