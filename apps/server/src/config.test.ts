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
