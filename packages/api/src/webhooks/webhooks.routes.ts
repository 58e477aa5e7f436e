import type { FastifyPluginAsync } from 'fastify';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  type ApiKeyResolver,
  type IdempotencyStore,
  type TenantContext,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookDeliveryStatus,
  type WebhookSubscription,
} from '@tradelane/core';
import { authPlugin } from '../plugins/auth.plugin.js';
import type { AccessTokenVerifier } from '../identity/access-tokens.js';
import { idempotencyPlugin, type IdempotencyPluginOptions } from '../plugins/idempotency.plugin.js';
import { strictBodyTypes } from '../customer/strict-body.hook.js';
import { authHeadersSchema, idempotentHeadersSchema, problemResponses } from '../customer/schemas.js';
import { noBody } from '../supplier/field-rules.js';
import {
  createSubscriptionSchema,
  deliveryPageSchema,
  deliveryParamsSchema,
  deliveryQuerySchema,
  deliveryViewSchema,
  subscriptionListQuerySchema,
  subscriptionParamsSchema,
  subscriptionViewSchema,
  subscriptionWithSecretSchema,
  updateSubscriptionSchema,
} from './schemas.js';

/** Scopes of the webhook subscription API. */
export type WebhookScope = 'webhooks:manage';

/** Every webhook scope. */
export const WEBHOOK_SCOPES: readonly WebhookScope[] = ['webhooks:manage'];

/**
 * The subscription commands and delivery queries the routes call (the bus's webhook service has this shape). A
 * caller with a partner sees only its own subscriptions; staff see the tenant's.
 */
export interface WebhookSubscriptions {
  createSubscription(ctx: TenantContext, input: { partnerId?: string | undefined; url: string; eventTypes: readonly string[] }): Promise<{ subscription: WebhookSubscription; secret: string }>;
  rotateSecret(ctx: TenantContext, id: string): Promise<{ subscription: WebhookSubscription; secret: string }>;
  updateSubscription(ctx: TenantContext, id: string, change: { url?: string | undefined; eventTypes?: readonly string[] | undefined }): Promise<WebhookSubscription>;
  disable(ctx: TenantContext, id: string, reason: string): Promise<WebhookSubscription>;
  enable(ctx: TenantContext, id: string): Promise<WebhookSubscription>;
  getSubscription(ctx: TenantContext, id: string): Promise<WebhookSubscription>;
  listSubscriptions(ctx: TenantContext, filter?: { partnerId?: string | undefined }): Promise<readonly WebhookSubscription[]>;
  listDeliveries(ctx: TenantContext, filter: { subscriptionId: string; status?: WebhookDeliveryStatus | undefined; limit?: number | undefined; cursor?: string | undefined }): Promise<WebhookDeliveryPage>;
  listAttempts(ctx: TenantContext, deliveryId: string): Promise<{ delivery: WebhookDelivery; attempts: readonly WebhookAttempt[] }>;
  retryDelivery(ctx: TenantContext, deliveryId: string): Promise<WebhookDelivery>;
}

/** What the webhook subscription API needs. */
export interface WebhookRoutesDeps {
  subscriptions: WebhookSubscriptions;
  apiKeys: ApiKeyResolver;
  /** Verifies OAuth access tokens; without it the tree accepts API keys only. */
  accessTokens?: AccessTokenVerifier | undefined;
  idempotency: IdempotencyStore;
  /** Idempotency lock and retention. @default { lockMs: 60000, ttlMs: 86400000 } */
  idempotencyOptions?: Pick<IdempotencyPluginOptions, 'lockMs' | 'ttlMs'> | undefined;
}

const TARGET_CODES = new Set(['TL_WEBHOOK_TARGET_FORBIDDEN', 'TL_WEBHOOK_BAD_URL', 'TL_WEBHOOK_BAD_FILTER', 'TL_WEBHOOK_UNKNOWN_EVENT_TYPE']);

/** A refused target URL or filter is the caller's input, not a permission: 400 with the guard's code. */
async function asInput<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof NotAllowedError && TARGET_CODES.has(err.code)) throw new InputError(err.code, err.message, { ...err.details, field: 'url' });
    throw err;
  }
}

/**
 * The webhook subscription API (register under `/v1/webhooks`, scope `webhooks:manage`): a partner creates, lists,
 * changes, rotates the secret of and reads the delivery log of its own subscriptions; staff manage any partner's
 * (`partnerId` in the create body or the list query). The signing secret is answered once, on create and rotate.
 * @example await app.register(webhookRoutes({ subscriptions, apiKeys, idempotency }), { prefix: '/v1/webhooks' })
 */
export function webhookRoutes(deps: WebhookRoutesDeps): FastifyPluginAsync {
  const s = deps.subscriptions;
  return async (app) => {
    await app.register(authPlugin, { apiKeys: deps.apiKeys, accessTokens: deps.accessTokens, requirePartner: false });
    await app.register(idempotencyPlugin, { store: deps.idempotency, ...deps.idempotencyOptions });
    app.addHook('preValidation', strictBodyTypes);
    app.addHook('onRequest', async (_request, reply) => {
      void reply.header('cache-control', 'private, no-store');
    });
    const config = { scope: 'webhooks:manage' } as const;

    app.post<{ Body: { url: string; eventTypes: string[]; partnerId?: string } }>(
      '/subscriptions',
      {
        config: { ...config, idempotent: true, auditResource: 'webhook_subscription' },
        schema: {
          summary: 'Subscribe to events',
          description: 'Answers the signing secret (`whsec_…`) once. The URL must not point at loopback, private or link-local addresses.',
          tags: ['webhooks'],
          headers: idempotentHeadersSchema,
          body: createSubscriptionSchema,
          response: { 201: subscriptionWithSecretSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { partnerId, url, eventTypes } = request.body;
        const ctx = request.ctx;
        if (partnerId !== undefined && ctx.partnerId !== undefined && partnerId !== ctx.partnerId) {
          throw new NotAllowedError('TL_WEBHOOK_OTHER_PARTNER', 'A partner subscribes for itself only; leave partnerId out.', { field: 'partnerId' });
        }
        const created = await asInput(() => s.createSubscription(ctx, { partnerId, url, eventTypes }));
        void reply.code(201);
        return created;
      },
    );

    app.get<{ Querystring: { partnerId?: string } }>(
      '/subscriptions',
      {
        config,
        schema: {
          summary: 'List subscriptions',
          tags: ['webhooks'],
          headers: authHeadersSchema,
          querystring: subscriptionListQuerySchema,
          response: { 200: { type: 'object', properties: { items: { type: 'array', items: subscriptionViewSchema } }, required: ['items'] }, ...problemResponses },
        },
      },
      async (request) => ({ items: await s.listSubscriptions(request.ctx, { partnerId: request.query.partnerId }) }),
    );

    app.get<{ Params: { id: string } }>(
      '/subscriptions/:id',
      {
        config,
        schema: { summary: 'A subscription', tags: ['webhooks'], headers: authHeadersSchema, params: subscriptionParamsSchema, response: { 200: subscriptionViewSchema, ...problemResponses } },
      },
      async (request) => s.getSubscription(request.ctx, request.params.id),
    );

    app.patch<{ Params: { id: string }; Body: { url?: string; eventTypes?: string[]; enabled?: boolean } }>(
      '/subscriptions/:id',
      {
        config: { ...config, auditResource: 'webhook_subscription' },
        schema: {
          summary: 'Change the URL, the event filters, or enable/disable',
          tags: ['webhooks'],
          headers: authHeadersSchema,
          params: subscriptionParamsSchema,
          body: updateSubscriptionSchema,
          response: { 200: subscriptionViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { id } = request.params;
        const { url, eventTypes, enabled } = request.body;
        let current = await s.getSubscription(request.ctx, id);
        if (url !== undefined || eventTypes !== undefined) current = await asInput(() => s.updateSubscription(request.ctx, id, { url, eventTypes }));
        if (enabled === false && current.status === 'enabled') current = await s.disable(request.ctx, id, `disabled by ${request.ctx.actor.id}`);
        if (enabled === true && current.status === 'disabled') current = await asInput(() => s.enable(request.ctx, id));
        return current;
      },
    );

    app.post<{ Params: { id: string } }>(
      '/subscriptions/:id/rotate-secret',
      {
        config: { ...config, idempotent: true, auditResource: 'webhook_subscription' },
        preValidation: noBody,
        schema: {
          summary: 'Rotate the signing secret',
          description: 'Answers the new secret once; the previous one keeps signing (both signatures are sent) for 24 hours.',
          tags: ['webhooks'],
          headers: idempotentHeadersSchema,
          params: subscriptionParamsSchema,
          response: { 200: subscriptionWithSecretSchema, ...problemResponses },
        },
      },
      async (request) => s.rotateSecret(request.ctx, request.params.id),
    );

    app.get<{ Params: { id: string }; Querystring: { status?: WebhookDeliveryStatus; limit?: number; cursor?: string } }>(
      '/subscriptions/:id/deliveries',
      {
        config: { ...config, privileged: true, auditResource: 'webhook_subscription' },
        schema: {
          summary: 'Delivery log of a subscription, newest first',
          tags: ['webhooks'],
          headers: authHeadersSchema,
          params: subscriptionParamsSchema,
          querystring: deliveryQuerySchema,
          response: { 200: deliveryPageSchema, ...problemResponses },
        },
      },
      async (request) => {
        const page = await s.listDeliveries(request.ctx, { subscriptionId: request.params.id, ...request.query });
        return { items: page.deliveries, nextCursor: page.nextCursor ?? null };
      },
    );

    app.post<{ Params: { id: string; deliveryId: string } }>(
      '/subscriptions/:id/deliveries/:deliveryId/retry',
      {
        config: { ...config, auditResource: 'webhook_delivery' },
        preValidation: noBody,
        schema: {
          summary: 'Send a failed delivery again now',
          tags: ['webhooks'],
          headers: authHeadersSchema,
          params: deliveryParamsSchema,
          response: { 200: deliveryViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { id, deliveryId } = request.params;
        const { delivery } = await s.listAttempts(request.ctx, deliveryId);
        if (delivery.subscriptionId !== id) throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} does not exist`, { deliveryId });
        return s.retryDelivery(request.ctx, deliveryId);
      },
    );
  };
}
