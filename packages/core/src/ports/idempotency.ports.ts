/**
 * Ports of the idempotency layer, implemented by @tradelane/store. Semantics follow Stripe's idempotency keys:
 * the same key with the same request replays the stored response, the same key with another request is refused
 * (422), and a request whose twin is still running is refused (409).
 */
import type { TenantContext } from '../context.js';

/** The response stored for a completed request, replayed byte-for-byte to a retry. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON body; null when the response had none. */
  readonly body: unknown;
}

/** Which request an idempotency key belongs to. */
export interface IdempotencyRequest {
  /** Where the key is unique within the tenant, e.g. client id plus route: `cli_42 POST /v1/orders`. */
  readonly scope: string;
  /** The client's `Idempotency-Key` header. */
  readonly key: string;
  /** Hash of the request (method, path, body); a different hash under the same key is a mismatch. */
  readonly requestHash: string;
}

/**
 * Outcome of {@link IdempotencyStore.begin}: `started` (go ahead, then complete), `{ replay }` (answer with the stored
 * response), `in_flight` (the same request is running: 409) or `mismatch` (key reused with another request: 422).
 */
export type IdempotencyBegin = 'started' | 'in_flight' | 'mismatch' | { readonly replay: StoredResponse };

/** Idempotency keys of one tenant. */
export interface IdempotencyStore {
  /**
   * Claims the key for this request, or says why not. Of concurrent calls with one key exactly one gets `started`.
   * A key left `in_flight` longer than `lockMs` (its process died) can be claimed again.
   */
  begin(ctx: TenantContext, request: IdempotencyRequest, options?: { lockMs?: number; ttlMs?: number }): Promise<IdempotencyBegin>;
  /** Stores the response of a started request; later calls with the key replay it. */
  complete(ctx: TenantContext, request: Omit<IdempotencyRequest, 'requestHash'>, response: StoredResponse): Promise<void>;
  /** Releases a started key without a response (the request failed in a way a retry may fix). */
  release(ctx: TenantContext, request: Omit<IdempotencyRequest, 'requestHash'>): Promise<void>;
  /** Deletes this tenant's keys whose retention ended at or before `now`; returns how many. */
  expire(ctx: TenantContext, now: Date): Promise<number>;
}
