/**
 * JSON Schemas of the operations API: exception filters, the resolve body and the exception document. Shared parts
 * (paging, headers, decimals, dates, problem documents) come from the customer schemas.
 */
import { AMOUNT_PATTERN, QUANTITY_PATTERN, TEXT_PATTERN, cursorSchema, dateSchema, idParamsSchema, limitSchema, lineNumberSchema } from '../customer/schemas.js';

/** Kinds of exception (mirrors `ExceptionType`). */
export const exceptionTypes = ['acknowledgment_out_of_tolerance', 'acknowledgment_missing', 'invoice_dispute', 'promise_missed'] as const;
/** Owner roles (mirrors `ExceptionOwnerRole`). */
export const exceptionOwnerRoles = ['buyer', 'finance', 'customer_service'] as const;
/** SLA states (mirrors `SlaState`). */
export const slaStates = ['ok', 'due_soon', 'breached'] as const;
/** Exception statuses. */
export const exceptionStatuses = ['Open', 'Claimed', 'Resolved'] as const;

/** `{ id }` of an exception (`exc_<ULID>`). */
export const exceptionParamsSchema = idParamsSchema('exc', 'Exception');

/** Query of `GET /exceptions`. */
export const exceptionQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: exceptionTypes },
    ownerRole: { type: 'string', enum: exceptionOwnerRoles },
    slaState: { type: 'string', enum: slaStates },
    status: { type: 'string', enum: exceptionStatuses },
    cursor: cursorSchema,
    limit: limitSchema,
  },
} as const;

/** Body of `POST /exceptions/{id}/resolve`: mirrors ExceptionResolution; `counter` is required with action `counter`. */
export const exceptionResolutionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'One of the exception\'s `actions`, e.g. accept_change' },
    note: { type: 'string', minLength: 1, maxLength: 2000, pattern: TEXT_PATTERN },
    counter: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber'],
        anyOf: [{ required: ['quantity'] }, { required: ['unitPrice'] }, { required: ['promisedDate'] }],
        properties: {
          lineNumber: lineNumberSchema,
          quantity: { type: 'string', pattern: QUANTITY_PATTERN, description: 'Decimal string' },
          unitPrice: { type: 'string', pattern: AMOUNT_PATTERN, description: 'Decimal string' },
          promisedDate: dateSchema,
        },
      },
    },
  },
  if: { properties: { action: { const: 'counter' } }, required: ['action'] },
  then: { required: ['counter'] },
} as const;

/** An exception with its evidence, allowed actions, SLA and history. */
export const exceptionViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    ownerRole: { type: 'string' },
    status: { type: 'string' },
    claimedBy: { type: 'string' },
    subject: {
      type: 'object',
      properties: { kind: { type: 'string' }, id: { type: 'string' }, number: { type: 'string' } },
      required: ['kind', 'id'],
    },
    supplierId: { type: 'string' },
    customerId: { type: 'string' },
    summary: { type: 'string' },
    evidence: { type: 'object', additionalProperties: true },
    actions: { type: 'array', items: { type: 'string' } },
    sla: { type: 'object', properties: { dueAt: { type: 'string' }, state: { type: 'string' } }, required: ['dueAt', 'state'] },
    createdAt: { type: 'string' },
    resolvedAt: { type: 'string' },
    resolution: {
      type: 'object',
      properties: { action: { type: 'string' }, by: { type: 'string' }, note: { type: 'string' } },
      required: ['action', 'by'],
    },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' }, note: { type: 'string' } },
        required: ['at', 'actor', 'action'],
      },
    },
  },
  required: ['id', 'type', 'ownerRole', 'status', 'subject', 'summary', 'evidence', 'actions', 'sla', 'createdAt', 'history'],
} as const;
