import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One HTTP POST of a webhook. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Whole-attempt budget: connect, send and the answer's head and (capped) body. */
  readonly timeoutMs: number;
  /** The SSRF guard's lookup, so the connection only uses checked addresses. */
  readonly lookup: LookupFunction;
}

/** What came back. */
export interface WebhookResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly durationMs: number;
}

/** Sends one webhook request; rejects when no answer came (refused, reset, timed out). */
export type WebhookSender = (request: WebhookRequest) => Promise<WebhookResponse>;

/** An attempt without an answer: a stable code and the time spent. */
export class WebhookSendError extends Error {
  readonly code: string;
  readonly durationMs: number;
  constructor(code: string, message: string, durationMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookSendError';
    this.code = code;
    this.durationMs = durationMs;
  }
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs with node:http(s): no redirects followed (a 3xx is an answer like any other), no connection reuse, one
 * timeout for the whole attempt, at most 64 KiB of the answer read and then dropped.
 */
export const sendWebhookRequest: WebhookSender = (req) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(req.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup: req.lookup,
        agent: false,
      },
      (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => finish(() => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, durationMs: elapsed() }));
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish(() => reject(new WebhookSendError('TL_WEBHOOK_TIMEOUT', `no answer within ${req.timeoutMs} ms`, elapsed())));
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code === 'TL_WEBHOOK_TARGET_FORBIDDEN' ? err.code : 'TL_WEBHOOK_CONNECTION_FAILED';
      finish(() => reject(new WebhookSendError(code, `${err.code ?? 'error'}: ${err.message}`, elapsed(), { cause: err })));
    });
    request.end(req.body);
  });
