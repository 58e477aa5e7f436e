import { z } from 'zod';
import {
  afterFieldChecks,
  isoDateTimeSchema,
  jsonValueSchema,
  tenantIdSchema,
  textSchema,
} from './common.schema.js';
import { idSchema } from './ids.js';

/** Kinds of business exception that need a human. */
export const exceptionTypes = [
  'price_mismatch',
  'unknown_item',
  'unknown_ship_to',
  'invalid_unit_of_measure',
  'over_tolerance_ack',
  'unmatched_invoice',
  'credit_hold',
  'missed_promise',
  'duplicate_document',
  'delivery_exception',
] as const;

/** An exception type. */
export type ExceptionType = (typeof exceptionTypes)[number];

/** Roles that own exceptions. */
export const exceptionOwnerRoles = ['buyer', 'customer_service', 'finance', 'integration_admin'] as const;

/** An owner role. */
export type ExceptionOwnerRole = (typeof exceptionOwnerRoles)[number];

/** What a person can do about an exception. */
export const exceptionActions = ['accept', 'reject', 'override', 'retry', 'counter'] as const;

/** An exception action. */
export type ExceptionAction = (typeof exceptionActions)[number];

/** Exception states. */
export const exceptionStatuses = ['Open', 'Claimed', 'Resolved'] as const;

/** An exception state. */
export type ExceptionStatus = (typeof exceptionStatuses)[number];

/** Document kinds an exception can be about. */
export const exceptionSubjectTypes = [
  'sales_order',
  'purchase_order',
  'purchase_order_acknowledgment',
  'advance_ship_notice',
  'shipment',
  'invoice',
  'payment',
  'return_authorization',
  'item',
  'party',
  'price',
  'message',
] as const;

const exceptionBase = {
  schemaVersion: z.literal(1),
  id: idSchema('exc'),
  tenantId: tenantIdSchema,
  type: z.enum(exceptionTypes),
  ownerRole: z.enum(exceptionOwnerRoles),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  title: textSchema(200),
  detail: textSchema(4000).optional(),
  /** The document the exception is about. */
  subject: z.object({ type: z.enum(exceptionSubjectTypes), id: textSchema(80), number: textSchema(40).optional() }),
  /** The partner involved, used to scope who may see it. */
  partyId: idSchema('pty').optional(),
  openedAt: isoDateTimeSchema,
  sla: z.object({ dueAt: isoDateTimeSchema, policy: textSchema(40).optional() }),
  allowedActions: z.array(z.enum(exceptionActions)).min(1).max(exceptionActions.length),
  /** Facts a person needs to decide: expected vs actual values, document excerpts. */
  evidence: z.record(z.string().min(1).max(100), jsonValueSchema),
  correlationId: textSchema(100).optional(),
  flowRunId: idSchema('flow').optional(),
};

/** Who resolved an exception, how and when. */
export const exceptionResolutionSchema = z.object({
  action: z.enum(exceptionActions),
  by: textSchema(120),
  at: isoDateTimeSchema,
  note: textSchema(2000).optional(),
  /** Values proposed back with a `counter` action (e.g. a counter price). */
  counter: z.record(z.string().min(1).max(100), jsonValueSchema).optional(),
});

/** A business exception with an owner role, an SLA, evidence and actions (discriminated on `status`). */
export const exceptionSchema = z
  .discriminatedUnion('status', [
    z.object({ ...exceptionBase, status: z.literal('Open') }),
    z.object({ ...exceptionBase, status: z.literal('Claimed'), claimedBy: textSchema(120), claimedAt: isoDateTimeSchema }),
    z.object({
      ...exceptionBase,
      status: z.literal('Resolved'),
      claimedBy: textSchema(120).optional(),
      claimedAt: isoDateTimeSchema.optional(),
      resolution: exceptionResolutionSchema,
    }),
  ])
  .superRefine((exception, ctx) => {
    const seen = new Set<string>();
    exception.allowedActions.forEach((action, i) => {
      if (seen.has(action)) {
        ctx.addIssue({ code: 'custom', path: ['allowedActions', i], message: `action ${action} is listed twice` });
      }
      seen.add(action);
    });
    if (exception.status === 'Resolved') {
      if (!exception.allowedActions.includes(exception.resolution.action)) {
        ctx.addIssue({
          code: 'custom',
          path: ['resolution', 'action'],
          message: `action ${exception.resolution.action} is not one of the allowed actions (${exception.allowedActions.join(', ')})`,
        });
      }
      if (exception.resolution.action === 'counter' && exception.resolution.counter === undefined) {
        ctx.addIssue({ code: 'custom', path: ['resolution', 'counter'], message: 'a counter resolution needs the countered values' });
      }
    }
  }, afterFieldChecks);

/** A business exception. */
export type Exception = z.infer<typeof exceptionSchema>;
