import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyPluginAsync } from 'fastify';
import { hubApp } from '../identity/identity.test-support.js';
import { deprecationHeaders, type OpenApiDocument } from './openapi.js';

const legacy: FastifyPluginAsync = async (app) => {
  app.get(
    '/legacy',
    {
      config: { deprecated: { since: '2026-01-01', sunset: '2026-07-01T00:00:00Z', link: 'https://docs.tradelane.dev/migrate/legacy' } },
      schema: { summary: 'An old route', tags: ['test'], response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    },
    async () => ({ ok: true }),
  );
  app.get('/legacy-fails', { config: { deprecated: { since: '2026-01-01' } } }, async () => {
    throw new Error('boom');
  });
};

test('/openapi.json is an OpenAPI 3.1 document of every route with security schemes and required scopes', async () => {
  const { app } = await hubApp();
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json() as OpenApiDocument;
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'Tradelane API');
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKeyHeader', 'bearerAuth', 'clientSecretBasic', 'oauth2']);
  const flows = (doc.components.securitySchemes.oauth2 as { flows: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } } }).flows;
  assert.equal(flows.clientCredentials.tokenUrl, '/oauth/token');
  for (const s of ['orders:read', 'asns:write', 'invoices:read', 'ops:exceptions']) assert.ok(s in flows.clientCredentials.scopes, s);

  const ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));
  assert.equal(new Set(ops.map((o) => o.op.operationId)).size, ops.length, 'operationIds are unique');
  assert.ok(!('/openapi.json' in doc.paths) && !('/docs' in doc.paths), 'the document does not describe itself');
  assert.ok(!ops.some((o) => o.method === 'head'));

  const submit = doc.paths['/v1/customer/orders']!.post!;
  assert.deepEqual(submit['x-required-scopes'], ['orders:write']);
  assert.deepEqual(submit.security, [{ oauth2: ['orders:write'] }, { bearerAuth: ['orders:write'] }, { apiKeyHeader: ['orders:write'] }]);
  assert.ok(submit.requestBody);
  assert.deepEqual(submit.parameters!.map((p) => [p.name, p.in, p.required]), [['idempotency-key', 'header', true]]);
  assert.ok(submit.responses['202'] && submit.responses['4XX']);
  assert.ok('application/problem+json' in (submit.responses['4XX']!.content as object));

  const order = doc.paths['/v1/customer/orders/{id}']!.get!;
  assert.equal(order.parameters![0]!.in, 'path');
  assert.equal((order.parameters![0]!.schema as { pattern: string }).pattern.startsWith('^so_'), true);
  assert.ok('application/pdf' in (doc.paths['/v1/customer/invoices/{id}.pdf']!.get!.responses['200']!.content as object));

  const token = doc.paths['/oauth/token']!.post!;
  assert.equal(token['x-authenticated'], false);
  assert.ok('application/x-www-form-urlencoded' in (token.requestBody!.content as object));
  assert.deepEqual(doc.paths['/health']!.get!.security, []);
  for (const { path, op } of ops) {
    if (path.startsWith('/v1/')) {
      assert.equal(op['x-authenticated'], true, path);
      assert.ok(op['x-required-scopes'].length > 0, `${path} declares its scopes`);
    }
  }
  await app.close();
});

test('a deprecated route sends Deprecation, Sunset and Link and is marked deprecated in the document', async () => {
  const { app } = await hubApp({}, { routes: [{ prefix: '/v1/test', plugin: legacy }] });
  const res = await app.inject({ method: 'GET', url: '/v1/test/legacy' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers.deprecation, '@1767225600');
  assert.equal(res.headers.sunset, 'Wed, 01 Jul 2026 00:00:00 GMT');
  assert.equal(res.headers.link, '<https://docs.tradelane.dev/migrate/legacy>; rel="deprecation"; type="text/html"');
  const failed = await app.inject({ method: 'GET', url: '/v1/test/legacy-fails' });
  assert.equal(failed.statusCode, 500);
  assert.equal(failed.headers.deprecation, '@1767225600', 'also on errors');
  const current = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(current.headers.deprecation, undefined);

  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
  assert.equal(doc.paths['/v1/test/legacy']!.get!.deprecated, true);
  assert.equal(doc.paths['/v1/test/legacy']!.get!['x-sunset'], '2026-07-01T00:00:00.000Z');
  assert.equal(doc.paths['/v1/customer/orders']!.get!.deprecated, undefined);
  const html = (await app.inject({ method: 'GET', url: '/docs' })).body;
  assert.match(html, /<code>\/v1\/test\/legacy<\/code> <span class="dep">deprecated<\/span>/);
  await app.close();
});

test('deprecation dates are validated when the route is registered', () => {
  assert.throws(() => deprecationHeaders({ since: 'soon' }), /deprecated\.since/);
  assert.throws(() => deprecationHeaders({ since: '2026-01-01', sunset: 'later' }), /deprecated\.sunset/);
  assert.throws(() => deprecationHeaders({ since: '2026-01-01', link: 'javascript:alert(1)' }), /deprecated\.link/);
  assert.deepEqual(deprecationHeaders({ since: '2026-01-01T12:00:00Z' }), { deprecation: '@1767268800' });
});

test('/docs is one self-contained HTML page listing every path (no scripts, no external assets)', async () => {
  const { app } = await hubApp();
  const res = await app.inject({ method: 'GET', url: '/docs' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
  for (const path of Object.keys(doc.paths)) assert.ok(res.body.includes(`<code>${path}</code>`), path);
  assert.ok(!/<script|<link |src=|@import|url\(/i.test(res.body), 'nothing loaded from elsewhere');
  assert.match(res.body, /scope <code>orders:write<\/code>/);
  await app.close();
});
