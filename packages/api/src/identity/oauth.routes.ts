import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthClient, OAuthClientStore } from '@tradelane/core';
import type { AccessTokens } from './access-tokens.js';

/** What the OAuth routes need: the client registry and the token issuer. */
export interface OAuthRoutesDeps {
  clients: OAuthClientStore;
  tokens: AccessTokens;
  /** Every scope the hub knows, announced in the authorization server metadata. */
  scopesSupported?: readonly string[] | undefined;
}

/** Error codes of RFC 6749 §5.2. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode | 'server_error',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const FORM = 'application/x-www-form-urlencoded';
const FORM_LIMIT = 8192;

/** RFC 6749 §A: printable ASCII except space, quote and backslash; scopes separated by single spaces. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const tokenBodySchema = {
  type: 'object',
  properties: {
    grant_type: { type: 'string', maxLength: 100, description: 'Must be client_credentials' },
    scope: { type: 'string', maxLength: 2000, description: 'Space-separated scopes, a subset of the client\'s; absent = all of them' },
    client_id: { type: 'string', maxLength: 200, description: 'With client_secret_post (instead of HTTP Basic)' },
    client_secret: { type: 'string', maxLength: 200, description: 'With client_secret_post (instead of HTTP Basic)' },
  },
} as const;

const oauthErrorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  required: ['error'],
} as const;

const tokenResponseSchema = {
  type: 'object',
  properties: {
    access_token: { type: 'string', description: 'A JWT (RFC 9068, typ at+jwt); send as Authorization: Bearer <token>' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer', description: 'Seconds until the token expires' },
    scope: { type: 'string' },
  },
  required: ['access_token', 'token_type', 'expires_in', 'scope'],
} as const;

const jwksSchema = {
  type: 'object',
  properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  required: ['keys'],
} as const;

interface TokenBody {
  grant_type?: string;
  scope?: string;
  client_id?: string;
  client_secret?: string;
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1: each part form-urlencoded) or from the body; never both. */
function clientCredentials(request: FastifyRequest<{ Body: TokenBody }>): { id: string; secret: string; basic: boolean } {
  const authorization = request.headers.authorization;
  const body = request.body ?? {};
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (typeof authorization === 'string' && authorization.trim() !== '') {
    if (inBody) throw new OAuthError('invalid_request', 'Authenticate the client one way: HTTP Basic or client_id/client_secret in the body, not both.');
    const m = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization.trim());
    if (!m) throw new OAuthError('invalid_client', 'The Authorization header must be "Basic base64(client_id:client_secret)".', 401);
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'The Basic credentials must be client_id:client_secret.', 401);
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')), basic: true };
    } catch {
      throw new OAuthError('invalid_client', 'The Basic credentials are not form-urlencoded.', 401);
    }
  }
  if (typeof body.client_id === 'string' && typeof body.client_secret === 'string') return { id: body.client_id, secret: body.client_secret, basic: false };
  throw new OAuthError('invalid_client', 'Authenticate the client with HTTP Basic or client_id and client_secret in the body.', 401);
}

/** The scopes granted: the requested ones when all are the client's, else invalid_scope; none requested = all. */
function grantedScopes(client: OAuthClient, requested: string | undefined): string[] {
  if (requested === undefined) return [...client.scopes];
  const parts = requested.split(' ');
  if (parts.some((s) => !SCOPE_TOKEN.test(s))) throw new OAuthError('invalid_scope', 'scope must be scope tokens separated by single spaces.');
  const wanted = [...new Set(parts)];
  const beyond = wanted.filter((s) => !client.scopes.includes(s));
  if (beyond.length > 0) throw new OAuthError('invalid_scope', `This client may not request ${beyond.map((s) => `"${s}"`).join(', ')}.`);
  return wanted;
}

function sendError(reply: FastifyReply, err: OAuthError, basic: boolean): FastifyReply {
  if (err.status === 401) void reply.header('www-authenticate', basic ? 'Basic realm="tradelane", charset="UTF-8"' : 'Basic realm="tradelane"');
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json')
    .send({ error: err.error, error_description: err.description });
}

/**
 * The OAuth 2.0 authorization server of the hub: `POST /oauth/token` (client-credentials grant, RFC 6749 §4.4, with
 * client_secret_basic or client_secret_post; errors per §5.2), `GET /.well-known/jwks.json` (the keys that verify
 * access tokens) and `GET /.well-known/oauth-authorization-server` (RFC 8414 metadata).
 * @example await app.register(oauthRoutes({ clients, tokens }))
 */
export function oauthRoutes(deps: OAuthRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    // RFC 6749 §4.4.2: the token request is form-encoded; JSON and other bodies are refused as invalid_request.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
      const params = new URLSearchParams(body as string);
      const out: Record<string, string> = {};
      for (const [k, v] of params) {
        if (k in out) return done(new OAuthError('invalid_request', `The parameter "${k}" is repeated.`), undefined);
        out[k] = v;
      }
      done(null, out);
    });
    app.setErrorHandler((err, request, reply) => {
      if (err instanceof OAuthError) return sendError(reply, err, false);
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      if (status >= 500) {
        request.log.error({ err }, 'token request failed');
        return sendError(reply, new OAuthError('server_error', 'The request could not be completed.', 500), false);
      }
      const code = (err as { code?: string }).code;
      const description =
        code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? `Send the token request as ${FORM}.`
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The token request is too large.'
        : 'The token request is malformed.';
      return sendError(reply, new OAuthError('invalid_request', description), false);
    });

    app.post<{ Body: TokenBody }>(
      '/oauth/token',
      {
        schema: {
          summary: 'Get an access token (client credentials)',
          description: 'RFC 6749 §4.4. Authenticate with HTTP Basic (client_secret_basic) or client_id and client_secret in the form (client_secret_post).',
          tags: ['identity'],
          operationId: 'oauthToken',
          consumes: [FORM],
          security: [{ clientSecretBasic: [] }, {}],
          body: tokenBodySchema,
          response: { 200: tokenResponseSchema, 400: oauthErrorSchema, 401: oauthErrorSchema },
        },
      },
      async (request, reply) => {
        let basic = false;
        try {
          const credentials = clientCredentials(request);
          basic = credentials.basic;
          const grantType = request.body?.grant_type;
          if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
          const client = await deps.clients.authenticate(credentials.id, credentials.secret);
          if (!client) throw new OAuthError('invalid_client', 'The client is unknown, revoked, or the secret is wrong.', 401);
          if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
          const scopes = grantedScopes(client, request.body?.scope);
          const token = await deps.tokens.issue(client, scopes);
          request.log.info({ clientId: client.clientId, tenantId: client.tenantId, scopes }, 'access token issued');
          return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
        } catch (err) {
          if (err instanceof OAuthError) return sendError(reply, err, basic);
          throw err;
        }
      },
    );

    app.get(
      '/.well-known/jwks.json',
      {
        schema: {
          summary: 'The keys that verify access tokens (JWKS)',
          tags: ['identity'],
          operationId: 'jwks',
          response: { 200: jwksSchema },
        },
      },
      async (_request, reply) => reply.header('cache-control', 'public, max-age=60').type('application/jwk-set+json').send(await deps.tokens.jwks()),
    );

    app.get(
      '/.well-known/oauth-authorization-server',
      {
        schema: {
          summary: 'Authorization server metadata (RFC 8414)',
          tags: ['identity'],
          operationId: 'oauthMetadata',
          response: { 200: { type: 'object', additionalProperties: true } },
        },
      },
      async () => ({
        issuer: deps.tokens.issuer,
        token_endpoint: `${deps.tokens.issuer}/oauth/token`,
        jwks_uri: `${deps.tokens.issuer}/.well-known/jwks.json`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        ...(deps.scopesSupported ? { scopes_supported: [...deps.scopesSupported] } : {}),
      }),
    );
  };
}
