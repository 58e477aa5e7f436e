import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { createAuditScope, runInAuditScope, type AuditLog, type AuditOutcome, type AuditResource, type AuditScope, type NewAuditEntry, type TenantContext } from '@tradelane/core';
import { callerContext } from '../plugins/auth.plugin.js';
import { IDEMPOTENT_REPLAYED_HEADER } from '../plugins/idempotency.plugin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Audit this read too: it discloses privileged data (exceptions, invoices, webhook delivery logs). Every
     * POST/PUT/PATCH/DELETE is audited anyway.
     */
    privileged?: boolean;
    /** Resource kind recorded in the audit entry. @default the path segment before the last parameter (or the last segment) */
    auditResource?: string;
  }
}

/** Options of {@link auditPlugin}. */
export interface AuditPluginOptions {
  /** Where entries go (the store's hash-chained log in the server, an in-memory log in tests). */
  log: AuditLog;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const kResponseId = Symbol('tradelane.auditResponseId');
const kScope = Symbol('tradelane.auditScope');

/**
 * The audit action of a route, as the audit log spells actions (dotted, lower case): `http.<method>.<path segments>`
 * with parameters named by their name and `-` as `_`.
 * @example auditActionOf('POST', '/v1/ops/exceptions/:id/resolve') // 'http.post.v1.ops.exceptions.id.resolve'
 */
export function auditActionOf(method: string, url: string): string {
  const segments = url
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/^:/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_'))
    .filter((s) => s !== '' && s !== '_');
  return ['http', method.toLowerCase(), ...segments].join('.').slice(0, 100);
}

/** `success` below 400, `denied` on 401/403, `failure` otherwise. */
export function auditOutcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success';
  return statusCode === 401 || statusCode === 403 ? 'denied' : 'failure';
}

/**
 * The resource a route touches: the last path parameter and the static segment before it (`/orders/:id/cancel` →
 * `orders`/`<id>`), else the last static segment and the id of the created document, else `-`.
 */
export function auditResourceOf(url: string, params: Readonly<Record<string, unknown>>, responseId: string | undefined, kind?: string): AuditResource {
  const segments = url.split('/').filter(Boolean);
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const seg = segments[i]!;
    if (!seg.startsWith(':')) continue;
    const value = params[seg.slice(1)];
    const before = segments.slice(0, i).reverse().find((s) => !s.startsWith(':'));
    return { kind: kind ?? before ?? 'resource', id: typeof value === 'string' && value !== '' ? value : '-' };
  }
  const last = [...segments].reverse().find((s) => !s.startsWith(':')) ?? 'resource';
  return { kind: kind ?? last, id: responseId ?? '-' };
}

function responseIdOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.id === 'string') return p.id;
  const nested = p.subscription as Record<string, unknown> | undefined;
  return nested && typeof nested.id === 'string' ? nested.id : undefined;
}

function shouldAudit(request: FastifyRequest): boolean {
  return WRITES.has(request.method) || request.routeOptions.config.privileged === true;
}

/** The one 2xx status a route declares for success, if it declares exactly one (what a committed write answers). */
function declaredSuccessStatus(request: FastifyRequest): number | undefined {
  const response = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
  const codes = Object.keys(response)
    .map(Number)
    .filter((c) => c >= 200 && c < 300);
  return codes.length === 1 ? codes[0] : undefined;
}

function entryOf(request: FastifyRequest, ctx: TenantContext, status: number | undefined, responseId: string | undefined, replayed: boolean): NewAuditEntry {
  const url = request.routeOptions.url ?? request.url.split('?')[0]!;
  return {
    action: auditActionOf(request.method, url),
    resource: auditResourceOf(url, (request.params ?? {}) as Record<string, unknown>, responseId, request.routeOptions.config.auditResource),
    outcome: status === undefined ? 'success' : auditOutcomeOf(status),
    detail: {
      route: `${request.method} ${url}`,
      ...(status !== undefined ? { status } : {}),
      ...(ctx.partnerId ? { partnerId: ctx.partnerId } : {}),
      ...(replayed ? { replayed: true } : {}),
    },
  };
}

type Scoped = FastifyRequest & { [kScope]: AuditScope | null };

/**
 * Audits every write (POST/PUT/PATCH/DELETE) and every privileged read (`config: { privileged: true }`) of an
 * authenticated caller: actor and tenant from the caller's context (refused callers included), action = the route
 * ({@link auditActionOf}: `POST /v1/customer/orders` → `http.post.v1.customer.orders`), resource from the path
 * parameters or the created document's id, outcome from the status (`success`, `denied`, `failure`), the correlation
 * id, and as detail only the route (`POST /v1/customer/orders`), the status, the partner and whether an idempotent
 * replay answered. Bodies, headers and credentials are never recorded.
 *
 * A write runs its handler inside an audit scope (`runInAuditScope`): the first store transaction of the handler that
 * changes data appends the `success` entry as its last statement, so the entry and the change commit together or not
 * at all (an entry that cannot be appended rolls the write back); the created document's id comes from that
 * transaction's result, the status is the route's declared 2xx. A write that committed no transaction (refused,
 * failed, replayed, or one that changes nothing in the hub's database) gets its entry here once the status is known,
 * in a transaction of its own, as does a write answered with an error after its transaction committed (a second
 * entry, `failure`). Such an entry that cannot be appended is logged as an error and the answer still goes out. A
 * privileged read is recorded once the status is known; when its entry cannot be appended the read fails, so nothing
 * is disclosed unaudited. Requests without a resolved credential (401) belong to no tenant and are not audited.
 * @example await app.register(auditPlugin, { log: createAuditLogRepo(db, clock) })
 */
export const auditPlugin = fp<AuditPluginOptions>(
  async (app: FastifyInstance, options: AuditPluginOptions) => {
    app.decorateRequest(kResponseId, null);
    app.decorateRequest(kScope, null);
    // A callback hook, so the rest of the request (later hooks, the handler, the store calls it makes) runs inside the
    // scope; preValidation is the first stage after the body is read, whose events run outside the request's context.
    app.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      if (!WRITES.has(request.method)) {
        done();
        return;
      }
      const scope = createAuditScope(() => {
        const ctx = callerContext(request);
        if (!ctx || reply.getHeader(IDEMPOTENT_REPLAYED_HEADER) === 'true') return undefined;
        return {
          ctx: { ...ctx, correlationId: request.id },
          entryFor: (result) => entryOf(request, ctx, declaredSuccessStatus(request), responseIdOf(result), false),
        };
      });
      (request as Scoped)[kScope] = scope;
      runInAuditScope(scope, done);
    });
    app.addHook('preSerialization', async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      if (shouldAudit(request)) (request as unknown as Record<symbol, string | undefined>)[kResponseId] = responseIdOf(payload);
      return payload;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!shouldAudit(request)) return payload;
      const scope = (request as Scoped)[kScope];
      if (scope) scope.closed = true;
      if (scope?.recorded && reply.statusCode < 400) return payload;
      const ctx = callerContext(request);
      if (!ctx) return payload;
      const replayed = reply.getHeader(IDEMPOTENT_REPLAYED_HEADER) === 'true';
      const responseId = (request as unknown as Record<symbol, string | null>)[kResponseId] ?? undefined;
      const entry = entryOf(request, ctx, reply.statusCode, responseId, replayed);
      try {
        await options.log.append({ ...ctx, correlationId: request.id }, entry);
      } catch (err) {
        request.log.error({ err, route: entry.detail?.route }, 'audit entry not appended');
        if (!WRITES.has(request.method) && reply.statusCode < 400) throw err;
      }
      return payload;
    });
  },
  { name: 'tradelane-audit', fastify: '5.x' },
);
