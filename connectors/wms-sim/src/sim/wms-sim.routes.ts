import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { wmsInboundReceiveRequestSchema, wmsInboundRequestSchema, wmsOutboundOrderRequestSchema, wmsReceiptRequestSchema, type WmsInboundAck, type WmsOrderAck } from '../codec/wms-api.codec.js';
import { WmsSimError, type InboundLine, type ObLine, type ObOrder, type Wave, type WmsEngine, type WmsInbound, type WmsSimSettings } from './wms-sim.engine.js';

/** The WMS's error body: `{ errors: [{ code, msg }] }`. */
export function wmsErrorBody(code: string, msg: string, more: Array<{ code: string; msg: string }> = []) {
  return { errors: [{ code, msg }, ...more] };
}

function invalid(reply: FastifyReply, issues: z.core.$ZodIssue[]) {
  return reply.code(400).send({ errors: issues.map((i) => ({ code: 'INVALID_FIELD', msg: `${i.path.map(String).join('.') || '(root)'}: ${i.message}` })) });
}

function intParam(value: unknown, fallback: number, max: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Math.min(Number(value), max);
}

/** What `GET /wms/api/outbound-orders/:id` answers. */
export interface WmsOrderView {
  obOrderId: string;
  clientRef: string;
  custOrderNo: string;
  hostOrderNo: string;
  facility: string;
  orderStatus: ObOrder['status'];
  carrierScac: string;
  lastError: string | null;
  lines: ObLine[];
  waves: Wave[];
}

/** A read view of an outbound order. */
export function orderView(o: ObOrder): WmsOrderView {
  return {
    obOrderId: o.obOrderId,
    clientRef: o.clientRef,
    custOrderNo: o.request.custOrderNo,
    hostOrderNo: o.request.hostOrderNo,
    facility: o.request.facility,
    orderStatus: o.status,
    carrierScac: o.carrierScac,
    lastError: o.lastError ?? null,
    lines: o.lines,
    waves: o.waves,
  };
}

function ack(o: ObOrder): WmsOrderAck {
  return { obOrderId: o.obOrderId, clientRef: o.clientRef, facility: o.request.facility, orderStatus: o.status };
}

/** What `GET /wms/api/inbound/:id` answers. */
export interface WmsInboundView {
  inboundId: string;
  inboundRef: string;
  asnNo: string;
  vendorId: string;
  facility: string;
  expectedDate: string;
  inboundStatus: WmsInbound['status'];
  revision: number;
  receiptNo: string | null;
  lines: InboundLine[];
}

/** A read view of an inbound shipment. */
export function inboundView(i: WmsInbound): WmsInboundView {
  return {
    inboundId: i.inboundId,
    inboundRef: i.inboundRef,
    asnNo: i.request.asnNo,
    vendorId: i.request.vendorId,
    facility: i.request.facility,
    expectedDate: i.request.expectedDate,
    inboundStatus: i.status,
    revision: i.revision,
    receiptNo: i.receiptNo ?? null,
    lines: i.lines,
  };
}

/** The acknowledgment of an inbound announcement. */
export function inboundAck(i: WmsInbound): WmsInboundAck {
  return { inboundId: i.inboundId, inboundRef: i.inboundRef, facility: i.request.facility, inboundStatus: i.status, revision: i.revision };
}

/** Registers the WMS's own API under `/wms/api`: outbound orders, receipts, inbound shipments, the event feed, health. */
export function registerWmsSimRoutes(app: FastifyInstance, engine: WmsEngine): void {
  app.get('/wms/api/health', async () => ({ status: 'UP' }));

  app.post('/wms/api/outbound-orders', async (req, reply) => {
    const parsed = wmsOutboundOrderRequestSchema.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const { order, duplicate } = engine.release(parsed.data);
    return reply.code(duplicate ? 200 : 201).send(ack(order));
  });

  app.get('/wms/api/outbound-orders/:id', async (req, reply) => {
    const order = engine.find((req.params as { id: string }).id);
    if (!order) return reply.code(404).send(wmsErrorBody('ORDER_NOT_FOUND', 'no such outbound order'));
    return orderView(order);
  });

  app.post('/wms/api/receipts', async (req, reply) => {
    const parsed = wmsReceiptRequestSchema.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const { receipt, duplicate } = engine.receive(parsed.data);
    return reply.code(duplicate ? 200 : 201).send({ receiptNo: receipt.receiptNo, receiptRef: receipt.request.receiptRef, status: 'CLOSED' });
  });

  app.post('/wms/api/inbound', async (req, reply) => {
    const parsed = wmsInboundRequestSchema.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const { inbound, outcome } = engine.announceInbound(parsed.data);
    return reply.code(outcome === 'created' ? 201 : 200).send(inboundAck(inbound));
  });

  app.get('/wms/api/inbound/:id', async (req, reply) => {
    const inbound = engine.findInbound((req.params as { id: string }).id);
    if (!inbound) return reply.code(404).send(wmsErrorBody('INBOUND_NOT_FOUND', 'no such inbound shipment'));
    return inboundView(inbound);
  });

  app.get('/wms/api/events', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const after = intParam(q.after, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(q.limit, 100, 500);
    if (after === undefined || limit === undefined || limit === 0) return reply.code(400).send(wmsErrorBody('INVALID_FIELD', 'after and limit must be whole numbers, limit 1-500'));
    const { events, more } = engine.eventsAfter(after, limit);
    return { events, lastSeq: events.at(-1)?.seq ?? after, hasMore: more };
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof WmsSimError) return reply.code(err.status).send(wmsErrorBody(err.code, err.message));
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send(wmsErrorBody(status >= 500 ? 'SYSTEM_ERROR' : 'BAD_REQUEST', status >= 500 ? 'internal error' : (err as Error).message));
  });
}

/** Settings a caller may change at run time (`PUT /admin/settings`), all optional. */
export const wmsSimSettingsPatchSchema = z
  .object({
    defaultCarrier: z.string().regex(/^[A-Z0-9]{2,4}$/),
    shortPicks: z.record(z.string().min(1), z.int().nonnegative()),
    shortPickRate: z.number().min(0).max(1),
    completeShortPicks: z.boolean(),
    maxLinesPerLpn: z.int().min(1).max(999),
    maxUnitsPerLpn: z.int().min(0),
    maxLinesPerShipment: z.int().min(0).max(999),
    gs1CompanyPrefix: z.string().regex(/^\d{6,12}$/),
    autoAdvanceMs: z.int().min(0).max(3_600_000),
    carrierTimeoutMs: z.int().min(100).max(120_000),
    inboundReceiveMs: z.int().min(0).max(86_400_000),
  })
  .partial()
  .strict();

/** Fault modes of the WMS simulator: answer normally, or 503 on every WMS API call. */
export type WmsSimFault = 'none' | 'unavailable';

/** Registers the simulator control API under `/admin`. */
export function registerWmsSimAdminRoutes(
  app: FastifyInstance,
  engine: WmsEngine,
  control: { fault: WmsSimFault; configure(patch: Partial<WmsSimSettings>): void },
): void {
  app.addHook('onRequest', async (req, reply) => {
    if (control.fault === 'unavailable' && req.url.startsWith('/wms/')) {
      return reply.code(503).header('retry-after', '1').send(wmsErrorBody('UNAVAILABLE', 'WMS unavailable (simulated)'));
    }
    return undefined;
  });
  const advanceSchema = z.object({ order: z.string().min(1).optional(), toEnd: z.boolean().optional() }).strict();
  app.post('/admin/advance', async (req, reply) => {
    const parsed = advanceSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    return { results: await engine.advance(parsed.data.order, { toEnd: parsed.data.toEnd ?? false }) };
  });
  app.post('/admin/inbound/:id/receive', async (req, reply) => {
    const parsed = wmsInboundReceiveRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    const inbound = engine.receiveInbound((req.params as { id: string }).id, parsed.data);
    return inboundView(inbound);
  });
  app.get('/admin/settings', async () => engine.settings);
  app.put('/admin/settings', async (req, reply) => {
    const parsed = wmsSimSettingsPatchSchema.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    control.configure(parsed.data);
    return engine.settings;
  });
  app.post('/admin/faults', async (req, reply) => {
    const parsed = z.object({ mode: z.enum(['none', 'unavailable']) }).safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error.issues);
    control.fault = parsed.data.mode;
    return { mode: control.fault };
  });
}
