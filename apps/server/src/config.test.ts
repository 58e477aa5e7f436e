import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('defaults give the embedded setup on port 3000', () => {
  const c = loadConfig({});
  assert.equal(c.server.port, 3000);
  assert.equal(c.database.url, undefined);
  assert.equal(c.database.dataDir, './.tradelane/data');
  assert.equal(c.database.migrateOnStart, true);
});

test('values are parsed and typed', () => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db', TRADELANE_STORE_MIGRATE_ON_START: 'false', TRADELANE_DATA_DIR: '' });
  assert.equal(c.server.port, 8080);
  assert.equal(c.database.url, 'postgres://u@h/db');
  assert.equal(c.database.migrateOnStart, false);
  assert.equal(c.database.dataDir, './.tradelane/data');
});

test('bad config names every bad variable with a specific message', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TRADELANE_LOG_LEVEL: 'loud', TRADELANE_STORE_MIGRATE_ON_START: 'maybe' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      const byPath = Object.fromEntries(e.errors.map((x) => [x.path, x.message]));
      assert.match(byPath.PORT!, /whole number/);
      assert.match(byPath.DATABASE_URL!, /postgres:\/\//);
      assert.ok(byPath.TRADELANE_LOG_LEVEL);
      assert.match(byPath.TRADELANE_STORE_MIGRATE_ON_START!, /true or false/);
      const p = e.toProblem();
      assert.equal(p.code, 'TL_CONFIG_INVALID');
      return true;
    },
  );
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be ≤ 65535/);
});

test('order-to-cash defaults: simulators on 4101-4104, demo tenant "demo", no external systems', () => {
  const c = loadConfig({});
  assert.deepEqual(c.simulators, { enabled: true, host: '127.0.0.1', portBase: 4101, seed: 1, wmsAdvanceMs: 3000, carrierAdvanceMs: 5000, wmsInboundReceiveMs: 10000, suppliers: true, supplierPollMs: 2000 });
  assert.deepEqual(c.demo, { tenantId: 'demo', keys: true });
  assert.equal(c.orderToCash.pollIntervalMs, 2000);
  assert.deepEqual(c.procureToPay, { sweepIntervalMs: 30000, ediSuppliersFile: undefined });
  assert.equal(c.connectors.erp.url, undefined);
  assert.equal(c.connectors.erp.timeoutMs, 10_000);
});

test('external system URLs, simulator switches and the demo tenant are parsed', () => {
  const c = loadConfig({
    TRADELANE_SIMULATORS: 'false',
    TRADELANE_SIM_PORT_BASE: '0',
    TRADELANE_ERP_URL: 'http://erp.internal:4101/',
    TRADELANE_FREIGHTLINK_URL: 'https://freightlink.example/api',
    TRADELANE_DEMO_TENANT: 'acme-demo',
    TRADELANE_DEMO_KEYS: 'no',
  });
  assert.equal(c.simulators.enabled, false);
  assert.equal(c.simulators.portBase, 0);
  assert.equal(c.connectors.erp.url, 'http://erp.internal:4101', 'a trailing slash is dropped');
  assert.equal(c.connectors.freightLink.url, 'https://freightlink.example/api');
  assert.deepEqual(c.demo, { tenantId: 'acme-demo', keys: false });
});

test('bad order-to-cash settings name the variable', () => {
  assert.throws(
    () => loadConfig({ TRADELANE_ERP_URL: 'localhost:4101', TRADELANE_DEMO_TENANT: 'Demo Tenant', TRADELANE_SIM_PORT_BASE: '65533', TRADELANE_SIMULATORS: 'on' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      const byPath = Object.fromEntries(e.errors.map((x) => [x.path, x.message]));
      assert.match(byPath.TRADELANE_ERP_URL!, /http:\/\/ or https:\/\/ URL/);
      assert.match(byPath.TRADELANE_DEMO_TENANT!, /lower-case letters/);
      assert.match(byPath.TRADELANE_SIM_PORT_BASE!, /≤ 65532/);
      assert.match(byPath.TRADELANE_SIMULATORS!, /true or false/);
      return true;
    },
  );
});

test('TRADELANE_ERP_KIND=tryton needs the Tryton address, database and password, and points the ERP at Tryton', () => {
  assert.equal(loadConfig({}).connectors.erp.kind, 'sim');
  assert.equal(loadConfig({}).connectors.erp.tryton, undefined);
  const c = loadConfig({ TRADELANE_ERP_KIND: 'tryton', TRADELANE_TRYTON_URL: 'http://127.0.0.1:8000/', TRADELANE_TRYTON_DATABASE: 'tradelane', TRADELANE_TRYTON_PASSWORD: 'Secret-123' });
  assert.equal(c.connectors.erp.url, 'http://127.0.0.1:8000', 'no ERP simulator is started for it');
  assert.deepEqual(c.connectors.erp.tryton, { url: 'http://127.0.0.1:8000', database: 'tradelane', user: 'admin', password: 'Secret-123', postInvoices: false });
  assert.throws(
    () => loadConfig({ TRADELANE_ERP_KIND: 'tryton', TRADELANE_TRYTON_DATABASE: 'bad name', TRADELANE_ERP_URL: 'http://127.0.0.1:4101' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.errors.find((x) => x.path === 'TRADELANE_TRYTON_DATABASE')!.message, /Tryton database name/);
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ TRADELANE_ERP_KIND: 'tryton', TRADELANE_ERP_URL: 'http://127.0.0.1:4101' }),
    (e: unknown) => e instanceof ConfigError && ['TRADELANE_ERP_URL', 'TRADELANE_TRYTON_DATABASE', 'TRADELANE_TRYTON_PASSWORD', 'TRADELANE_TRYTON_URL'].every((p) => e.errors.some((x) => x.path === p && /TRADELANE_ERP_KIND=tryton/.test(x.message))),
  );
  assert.throws(() => loadConfig({ TRADELANE_ERP_KIND: 'odoo' }), (e: unknown) => e instanceof ConfigError && e.errors[0]!.path === 'TRADELANE_ERP_KIND');
});

test('rate limits and trusted proxies are parsed and validated', () => {
  const d = loadConfig({});
  assert.deepEqual(d.rateLimit, { enabled: true, windowMs: 60_000, limit: 600, anonymousLimit: 120, tiers: {}, clientTiers: {} });
  assert.equal(d.server.trustProxy, false);
  const c = loadConfig({
    TRADELANE_RATE_LIMIT_DEFAULT: '100',
    TRADELANE_RATE_LIMIT_ANONYMOUS: '10',
    TRADELANE_RATE_LIMIT_TIERS: 'gold=6000, silver=1200',
    TRADELANE_RATE_LIMIT_CLIENT_TIERS: 'key_01H=gold,cli_9=silver',
    TRADELANE_TRUST_PROXY: '10.0.0.0/8,loopback',
  });
  assert.deepEqual(c.rateLimit.tiers, { gold: 6000, silver: 1200 });
  assert.deepEqual(c.rateLimit.clientTiers, { key_01H: 'gold', cli_9: 'silver' });
  assert.equal(c.rateLimit.limit, 100);
  assert.equal(c.rateLimit.anonymousLimit, 10);
  assert.deepEqual(c.server.trustProxy, ['10.0.0.0/8', 'loopback']);
  assert.equal(loadConfig({ TRADELANE_TRUST_PROXY: 'true' }).server.trustProxy, true);
  assert.equal(loadConfig({ TRADELANE_TRUST_PROXY: 'hops:2' }).server.trustProxy, 2);
  assert.equal(loadConfig({ TRADELANE_RATE_LIMIT_ENABLED: 'false' }).rateLimit.enabled, false);
  for (const [name, value] of [
    ['TRADELANE_RATE_LIMIT_DEFAULT', '0'],
    ['TRADELANE_RATE_LIMIT_TIERS', 'gold=lots'],
    ['TRADELANE_RATE_LIMIT_TIERS', 'gold'],
    ['TRADELANE_RATE_LIMIT_CLIENT_TIERS', 'key_1=platinum'],
    ['TRADELANE_TRUST_PROXY', 'anyone'],
  ] as const) {
    assert.throws(() => loadConfig({ [name]: value }), (e: unknown) => e instanceof ConfigError && e.errors.some((x) => x.path === name), `${name}=${value}`);
  }
});

test('TRADELANE_AUTH_CACHE_TTL_MS: API key and OAuth client lookups are reused 5 s by default, 0 turns it off, at most 30 s', () => {
  assert.deepEqual(loadConfig({}).auth, { credentialCacheMs: 5000 });
  assert.deepEqual(loadConfig({ TRADELANE_AUTH_CACHE_TTL_MS: '0' }).auth, { credentialCacheMs: 0 });
  assert.deepEqual(loadConfig({ TRADELANE_AUTH_CACHE_TTL_MS: '1500' }).auth, { credentialCacheMs: 1500 });
  assert.throws(() => loadConfig({ TRADELANE_AUTH_CACHE_TTL_MS: '60000' }), /TRADELANE_AUTH_CACHE_TTL_MS must be ≤ 30000/);
  assert.throws(() => loadConfig({ TRADELANE_AUTH_CACHE_TTL_MS: '5s' }), /TRADELANE_AUTH_CACHE_TTL_MS must be a whole number/);
});
