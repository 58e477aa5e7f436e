import { TransientError, type TenantContext } from '@tradelane/core';
import { httpError, networkError } from './http-errors.js';

/** Where and how a connector reaches a JSON-over-HTTP API. */
export interface JsonHttpOptions {
  /** System name used in error codes, e.g. `parcelo` → `TL_PARCELO_HTTP_503`. */
  system: string;
  baseUrl: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
}

/** A successful JSON answer. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** JSON over HTTP with a timeout and classified failures: the transport of HTTP connectors. */
export interface JsonHttp {
  request(ctx: TenantContext | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<JsonAnswer>;
}

/**
 * Creates a JSON HTTP client: 2xx answers resolve; other statuses throw `httpError` (transient for 408/429/5xx,
 * permanent otherwise); refused, reset and timed-out calls throw `networkError` (transient).
 */
export function createJsonHttp(options: JsonHttpOptions): JsonHttp {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async request(ctx, method, path, body) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (ctx) headers['x-correlation-id'] = ctx.correlationId;
      if (ctx?.traceparent) headers.traceparent = ctx.traceparent;
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        throw networkError(options.system, err);
      }
      if (!res.ok) throw httpError(options.system, res.status, text, res.headers.get('retry-after'));
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          const code = `TL_${options.system.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_NOT_JSON`;
          throw new TransientError(code, `${options.system} answered ${res.status} with a body that is not JSON: ${text.slice(0, 120)}`, {
            details: { system: options.system, status: res.status },
          });
        }
      }
      return { status: res.status, body: parsed };
    },
  };
}
