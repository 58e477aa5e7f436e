import {
  backoffDelay,
  retryPolicy,
  type AcknowledgmentResult,
  type AcknowledgmentSubmission,
  type AsnSubmission,
  type AsnView,
  type PurchaseOrderQuery,
  type ResultPage,
  type SupplierAvailabilityUpdate,
  type SupplierInvoiceSubmission,
  type SupplierInvoiceView,
  type SupplierPurchaseOrderView,
} from '@tradelane/core';
import type { SimClock } from '../sim-clock.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';

/** Kinds of call the simulator makes, used to label latency samples. */
export type CallKind = 'list' | 'get' | 'ack' | 'asn' | 'invoice' | 'availability';

/** How one call ended after its retries. */
export type HubOutcome<T> =
  | { kind: 'ok'; status: number; body: T; attempts: number }
  /** A 4xx other than 408/425/429: the hub refused the message; `code` is the problem's `code` (or `HTTP_<status>`). */
  | { kind: 'rejected'; status: number; code: string; detail?: string | undefined; attempts: number }
  /** Retries exhausted on 429/5xx/network failures, or the simulator stopped. */
  | { kind: 'failed'; error: string; status?: number | undefined; attempts: number };

/** Receives every attempt, for latency samples and retry counts. */
export interface CallObserver {
  attempt(kind: CallKind, latencyMs: number, status: number | undefined): void;
}

/** Settings of {@link createSupplierApiClient}. */
export interface SupplierApiClientOptions {
  hubUrl: string;
  apiKey: string;
  clock: SimClock;
  limiter: ConcurrencyLimiter;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  /** Random numbers for backoff jitter. */
  random: () => number;
  /** Aborts waits and requests when the simulator stops. */
  signal: AbortSignal;
  observer: CallObserver;
}

/** The supplier experience API as one supplier calls it (bearer API key, Idempotency-Key on POST, retries). */
export interface SupplierApiClient {
  listPurchaseOrders(query: PurchaseOrderQuery): Promise<HubOutcome<ResultPage<SupplierPurchaseOrderView>>>;
  getPurchaseOrder(id: string): Promise<HubOutcome<SupplierPurchaseOrderView>>;
  acknowledge(purchaseOrderId: string, submission: AcknowledgmentSubmission, idempotencyKey: string): Promise<HubOutcome<AcknowledgmentResult>>;
  submitAsn(submission: AsnSubmission, idempotencyKey: string): Promise<HubOutcome<AsnView>>;
  submitInvoice(submission: SupplierInvoiceSubmission, idempotencyKey: string): Promise<HubOutcome<SupplierInvoiceView>>;
  updateAvailability(sku: string, update: SupplierAvailabilityUpdate): Promise<HubOutcome<unknown>>;
}

const RETRYABLE = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * Creates the HTTP client of one simulated supplier. Uses the global `fetch` (undici, keep-alive connections);
 * a retry of a POST reuses its Idempotency-Key; Retry-After is honoured when longer than the backoff.
 */
export function createSupplierApiClient(options: SupplierApiClientOptions): SupplierApiClient {
  const base = options.hubUrl.replace(/\/+$/, '');
  const policy = retryPolicy({ ...options.retry, multiplier: 2, jitter: 'equal' });

  async function call<T>(kind: CallKind, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, idempotencyKey?: string): Promise<HubOutcome<T>> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${options.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let last: HubOutcome<T> = { kind: 'failed', error: 'not attempted', attempts: 0 };
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      if (options.signal.aborted) return { kind: 'failed', error: 'stopped', attempts: attempt - 1 };
      let retryAfterMs = 0;
      const outcome = await options.limiter.run(async (): Promise<HubOutcome<T> | { retry: string; status?: number; retryAfterMs?: number }> => {
        const started = performance.now();
        let res: Response;
        let text: string;
        try {
          res = await fetch(`${base}${path}`, {
            method,
            headers,
            ...(payload !== undefined ? { body: payload } : {}),
            signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
          });
          text = await res.text();
        } catch (err) {
          options.observer.attempt(kind, performance.now() - started, undefined);
          const e = err as { name?: string; message?: string; cause?: { code?: string } };
          return { retry: e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message ?? String(err)) };
        }
        options.observer.attempt(kind, performance.now() - started, res.status);
        let parsed: unknown = undefined;
        if (text.length > 0) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
        }
        if (res.ok) return { kind: 'ok', status: res.status, body: parsed as T, attempts: attempt };
        const problem = (parsed ?? {}) as { code?: unknown; type?: unknown; detail?: unknown; title?: unknown };
        if (RETRYABLE(res.status)) {
          const seconds = Number(res.headers.get('retry-after'));
          return { retry: `HTTP ${res.status}`, status: res.status, ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) };
        }
        const code = typeof problem.code === 'string' ? problem.code : `HTTP_${res.status}`;
        const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : undefined;
        return { kind: 'rejected', status: res.status, code, detail, attempts: attempt };
      });
      if ('kind' in outcome) return outcome;
      last = { kind: 'failed', error: outcome.retry, status: outcome.status, attempts: attempt };
      retryAfterMs = outcome.retryAfterMs ?? 0;
      if (attempt < policy.maxAttempts) {
        try {
          await options.clock.sleep(Math.max(backoffDelay(policy, attempt, options.random), retryAfterMs), options.signal);
        } catch {
          return { kind: 'failed', error: 'stopped', attempts: attempt };
        }
      }
    }
    return last;
  }

  const enc = encodeURIComponent;
  return {
    listPurchaseOrders(query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      return call('list', 'GET', `/v1/supplier/purchase-orders?${params}`);
    },
    getPurchaseOrder: (id) => call('get', 'GET', `/v1/supplier/purchase-orders/${enc(id)}`),
    acknowledge: (id, submission, key) => call('ack', 'POST', `/v1/supplier/purchase-orders/${enc(id)}/acknowledgments`, submission, key),
    submitAsn: (submission, key) => call('asn', 'POST', '/v1/supplier/asns', submission, key),
    submitInvoice: (submission, key) => call('invoice', 'POST', '/v1/supplier/invoices', submission, key),
    updateAvailability: (sku, update) => call('availability', 'PUT', `/v1/supplier/items/${enc(sku)}/availability`, update),
  };
}
