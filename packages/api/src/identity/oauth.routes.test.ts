import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, generateKeyPair, importJWK, type CryptoKey, type JWTPayload } from 'jose';
import { createPublicKey } from 'node:crypto';
import { customerOf, submission } from '../customer/customer.test-support.js';
import { createAccessTokens } from './access-tokens.js';
import { AUDIENCE, FakeSigningKeys, ISSUER, adminOf, fetchToken, hubApp } from './identity.test-support.js';

const TENANT = 't_acme';
const CUSTOMER_SCOPES = ['orders:read', 'orders:write', 'invoices:read', 'returns:write', 'catalog:read'];
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function setup(options: Parameters<typeof hubApp>[0] = {}) {
  const hub = await hubApp(options);
  const alice = await hub.clients.register(adminOf(TENANT), { partnerId: 'cus_alice', scopes: CUSTOMER_SCOPES });
  const order = hub.o2c.seedOrder(customerOf('cus_alice'), { customerPoNumber: 'PO-ALICE-1' });
  return { ...hub, alice, order };
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

test('token endpoint: client_secret_post and client_secret_basic issue an RFC 9068 token that reads the client\'s own data', async () => {
  const { app, alice, order, logs } = await setup();
  const post = await fetchToken(app, alice.client.clientId, alice.clientSecret);
  assert.equal(post.status, 200);
  assert.equal(post.headers['cache-control'], 'no-store');
  assert.equal(post.body.token_type, 'Bearer');
  assert.equal(post.body.expires_in, 300);
  assert.equal(post.body.scope, CUSTOMER_SCOPES.join(' '));
  const token = String(post.body.access_token);
  const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
  assert.equal(header!.typ, 'at+jwt');
  assert.equal(header!.alg, 'ES256');
  assert.ok(typeof header!.kid === 'string');
  assert.equal(payload!.iss, ISSUER);
  assert.equal(payload!.aud, AUDIENCE);
  assert.equal(payload!.sub, alice.client.clientId);
  assert.equal(payload!.client_id, alice.client.clientId);
  assert.equal(payload!.tenant_id, TENANT);
  assert.equal(payload!.partner_id, 'cus_alice');
  assert.equal((payload!.exp as number) - (payload!.iat as number), 300);
  assert.ok(typeof payload!.jti === 'string');

  const read = await app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(read.statusCode, 200);
  assert.equal(read.json().id, order.id);

  const viaBasic = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(alice.client.clientId, alice.clientSecret) },
    payload: 'grant_type=client_credentials&scope=orders%3Aread',
  });
  assert.equal(viaBasic.statusCode, 200);
  assert.equal(viaBasic.json().scope, 'orders:read');
  // The narrower token carries only its scope: it may read, not write.
  const narrow = `Bearer ${viaBasic.json().access_token}`;
  assert.equal((await app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { authorization: narrow } })).statusCode, 200);
  const write = await app.inject({ method: 'POST', url: '/v1/customer/orders', headers: { authorization: narrow, 'idempotency-key': 'k-1' }, payload: submission() });
  assert.equal(write.statusCode, 403);
  assert.equal(write.json().code, 'TL_AUTH_SCOPE');
  const logged = logs.join('\n');
  assert.ok(logged.includes('access token issued'));
  assert.ok(!logged.includes(alice.clientSecret) && !logged.includes(token.split('.')[2]!), 'neither the secret nor the token is logged');
  await app.close();
});

test('token endpoint errors follow RFC 6749 §5.2: bad secret, revoked client, scope escalation, bad grant, bad requests', async () => {
  const { app, clients, alice } = await setup();
  const id = alice.client.clientId;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const call = async (payload: string, headers: Record<string, string> = form) => app.inject({ method: 'POST', url: '/oauth/token', headers, payload });
  const expectError = (res: Awaited<ReturnType<typeof call>>, status: number, error: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.json().error, error);
    assert.equal(typeof res.json().error_description, 'string');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.ok(!res.body.includes(alice.clientSecret));
  };

  expectError(await call(`grant_type=client_credentials&client_id=${id}&client_secret=wrong-secret-123`), 401, 'invalid_client');
  const badBasic = await call('grant_type=client_credentials', { ...form, authorization: basic(id, 'wrong-secret-123') });
  expectError(badBasic, 401, 'invalid_client');
  assert.match(String(badBasic.headers['www-authenticate']), /^Basic realm=/);
  expectError(await call(`grant_type=client_credentials&client_id=cli_nobody&client_secret=${alice.clientSecret}`), 401, 'invalid_client');
  expectError(await call('grant_type=client_credentials'), 401, 'invalid_client');

  const escalate = await fetchToken(app, id, alice.clientSecret, 'orders:read ops:exceptions');
  assert.equal(escalate.status, 400);
  assert.equal(escalate.body.error, 'invalid_scope');
  assert.equal((await fetchToken(app, id, alice.clientSecret, 'orders:read  orders:write')).body.error, 'invalid_scope');

  expectError(await call(`grant_type=password&client_id=${id}&client_secret=${alice.clientSecret}`), 400, 'unsupported_grant_type');
  expectError(await call(`client_id=${id}&client_secret=${alice.clientSecret}`), 400, 'invalid_request');
  expectError(await call(`grant_type=client_credentials&grant_type=client_credentials&client_id=${id}&client_secret=${alice.clientSecret}`), 400, 'invalid_request');
  expectError(
    await call(`grant_type=client_credentials&client_id=${id}&client_secret=${alice.clientSecret}`, { ...form, authorization: basic(id, alice.clientSecret) }),
    400,
    'invalid_request',
  );
  expectError(
    await call(JSON.stringify({ grant_type: 'client_credentials', client_id: id, client_secret: alice.clientSecret }), { 'content-type': 'application/json' }),
    400,
    'invalid_request',
  );

  const token = String((await fetchToken(app, id, alice.clientSecret)).body.access_token);
  assert.equal(await clients.revoke(adminOf('t_other'), id), false);
  assert.equal(await clients.revoke(adminOf(TENANT), id), true);
  expectError(await call(`grant_type=client_credentials&client_id=${id}&client_secret=${alice.clientSecret}`), 401, 'invalid_client');
  const afterRevoke = await app.inject({ method: 'GET', url: '/v1/customer/orders', headers: { authorization: `Bearer ${token}` } });
  assert.equal(afterRevoke.statusCode, 401, 'a revoked client\'s tokens stop working at once');
  await app.close();
});

test('JWKS and authorization server metadata publish the public keys only', async () => {
  const { app, alice } = await setup();
  await fetchToken(app, alice.client.clientId, alice.clientSecret);
  const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  assert.equal(jwks.statusCode, 200);
  assert.match(String(jwks.headers['content-type']), /^application\/jwk-set\+json/);
  const keys = jwks.json().keys as Array<Record<string, unknown>>;
  assert.equal(keys.length, 1);
  assert.equal(keys[0]!.kty, 'EC');
  assert.equal(keys[0]!.alg, 'ES256');
  assert.equal(keys[0]!.use, 'sig');
  assert.equal(keys[0]!.d, undefined, 'no private member');
  const meta = (await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
  assert.equal(meta.issuer, ISSUER);
  assert.equal(meta.token_endpoint, `${ISSUER}/oauth/token`);
  assert.deepEqual(meta.grant_types_supported, ['client_credentials']);
  await app.close();
});

test('forged tokens are refused with 401 and a problem document', async () => {
  const { app, keys, alice, order, tokens } = await setup();
  const good = String((await fetchToken(app, alice.client.clientId, alice.clientSecret)).body.access_token);
  const real = keys.keys[0]!;
  const privateKey = (await importJWK({ ...real.privateJwk }, real.alg)) as CryptoKey;
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: alice.client.clientId, client_id: alice.client.clientId, tenant_id: TENANT, partner_id: 'cus_alice', scope: 'orders:read', jti: 'j-1', iat: now, nbf: now, exp: now + 300 };
  const sign = (payload: JWTPayload, header: Record<string, unknown> = {}, key: CryptoKey | Uint8Array = privateKey) =>
    new SignJWT(payload).setProtectedHeader({ alg: real.alg, kid: real.kid, typ: 'at+jwt', ...header } as { alg: string }).sign(key);

  // Control: a token we sign by hand with the real key and proper claims is accepted.
  const control = await sign(claims);
  const ok = await app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { authorization: `Bearer ${control}` } });
  assert.equal(ok.statusCode, 200);

  const [h, p, s] = good.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
  const publicPem = createPublicKey({ key: real.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
  const foreign = await generateKeyPair('ES256');
  const foreignTokens = createAccessTokens({ clients: { ...alice, authenticate: async () => null, findActive: async () => null, register: async () => alice, revoke: async () => false }, keys: new FakeSigningKeys(), issuer: ISSUER, audience: AUDIENCE });

  const forgeries: Record<string, string> = {
    'alg none': `${b64({ alg: 'none', typ: 'at+jwt', kid: real.kid })}.${p}.`,
    'alg none without signature segment dot': `${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.${s}`,
    'HS256 signed with the public key (algorithm confusion)': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: real.kid, typ: 'at+jwt' })
      .sign(new TextEncoder().encode(publicPem)),
    'HS256 signed with the public JWK': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: real.kid, typ: 'at+jwt' })
      .sign(new TextEncoder().encode(JSON.stringify(real.publicJwk))),
    'wrong kid': await sign(claims, { kid: 'no-such-key' }),
    'no kid': await new SignJWT(claims).setProtectedHeader({ alg: real.alg, typ: 'at+jwt' }).sign(privateKey),
    'wrong iss': await sign({ ...claims, iss: 'https://evil.test' }),
    'wrong aud': await sign({ ...claims, aud: 'https://other-api.test' }),
    'expired': await sign({ ...claims, iat: now - 900, nbf: now - 900, exp: now - 60 }),
    'nbf in the future': await sign({ ...claims, nbf: now + 600, exp: now + 900 }),
    'missing exp': await sign(Object.fromEntries(Object.entries(claims).filter(([k]) => k !== 'exp'))),
    'not typ at+jwt': await sign(claims, { typ: 'JWT' }),
    'tampered payload (another partner)': `${h}.${b64({ ...payload, partner_id: 'cus_bob' })}.${s}`,
    'tampered payload (more scopes)': `${h}.${b64({ ...payload, scope: `${String(payload.scope)} ops:exceptions` })}.${s}`,
    'signature of another token': `${h}.${p}.${control.split('.')[2]}`,
    'foreign key using our kid (another key set)': await sign(claims, {}, foreign.privateKey),
    'token of another issuer instance with its own key set': (await foreignTokens.issue(alice.client, ['orders:read'])).access_token,
    'client of another tenant claimed as ours': await sign({ ...claims, tenant_id: 't_other' }),
    'sub differs from client_id': await sign({ ...claims, sub: 'cli_someone_else' }),
    'unknown client': await sign({ ...claims, sub: 'cli_ghost', client_id: 'cli_ghost' }),
    'garbage three segments': 'aaaa.bbbb.cccc',
  };
  for (const [name, token] of Object.entries(forgeries)) {
    const res = await app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/, name);
    assert.equal(res.json().code, 'TL_AUTH_INVALID', name);
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/, name);
    assert.ok(!res.body.includes(order.customerPoNumber) && !res.body.includes('cus_alice'), `${name} leaks nothing`);
  }
  assert.equal(tokens.ttlSeconds, 300);
  await app.close();
});

test('key rotation: the new key signs, tokens of the previous key stay valid until they expire, JWKS lists both until then', async () => {
  let clock = new Date('2026-03-10T08:00:00.000Z');
  const { app, keys, alice, order, tokens } = await setup({ now: () => clock, rotateAfterSeconds: 3600, ttlSeconds: 300 });
  const read = (token: string) => app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { authorization: `Bearer ${token}` } });
  const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

  const first = String((await fetchToken(app, alice.client.clientId, alice.clientSecret)).body.access_token);
  const k1 = kidOf(first);
  clock = new Date('2026-03-10T08:59:00.000Z');
  const stillFirst = String((await fetchToken(app, alice.client.clientId, alice.clientSecret)).body.access_token);
  assert.equal(kidOf(stillFirst), k1, 'no rotation before rotateAfter');

  clock = new Date('2026-03-10T09:00:30.000Z');
  const second = String((await fetchToken(app, alice.client.clientId, alice.clientSecret)).body.access_token);
  const k2 = kidOf(second);
  assert.notEqual(k2, k1, 'a key older than rotateAfter is replaced');
  const listed = ((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys as Array<{ kid: string }>).map((k) => k.kid);
  assert.deepEqual(listed, [k2, k1]);
  assert.equal((await read(stillFirst)).statusCode, 200, 'a token signed by the previous key is valid until it expires');
  assert.equal((await read(second)).statusCode, 200);

  clock = new Date('2026-03-10T09:05:30.000Z'); // stillFirst expired at 09:04:00; the old key retires after ttl + skew + cache window
  assert.equal((await read(stillFirst)).statusCode, 401);
  clock = new Date('2026-03-10T09:07:00.000Z');
  const after = ((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys as Array<{ kid: string }>).map((k) => k.kid);
  assert.deepEqual(after, [k2], 'the previous key leaves the JWKS once its tokens have expired');
  assert.equal((await read(second)).statusCode, 401, 'expired at 09:05:30');
  const fresh = String((await fetchToken(app, alice.client.clientId, alice.clientSecret)).body.access_token);
  assert.equal(kidOf(fresh), k2);
  assert.equal((await read(fresh)).statusCode, 200);

  const manual = await tokens.rotate();
  const third = String((await fetchToken(app, alice.client.clientId, alice.clientSecret)).body.access_token);
  assert.equal(kidOf(third), manual.kid);
  assert.equal(keys.keys.length, 3);
  await app.close();
});

test('API keys keep working next to access tokens on the same routes', async () => {
  const { app, order } = await setup();
  const res = await app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { authorization: 'Bearer tlk_alice_0123456789' } });
  assert.equal(res.statusCode, 200);
  const viaHeader = await app.inject({ method: 'GET', url: `/v1/customer/orders/${order.id}`, headers: { 'x-api-key': 'tlk_alice_0123456789' } });
  assert.equal(viaHeader.statusCode, 200);
  await app.close();
});
