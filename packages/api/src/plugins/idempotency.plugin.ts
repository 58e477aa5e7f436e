import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, InputError, UnprocessableError, type IdempotencyStore, type TenantContext } from '@tradelane/core';

/** Options of {@link idempotencyPlugin}. */
export interface IdempotencyPluginOptions {
  /** Where keys and stored responses live. */
  store: IdempotencyStore;
  /** After this long a key left in flight (its process died) can be claimed again. @default 60000 */
  lockMs?: number;
  /** How long a stored response is replayed. @default 86400000 (24 h) */
  ttlMs?: number;
  /** Response headers stored and replayed besides `content-type` and `location`. @default [] */
  replayHeaders?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route creates something: it requires an `Idempotency-Key` header and replays the first response. */
    idempotent?: boolean;
  }
}

/** Header that marks a replayed response. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** Header carrying the client's key. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const KEY_SHAPE = /^[\x20-\x7E]{1,255}$/;
const kClaim = Symbol('tradelane.idempotencyClaim');

interface Claim {
  ctx: TenantContext;
  scope: string;
  key: string;
  settled: boolean;
}

type WithClaim = FastifyRequest & { [kClaim]: Claim | null };

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal values hash equally.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** sha256 (hex) over method, path and the canonical JSON of the body: what a replay must match. */
export function idempotencyRequestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
}

/**
 * `Idempotency-Key` with Stripe semantics on every route declaring `config: { idempotent: true }`. The key is required
 * (400 `TL_IDEMPOTENCY_KEY_MISSING`; 1–255 printable characters, else 400 `TL_IDEMPOTENCY_KEY_INVALID`) and scoped to
 * the client (`ctx.actor.id`) and the route. The first request runs and its response — including a 4xx domain
 * error — is stored; a retry with the same body gets it back with `Idempotent-Replayed: true`; a retry with another
 * body gets 422 `TL_IDEMPOTENCY_KEY_REUSED`; one arriving while the first still runs gets 409
 * `TL_IDEMPOTENCY_IN_FLIGHT`. A 5xx or 429 releases the key so a retry can run. Requests that fail schema
 * validation never claim a key. Register after the auth plugin.
 * @example await app.register(idempotencyPlugin, { store }); app.post('/orders', { config: { idempotent: true } }, h)
 */
export const idempotencyPlugin = fp<IdempotencyPluginOptions>(
  async (app: FastifyInstance, options: IdempotencyPluginOptions) => {
    const lockMs = options.lockMs ?? 60_000;
    const ttlMs = options.ttlMs ?? 86_400_000;
    const kept = new Set(['content-type', 'location', ...(options.replayHeaders ?? []).map((h) => h.toLowerCase())]);
    if (!app.hasRequestDecorator(kClaim)) app.decorateRequest(kClaim, null);

    const release = async (request: FastifyRequest, claim: Claim): Promise<void> => {
      claim.settled = true;
      try {
        await options.store.release(claim.ctx, { scope: claim.scope, key: claim.key });
      } catch (err) {
        request.log.error({ err }, 'idempotency key could not be released; it frees itself after the lock expires');
      }
    };

    app.addHook('preValidation', async (request) => {
      if (request.routeOptions.config.idempotent !== true) return;
      const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
      if (raw === undefined || raw === '') {
        throw new InputError('TL_IDEMPOTENCY_KEY_MISSING', 'This request creates something: send an Idempotency-Key header (a UUID is a good choice).', {
          header: 'Idempotency-Key',
        });
      }
      if (typeof raw !== 'string' || !KEY_SHAPE.test(raw)) {
        throw new InputError('TL_IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1-255 printable ASCII characters.', { header: 'Idempotency-Key' });
      }
    });

    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.config.idempotent !== true) return;
      const ctx = request.ctx;
      const key = request.headers[IDEMPOTENCY_KEY_HEADER] as string;
      const scope = `${ctx.actor.id} ${request.method} ${request.routeOptions.url ?? pathOf(request)}`;
      const requestHash = idempotencyRequestHash(request.method, pathOf(request), request.body);
      const outcome = await options.store.begin(ctx, { scope, key, requestHash }, { lockMs, ttlMs });
      if (outcome === 'started') {
        (request as WithClaim)[kClaim] = { ctx, scope, key, settled: false };
        return;
      }
      if (outcome === 'in_flight') {
        void reply.header('retry-after', '1');
        throw new ConflictError('TL_IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      }
      if (outcome === 'mismatch') {
        throw new UnprocessableError(
          'TL_IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used with a different request; use a new key for a new request.',
        );
      }
      const stored = outcome.replay;
      request.log.info({ status: stored.status }, 'idempotent replay');
      return replay(reply, stored.status, stored.headers, stored.body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const claim = (request as WithClaim)[kClaim];
      if (!claim || claim.settled) return payload;
      const status = reply.statusCode;
      if (status >= 500 || status === 429) {
        await release(request, claim);
        return payload;
      }
      let body: unknown = null;
      if (typeof payload === 'string' && payload !== '') {
        try {
          body = JSON.parse(payload);
        } catch {
          await release(request, claim);
          return payload;
        }
      } else if (payload !== null && payload !== undefined && payload !== '') {
        // Streams and buffers are not replayable JSON: do not pretend to store them.
        await release(request, claim);
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of kept) {
        const v = reply.getHeader(name);
        if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      claim.settled = true;
      try {
        await options.store.complete(claim.ctx, { scope: claim.scope, key: claim.key }, { status, headers, body });
      } catch (err) {
        // The work is done and the caller gets its answer; a retry will see the key in flight until the lock expires.
        request.log.error({ err }, 'idempotent response could not be stored');
      }
      return payload;
    });

    // Safety net: a claimed request whose response finished without passing the onSend hook above frees its key.
    app.addHook('onResponse', async (request) => {
      const claim = (request as WithClaim)[kClaim];
      if (claim && !claim.settled) await release(request, claim);
    });
  },
  { name: 'tradelane-idempotency', fastify: '5.x', dependencies: ['tradelane-auth'] },
);

function replay(reply: FastifyReply, status: number, headers: Readonly<Record<string, string>>, body: unknown): FastifyReply {
  void reply.code(status).headers({ ...headers }).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (body === null || body === undefined) return reply.send();
  if (!headers['content-type']) void reply.type('application/json; charset=utf-8');
  return reply.send(JSON.stringify(body));
}
