import type { FastifyPluginAsync } from 'fastify';
import type { SupplierQueries } from '@tradelane/core';
import { authHeadersSchema, problemResponses } from '../customer/schemas.js';
import { dateOrder } from './field-rules.js';
import { scorecardQuerySchema, scorecardSchema } from './schemas.js';

/**
 * Scorecard: `GET /scorecard?from=&to=` (scope `scorecard:read`): acknowledgment latency, on-time ASN rate, fill rate and
 * invoice first-pass match rate over the period (the process's default period when `from`/`to` are absent).
 */
export function scorecardRoutes(deps: { queries: SupplierQueries }): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/scorecard',
      {
        config: { scope: 'scorecard:read' },
        preValidation: dateOrder('querystring', 'from', 'to'),
        schema: {
          summary: 'Your performance over a period',
          tags: ['supplier'],
          headers: authHeadersSchema,
          querystring: scorecardQuerySchema,
          response: { 200: scorecardSchema, ...problemResponses },
        },
      },
      async (request) => deps.queries.scorecard(request.ctx, request.query),
    );
  };
}
