/**
 * Ports of outbound webhooks (Standard Webhooks 1.0), implemented by @tradelane/store: partners' subscriptions with
 * their signing secrets, the deliveries owed to them, and the log of every attempt.
 */
import type { TenantContext } from '../context.js';

/** Whether a subscription receives deliveries. */
export type WebhookSubscriptionStatus = 'enabled' | 'disabled';

/** A signing secret as listed to operators: never the secret itself. */
export interface WebhookSecretInfo {
  readonly id: string;
  /** First characters of the secret, to tell secrets apart (`whsec_AbC1…`). */
  readonly hint: string;
  readonly createdAt: Date;
  /** After this time the secret no longer signs (the end of a rotation's overlap); absent while current. */
  readonly expiresAt?: Date | undefined;
}

/** A partner's subscription to events, delivered to one URL. */
export interface WebhookSubscription {
  readonly id: string;
  readonly tenantId: string;
  /** The customer or supplier whose events this subscription receives. */
  readonly partnerId: string;
  /** `https://…` (or `http://…`) endpoint. */
  readonly url: string;
  /** Event type filters: exact types, `<prefix>.*` wildcards, or `*`. */
  readonly eventTypes: readonly string[];
  readonly status: WebhookSubscriptionStatus;
  /** Why it was disabled (by an operator, or automatically after sustained failure). */
  readonly disabledReason?: string | undefined;
  readonly disabledAt?: Date | undefined;
  /** Failed attempts in a row since the last success. */
  readonly consecutiveFailures: number;
  /** When the current run of failures began; absent while deliveries succeed. */
  readonly failingSince?: Date | undefined;
  readonly secrets: readonly WebhookSecretInfo[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Input of {@link WebhookStore.createSubscription}. */
export interface NewWebhookSubscription {
  readonly partnerId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  /** The first signing secret, `whsec_<base64>`. */
  readonly secret: string;
}

/** Where one delivery stands. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event owed to one subscription; retried on its schedule until delivered or given up. */
export interface WebhookDelivery {
  readonly id: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The event id; sent as `webhook-id`. */
  readonly eventId: string;
  readonly eventType: string;
  /** The exact body sent (and signed) on every attempt. */
  readonly body: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  /** When the next attempt is due (pending deliveries only). */
  readonly nextAttemptAt?: Date | undefined;
  readonly lastStatusCode?: number | undefined;
  readonly lastError?: string | undefined;
  readonly createdAt: Date;
  readonly deliveredAt?: Date | undefined;
}

/** One attempt to deliver, as logged. */
export interface WebhookAttempt {
  readonly deliveryId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly at: Date;
  /** HTTP status of the answer; absent when none came (refused, timed out, connection failed). */
  readonly statusCode?: number | undefined;
  readonly durationMs: number;
  /** Stable error code (`TL_WEBHOOK_…`) and message of a failed attempt. */
  readonly errorCode?: string | undefined;
  readonly error?: string | undefined;
  /** When the next attempt was scheduled; absent when the delivery succeeded or was given up. */
  readonly nextAttemptAt?: Date | undefined;
}

/** A delivery that is due, with what the worker needs to send it. */
export interface DueWebhookDelivery {
  readonly delivery: WebhookDelivery;
  readonly url: string;
  /** Signing secrets valid now (the current one and any still in a rotation's overlap), `whsec_…`. */
  readonly secrets: readonly string[];
}

/** What the worker records after an attempt. */
export interface WebhookAttemptResult {
  readonly deliveryId: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly attempt: WebhookAttempt;
  /** New status of the delivery. */
  readonly status: WebhookDeliveryStatus;
  /** Disable the subscription with this reason (sustained failure, 410 Gone, forbidden target). */
  readonly disableSubscription?: string | undefined;
}

/** A page of deliveries, newest first. */
export interface WebhookDeliveryPage {
  readonly deliveries: readonly WebhookDelivery[];
  /** Opaque cursor of the next page. */
  readonly nextCursor?: string | undefined;
}

/** Transaction-bound enqueueing, used by the bus consumer that turns events into deliveries. */
export interface WebhookOutbox {
  /** Enabled subscriptions of a partner (filters are matched by the caller). */
  enabledSubscriptions(ctx: TenantContext, partnerId: string): Promise<readonly WebhookSubscription[]>;
  /**
   * Creates a pending delivery due at `dueAt`; does nothing when the subscription already has one for this event.
   * @returns true when it was created
   */
  enqueue(ctx: TenantContext, delivery: { subscriptionId: string; eventId: string; eventType: string; body: string; dueAt: Date }): Promise<boolean>;
}

/** Subscriptions, deliveries and the attempt log of one tenant, plus the worker's cross-tenant side. */
export interface WebhookStore extends WebhookOutbox {
  createSubscription(ctx: TenantContext, input: NewWebhookSubscription): Promise<WebhookSubscription>;
  getSubscription(ctx: TenantContext, id: string): Promise<WebhookSubscription | undefined>;
  listSubscriptions(ctx: TenantContext, filter?: { partnerId?: string | undefined }): Promise<readonly WebhookSubscription[]>;
  /**
   * Adds `secret` as the current signing secret; the secrets current until now keep signing until `overlapUntil`
   * (both signatures are sent in between), then stop.
   */
  rotateSecret(ctx: TenantContext, id: string, input: { secret: string; overlapUntil: Date }): Promise<WebhookSubscription>;
  /** Disables (with a reason) or enables a subscription; enabling resets the failure count. */
  setStatus(ctx: TenantContext, id: string, change: { status: 'enabled' } | { status: 'disabled'; reason: string }): Promise<WebhookSubscription>;
  /** Replaces the URL or the event filters. */
  update(ctx: TenantContext, id: string, change: { url?: string | undefined; eventTypes?: readonly string[] | undefined }): Promise<WebhookSubscription>;
  listDeliveries(ctx: TenantContext, filter: { subscriptionId?: string | undefined; status?: WebhookDeliveryStatus | undefined; limit?: number | undefined; cursor?: string | undefined }): Promise<WebhookDeliveryPage>;
  getDelivery(ctx: TenantContext, id: string): Promise<WebhookDelivery | undefined>;
  listAttempts(ctx: TenantContext, deliveryId: string): Promise<readonly WebhookAttempt[]>;
  /** Makes a failed delivery pending again, due at `dueAt` (an operator's manual retry). */
  retryDelivery(ctx: TenantContext, id: string, dueAt: Date): Promise<WebhookDelivery>;
  /**
   * Worker side, across tenants: leases up to `limit` pending deliveries of enabled subscriptions due at `now`,
   * oldest first, until `now + leaseMs`.
   */
  claimDue(options: { now: Date; limit: number; leaseMs: number }): Promise<readonly DueWebhookDelivery[]>;
  /** Worker side: logs an attempt, updates the delivery and the subscription's failure run, disables when told to. */
  recordAttempt(result: WebhookAttemptResult): Promise<WebhookSubscription>;
  /** Worker side: pending deliveries of enabled subscriptions and the earliest due time. */
  pending(): Promise<{ count: number; nextAt: Date | undefined }>;
}
