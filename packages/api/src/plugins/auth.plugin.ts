import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError, NotAllowedError, hasScope, type ApiKeyResolver, type TenantContext } from '@tradelane/core';
import type { AccessTokenVerifier } from '../identity/access-tokens.js';

/** Scopes a customer API client can hold. */
export type CustomerScope = 'orders:read' | 'orders:write' | 'invoices:read' | 'returns:write' | 'catalog:read';

/** Options of {@link authPlugin}. */
export interface AuthPluginOptions {
  /** Resolves a presented API key to the caller's context. */
  apiKeys: ApiKeyResolver;
  /** Verifies OAuth access tokens (JWTs) presented as `Authorization: Bearer <token>`; without it only API keys work. */
  accessTokens?: AccessTokenVerifier | undefined;
  /** Refuse (403) a context that speaks for no partner, i.e. a customer route tree. @default true */
  requirePartner?: boolean;
  /** Realm announced in `WWW-Authenticate`. @default 'tradelane' */
  realm?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Scope the caller needs for this route (with several, any one of them suffices). Checked by the auth plugin
     * after the key resolves; absent means "any authenticated caller".
     */
    scope?: string | readonly string[];
    /** Set on every route an auth plugin guards (the OpenAPI document lists its security requirements). */
    authenticated?: boolean;
  }
  interface FastifyRequest {
    /**
     * The caller's TenantContext, built by the auth plugin (correlationId = request id, traceparent = ours).
     * Reading it on a route the auth plugin does not guard throws.
     */
    readonly ctx: TenantContext;
  }
}

const kContext = Symbol('tradelane.tenantContext');
const kCaller = Symbol('tradelane.callerContext');

/**
 * The context of whoever presented a valid credential on this request, also when the route then refused them (no
 * partner, missing scope); undefined when no credential resolved. For the audit log, which records refusals too.
 */
export function callerContext(request: FastifyRequest): TenantContext | undefined {
  return (request as unknown as Record<symbol, TenantContext | undefined>)[kCaller] ?? undefined;
}
/** Keys are opaque, but a sane one is printable ASCII of bounded length; anything else is refused unread. */
const KEY_SHAPE = /^[\x21-\x7E]{8,512}$/;
/** A compact JWS (three base64url segments, the last may be empty as in `alg: none`), bounded in length. */
const JWT_SHAPE = /^[A-Za-z0-9_-]{2,2048}\.[A-Za-z0-9_-]{2,4096}\.[A-Za-z0-9_-]{0,1024}$/;

/** True when a presented credential has the shape of a JWT rather than an API key. */
export function looksLikeJwt(credential: string): boolean {
  return JWT_SHAPE.test(credential);
}

type Presented = { key: string } | { missing: true } | { malformed: string };

/** Reads the API key from `Authorization: Bearer <key>` or `X-API-Key: <key>`; never logs it. */
export function presentedApiKey(headers: FastifyRequest['headers']): Presented {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  let fromAuthorization: string | undefined;
  if (typeof authorization === 'string' && authorization.trim() !== '') {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization.trim());
    if (!m) return { malformed: 'The Authorization header must use the Bearer scheme: "Authorization: Bearer <API key>".' };
    fromAuthorization = m[1]!;
  }
  const fromHeader = typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : undefined;
  if (Array.isArray(apiKey)) return { malformed: 'Send one X-API-Key header.' };
  if (fromAuthorization !== undefined && fromHeader !== undefined && fromAuthorization !== fromHeader) {
    return { malformed: 'Authorization and X-API-Key carry different keys; send one.' };
  }
  const key = fromAuthorization ?? fromHeader;
  if (key === undefined) return { missing: true };
  if (!KEY_SHAPE.test(key) && !JWT_SHAPE.test(key)) return { malformed: 'The API key is not well-formed.' };
  return { key };
}

function challenge(reply: FastifyReply, realm: string, extra = ''): void {
  void reply.header('www-authenticate', `Bearer realm="${realm}"${extra}`);
}

/** The scopes a route declares, as a list (empty: none required). */
function requiredScopes(request: FastifyRequest): readonly string[] {
  const s = request.routeOptions.config.scope;
  if (s === undefined) return [];
  return typeof s === 'string' ? [s] : s;
}

/**
 * Authenticates every route of the tree it is registered in by API key (`Authorization: Bearer <key>` or
 * `X-API-Key`), resolved through the {@link ApiKeyResolver} port, or by OAuth access token (`Authorization: Bearer
 * <JWT>`, verified by `accessTokens`), into `request.ctx`, marks the tree's routes as authenticated for the OpenAPI
 * document, and enforces the route's
 * declared `config.scope`. Missing key → 401 `TL_AUTH_MISSING`, unknown or malformed → 401 `TL_AUTH_INVALID` (both
 * with `WWW-Authenticate`); no partner or a missing scope → 403 `TL_AUTH_SCOPE`.
 * @example await app.register(authPlugin, { apiKeys }); app.get('/orders', { config: { scope: 'orders:read' } }, h)
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    const realm = (options.realm ?? 'tradelane').replace(/["\\]/g, '');
    const requirePartner = options.requirePartner ?? true;
    if (!app.hasRequestDecorator(kContext)) {
      app.decorateRequest(kContext, null);
      app.decorateRequest(kCaller, null);
      app.decorateRequest('ctx', {
        getter(this: FastifyRequest) {
          const ctx = (this as unknown as Record<symbol, TenantContext | null>)[kContext];
          if (!ctx) throw new Error('request.ctx read on a route the auth plugin does not guard');
          return ctx;
        },
      });
    }

    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, authenticated: true };
    });

    app.addHook('onRequest', async (request, reply) => {
      const presented = presentedApiKey(request.headers);
      if ('missing' in presented) {
        challenge(reply, realm);
        throw new AuthenticationError('TL_AUTH_MISSING', 'Send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
      }
      if ('malformed' in presented) {
        challenge(reply, realm, ', error="invalid_token"');
        throw new AuthenticationError('TL_AUTH_INVALID', presented.malformed);
      }
      const isJwt = JWT_SHAPE.test(presented.key);
      const resolved = isJwt
        ? ((await options.accessTokens?.verify(presented.key, request.id)) ?? null)
        : await options.apiKeys.resolve(presented.key, request.id);
      if (!resolved) {
        challenge(reply, realm, ', error="invalid_token"');
        throw new AuthenticationError(
          'TL_AUTH_INVALID',
          isJwt ? 'The access token is invalid, expired or not for this API.' : 'The API key is unknown, revoked or expired.',
        );
      }
      const ctx: TenantContext = { ...resolved, correlationId: request.id, traceparent: request.traceparent || resolved.traceparent };
      request.log = request.log.child({ tenantId: ctx.tenantId, partnerId: ctx.partnerId, actor: ctx.actor.id });
      (request as unknown as Record<symbol, TenantContext>)[kCaller] = ctx;
      const needed = requiredScopes(request);
      if (requirePartner && !ctx.partnerId) {
        throw new NotAllowedError('TL_AUTH_SCOPE', 'This API key does not speak for a customer account.', { required: 'partner' });
      }
      if (needed.length > 0 && !needed.some((s) => hasScope(ctx, s))) {
        challenge(reply, realm, `, error="insufficient_scope", scope="${needed.join(' ')}"`);
        throw new NotAllowedError('TL_AUTH_SCOPE', `This API key lacks the scope ${needed.map((s) => `"${s}"`).join(' or ')}.`, {
          required: needed,
        });
      }
      (request as unknown as Record<symbol, TenantContext>)[kContext] = ctx;
    });
  },
  { name: 'tradelane-auth', fastify: '5.x' },
);
