import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '@tradelane/testkit';
import type { Database, Sql } from '../driver/database.js';
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

    test('with a limit, counts are reserved in batches: far fewer statements, the same counts in order', async () => {
      let statements = 0;
      const counted: Sql = { query: (text, params) => (statements++, db.query(text, params)), exec: (script) => db.exec(script) };
      const limits = createRateLimitRepo(counted, { maxBatch: 16 });
      const counts: number[] = [];
      for (let i = 0; i < 100; i++) counts.push((await limits.hit('key_batch', MINUTE, T0, 1000)).count);
      assert.deepEqual(counts, Array.from({ length: 100 }, (_, i) => i + 1));
      assert.ok(statements <= 10, `${statements} statements for 100 hits`);
      const { rows } = await db.query<{ request_count: number }>("SELECT request_count FROM tl_rate_limits WHERE key = 'key_batch'");
      assert.ok(rows[0]!.request_count >= 100 && rows[0]!.request_count < 100 + 16, 'the shared count holds at most one unused batch');
      assert.equal((await limits.hit('key_batch', MINUTE, T0 + 20_000, 1000)).count, 1, 'a new window starts from one');
    });

    test('two processes with batches never admit more than the limit between them, and stop asking once it is reached', async () => {
      let statements = 0;
      const counted: Sql = { query: (text, params) => (statements++, db.query(text, params)), exec: (script) => db.exec(script) };
      const one = createRateLimitRepo(counted);
      const two = createRateLimitRepo(counted);
      const limit = 50;
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).hit('key_two_procs', MINUTE, T0, limit)));
      const admitted = results.filter((r) => r.count <= limit).map((r) => r.count);
      assert.equal(admitted.length, limit, 'every count up to the limit is used once, none twice');
      assert.equal(new Set(admitted).size, limit);
      const { rows } = await db.query<{ request_count: number }>("SELECT request_count FROM tl_rate_limits WHERE key = 'key_two_procs'");
      assert.ok(rows[0]!.request_count >= limit);
      const before = statements;
      for (let i = 0; i < 20; i++) assert.ok((await one.hit('key_two_procs', MINUTE, T0 + 1000, limit)).count > limit);
      assert.equal(statements, before, 'once the limit is seen, refusals need no statement');
      // sequential traffic near the limit goes one count at a time: nothing is wasted
      const three = createRateLimitRepo(db);
      const four = createRateLimitRepo(db);
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) seen.push((await (i % 2 ? three : four).hit('key_near', MINUTE, T0, 12)).count);
      assert.equal(seen.filter((c) => c <= 12).length, 12, 'two processes alternating still admit exactly the limit');
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
