import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { carrierScenarios, type JourneyEngine } from './journey.engine.js';

/** The part of an engine the admin routes drive (independent of the carrier's wire format). */
export type CarrierSimAdmin = Pick<JourneyEngine<unknown, unknown>, 'advance' | 'setScenario' | 'list' | 'inject'>;

/** Fault modes a carrier simulator can be put in: answer normally, or 503 on every carrier API call. */
export type CarrierSimFault = 'none' | 'unavailable';

const advanceSchema = z.object({ trackingNumber: z.string().min(1).optional(), toEnd: z.boolean().optional() }).default({});
const scenarioSchema = z.object({ scenario: z.enum(carrierScenarios) });
const injectSchema = z.object({ trackingNumber: z.string().min(1), code: z.string().min(1).max(40), detail: z.string().max(200).optional() });
const faultSchema = z.object({ mode: z.enum(['none', 'unavailable']) });

function bad(issues: z.core.$ZodIssue[]) {
  return { error: { code: 'INVALID_ADMIN_REQUEST', message: issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') } };
}

/** Registers the simulator control API under `/admin` (the same for every simulated carrier). */
export function registerCarrierSimAdminRoutes(app: FastifyInstance, engine: CarrierSimAdmin, fault: { mode: CarrierSimFault }): void {
  app.addHook('onRequest', async (req, reply) => {
    if (fault.mode === 'unavailable' && !req.url.startsWith('/admin')) {
      return reply.code(503).header('retry-after', '1').send({ error: { code: 'UNAVAILABLE', message: 'carrier system unavailable (simulated)' } });
    }
    return undefined;
  });
  app.post('/admin/advance', async (req, reply) => {
    const parsed = advanceSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(bad(parsed.error.issues));
    return { advanced: engine.advance(parsed.data.trackingNumber, { toEnd: parsed.data.toEnd ?? false }) };
  });
  app.put('/admin/scenarios/:key', async (req, reply) => {
    const parsed = scenarioSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(bad(parsed.error.issues));
    const { key } = req.params as { key: string };
    engine.setScenario(key, parsed.data.scenario);
    return { key, scenario: parsed.data.scenario };
  });
  app.post('/admin/inject', async (req, reply) => {
    const parsed = injectSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(bad(parsed.error.issues));
    const event = engine.inject(parsed.data.trackingNumber, parsed.data.code, parsed.data.detail);
    return { seq: event.seq, code: event.code };
  });
  app.post('/admin/faults', async (req, reply) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(bad(parsed.error.issues));
    fault.mode = parsed.data.mode;
    return { mode: fault.mode };
  });
  app.get('/admin/shipments', async () => ({ shipments: engine.list() }));
}
