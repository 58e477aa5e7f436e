import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createRateLimitRepo } from './rate-limit.repo.js';

const MINUTE = 60_000;
const T0 = 1_700_000_020_000; // 40 s into a minute window

for (const target of databaseTargets()) {
  describe(`rate limit counters on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('counts per key within a fixed window and reports its end', async () => {
      const limits = createRateLimitRepo(db);
      assert.deepEqual(await limits.hit('key_a', MINUTE, T0), { count: 1, resetAt: T0 + 20_000 });
      assert.deepEqual(await limits.hit('key_a', MINUTE, T0 + 1000), { count: 2, resetAt: T0 + 20_000 });
      assert.deepEqual(await limits.hit('key_b', MINUTE, T0), { count: 1, resetAt: T0 + 20_000 });
    });

    test('a new window starts from one; a late hit from an older window does not reset it', async () => {
      const limits = createRateLimitRepo(db);
      await limits.hit('key_c', MINUTE, T0);
      await limits.hit('key_c', MINUTE, T0);
      assert.deepEqual(await limits.hit('key_c', MINUTE, T0 + 20_000), { count: 1, resetAt: T0 + 80_000 });
      const stale = await limits.hit('key_c', MINUTE, T0 + 19_000);
      assert.equal(stale.resetAt, T0 + 80_000);
      assert.equal((await limits.hit('key_c', MINUTE, T0 + 21_000)).count, stale.count + 1);
    });

    test('200 concurrent hits from two repos (two processes) count exactly 200', async () => {
      const one = createRateLimitRepo(db);
      const two = createRateLimitRepo(db);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).hit('key_shared', MINUTE, T0)));
      assert.deepEqual(results.map((r) => r.count).sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1));
    });

    test('prunes rows of long-gone windows', async () => {
      const limits = createRateLimitRepo(db, { pruneEvery: 2 });
      await limits.hit('key_old', MINUTE, T0 - 10 * 3_600_000);
      await limits.hit('key_new', MINUTE, T0);
      const { rows } = await db.query<{ key: string }>("SELECT key FROM tl_rate_limits WHERE key IN ('key_old', 'key_new')");
      assert.deepEqual(rows.map((r) => r.key), ['key_new']);
    });

    test('refuses empty keys and bad windows', async () => {
      const limits = createRateLimitRepo(db);
      await assert.rejects(limits.hit('', MINUTE, T0), RangeError);
      await assert.rejects(limits.hit('k', 0, T0), RangeError);
    });
  });
}
