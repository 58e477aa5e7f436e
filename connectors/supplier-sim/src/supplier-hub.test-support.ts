import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AcknowledgmentResult,
  AcknowledgmentSubmission,
  AsnSubmission,
  SupplierInvoiceSubmission,
  SupplierPurchaseOrderView,
} from '@tradelane/core';

/** One request the fake hub received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  supplierId: string | undefined;
  idempotencyKey: string | undefined;
  body: unknown;
  status: number;
}

/** A tolerance profile the fake hub checks acknowledgments against. */
export interface FakeTolerance {
  quantityPct: number;
  pricePct: number;
  dateDays: number;
}

/** Options of {@link startFakeSupplierHub}. */
export interface FakeHubOptions {
  /** API key → supplier id. */
  keys: Record<string, string>;
  tolerance?: FakeTolerance;
}

/** An in-memory implementation of the supplier experience API contract, recording every request. */
export interface FakeSupplierHub {
  url: string;
  requests: RecordedRequest[];
  /** Adds a purchase order for a supplier; returns its view. */
  addPurchaseOrder(supplierId: string, po: { poNumber: string; lines: Array<{ sku: string; quantity: string; unitPrice: string; unit?: string; requestedDate?: string }>; acknowledgmentDueBy?: string }): SupplierPurchaseOrderView;
  /** The next `count` requests whose path starts with `pathPrefix` and method matches answer 503. */
  failNext(method: string, pathPrefix: string, count: number): void;
  /** Marks a purchase order acknowledged (a buyer accepted the supplier's change). */
  decide(poId: string, status: 'Acknowledged' | 'Rejected'): void;
  /** POST requests with a distinct Idempotency-Key per path kind (`ack`, `asn`, `invoice`), i.e. messages. */
  messages(kind: 'ack' | 'asn' | 'invoice'): RecordedRequest[];
  close(): Promise<void>;
}

function problem(res: ServerResponse, status: number, code: string, detail: string): number {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: code, status, detail, code }));
  return status;
}

function json(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return status;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

const pct = (a: number, b: number) => (b === 0 ? 0 : ((a - b) / b) * 100);
const days = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 86_400_000;

/** Starts the fake hub on a free port. */
export async function startFakeSupplierHub(options: FakeHubOptions): Promise<FakeSupplierHub> {
  const tolerance = options.tolerance ?? { quantityPct: 5, pricePct: 2, dateDays: 3 };
  const pos = new Map<string, SupplierPurchaseOrderView & { supplierId: string }>();
  const requests: RecordedRequest[] = [];
  const replies = new Map<string, { status: number; body: unknown }>();
  const ackNumbers = new Map<string, AcknowledgmentResult>();
  const asnNumbers = new Set<string>();
  const invoiceNumbers = new Set<string>();
  const faults: Array<{ method: string; prefix: string; left: number }> = [];
  let seq = 0;
  let tick = Date.parse('2025-03-01T00:00:00Z');
  const stamp = () => new Date((tick += 1000)).toISOString();

  async function handle(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<number> {
    const supplierId = rec.supplierId;
    if (!supplierId) return problem(res, 401, 'TL_AUTH_INVALID_KEY', 'unknown API key');
    const fault = faults.find((f) => f.left > 0 && f.method === rec.method && rec.path.startsWith(f.prefix));
    if (fault) {
      fault.left--;
      return problem(res, 503, 'TL_UNAVAILABLE', 'try again');
    }
    const own = (id: string) => {
      const po = pos.get(id);
      return po && po.supplierId === supplierId ? po : undefined;
    };
    const view = (po: SupplierPurchaseOrderView & { supplierId: string }) => {
      const { supplierId: _s, ...v } = po;
      return v;
    };
    if (rec.method === 'POST') {
      if (!rec.idempotencyKey) return problem(res, 400, 'TL_API_IDEMPOTENCY_KEY_MISSING', 'Idempotency-Key required');
      const replay = replies.get(`${supplierId}:${rec.idempotencyKey}`);
      if (replay) return json(res, replay.status, replay.body);
    }
    const reply = (status: number, body: unknown) => {
      if (rec.method === 'POST') replies.set(`${supplierId}:${rec.idempotencyKey}`, { status, body });
      return json(res, status, body);
    };
    let m: RegExpExecArray | null;
    if (rec.method === 'GET' && rec.path === '/v1/supplier/purchase-orders') {
      let items = [...pos.values()].filter((p) => p.supplierId === supplierId);
      if (rec.query.awaitingAcknowledgment === 'true') items = items.filter((p) => p.awaitingAcknowledgment);
      if (rec.query.updatedSince) items = items.filter((p) => p.updatedAt > rec.query.updatedSince!);
      const start = Number(rec.query.cursor ?? 0);
      const limit = Number(rec.query.limit ?? 100);
      const page = items.slice(start, start + limit).map(view);
      return json(res, 200, { items: page, nextCursor: start + limit < items.length ? String(start + limit) : null });
    }
    if (rec.method === 'GET' && (m = /^\/v1\/supplier\/purchase-orders\/([^/]+)$/.exec(rec.path))) {
      const po = own(decodeURIComponent(m[1]!));
      return po ? json(res, 200, view(po)) : problem(res, 404, 'TL_P2P_PO_NOT_FOUND', 'no such order');
    }
    if (rec.method === 'POST' && (m = /^\/v1\/supplier\/purchase-orders\/([^/]+)\/acknowledgments$/.exec(rec.path))) {
      const po = own(decodeURIComponent(m[1]!));
      if (!po) return problem(res, 404, 'TL_P2P_PO_NOT_FOUND', 'no such order');
      const sub = rec.body as AcknowledgmentSubmission;
      const dupKey = `${po.id}:${sub.acknowledgmentNumber}`;
      const previous = ackNumbers.get(dupKey);
      if (previous) return reply(200, { ...previous, outcome: 'Duplicate' });
      if (sub.revision !== undefined && sub.revision !== po.revision) return problem(res, 409, 'TL_P2P_ACK_STALE_REVISION', 'revision is not current');
      const lines = sub.lines.map((l) => {
        const line = po.lines.find((x) => x.lineNumber === l.lineNumber)!;
        if (l.action === 'accept') return { lineNumber: l.lineNumber, outcome: 'as_ordered' as const, reasons: [] };
        if (l.action === 'reject') return { lineNumber: l.lineNumber, outcome: 'rejected' as const, reasons: ['rejected'] };
        const reasons: string[] = [];
        if (l.quantity !== undefined && Math.abs(pct(Number(l.quantity), Number(line.quantity))) > tolerance.quantityPct) reasons.push('quantity');
        if (l.unitPrice !== undefined && Math.abs(pct(Number(l.unitPrice), Number(line.unitPrice.amount))) > tolerance.pricePct) reasons.push('price');
        if (l.action === 'change' && l.promisedDate !== undefined && Math.abs(days(l.promisedDate, line.requestedDate)) > tolerance.dateDays) reasons.push('date');
        return { lineNumber: l.lineNumber, outcome: reasons.length ? ('out_of_tolerance' as const) : ('within_tolerance' as const), reasons };
      });
      const exception = lines.some((l) => l.outcome === 'out_of_tolerance');
      const result: AcknowledgmentResult = {
        id: `ack_${++seq}`,
        purchaseOrderId: po.id,
        outcome: exception ? 'Exception' : 'Applied',
        lines,
        ...(exception ? { exceptionId: `exc_${seq}` } : {}),
        receivedAt: stamp(),
      };
      ackNumbers.set(dupKey, result);
      po.awaitingAcknowledgment = false;
      po.status = exception ? 'InException' : 'Acknowledged';
      po.updatedAt = result.receivedAt;
      return reply(201, result);
    }
    if (rec.method === 'POST' && rec.path === '/v1/supplier/asns') {
      const sub = rec.body as AsnSubmission;
      const key = `${supplierId}:${sub.asnNumber}`;
      const duplicate = asnNumbers.has(key);
      asnNumbers.add(key);
      return reply(duplicate ? 200 : 201, { id: `asn_${++seq}`, asnNumber: sub.asnNumber, status: 'InTransit', shipDate: sub.shipDate, expectedDeliveryDate: sub.expectedDeliveryDate, lines: sub.lines.map((l) => ({ ...l, quantityReceived: '0' })), duplicate, receivedAt: stamp() });
    }
    if (rec.method === 'POST' && rec.path === '/v1/supplier/invoices') {
      const sub = rec.body as SupplierInvoiceSubmission;
      const key = `${supplierId}:${sub.invoiceNumber}`;
      const duplicate = invoiceNumbers.has(key);
      invoiceNumbers.add(key);
      const po = [...pos.values()].find((p) => p.poNumber === sub.poNumber);
      const variance = sub.lines.some((l) => {
        const line = po?.lines.find((x) => x.lineNumber === l.lineNumber);
        return !line || Math.abs(pct(Number(l.unitPrice), Number(line.unitPrice.amount))) > tolerance.pricePct || Number(l.quantity) > Number(line.quantity);
      });
      const total = sub.lines.reduce((s, l) => s + Number(l.quantity) * Number(l.unitPrice), 0).toFixed(2);
      return reply(duplicate ? 200 : 201, { id: `inv_${++seq}`, invoiceNumber: sub.invoiceNumber, poNumber: sub.poNumber, status: variance ? 'Disputed' : 'Approved', invoiceDate: sub.invoiceDate, total: { amount: total, currency: sub.currency }, duplicate, receivedAt: stamp() });
    }
    if (rec.method === 'PUT' && (m = /^\/v1\/supplier\/items\/([^/]+)\/availability$/.exec(rec.path))) {
      return json(res, 200, { sku: decodeURIComponent(m[1]!), ...(rec.body as object), updatedAt: stamp() });
    }
    return problem(res, 404, 'TL_API_ROUTE_NOT_FOUND', `${rec.method} ${rec.path}`);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    void readBody(req).then(async (body) => {
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        supplierId: auth ? options.keys[auth[1]!] : undefined,
        idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
        body,
        status: 0,
      };
      requests.push(rec);
      rec.status = await handle(req, res, rec);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kindOf = (r: RecordedRequest) => (r.path.endsWith('/acknowledgments') ? 'ack' : r.path === '/v1/supplier/asns' ? 'asn' : r.path === '/v1/supplier/invoices' ? 'invoice' : 'other');
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addPurchaseOrder(supplierId, input) {
      const id = `po_${String(pos.size + 1).padStart(4, '0')}`;
      const now = stamp();
      const lines = input.lines.map((l, i) => ({
        lineNumber: i + 1,
        sku: l.sku,
        quantity: l.quantity,
        unit: l.unit ?? 'EA',
        unitPrice: { amount: l.unitPrice, currency: 'USD' },
        requestedDate: l.requestedDate ?? '2025-03-20',
        status: 'Open',
        quantityShipped: '0',
        quantityReceived: '0',
      }));
      const total = lines.reduce((s, l) => s + Number(l.quantity) * Number(l.unitPrice.amount), 0).toFixed(2);
      const po = {
        supplierId,
        id,
        poNumber: input.poNumber,
        status: 'New' as const,
        revision: 1,
        awaitingAcknowledgment: true,
        ...(input.acknowledgmentDueBy ? { acknowledgmentDueBy: input.acknowledgmentDueBy } : {}),
        orderDate: '2025-03-01',
        shipTo: { code: 'M10', name: 'Chicago' },
        currency: 'USD',
        total: { amount: total, currency: 'USD' },
        lines,
        updatedAt: now,
      };
      pos.set(id, po);
      const { supplierId: _s, ...v } = po;
      return structuredClone(v);
    },
    failNext(method, prefix, count) {
      faults.push({ method, prefix, left: count });
    },
    decide(poId, status) {
      const po = pos.get(poId)!;
      po.status = status;
      po.updatedAt = stamp();
    },
    messages(kind) {
      const seen = new Set<string>();
      return requests.filter((r) => {
        if (r.method !== 'POST' || kindOf(r) !== kind || r.status >= 500) return false;
        const k = `${r.supplierId}:${r.idempotencyKey}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
