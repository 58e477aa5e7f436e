import type { FastifyInstance } from 'fastify';
import { CarrierSimError, type JourneyEngine, type JourneyEvent, type JourneyShipment } from '../../sim/journey.engine.js';
import { intParam, parseOr400 } from '../../sim/sim-request.helpers.js';
import {
  freightLinkShipmentRequestSchema,
  type FreightLinkBooking,
  type FreightLinkEvent,
  type FreightLinkEventPage,
  type FreightLinkHistory,
  type FreightLinkShipmentRequest,
} from '../codec/freight-link.codec.js';
import type { FreightLinkSimEvent } from './freight-link-sim.script.js';

/** The engine behind the FreightLink simulator. */
export type FreightLinkSimEngine = JourneyEngine<FreightLinkShipmentRequest, FreightLinkSimEvent>;

const errorBody = (errorCode: string, errorMessage: string, details?: unknown) => ({ errorCode, errorMessage, ...(details ? { details } : {}) });

function eventOf(e: JourneyEvent<FreightLinkSimEvent>): FreightLinkEvent {
  return { eventId: e.seq, ...e.data };
}

function bookingOf(s: JourneyShipment<FreightLinkShipmentRequest, FreightLinkSimEvent>): FreightLinkBooking {
  return {
    proNumber: s.trackingNumber,
    bolNumber: `BOL${s.trackingNumber}`,
    customerReference: s.reference,
    serviceLevel: s.request.serviceLevel,
    createdEpoch: Math.floor(s.createdAt.getTime() / 1000),
  };
}

/** Registers FreightLink's own API: shipments (booking), history per PRO number, events after an event id. */
export function registerFreightLinkSimRoutes(app: FastifyInstance, engine: FreightLinkSimEngine): void {
  app.get('/api/v1/ping', async () => ({ pong: true, carrier: 'FreightLink' }));

  app.post('/api/v1/shipments', async (req, reply) => {
    const body = parseOr400(freightLinkShipmentRequestSchema, req.body, reply, (m, issues) => errorBody('VALIDATION_FAILED', m, issues));
    if (!body) return reply;
    const { shipment, duplicate } = engine.create(body.customerReference, body);
    return reply.code(duplicate ? 200 : 201).send(bookingOf(shipment));
  });

  app.get('/api/v1/shipments/:proNumber/history', async (req, reply) => {
    const { proNumber } = req.params as { proNumber: string };
    const s = engine.get(proNumber);
    if (!s) return reply.code(404).send(errorBody('PRO_NOT_FOUND', `PRO ${proNumber} not found`));
    const history: FreightLinkHistory = {
      proNumber: s.trackingNumber,
      customerReference: s.reference,
      currentStatus: s.events.at(-1)?.code ?? 'SHIPMENT_CREATED',
      history: s.events.map(eventOf),
    };
    return history;
  });

  app.get('/api/v1/events', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const after = intParam(q.afterEventId, 0);
    const pageSize = intParam(q.pageSize, 50, 200);
    if (after === undefined || pageSize === undefined || pageSize === 0) {
      return reply.code(400).send(errorBody('VALIDATION_FAILED', 'afterEventId and pageSize must be whole numbers, pageSize 1-200'));
    }
    const { events, more } = engine.eventsAfter(after, pageSize);
    const page: FreightLinkEventPage = {
      events: events.map((e) => ({ proNumber: e.trackingNumber, ...eventOf(e) })),
      lastEventId: events.at(-1)?.seq ?? after,
      hasMore: more,
    };
    return page;
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof CarrierSimError) return reply.code(err.status).send(errorBody(err.code, err.message));
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send(errorBody(status >= 500 ? 'SERVER_ERROR' : 'VALIDATION_FAILED', status >= 500 ? 'internal error' : (err as Error).message));
  });
}
