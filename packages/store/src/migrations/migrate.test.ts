import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '@tradelane/testkit';
import { loadMigrations, migrate, migrationStatus } from './migrate.js';
import { ConflictError } from '@tradelane/core';

for (const target of databaseTargets()) {
  describe(`migrations on ${target.name}`, () => {
    test('apply once, report status, and refuse an edited migration', async () => {
      const db = await target.open({ migrate: false });
      try {
        const all = loadMigrations();
        assert.ok(all.length >= 1);
        const before = await migrationStatus(db);
        assert.deepEqual(before.pending, all.map((m) => m.version));
        assert.deepEqual(await migrate(db), all.map((m) => m.version));
        assert.deepEqual(await migrate(db), [], 'second run applies nothing');
        const after = await migrationStatus(db);
        assert.deepEqual(after.pending, []);
        assert.equal(after.latest, all.at(-1)!.version);
        const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'x' } : m));
        await assert.rejects(migrate(db, edited), (e: unknown) => e instanceof ConflictError && e.code === 'TL_STORE_MIGRATION_CHANGED');
      } finally {
        await db.close();
      }
    });

    test('a failing migration leaves nothing half-applied', async () => {
      const db = await target.open({ migrate: false });
      try {
        const bad = [{ version: 9001, name: 'bad', checksum: 'c', sql: 'CREATE TABLE tl_half (id int); SELECT no_such_function();' }];
        await assert.rejects(migrate(db, bad));
        const { rows } = await db.query(`SELECT to_regclass('tl_half') AS t`);
        assert.equal(rows[0]!.t, null);
        assert.deepEqual((await migrationStatus(db, bad)).pending, [9001]);
      } finally {
        await db.close();
      }
    });
  });
}
