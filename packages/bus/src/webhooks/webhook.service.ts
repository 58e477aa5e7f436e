import {
  NotAllowedError,
  NotFoundError,
  systemClock,
  type AuditLog,
  type Clock,
  type TenantContext,
  type TransactionRunner,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookDeliveryStatus,
  type WebhookStore,
  type WebhookSubscription,
} from '@tradelane/core';
import { createSsrfGuard, type SsrfGuard } from './ssrf-guard.js';
import { validateEventFilters } from './webhook-events.js';
import { generateWebhookSecret } from './webhook-signature.js';

/** The ports one service call works with, bound to one transaction (so a change and its audit entry commit together). */
export interface WebhookServiceTx {
  readonly webhooks: WebhookStore;
  /** When given, every change is audited. */
  readonly audit?: AuditLog | undefined;
}

/** Options of {@link createWebhookService}. */
export interface WebhookServiceOptions {
  readonly transactions: TransactionRunner<WebhookServiceTx>;
  /** Checks URLs when subscriptions are created or changed. @default createSsrfGuard() */
  readonly guard?: SsrfGuard | undefined;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** How long the old secret keeps signing after a rotation. @default 86400000 (24 hours) */
  readonly secretOverlapMs?: number | undefined;
}

/** A subscription with its new secret, shown once. */
export interface WebhookSubscriptionWithSecret {
  readonly subscription: WebhookSubscription;
  /** `whsec_…`: give it to the partner now; it is never shown again. */
  readonly secret: string;
}

/**
 * The webhook commands and queries the governance API routes call. A caller with a `partnerId` (a partner's client)
 * sees and changes only its own subscriptions; the distributor's users and the system see all of the tenant's.
 */
export interface WebhookService {
  /** Creates a subscription with a new signing secret (returned once). The URL passes the SSRF checks that need no DNS. */
  createSubscription(ctx: TenantContext, input: { partnerId?: string | undefined; url: string; eventTypes: readonly string[] }): Promise<WebhookSubscriptionWithSecret>;
  /** Adds a new secret; the previous one keeps signing for the overlap, so both signatures are sent meanwhile. */
  rotateSecret(ctx: TenantContext, id: string, options?: { overlapMs?: number | undefined }): Promise<WebhookSubscriptionWithSecret>;
  /** Changes the URL or the event filters. */
  updateSubscription(ctx: TenantContext, id: string, change: { url?: string | undefined; eventTypes?: readonly string[] | undefined }): Promise<WebhookSubscription>;
  disable(ctx: TenantContext, id: string, reason: string): Promise<WebhookSubscription>;
  /** Enables again (and forgets the failure run); pending deliveries resume. */
  enable(ctx: TenantContext, id: string): Promise<WebhookSubscription>;
  getSubscription(ctx: TenantContext, id: string): Promise<WebhookSubscription>;
  listSubscriptions(ctx: TenantContext, filter?: { partnerId?: string | undefined }): Promise<readonly WebhookSubscription[]>;
  listDeliveries(
    ctx: TenantContext,
    filter: { subscriptionId: string; status?: WebhookDeliveryStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<WebhookDeliveryPage>;
  /** The attempt log of one delivery. */
  listAttempts(ctx: TenantContext, deliveryId: string): Promise<{ delivery: WebhookDelivery; attempts: readonly WebhookAttempt[] }>;
  /** Makes a failed delivery pending again, due now. */
  retryDelivery(ctx: TenantContext, deliveryId: string): Promise<WebhookDelivery>;
}

const RESOURCE = 'webhook_subscription';

/**
 * Builds the webhook service.
 * @example const webhooks = createWebhookService({ transactions: governance.transactions }); const { secret } = await webhooks.createSubscription(ctx, { url, eventTypes: ['purchase_order.*'] });
 */
export function createWebhookService(options: WebhookServiceOptions): WebhookService {
  const guard = options.guard ?? createSsrfGuard();
  const clock = options.clock ?? systemClock;
  const overlapDefault = options.secretOverlapMs ?? 24 * 60 * 60 * 1000;
  const tx = options.transactions;

  async function owned(ctx: TenantContext, store: WebhookStore, id: string): Promise<WebhookSubscription> {
    const found = await store.getSubscription(ctx, id);
    if (!found || (ctx.partnerId !== undefined && found.partnerId !== ctx.partnerId)) {
      throw new NotFoundError('TL_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} does not exist`, { subscriptionId: id });
    }
    return found;
  }

  async function audit(t: WebhookServiceTx, ctx: TenantContext, action: string, id: string, detail?: Record<string, unknown>): Promise<void> {
    await t.audit?.append(ctx, { action, resource: { kind: RESOURCE, id }, outcome: 'success', detail });
  }

  return {
    createSubscription: (ctx, input) =>
      tx.transaction(async (t) => {
        const partnerId = input.partnerId ?? ctx.partnerId;
        if (!partnerId) throw new NotAllowedError('TL_WEBHOOK_PARTNER_REQUIRED', 'a subscription belongs to a partner: give partnerId', { field: 'partnerId' });
        if (ctx.partnerId !== undefined && partnerId !== ctx.partnerId) {
          throw new NotAllowedError('TL_WEBHOOK_OTHER_PARTNER', 'a partner can only subscribe for itself', { field: 'partnerId' });
        }
        const url = guard.checkUrl(input.url).href;
        const eventTypes = validateEventFilters(input.eventTypes);
        const secret = generateWebhookSecret();
        const subscription = await t.webhooks.createSubscription(ctx, { partnerId, url, eventTypes, secret });
        await audit(t, ctx, 'webhook_subscription.create', subscription.id, { partnerId, url, eventTypes });
        return { subscription, secret };
      }),
    rotateSecret: (ctx, id, rotate = {}) =>
      tx.transaction(async (t) => {
        await owned(ctx, t.webhooks, id);
        const secret = generateWebhookSecret();
        const overlapUntil = new Date(clock.now().getTime() + (rotate.overlapMs ?? overlapDefault));
        const subscription = await t.webhooks.rotateSecret(ctx, id, { secret, overlapUntil });
        await audit(t, ctx, 'webhook_subscription.rotate_secret', id, { overlapUntil: overlapUntil.toISOString() });
        return { subscription, secret };
      }),
    updateSubscription: (ctx, id, change) =>
      tx.transaction(async (t) => {
        await owned(ctx, t.webhooks, id);
        const url = change.url === undefined ? undefined : guard.checkUrl(change.url).href;
        const eventTypes = change.eventTypes === undefined ? undefined : validateEventFilters(change.eventTypes);
        const subscription = await t.webhooks.update(ctx, id, { url, eventTypes });
        await audit(t, ctx, 'webhook_subscription.update', id, { url, eventTypes });
        return subscription;
      }),
    disable: (ctx, id, reason) =>
      tx.transaction(async (t) => {
        await owned(ctx, t.webhooks, id);
        const subscription = await t.webhooks.setStatus(ctx, id, { status: 'disabled', reason });
        await audit(t, ctx, 'webhook_subscription.disable', id, { reason });
        return subscription;
      }),
    enable: (ctx, id) =>
      tx.transaction(async (t) => {
        const current = await owned(ctx, t.webhooks, id);
        guard.checkUrl(current.url);
        const subscription = await t.webhooks.setStatus(ctx, id, { status: 'enabled' });
        await audit(t, ctx, 'webhook_subscription.enable', id);
        return subscription;
      }),
    getSubscription: (ctx, id) => tx.transaction((t) => owned(ctx, t.webhooks, id)),
    listSubscriptions: (ctx, filter = {}) =>
      tx.transaction(async (t) => {
        if (ctx.partnerId !== undefined && filter.partnerId !== undefined && filter.partnerId !== ctx.partnerId) return [];
        return t.webhooks.listSubscriptions(ctx, { partnerId: ctx.partnerId ?? filter.partnerId });
      }),
    listDeliveries: (ctx, filter) =>
      tx.transaction(async (t) => {
        await owned(ctx, t.webhooks, filter.subscriptionId);
        return t.webhooks.listDeliveries(ctx, filter);
      }),
    listAttempts: (ctx, deliveryId) =>
      tx.transaction(async (t) => {
        const delivery = await t.webhooks.getDelivery(ctx, deliveryId);
        if (!delivery) throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} does not exist`, { deliveryId });
        await owned(ctx, t.webhooks, delivery.subscriptionId).catch(() => {
          throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} does not exist`, { deliveryId });
        });
        return { delivery, attempts: await t.webhooks.listAttempts(ctx, deliveryId) };
      }),
    retryDelivery: (ctx, deliveryId) =>
      tx.transaction(async (t) => {
        const delivery = await t.webhooks.getDelivery(ctx, deliveryId);
        if (!delivery) throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} does not exist`, { deliveryId });
        await owned(ctx, t.webhooks, delivery.subscriptionId).catch(() => {
          throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} does not exist`, { deliveryId });
        });
        const retried = await t.webhooks.retryDelivery(ctx, deliveryId, clock.now());
        await audit(t, ctx, 'webhook_subscription.retry_delivery', delivery.subscriptionId, { deliveryId });
        return retried;
      }),
  };
}
