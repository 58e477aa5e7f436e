import { InputError, NotAllowedError, NotFoundError, type TenantContext, type WebhookDelivery, type WebhookSubscription } from '@tradelane/core';
import type { WebhookSubscriptions } from './webhooks.routes.js';

let n = 0;
const ulid = () => String(++n).padStart(26, '0');

/** In-memory subscriptions with the service's rules: partners see their own, staff see all, private targets refused. */
export class FakeWebhookSubscriptions implements WebhookSubscriptions {
  readonly subs = new Map<string, WebhookSubscription & { secret: string }>();
  readonly deliveries = new Map<string, WebhookDelivery>();

  private owned(ctx: TenantContext, id: string): WebhookSubscription & { secret: string } {
    const s = this.subs.get(id);
    if (!s || s.tenantId !== ctx.tenantId || (ctx.partnerId !== undefined && s.partnerId !== ctx.partnerId)) {
      throw new NotFoundError('TL_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} does not exist`);
    }
    return s;
  }
  private check(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new NotAllowedError('TL_WEBHOOK_BAD_URL', 'the webhook URL is not an absolute URL');
    }
    if (/^(localhost|127\.|10\.|192\.168\.|169\.254\.|\[::1\])/.test(parsed.hostname)) throw new NotAllowedError('TL_WEBHOOK_TARGET_FORBIDDEN', 'private target');
    return parsed.href;
  }
  private view(s: WebhookSubscription & { secret: string }): WebhookSubscription {
    const { secret: _secret, ...rest } = s;
    return rest;
  }
  /** Adds a delivery to a subscription (for the log and retry routes). */
  seedDelivery(subscriptionId: string, status: WebhookDelivery['status'] = 'failed'): WebhookDelivery {
    const s = this.subs.get(subscriptionId)!;
    const d: WebhookDelivery = { id: `whd_${ulid()}`, tenantId: s.tenantId, subscriptionId, eventId: `evt_${ulid()}`, eventType: 'sales_order.shipped', body: '{}', status, attempts: 3, createdAt: new Date('2026-03-10T08:00:00Z') };
    this.deliveries.set(d.id, d);
    return d;
  }
  async createSubscription(ctx: TenantContext, input: { partnerId?: string | undefined; url: string; eventTypes: readonly string[] }) {
    const partnerId = input.partnerId ?? ctx.partnerId;
    if (!partnerId) throw new NotAllowedError('TL_WEBHOOK_PARTNER_REQUIRED', 'give partnerId');
    if (input.eventTypes.some((t) => !/^[a-z_]+\.(\*|[a-z_]+)$|^\*$/.test(t))) throw new InputError('TL_WEBHOOK_BAD_FILTER', 'bad filter');
    const now = new Date('2026-03-10T08:00:00Z');
    const secret = `whsec_${Buffer.from(ulid()).toString('base64')}`;
    const s = { id: `whs_${ulid()}`, tenantId: ctx.tenantId, partnerId, url: this.check(input.url), eventTypes: [...input.eventTypes], status: 'enabled' as const, consecutiveFailures: 0, secrets: [{ id: `whk_${ulid()}`, hint: secret.slice(0, 10), createdAt: now }], createdAt: now, updatedAt: now, secret };
    this.subs.set(s.id, s);
    return { subscription: this.view(s), secret };
  }
  async rotateSecret(ctx: TenantContext, id: string) {
    const s = this.owned(ctx, id);
    const secret = `whsec_${Buffer.from(ulid()).toString('base64')}`;
    const next = { ...s, secret, secrets: [...s.secrets, { id: `whk_${ulid()}`, hint: secret.slice(0, 10), createdAt: new Date() }] };
    this.subs.set(id, next);
    return { subscription: this.view(next), secret };
  }
  async updateSubscription(ctx: TenantContext, id: string, change: { url?: string | undefined; eventTypes?: readonly string[] | undefined }) {
    const s = this.owned(ctx, id);
    const next = { ...s, ...(change.url ? { url: this.check(change.url) } : {}), ...(change.eventTypes ? { eventTypes: [...change.eventTypes] } : {}) };
    this.subs.set(id, next);
    return this.view(next);
  }
  async disable(ctx: TenantContext, id: string, reason: string) {
    const next = { ...this.owned(ctx, id), status: 'disabled' as const, disabledReason: reason };
    this.subs.set(id, next);
    return this.view(next);
  }
  async enable(ctx: TenantContext, id: string) {
    const { disabledReason: _r, ...rest } = this.owned(ctx, id);
    const next = { ...rest, status: 'enabled' as const };
    this.subs.set(id, next);
    return this.view(next);
  }
  async getSubscription(ctx: TenantContext, id: string) {
    return this.view(this.owned(ctx, id));
  }
  async listSubscriptions(ctx: TenantContext, filter: { partnerId?: string | undefined } = {}) {
    const partnerId = ctx.partnerId ?? filter.partnerId;
    if (ctx.partnerId && filter.partnerId && filter.partnerId !== ctx.partnerId) return [];
    return [...this.subs.values()].filter((s) => s.tenantId === ctx.tenantId && (!partnerId || s.partnerId === partnerId)).map((s) => this.view(s));
  }
  async listDeliveries(ctx: TenantContext, filter: { subscriptionId: string; status?: WebhookDelivery['status'] | undefined }) {
    this.owned(ctx, filter.subscriptionId);
    return { deliveries: [...this.deliveries.values()].filter((d) => d.subscriptionId === filter.subscriptionId && (!filter.status || d.status === filter.status)) };
  }
  async listAttempts(ctx: TenantContext, deliveryId: string) {
    const d = this.deliveries.get(deliveryId);
    if (!d) throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', 'no delivery');
    try {
      this.owned(ctx, d.subscriptionId);
    } catch {
      throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', 'no delivery');
    }
    return { delivery: d, attempts: [] };
  }
  async retryDelivery(ctx: TenantContext, deliveryId: string) {
    const { delivery } = await this.listAttempts(ctx, deliveryId);
    const next = { ...delivery, status: 'pending' as const, nextAttemptAt: new Date() };
    this.deliveries.set(deliveryId, next);
    return next;
  }
}
