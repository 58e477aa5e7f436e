import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ErpSimEngine } from './erp-engine.service.js';
import { parseRequest } from './sim-request.schemas.js';

const changesQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The change feed: `GET /changes?after=<seq>&limit=<n>`, oldest first. */
export function changesRoutes(deps: { engine: ErpSimEngine }): FastifyPluginAsync {
  return async (app) => {
    app.get('/changes', async (request) => {
      const q = parseRequest(changesQuery, request.query);
      return deps.engine.changesAfter(q.after, q.limit);
    });
  };
}
