import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog, AuditOutcome, AuditResource } from '@tradelane/core';
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

/**
 * Appends one audit entry per write (POST/PUT/PATCH/DELETE) and per privileged read (`config: { privileged: true }`)
 * of an authenticated caller, once the status is known and before the answer leaves: actor and tenant from the
 * caller's context (refused callers included), action = the route ({@link auditActionOf}: `POST /v1/customer/orders`
 * → `http.post.v1.customer.orders`), resource from the path parameters or the created document's id, outcome from
 * the status (`success`, `denied`, `failure`), the correlation id, and as detail only the route
 * (`POST /v1/customer/orders`), the status, the partner and whether an idempotent replay answered. Bodies,
 * headers and credentials are never recorded. A write whose entry cannot be appended is logged as an error and
 * answered (it already happened); a privileged read whose entry cannot be appended fails, so nothing is disclosed
 * unaudited. Requests without a resolved credential (401) belong to no tenant and are not audited.
 * @example await app.register(auditPlugin, { log: createAuditLogRepo(db, clock) })
 */
export const auditPlugin = fp<AuditPluginOptions>(
  async (app: FastifyInstance, options: AuditPluginOptions) => {
    app.decorateRequest(kResponseId, null);
    app.addHook('preSerialization', async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      if (shouldAudit(request)) (request as unknown as Record<symbol, string | undefined>)[kResponseId] = responseIdOf(payload);
      return payload;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!shouldAudit(request)) return payload;
      const ctx = callerContext(request);
      if (!ctx) return payload;
      const url = request.routeOptions.url ?? request.url.split('?')[0]!;
      const replayed = reply.getHeader(IDEMPOTENT_REPLAYED_HEADER) === 'true';
      const responseId = (request as unknown as Record<symbol, string | null>)[kResponseId] ?? undefined;
      const entry = {
        action: auditActionOf(request.method, url),
        resource: auditResourceOf(url, (request.params ?? {}) as Record<string, unknown>, responseId, request.routeOptions.config.auditResource),
        outcome: auditOutcomeOf(reply.statusCode),
        detail: { route: `${request.method} ${url}`, status: reply.statusCode, ...(ctx.partnerId ? { partnerId: ctx.partnerId } : {}), ...(replayed ? { replayed: true } : {}) },
      };
      try {
        await options.log.append({ ...ctx, correlationId: request.id }, entry);
      } catch (err) {
        request.log.error({ err, route: entry.detail.route }, 'audit entry not appended');
        if (!WRITES.has(request.method) && reply.statusCode < 400) throw err;
      }
      return payload;
    });
  },
  { name: 'tradelane-audit', fastify: '5.x' },
);
