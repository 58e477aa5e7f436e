import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem, toProblem } from '../problem.js';

/** Turns every error and every unknown route into RFC 9457 problem+json with a stable `TL_…` code. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err, request, reply) => {
      const body = toProblem(err);
      body.instance = request.url;
      body.correlationId = request.id;
      if (body.status >= 500) request.log.error({ err }, 'request failed');
      else request.log.info({ code: body.code, status: body.status }, 'request rejected');
      const retryAfterMs = (err as { retryAfterMs?: number }).retryAfterMs;
      if (retryAfterMs !== undefined) void reply.header('retry-after', Math.ceil(retryAfterMs / 1000));
      void reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
    });
    app.setNotFoundHandler((request, reply) => {
      const body = problem(404, 'TL_ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, {
        instance: request.url,
        correlationId: request.id,
      });
      void reply.code(404).type(PROBLEM_CONTENT_TYPE).send(body);
    });
  },
  { name: 'tradelane-errors' },
);
