/** JSON Schemas of the webhook subscription API. */

const dateTime = { type: 'string', format: 'date-time' } as const;

/** Subscription ids (`whs_…`). */
export const subscriptionIdSchema = { type: 'string', pattern: '^whs_[0-9A-Za-z]{10,40}$' } as const;
/** Delivery ids (`whd_…`). */
export const deliveryIdSchema = { type: 'string', pattern: '^whd_[0-9A-Za-z]{10,40}$' } as const;

/** Path of one subscription. */
export const subscriptionParamsSchema = {
  type: 'object',
  properties: { id: subscriptionIdSchema },
  required: ['id'],
  additionalProperties: false,
} as const;

/** Path of one delivery of a subscription. */
export const deliveryParamsSchema = {
  type: 'object',
  properties: { id: subscriptionIdSchema, deliveryId: deliveryIdSchema },
  required: ['id', 'deliveryId'],
  additionalProperties: false,
} as const;

const partnerIdSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' } as const;
const urlSchema = { type: 'string', minLength: 8, maxLength: 2048, description: 'https:// endpoint (private, loopback and link-local targets are refused)' } as const;
const eventTypesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: { type: 'string', minLength: 1, maxLength: 100 },
  description: 'Event types: exact (`sales_order.shipped`), a prefix wildcard (`sales_order.*`) or `*`',
} as const;

/** Body of `POST /subscriptions`. */
export const createSubscriptionSchema = {
  type: 'object',
  properties: {
    url: urlSchema,
    eventTypes: eventTypesSchema,
    partnerId: { ...partnerIdSchema, description: "Staff only: the partner the subscription is for (a partner's own client subscribes for itself)" },
  },
  required: ['url', 'eventTypes'],
  additionalProperties: false,
} as const;

/** Body of `PATCH /subscriptions/{id}`. */
export const updateSubscriptionSchema = {
  type: 'object',
  properties: { url: urlSchema, eventTypes: eventTypesSchema, enabled: { type: 'boolean' } },
  minProperties: 1,
  additionalProperties: false,
} as const;

/** Query of `GET /subscriptions`. */
export const subscriptionListQuerySchema = {
  type: 'object',
  properties: { partnerId: { ...partnerIdSchema, description: 'Staff only: one partner' } },
  additionalProperties: false,
} as const;

/** Query of the delivery log. */
export const deliveryQuerySchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    cursor: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
} as const;

/** A subscription as answered: never a secret, only hints. */
export const subscriptionViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    partnerId: { type: 'string' },
    url: { type: 'string' },
    eventTypes: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['enabled', 'disabled'] },
    disabledReason: { type: 'string' },
    disabledAt: dateTime,
    consecutiveFailures: { type: 'integer' },
    failingSince: dateTime,
    secrets: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, hint: { type: 'string' }, createdAt: dateTime, expiresAt: dateTime },
        required: ['id', 'hint', 'createdAt'],
      },
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
  required: ['id', 'partnerId', 'url', 'eventTypes', 'status', 'consecutiveFailures', 'secrets', 'createdAt', 'updatedAt'],
} as const;

/** A subscription with its new signing secret, shown once. */
export const subscriptionWithSecretSchema = {
  type: 'object',
  properties: {
    subscription: subscriptionViewSchema,
    secret: { type: 'string', description: '`whsec_…`: keep it now, it is never shown again' },
  },
  required: ['subscription', 'secret'],
} as const;

/** One delivery of the log (without the body). */
export const deliveryViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    subscriptionId: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    nextAttemptAt: dateTime,
    lastStatusCode: { type: 'integer' },
    lastError: { type: 'string' },
    createdAt: dateTime,
    deliveredAt: dateTime,
  },
  required: ['id', 'subscriptionId', 'eventId', 'eventType', 'status', 'attempts', 'createdAt'],
} as const;

/** A page of the delivery log, newest first. */
export const deliveryPageSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: deliveryViewSchema }, nextCursor: { type: ['string', 'null'] } },
  required: ['items', 'nextCursor'],
} as const;
