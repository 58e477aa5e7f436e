import type { TenantContext } from '@tradelane/core';
import { simBadResponse, simHttpError, simNetworkError } from '../errors.js';

/** Options of {@link createErpSimTransport}. */
export interface ErpSimTransportOptions {
  baseUrl: string;
  /** Per-request timeout (connect, answer and body). */
  timeoutMs: number;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A successful answer: HTTP status and parsed JSON body. */
export interface SimResponse<T> {
  status: number;
  body: T;
}

/** One call: query parameters (undefined ones are left out) and a JSON body. */
export interface SimRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** The only network I/O of the connector: JSON over HTTP to the simulator, with timeouts and classified failures. */
export interface ErpSimTransport {
  request<T>(ctx: TenantContext | undefined, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, request?: SimRequest): Promise<SimResponse<T>>;
  /** Aborts requests in flight; later calls fail as transient. */
  close(): void;
}

/**
 * Creates the HTTP transport. Every request carries the correlation id (and traceparent) of its context, times out
 * after `timeoutMs` (AbortSignal.timeout), and fails with a TransientError (network, timeout, 408/425/429/5xx) or a
 * PermanentError (other 4xx, with the simulator's message).
 */
export function createErpSimTransport(options: ErpSimTransportOptions): ErpSimTransport {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const closing = new AbortController();

  return {
    async request<T>(ctx: TenantContext | undefined, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, request: SimRequest = {}): Promise<SimResponse<T>> {
      const url = new URL(path.replace(/^\//, ''), base);
      for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      if (ctx?.correlationId) headers['x-correlation-id'] = ctx.correlationId;
      if (ctx?.traceparent) headers.traceparent = ctx.traceparent;
      const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), closing.signal]);
      let status: number;
      let text: string;
      let retryAfter: string | null;
      try {
        const res = await doFetch(url, { method, headers, body: request.body === undefined ? null : JSON.stringify(request.body), signal });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await res.text();
      } catch (err) {
        throw simNetworkError(err);
      }
      if (status < 200 || status > 299) throw simHttpError(status, text, retryAfter);
      try {
        return { status, body: JSON.parse(text) as T };
      } catch {
        throw simBadResponse(`${method} ${url.pathname} → ${status} ${text.slice(0, 80)}`);
      }
    },
    close() {
      closing.abort(new Error('connector closed'));
    },
  };
}
