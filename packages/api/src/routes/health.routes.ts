import type { FastifyPluginAsync } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from '../problem.js';

/** One readiness check's outcome. */
export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

/** What `/ready` asks: each named check (database reachable, migrations applied, …). */
export interface ReadinessProbe {
  check(): Promise<Record<string, ReadinessCheck>>;
}

const checkSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, detail: { type: 'string' } },
  required: ['ok'],
} as const;

/** `GET /health` (liveness: the process answers) and `GET /ready` (every readiness check passes). */
export function healthRoutes(deps: { readiness: ReadinessProbe; version: string }): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { rateLimit: false },
        schema: {
          response: {
            200: {
              type: 'object',
              properties: { status: { const: 'ok' }, version: { type: 'string' }, uptimeSeconds: { type: 'number' } },
              required: ['status'],
            },
          },
        },
      },
      async () => ({ status: 'ok' as const, version: deps.version, uptimeSeconds: Math.round(process.uptime()) }),
    );
    app.get(
      '/ready',
      {
        config: { rateLimit: false },
        schema: {
          response: {
            200: {
              type: 'object',
              properties: { status: { const: 'ready' }, checks: { type: 'object', additionalProperties: checkSchema } },
              required: ['status', 'checks'],
            },
            503: {
              type: 'object',
              properties: {
                type: { type: 'string' },
                title: { type: 'string' },
                status: { type: 'integer' },
                code: { type: 'string' },
                detail: { type: 'string' },
                instance: { type: 'string' },
                correlationId: { type: 'string' },
                checks: { type: 'object', additionalProperties: checkSchema },
              },
              required: ['type', 'title', 'status', 'code'],
            },
          },
        },
      },
      async (request, reply) => {
        const checks = await deps.readiness.check();
        const failing = Object.entries(checks).filter(([, c]) => !c.ok);
        if (failing.length === 0) return { status: 'ready' as const, checks };
        return reply
          .code(503)
          .type(PROBLEM_CONTENT_TYPE)
          .send(
            problem(503, 'TL_NOT_READY', `Not ready: ${failing.map(([name, c]) => `${name}${c.detail ? ` (${c.detail})` : ''}`).join(', ')}.`, {
              checks,
              instance: request.url,
              correlationId: request.id,
            }),
          );
      },
    );
  };
}
