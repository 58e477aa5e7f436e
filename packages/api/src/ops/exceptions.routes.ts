import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, type ExceptionDesk, type ExceptionQuery, type ExceptionResolution } from '@tradelane/core';
import { authHeadersSchema, idempotentHeadersSchema, pageLimit, pageSchema, problemResponses } from '../customer/schemas.js';
import { noBody, uniqueLineNumbers } from '../supplier/field-rules.js';
import { exceptionParamsSchema, exceptionQuerySchema, exceptionResolutionSchema, exceptionViewSchema } from './schemas.js';

/**
 * Exceptions (scope `ops:exceptions`): `GET /exceptions` filtered by type, owner role, SLA state and status,
 * `GET /exceptions/{id}`, `POST /exceptions/{id}/claim` (409 when someone else holds it) and
 * `POST /exceptions/{id}/resolve` (idempotent) with one of the exception's actions, applied through the process.
 */
export function exceptionsRoutes(deps: { exceptions: ExceptionDesk }): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ExceptionQuery }>(
      '/exceptions',
      {
        config: { scope: 'ops:exceptions' },
        schema: {
          summary: 'List exceptions',
          tags: ['ops'],
          headers: authHeadersSchema,
          querystring: exceptionQuerySchema,
          response: { 200: pageSchema(exceptionViewSchema), ...problemResponses },
        },
      },
      async (request) => deps.exceptions.list(request.ctx, { ...request.query, limit: pageLimit(request.query.limit) }),
    );

    app.get<{ Params: { id: string } }>(
      '/exceptions/:id',
      {
        config: { scope: 'ops:exceptions' },
        schema: {
          summary: 'An exception with its evidence, actions, SLA and history',
          tags: ['ops'],
          headers: authHeadersSchema,
          params: exceptionParamsSchema,
          response: { 200: exceptionViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const exception = await deps.exceptions.get(request.ctx, request.params.id);
        if (!exception) throw new NotFoundError('TL_EXCEPTION_NOT_FOUND', `No exception ${request.params.id}.`);
        return exception;
      },
    );

    app.post<{ Params: { id: string } }>(
      '/exceptions/:id/claim',
      {
        config: { scope: 'ops:exceptions' },
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
      async (request) => deps.exceptions.claim(request.ctx, request.params.id),
    );

    app.post<{ Params: { id: string }; Body: ExceptionResolution }>(
      '/exceptions/:id/resolve',
      {
        config: { scope: 'ops:exceptions', idempotent: true },
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
      async (request) => deps.exceptions.resolve(request.ctx, request.params.id, request.body),
    );
  };
}
