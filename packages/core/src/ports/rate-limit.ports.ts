/**
 * Port of the gateway's rate limiter: a fixed-window counter per client key. The default implementation keeps the
 * counters in memory (one process); `@tradelane/store` keeps them in Postgres so every process shares them.
 */

/** The state of one key's window after a hit. */
export interface RateLimitHit {
  /** Requests counted in the current window, this one included. */
  readonly count: number;
  /** Epoch milliseconds at which the current window ends and the count starts again from zero. */
  readonly resetAt: number;
}

/**
 * Counts requests per key in fixed windows. Keys are not tenant data (they name a client or an address, and the
 * limiter runs before a tenant context exists for unauthenticated routes), so this port takes no TenantContext.
 */
export interface RateLimitStore {
  /**
   * Counts one request for `key` in the window of `windowMs` that contains `now` (epoch ms). `limit`, the most the
   * caller admits per window, lets a shared store reserve counts in batches: it may then answer a count above the
   * limit for a request that another process's unused reservation kept out, but never one at or below the limit twice.
   */
  hit(key: string, windowMs: number, now: number, limit?: number): Promise<RateLimitHit>;
}

/** Options of {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Most keys kept; the oldest windows are dropped beyond it. @default 100000 */
  maxKeys?: number;
}

/**
 * The in-process {@link RateLimitStore}: a map of fixed windows, bounded in size. Right for one process (PGlite);
 * several processes need a shared store.
 * @example const store = createMemoryRateLimitStore(); await store.hit('key_1', 60_000, Date.now())
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async hit(key, windowMs, now) {
      const start = Math.floor(now / windowMs) * windowMs;
      let w = windows.get(key);
      if (!w || w.start !== start) {
        if (w) windows.delete(key);
        w = { start, count: 0 };
        // Map order is insertion order: the first key holds the oldest window.
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        windows.set(key, w);
      }
      w.count++;
      return { count: w.count, resetAt: start + windowMs };
    },
  };
}
