import type { FastifyInstance } from 'fastify';
import { CarrierSimError, type JourneyEngine, type JourneyEvent, type JourneyShipment } from '../../sim/journey.engine.js';
import { intParam, parseOr400 } from '../../sim/sim-request.helpers.js';
import {
  parceloLabelRequestSchema,
  type ParceloLabel,
  type ParceloLabelRequest,
  type ParceloScan,
  type ParceloTracking,
  type ParceloUpdates,
} from '../codec/parcelo.codec.js';
import type { ParceloSimScan } from './parcelo-sim.script.js';

/** The engine behind the Parcelo simulator. */
export type ParceloSimEngine = JourneyEngine<ParceloLabelRequest, ParceloSimScan>;

const errorBody = (code: string, message: string, issues?: unknown) => ({ error: { code, message, ...(issues ? { issues } : {}) } });

function scanOf(e: JourneyEvent<ParceloSimScan>): ParceloScan {
  return { scanId: e.seq, ...e.data };
}

function labelOf(s: JourneyShipment<ParceloLabelRequest, ParceloSimScan>): ParceloLabel {
  return { trackingNumber: s.trackingNumber, labelId: `LBL-${s.trackingNumber.slice(2)}`, shipperReference: s.reference, serviceCode: s.request.serviceCode };
}

/** Registers Parcelo's own API: labels, tracking (scans newest first), updates since a scan id. */
export function registerParceloSimRoutes(app: FastifyInstance, engine: ParceloSimEngine): void {
  app.get('/health', async () => ({ ok: true, carrier: 'Parcelo' }));

  app.post('/v2/labels', async (req, reply) => {
    const body = parseOr400(parceloLabelRequestSchema, req.body, reply, (m, issues) => errorBody('INVALID_REQUEST', m, issues));
    if (!body) return reply;
    const { shipment, duplicate } = engine.create(body.shipperReference, body);
    return reply.code(duplicate ? 200 : 201).send(labelOf(shipment));
  });

  app.get('/v2/tracking/updates', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const since = intParam(q.since, 0);
    const max = intParam(q.max, 100, 500);
    if (since === undefined || max === undefined || max === 0) return reply.code(400).send(errorBody('INVALID_REQUEST', 'since and max must be whole numbers, max 1-500'));
    const { events, more } = engine.eventsAfter(since, max);
    const page: ParceloUpdates = {
      updates: events.map((e) => ({ trackingNumber: e.trackingNumber, scan: scanOf(e) })),
      since,
      latest: events.at(-1)?.seq ?? since,
      more,
    };
    return page;
  });

  app.get('/v2/tracking/:trackingNumber', async (req, reply) => {
    const { trackingNumber } = req.params as { trackingNumber: string };
    const s = engine.get(trackingNumber);
    if (!s) return reply.code(404).send(errorBody('UNKNOWN_TRACKING_NUMBER', `no parcel ${trackingNumber}`));
    const tracking: ParceloTracking = {
      trackingNumber: s.trackingNumber,
      shipperReference: s.reference,
      serviceCode: s.request.serviceCode,
      statusCode: s.events.at(-1)?.code ?? 'LC',
      delivered: s.events.some((e) => e.code === 'DL'),
      scans: s.events.map(scanOf).reverse(),
    };
    return tracking;
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof CarrierSimError) return reply.code(err.status).send(errorBody(err.code, err.message));
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send(errorBody(status >= 500 ? 'INTERNAL' : 'INVALID_REQUEST', status >= 500 ? 'internal error' : (err as Error).message));
  });
}
