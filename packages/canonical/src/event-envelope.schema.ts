import { z } from 'zod';
import { isoDateTimeSchema, refineStorableJson, tenantIdSchema, unlessMissing } from './common.schema.js';
import { newId } from './ids.js';

/** Event type names: `<document>.<past-tense>`, lower-case snake segments, e.g. `sales_order.accepted`. */
export const eventTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/, { error: 'type must look like "<document>.<past_tense>", e.g. "sales_order.accepted"' });

/** W3C Trace Context `traceparent` header value. */
export const traceparentSchema = z
  .string()
  .regex(/^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/, {
    error: 'traceparent must be a W3C trace context value, e.g. 00-<32 hex>-<16 hex>-01',
  });

/**
 * CloudEvents 1.0 envelope (structured JSON mode) with Tradelane extension attributes
 * `tenantid`, `dataversion`, `correlationid`, `traceparent` and `partnerid` (lower-case alphanumeric names, as the spec
 * requires).
 */
export const eventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  /** Unique per source; Tradelane uses `evt_<ULID>`, which is also the outbox id, Nats-Msg-Id and webhook id. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: 'id must be 1-128 letters, digits, ".", "_", ":" or "-"' }),
  /** URI-reference of the producer, e.g. `/tradelane/flows/order-to-cash`. */
  source: z.string().regex(/^\S{1,256}$/, { error: 'source must be a non-empty URI-reference without spaces' }),
  type: eventTypeSchema,
  /** The document the event is about, usually its id. */
  subject: z.string().min(1).max(256).optional(),
  time: isoDateTimeSchema,
  datacontenttype: z.literal('application/json'),
  dataschema: z.url({ error: unlessMissing('dataschema must be an absolute URI') }).optional(),
  data: z
    .unknown()
    .refine((value) => value !== undefined, { error: 'data is required' })
    .superRefine(refineStorableJson),
  tenantid: tenantIdSchema,
  dataversion: z.int().min(1),
  correlationid: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'correlationid must be 1-128 letters, digits, ".", "_", ":" or "-"' }).optional(),
  traceparent: traceparentSchema.optional(),
  /**
   * The trading partner (customer or supplier party id) the event concerns, when it concerns one; outbound webhooks
   * go to this partner's subscriptions. Optional: envelopes without it stay valid.
   */
  partnerid: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { error: 'partnerid must be 1-100 letters, digits, ".", "_", ":" or "-"' }).optional(),
});

/** A CloudEvents 1.0 envelope whose `data` is `T`. */
export type EventEnvelope<T = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: T };

/** Input of {@link makeEvent}. */
export interface MakeEventInput<T> {
  type: string;
  source: string;
  tenantId: string;
  data: T;
  /** Payload version of this event type. */
  dataVersion: number;
  subject?: string;
  correlationId?: string;
  traceparent?: string;
  /** The partner the event concerns (the `partnerid` extension attribute). */
  partnerId?: string;
  dataSchema?: string;
  /** @default newId('evt') */
  id?: string;
  /** RFC 3339 time. @default now */
  time?: string;
}

/**
 * Builds and validates a CloudEvents envelope; throws a TypeError listing the issues when an attribute is invalid.
 * @example makeEvent({ type: 'sales_order.accepted', source: '/tradelane/flows/order-to-cash', tenantId: 'acme', subject: order.id, data: { salesOrder: order }, dataVersion: 1 })
 */
export function makeEvent<T>(input: MakeEventInput<T>): EventEnvelope<T> {
  const envelope = {
    specversion: '1.0' as const,
    id: input.id ?? newId('evt'),
    source: input.source,
    type: input.type,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    time: input.time ?? new Date().toISOString(),
    datacontenttype: 'application/json' as const,
    ...(input.dataSchema !== undefined ? { dataschema: input.dataSchema } : {}),
    data: input.data,
    tenantid: input.tenantId,
    dataversion: input.dataVersion,
    ...(input.correlationId !== undefined ? { correlationid: input.correlationId } : {}),
    ...(input.traceparent !== undefined ? { traceparent: input.traceparent } : {}),
    ...(input.partnerId !== undefined ? { partnerid: input.partnerId } : {}),
  };
  const parsed = eventEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TypeError(`invalid event envelope: ${detail}`);
  }
  // Return the caller's data object untouched (zod would otherwise hand back a copy typed as unknown).
  return { ...parsed.data, data: input.data };
}
