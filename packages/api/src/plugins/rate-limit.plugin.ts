import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError, createMemoryRateLimitStore, type RateLimitStore } from '@tradelane/core';
import { callerContext } from './auth.plugin.js';

/** Options of {@link rateLimitPlugin}. */
export interface RateLimitPluginOptions {
  /** Where the counters live; a Postgres store shares them across processes. @default an in-memory store */
  store?: RateLimitStore | undefined;
  /** Length of the fixed window. @default 60000 */
  windowMs?: number | undefined;
  /** Requests per window of an authenticated client without a tier. @default 600 */
  limit?: number | undefined;
  /** Requests per window of one client address on routes without authentication (token endpoint, docs). @default 120 */
  anonymousLimit?: number | undefined;
  /** Named tiers and their requests per window, e.g. `{ gold: 6000 }`. @default {} */
  tiers?: Readonly<Record<string, number>> | undefined;
  /** The tier of a client, by API key id or OAuth client id (the actor id), e.g. `{ key_01H…: 'gold' }`. @default {} */
  clientTiers?: Readonly<Record<string, string>> | undefined;
  /**
   * Failed authentications (401) per window from one client address before that address is refused outright (429)
   * until the window ends. @default the anonymous limit
   */
  authFailureLimit?: number | undefined;
  /** Time source (epoch ms). @default Date.now */
  now?: (() => number) | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts the route from rate limiting (health probes). */
    rateLimit?: boolean;
  }
}

/** Header announcing the policy: `RateLimit-Policy: 600;w=60`. */
export const RATE_LIMIT_POLICY_HEADER = 'ratelimit-policy';
/** Header with the current state: `RateLimit: limit=600, remaining=599, reset=42`. */
export const RATE_LIMIT_HEADER = 'ratelimit';

/** The counter key, limit and tier of a request: the authenticated client, else the client address. */
function subjectOf(request: FastifyRequest, options: Required<Pick<RateLimitPluginOptions, 'limit' | 'anonymousLimit'>> & RateLimitPluginOptions) {
  const caller = callerContext(request);
  if (caller) {
    const tier = options.clientTiers?.[caller.actor.id];
    const tierLimit = tier === undefined ? undefined : options.tiers?.[tier];
    return { key: `client:${caller.tenantId}:${caller.actor.kind}:${caller.actor.id}`.slice(0, 512), limit: tierLimit ?? options.limit };
  }
  return { key: `ip:${request.ip}`, limit: options.anonymousLimit };
}

function setHeaders(reply: FastifyReply, limit: number, remaining: number, resetSeconds: number, windowSeconds: number): void {
  void reply.header(RATE_LIMIT_POLICY_HEADER, `${limit};w=${windowSeconds}`);
  void reply.header(RATE_LIMIT_HEADER, `limit=${limit}, remaining=${remaining}, reset=${resetSeconds}`);
}

/**
 * Fixed-window rate limits per client, answered with the IETF draft headers (draft-ietf-httpapi-ratelimit-headers-07):
 * `RateLimit-Policy: <limit>;w=<window s>` and `RateLimit: limit=<n>, remaining=<n>, reset=<s>` on every limited
 * response; over the limit, 429 `TL_RATE_LIMITED` with `Retry-After` (seconds). Authenticated requests count per
 * client (tenant + API key id or OAuth client id) at the client's tier; requests that carry no accepted credential
 * count per client address (`request.ip`, which honours `X-Forwarded-For` only when the app trusts a proxy). The check
 * runs in `preParsing`, after the route tree's auth plugin and before the body is read. Failed authentications
 * (401) count per address too: past `authFailureLimit` in a window the address gets 429 before any credential is
 * checked, until the window ends. When the store fails the
 * request is let through and the failure logged (a counter outage must not take the API down). Register at the root.
 * @example await app.register(rateLimitPlugin, { store: createRateLimitRepo(db), limit: 600, tiers: { gold: 6000 } })
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app: FastifyInstance, options: RateLimitPluginOptions) => {
    const settings = { ...options, limit: options.limit ?? 600, anonymousLimit: options.anonymousLimit ?? 120 };
    const windowMs = options.windowMs ?? 60_000;
    const windowSeconds = Math.ceil(windowMs / 1000);
    const store = options.store ?? createMemoryRateLimitStore();
    const now = options.now ?? Date.now;
    const authFailureLimit = options.authFailureLimit ?? settings.anonymousLimit;
    /** Addresses over the failed-authentication budget, until when (epoch ms); this process's view of the shared counts. */
    const blocked = new Map<string, number>();
    for (const [name, n] of Object.entries({ limit: settings.limit, anonymousLimit: settings.anonymousLimit, authFailureLimit, ...options.tiers })) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`rate limit ${name} must be a positive whole number`);
    }

    // Credential guessing: 401s are counted per address after the answer; an address over its budget is refused
    // before its credential is even looked at, until the window ends.
    app.addHook('onRequest', async (request, reply) => {
      const until = blocked.get(request.ip);
      if (until === undefined || request.routeOptions.config?.rateLimit === false) return;
      const at = now();
      if (until <= at) {
        blocked.delete(request.ip);
        return;
      }
      const resetSeconds = Math.ceil((until - at) / 1000);
      setHeaders(reply, authFailureLimit, 0, resetSeconds, windowSeconds);
      throw new RateLimitedError('TL_RATE_LIMITED', `Too many failed authentications from this address; retry in ${resetSeconds} s.`, Math.max(1000, until - at), {
        limit: authFailureLimit,
        windowSeconds,
      });
    });
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode !== 401) return;
      try {
        const hit = await store.hit(`authfail:${request.ip}`, windowMs, now());
        if (hit.count >= authFailureLimit) {
          if (blocked.size >= 10_000) blocked.delete(blocked.keys().next().value!);
          blocked.set(request.ip, hit.resetAt);
        }
      } catch (err) {
        request.log.warn({ err }, 'rate limit store failed; failed authentication not counted');
      }
    });

    app.addHook('preParsing', async (request, reply) => {
      if (request.routeOptions.config?.rateLimit === false) return;
      const { key, limit } = subjectOf(request, settings);
      const at = now();
      let hit;
      try {
        hit = await store.hit(key, windowMs, at, limit);
      } catch (err) {
        request.log.warn({ err }, 'rate limit store failed; request let through');
        return;
      }
      const resetMs = Math.max(0, hit.resetAt - at);
      const resetSeconds = Math.ceil(resetMs / 1000);
      setHeaders(reply, limit, Math.max(0, limit - hit.count), resetSeconds, windowSeconds);
      if (hit.count > limit) {
        throw new RateLimitedError('TL_RATE_LIMITED', `Rate limit of ${limit} requests per ${windowSeconds} s exceeded; retry in ${resetSeconds} s.`, Math.max(1000, resetMs), {
          limit,
          windowSeconds,
        });
      }
    });
  },
  { name: 'tradelane-rate-limit', fastify: '5.x' },
);
