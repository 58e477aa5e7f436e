import type { RateLimitHit, RateLimitStore } from '@tradelane/core';
import type { Sql } from '../driver/database.js';

/** Options of {@link createRateLimitRepo}. */
export interface RateLimitRepoOptions {
  /** Every this many statements, rows whose window ended over an hour ago are deleted. @default 1000 */
  pruneEvery?: number;
  /**
   * The most counts one statement reserves for this process when the caller names its limit; `1` counts every
   * request with its own statement, as without a limit. @default 16
   */
  maxBatch?: number;
  /** Keys whose reservations this process keeps; beyond it the oldest are dropped (their unused counts with them). @default 10000 */
  maxKeys?: number;
}

/** This process's reservation of counts of one key in one window: positions `next` … `end` of the shared count. */
interface Lease {
  windowStart: number;
  next: number;
  end: number;
  /** Size of the last reservation; the next one of the same window doubles it. */
  size: number;
  /** Requests refused here without a statement once the shared count was seen at the limit. */
  over: number;
}

/**
 * The size of the next reservation: 1 for a key's first in a window, then doubling up to `maxBatch`, and never more
 * than an eighth of what the count last seen leaves below the limit, so counts near the limit go one at a time.
 */
function nextSize(lease: Lease | undefined, windowStart: number, limit: number | undefined, maxBatch: number): number {
  if (limit === undefined || !lease || lease.windowStart !== windowStart) return 1;
  const left = limit - lease.end;
  return Math.max(1, Math.min(maxBatch, lease.size * 2, Math.floor(left / 8)));
}

/**
 * The Postgres {@link RateLimitStore}: one row per key holding its current fixed window and the count in it, so every
 * process on the database shares the limits. When the caller names its limit, a process reserves counts in batches
 * with one atomic upsert (1, 2, 4 … up to `maxBatch` per statement while a key stays busy, one at a time as the count
 * nears the limit) and hands them out from memory; once it has seen the shared count reach the limit it refuses the
 * key's further requests of that window without a statement. No window ever admits more than the limit across all
 * processes; a client may be refused up to `maxBatch − 1` requests early per process that reserved counts it did not
 * use before the window ended. Without a limit every hit is its own upsert.
 * @example const limits = createRateLimitRepo(db); await limits.hit('key_1', 60_000, Date.now(), 600)
 */
export function createRateLimitRepo(sql: Sql, options: RateLimitRepoOptions = {}): RateLimitStore {
  const pruneEvery = options.pruneEvery ?? 1000;
  const maxBatch = Math.max(1, Math.trunc(options.maxBatch ?? 16));
  const maxKeys = options.maxKeys ?? 10_000;
  const leases = new Map<string, Lease>();
  /** A reservation under way per key: concurrent hits of the key wait for it rather than reserving their own. */
  const reserving = new Map<string, Promise<void>>();
  let statements = 0;

  /** Adds `size` to the key's shared count; resolves the new total and the window it is in. */
  async function add(key: string, windowMs: number, windowStart: number, now: number, size: number): Promise<{ end: number; windowStart: number }> {
    if (++statements % pruneEvery === 0) {
      await sql.query('DELETE FROM tl_rate_limits WHERE window_start < $1', [String(now - 3_600_000 - windowMs)]);
    }
    // A row of an older window starts again from this reservation; one of a newer window (another process's clock
    // is ahead) takes it as well, so a count is never lost.
    const { rows } = await sql.query<{ request_count: number; window_start: string }>(
      `INSERT INTO tl_rate_limits AS r (key, window_start, request_count) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET
         request_count = CASE WHEN r.window_start >= EXCLUDED.window_start THEN r.request_count + EXCLUDED.request_count ELSE EXCLUDED.request_count END,
         window_start = GREATEST(r.window_start, EXCLUDED.window_start)
       RETURNING request_count, window_start`,
      [key, String(windowStart), size],
    );
    const row = rows[0]!;
    return { end: Number(row.request_count), windowStart: Number(row.window_start) };
  }

  async function reserve(key: string, windowMs: number, windowStart: number, now: number, size: number): Promise<void> {
    const added = await add(key, windowMs, windowStart, now, size);
    if (!leases.has(key) && leases.size >= maxKeys) leases.delete(leases.keys().next().value!);
    leases.set(key, { windowStart: added.windowStart, next: added.end - size + 1, end: added.end, size, over: 0 });
  }

  return {
    async hit(key: string, windowMs: number, now: number, limit?: number): Promise<RateLimitHit> {
      if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw new RangeError('rate limit key must be 1-512 characters');
      if (!Number.isInteger(windowMs) || windowMs < 1) throw new RangeError('windowMs must be a positive integer');
      const windowStart = Math.floor(now / windowMs) * windowMs;
      if (limit === undefined || maxBatch === 1) {
        // No batches: each hit is its own upsert, concurrent hits side by side.
        const added = await add(key, windowMs, windowStart, now, 1);
        return { count: added.end, resetAt: added.windowStart + windowMs };
      }
      for (;;) {
        const lease = leases.get(key);
        const current = lease !== undefined && lease.windowStart >= windowStart;
        if (current && lease.next <= lease.end) {
          return { count: lease.next++, resetAt: lease.windowStart + windowMs };
        }
        if (current && limit !== undefined && lease.end >= limit) {
          // Every count up to the limit is taken in this window: the request is over it whoever asks.
          lease.over += 1;
          return { count: lease.end + lease.over, resetAt: lease.windowStart + windowMs };
        }
        const pending = reserving.get(key);
        if (pending) {
          await pending;
          continue;
        }
        const size = nextSize(lease, windowStart, limit, maxBatch);
        const done = reserve(key, windowMs, windowStart, now, size).finally(() => reserving.delete(key));
        reserving.set(key, done);
        await done;
      }
    },
  };
}
