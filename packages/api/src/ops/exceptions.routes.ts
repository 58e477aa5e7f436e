import type { FastifyPluginAsync } from 'fastify';
import {
  NotAllowedError,
  NotFoundError,
  exceptionRoleScope,
  exceptionRolesOf,
  type ExceptionDesk,
  type ExceptionOwnerRole,
  type ExceptionQuery,
  type ExceptionResolution,
  type ExceptionView,
  type TenantContext,
} from '@tradelane/core';
import { authHeadersSchema, idempotentHeadersSchema, pageLimit, pageSchema, problemResponses } from '../customer/schemas.js';
import { noBody, uniqueLineNumbers } from '../supplier/field-rules.js';
import { exceptionParamsSchema, exceptionQuerySchema, exceptionResolutionSchema, exceptionViewSchema } from './schemas.js';

/** Scopes that open the exception desk: all of it, or one owner role's exceptions. */
export const EXCEPTION_SCOPES: readonly string[] = ['ops:exceptions', ...(['buyer', 'finance', 'customer_service'] as const).map(exceptionRoleScope)];

/** Refuses (403 `TL_AUTH_ROLE`) an exception whose owner role the caller's scopes do not open. */
function assertRole(ctx: TenantContext, exception: ExceptionView): ExceptionView {
  const roles = exceptionRolesOf(ctx);
  if (roles !== 'all' && !roles.includes(exception.ownerRole)) {
    throw new NotAllowedError('TL_AUTH_ROLE', `This exception is worked by ${exception.ownerRole}; your role does not cover it.`, {
      required: exceptionRoleScope(exception.ownerRole),
    });
  }
  return exception;
}

/**
 * Exceptions (scope `ops:exceptions`, or `ops:exceptions:<ownerRole>` for one role's exceptions only): `GET /exceptions` filtered by type, owner role, SLA state and status,
 * `GET /exceptions/{id}`, `POST /exceptions/{id}/claim` (409 when someone else holds it) and
 * `POST /exceptions/{id}/resolve` (idempotent) with one of the exception's actions, applied through the process.
 */
export function exceptionsRoutes(deps: { exceptions: ExceptionDesk }): FastifyPluginAsync {
  const found = async (ctx: TenantContext, id: string): Promise<ExceptionView> => {
    const exception = await deps.exceptions.get(ctx, id);
    if (!exception) throw new NotFoundError('TL_EXCEPTION_NOT_FOUND', `No exception ${id}.`);
    return assertRole(ctx, exception);
  };
  return async (app) => {
    app.get<{ Querystring: ExceptionQuery }>(
      '/exceptions',
      {
        config: { scope: EXCEPTION_SCOPES, privileged: true },
        schema: {
          summary: 'List exceptions',
          tags: ['ops'],
          headers: authHeadersSchema,
          querystring: exceptionQuerySchema,
          response: { 200: pageSchema(exceptionViewSchema), ...problemResponses },
        },
      },
      async (request) => {
        const roles = exceptionRolesOf(request.ctx);
        const limit = pageLimit(request.query.limit);
        if (roles === 'all') return deps.exceptions.list(request.ctx, { ...request.query, limit });
        const asked = request.query.ownerRole;
        if (asked !== undefined && !roles.includes(asked)) return { items: [], nextCursor: null };
        const only: ExceptionOwnerRole | undefined = asked ?? (roles.length === 1 ? roles[0] : undefined);
        const page = await deps.exceptions.list(request.ctx, { ...request.query, ownerRole: only, limit });
        return only ? page : { ...page, items: page.items.filter((e) => roles.includes(e.ownerRole)) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/exceptions/:id',
      {
        config: { scope: EXCEPTION_SCOPES, privileged: true },
        schema: {
          summary: 'An exception with its evidence, actions, SLA and history',
          tags: ['ops'],
          headers: authHeadersSchema,
          params: exceptionParamsSchema,
          response: { 200: exceptionViewSchema, ...problemResponses },
        },
      },
      async (request) => found(request.ctx, request.params.id),
    );

    app.post<{ Params: { id: string } }>(
      '/exceptions/:id/claim',
      {
        config: { scope: EXCEPTION_SCOPES },
        preValidation: noBody,
        schema: {
          summary: 'Take ownership of an exception',
          description: 'Claiming one you already hold answers it again; one held by someone else, or resolved, is a 409.',
          tags: ['ops'],
          headers: authHeadersSchema,
          params: exceptionParamsSchema,
          response: { 200: exceptionViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        await found(request.ctx, request.params.id);
        return deps.exceptions.claim(request.ctx, request.params.id);
      },
    );

    app.post<{ Params: { id: string }; Body: ExceptionResolution }>(
      '/exceptions/:id/resolve',
      {
        config: { scope: EXCEPTION_SCOPES, idempotent: true },
        preValidation: uniqueLineNumbers('counter'),
        schema: {
          summary: 'Resolve an exception with one of its actions',
          description: 'The action is applied through the process (ERP update, PO change, invoice approval…), audited, and closes the exception.',
          tags: ['ops'],
          headers: idempotentHeadersSchema,
          params: exceptionParamsSchema,
          body: exceptionResolutionSchema,
          response: { 200: exceptionViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        await found(request.ctx, request.params.id);
        return deps.exceptions.resolve(request.ctx, request.params.id, request.body);
      },
    );
  };
}
