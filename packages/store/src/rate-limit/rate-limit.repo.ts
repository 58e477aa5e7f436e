import type { RateLimitHit, RateLimitStore } from '@tradelane/core';
import type { Sql } from '../driver/database.js';

/** Options of {@link createRateLimitRepo}. */
export interface RateLimitRepoOptions {
  /** Every this many hits, rows whose window ended over an hour ago are deleted. @default 1000 */
  pruneEvery?: number;
}

/**
 * The Postgres {@link RateLimitStore}: one row per key holding its current fixed window, counted with a single
 * atomic upsert, so every process on the database shares the limits.
 * @example const limits = createRateLimitRepo(db); await limits.hit('key_1', 60_000, Date.now())
 */
export function createRateLimitRepo(sql: Sql, options: RateLimitRepoOptions = {}): RateLimitStore {
  const pruneEvery = options.pruneEvery ?? 1000;
  let hits = 0;
  return {
    async hit(key: string, windowMs: number, now: number): Promise<RateLimitHit> {
      if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw new RangeError('rate limit key must be 1-512 characters');
      if (!Number.isInteger(windowMs) || windowMs < 1) throw new RangeError('windowMs must be a positive integer');
      const start = Math.floor(now / windowMs) * windowMs;
      if (++hits % pruneEvery === 0) {
        await sql.query('DELETE FROM tl_rate_limits WHERE window_start < $1', [String(now - 3_600_000 - windowMs)]);
      }
      const { rows } = await sql.query<{ request_count: number; window_start: string }>(
        `INSERT INTO tl_rate_limits AS r (key, window_start, request_count) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           request_count = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.request_count + 1
                                WHEN r.window_start > EXCLUDED.window_start THEN r.request_count
                                ELSE 1 END,
           window_start = GREATEST(r.window_start, EXCLUDED.window_start)
         RETURNING request_count, window_start`,
        [key, String(start)],
      );
      const row = rows[0]!;
      return { count: Number(row.request_count), resetAt: Number(row.window_start) + windowMs };
    },
  };
}
