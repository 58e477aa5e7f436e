import type { FastifyReply, FastifyRequest, RouteOptions, onSendHookHandler } from 'fastify';

/** A route's deprecation: when it was deprecated, when it goes away, and where to read about it. */
export interface RouteDeprecation {
  /** When the route was (or will be) deprecated: an ISO date or timestamp. Sent as `Deprecation: @<epoch seconds>` (RFC 9745). */
  since: string;
  /** When the route stops answering: an ISO date or timestamp. Sent as `Sunset: <HTTP-date>` (RFC 8594). */
  sunset?: string | undefined;
  /** A page describing the deprecation and the successor route, sent as `Link: <…>; rel="deprecation"`. */
  link?: string | undefined;
}

/** A security requirement of an operation: scheme name → scopes. */
export type SecurityRequirement = Record<string, readonly string[]>;

declare module 'fastify' {
  interface FastifySchema {
    /** Stable name of the operation in the OpenAPI document; derived from method and path when absent. */
    operationId?: string;
    /** Media types of the request body. @default ['application/json'] */
    consumes?: readonly string[];
    /** Security requirements of a route no auth plugin guards (e.g. HTTP Basic on the token endpoint). */
    security?: readonly SecurityRequirement[];
    /** Leave the route out of the OpenAPI document. */
    hide?: boolean;
  }
  interface FastifyContextConfig {
    /** Marks the route deprecated: `Deprecation`, `Sunset` and `Link` headers on every answer, and `deprecated` in OpenAPI. */
    deprecated?: RouteDeprecation;
  }
}

/** An OpenAPI 3.1 document (the parts Tradelane writes). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
  tags: Array<{ name: string }>;
  [extension: `x-${string}`]: unknown;
}

/** One operation of the document, with Tradelane's `x-required-scopes` and `x-authenticated`. */
export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
  security: SecurityRequirement[];
  deprecated?: boolean;
  'x-required-scopes': string[];
  'x-authenticated': boolean;
  'x-sunset'?: string;
}

/** Names of the security schemes in the document. */
export const SECURITY_SCHEMES = { oauth2: 'oauth2', bearer: 'bearerAuth', apiKey: 'apiKeyHeader', clientBasic: 'clientSecretBasic' } as const;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const SKIPPED_HEADERS = new Set(['authorization', 'x-api-key', 'content-type', 'accept']);

type Json = Record<string, unknown>;

function parseInstant(value: string, what: string): Date {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new TypeError(`${what} must be an ISO date or timestamp, got ${JSON.stringify(value)}`);
  return new Date(t);
}

/**
 * The headers of a deprecated route: `Deprecation` (RFC 9745, `@<epoch seconds>`), `Sunset` (RFC 8594, HTTP-date) and
 * `Link` relations to the deprecation page.
 * @example deprecationHeaders({ since: '2026-01-01', sunset: '2026-07-01' }) // { deprecation: '@1767225600', sunset: 'Wed, 01 Jul 2026 00:00:00 GMT' }
 */
export function deprecationHeaders(d: RouteDeprecation): Record<string, string> {
  const since = parseInstant(d.since, 'deprecated.since');
  const headers: Record<string, string> = { deprecation: `@${Math.floor(since.getTime() / 1000)}` };
  if (d.sunset !== undefined) headers.sunset = parseInstant(d.sunset, 'deprecated.sunset').toUTCString();
  if (d.link !== undefined) {
    if (!/^https?:\/\/[^\s<>"]+$|^\/[^\s<>"]*$/.test(d.link)) throw new TypeError(`deprecated.link must be an http(s) URL or a path, got ${JSON.stringify(d.link)}`);
    headers.link = `<${d.link}>; rel="deprecation"; type="text/html"`;
  }
  return headers;
}

function asArray<T>(v: T | readonly T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? [...(v as T[])] : [v as T];
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/+$/, '') || '/';
}

function operationIdFor(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function propertiesOf(schema: unknown): { properties: Record<string, Json>; required: string[] } {
  const s = (schema ?? {}) as { properties?: Record<string, Json>; required?: string[] };
  return { properties: s.properties ?? {}, required: s.required ?? [] };
}

function parameters(route: RouteOptions, path: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const schema = route.schema ?? {};
  const params = propertiesOf(schema.params);
  for (const name of [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!)) {
    const s = params.properties[name] ?? { type: 'string' };
    const { description, ...rest } = clone(s) as Json;
    out.push({ name, in: 'path', required: true, ...(description ? { description } : {}), schema: rest });
  }
  const query = propertiesOf(schema.querystring);
  for (const [name, s] of Object.entries(query.properties)) {
    const { description, ...rest } = clone(s);
    out.push({ name, in: 'query', required: query.required.includes(name), ...(description ? { description } : {}), schema: rest });
  }
  const headers = propertiesOf(schema.headers);
  for (const [name, s] of Object.entries(headers.properties)) {
    if (SKIPPED_HEADERS.has(name.toLowerCase())) continue;
    const { description, ...rest } = clone(s);
    const required = headers.required.includes(name) || (name === 'idempotency-key' && route.config?.idempotent === true);
    out.push({ name, in: 'header', required, ...(description ? { description } : {}), schema: rest });
  }
  return out;
}

function responseKey(code: string): string {
  return /^[1-5]xx$/i.test(code) ? `${code[0]}XX` : code;
}

function describeStatus(code: string): string {
  const known: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content', '400': 'Bad request', '401': 'Unauthorized', '404': 'Not found', '4XX': 'Problem (RFC 9457)', '5XX': 'Problem (RFC 9457)' };
  return known[code] ?? 'Response';
}

function responses(route: RouteOptions): Record<string, Record<string, unknown>> {
  const declared = (route.schema?.response ?? {}) as Record<string, Json>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [code, schema] of Object.entries(declared)) {
    const key = responseKey(code);
    const s = clone(schema);
    if (s.content && typeof s.content === 'object') {
      const { description, ...rest } = s;
      out[key] = { description: typeof description === 'string' ? description : describeStatus(key), ...rest };
      continue;
    }
    const media = /^[45]/.test(key) && route.config?.authenticated ? 'application/problem+json' : 'application/json';
    out[key] = { description: describeStatus(key), content: { [media]: { schema: s } } };
  }
  if (Object.keys(out).length === 0) out.default = { description: 'Response' };
  return out;
}

/** Collects routes as Fastify registers them and writes the OpenAPI 3.1 document from their schemas and config. */
export interface OpenApiCollector {
  /** The `onRoute` hook to add to the root instance before any route is registered. */
  onRoute(route: RouteOptions): void;
  /** The document of every collected route (call after `ready()`). */
  document(info: { title: string; version: string; description?: string }): OpenApiDocument;
}

/**
 * Creates the collector behind `/openapi.json`: each route's params, query, headers, body and responses become an
 * operation; a route an auth plugin guards gets the bearer (OAuth JWT or API key) and `X-API-Key` security
 * requirements with its `config.scope` as scopes (also in `x-required-scopes`); `config.deprecated` marks it
 * deprecated and adds the deprecation headers to its answers.
 * @example const openapi = createOpenApiCollector(); app.addHook('onRoute', openapi.onRoute)
 */
export function createOpenApiCollector(): OpenApiCollector {
  const routes: RouteOptions[] = [];
  return {
    onRoute(route) {
      const deprecated = route.config?.deprecated;
      if (deprecated) {
        const headers = deprecationHeaders(deprecated);
        const hook: onSendHookHandler = async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
          for (const [name, value] of Object.entries(headers)) {
            if (name === 'link' && reply.hasHeader('link')) void reply.header('link', `${String(reply.getHeader('link'))}, ${value}`);
            else void reply.header(name, value);
          }
          return payload;
        };
        route.onSend = [...asArray(route.onSend), hook];
      }
      routes.push(route);
    },
    document(info) {
      const paths: OpenApiDocument['paths'] = {};
      const allScopes = new Set<string>();
      const tags = new Set<string>();
      for (const route of routes) {
        if (route.schema?.hide) continue;
        const path = openApiPath(route.url);
        for (const method of asArray(route.method).map((m) => String(m).toUpperCase())) {
          if (!METHODS.has(method)) continue;
          const schema = route.schema ?? {};
          const config = route.config ?? {};
          const authenticated = config.authenticated === true;
          const scopes = asArray(config.scope).map(String);
          for (const s of scopes) allScopes.add(s);
          for (const t of schema.tags ?? []) tags.add(t);
          const security: SecurityRequirement[] = authenticated
            ? [{ [SECURITY_SCHEMES.oauth2]: scopes }, { [SECURITY_SCHEMES.bearer]: scopes }, { [SECURITY_SCHEMES.apiKey]: scopes }]
            : [...(schema.security ?? [])].map((r) => ({ ...r }));
          const op: OpenApiOperation = {
            operationId: schema.operationId ?? operationIdFor(method, path),
            ...(schema.summary ? { summary: schema.summary } : {}),
            ...(schema.description ? { description: schema.description } : {}),
            ...(schema.tags ? { tags: [...schema.tags] } : {}),
            parameters: parameters(route, path),
            responses: responses(route),
            security,
            'x-required-scopes': scopes,
            'x-authenticated': authenticated,
          };
          if (schema.body) {
            const media = asArray(schema.consumes);
            op.requestBody = { required: true, content: Object.fromEntries((media.length ? media : ['application/json']).map((m) => [m, { schema: clone(schema.body) }])) };
          }
          if (config.deprecated) {
            op.deprecated = true;
            if (config.deprecated.sunset) op['x-sunset'] = parseInstant(config.deprecated.sunset, 'deprecated.sunset').toISOString();
          }
          (paths[path] ??= {})[method.toLowerCase()] = op;
        }
      }
      const scopeList = [...allScopes].sort();
      return {
        openapi: '3.1.0',
        info: { ...info },
        paths,
        components: {
          securitySchemes: {
            [SECURITY_SCHEMES.oauth2]: {
              type: 'oauth2',
              description: 'OAuth 2.0 client credentials; the access token is a JWT (RFC 9068) sent as Authorization: Bearer <token>.',
              flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: Object.fromEntries(scopeList.map((s) => [s, `Capability ${s}`])) } },
            },
            [SECURITY_SCHEMES.bearer]: { type: 'http', scheme: 'bearer', description: 'An API key (tlk_…) or an OAuth access token (JWT) as Authorization: Bearer <credential>.' },
            [SECURITY_SCHEMES.apiKey]: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (tlk_…).' },
            [SECURITY_SCHEMES.clientBasic]: { type: 'http', scheme: 'basic', description: 'OAuth client_id and client_secret (client_secret_basic).' },
          },
        },
        tags: [...tags].sort().map((name) => ({ name })),
      };
    },
  };
}
