/**
 * The cross-tenant matrix: walks every operation of the OpenAPI document the app serves and calls it as (a) another
 * tenant with every scope of the tree and the victim's own partner id, (b) another partner of the same tenant (or a
 * partner on the staff-only tree), (c) the victim itself without the operation's scope, and (d) nobody. Addressed
 * resources must answer 403/404 (401 without a credential), and no answer may contain the victim's data. It runs
 * with OAuth access tokens and with API keys. A new route is walked because it is in the document; a new write route
 * needs an example body below, or the walk fails and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TenantContext } from '@tradelane/core';
import { customerOf, submission } from '../customer/customer.test-support.js';
import { OPS_SCOPES } from '../ops/ops.routes.js';
import { PARTIES, TENANT } from '../supplier/supplier.test-support.js';
import { SUPPLIER_SCOPES } from '../supplier/supplier.routes.js';
import { adminOf, fetchToken, hubApp } from '../identity/identity.test-support.js';
import type { OpenApiDocument, OpenApiOperation } from '../openapi/openapi.js';

const OTHER_TENANT = 't_other';
const CUSTOMER_SCOPES = ['orders:read', 'orders:write', 'invoices:read', 'returns:write', 'catalog:read'];

type Tree = 'customer' | 'supplier' | 'ops' | 'webhooks';
interface Principal {
  tenantId: string;
  partnerId?: string;
  staffName?: string;
  scopes: readonly string[];
}

const TREES: Record<Tree, { victim: Principal; otherPartner: Principal; scopes: readonly string[] }> = {
  customer: {
    victim: { tenantId: TENANT, partnerId: 'cus_alice', scopes: CUSTOMER_SCOPES },
    otherPartner: { tenantId: TENANT, partnerId: 'cus_bob', scopes: CUSTOMER_SCOPES },
    scopes: CUSTOMER_SCOPES,
  },
  supplier: {
    victim: { tenantId: TENANT, partnerId: PARTIES.supplierA, scopes: SUPPLIER_SCOPES },
    otherPartner: { tenantId: TENANT, partnerId: PARTIES.supplierB, scopes: SUPPLIER_SCOPES },
    scopes: SUPPLIER_SCOPES,
  },
  ops: {
    victim: { tenantId: TENANT, staffName: 'buyer.victim', scopes: OPS_SCOPES },
    // The staff-only tree refuses any partner, even one holding every scope.
    otherPartner: { tenantId: TENANT, partnerId: PARTIES.supplierA, scopes: [...OPS_SCOPES, ...SUPPLIER_SCOPES] },
    scopes: OPS_SCOPES,
  },
  webhooks: {
    victim: { tenantId: TENANT, partnerId: 'cus_alice', scopes: ['webhooks:manage'] },
    otherPartner: { tenantId: TENANT, partnerId: 'cus_bob', scopes: ['webhooks:manage'] },
    scopes: ['webhooks:manage'],
  },
};

function treeOf(path: string): Tree | null {
  const m = /^\/v1\/(customer|supplier|ops|webhooks)\//.exec(path);
  if (m) return m[1] as Tree;
  return null;
}

/** Bodies of the write operations, valid against their schemas and referring to the victim's documents. */
function exampleBody(op: OpenApiOperation, victim: Victim): unknown {
  const bodies: Record<string, unknown> = {
    postV1CustomerOrders: submission({ customerPoNumber: 'PO-MATRIX-NEW' }),
    postV1CustomerOrdersIdChange: { lines: [{ lineNumber: 1, quantity: '40' }] },
    postV1CustomerOrdersIdCancel: { reason: 'matrix' },
    postV1CustomerReturns: { orderId: victim.shippedOrderId, reason: 'Damaged', lines: [{ lineNumber: 1, quantity: '2', reasonCode: 'DAMAGED' }] },
    postV1SupplierPurchaseOrdersIdAcknowledgments: { lines: [{ lineNumber: 1, action: 'accept' }] },
    postV1SupplierAsns: {
      asnNumber: 'ASN-MATRIX',
      shipDate: '2026-03-18',
      expectedDeliveryDate: '2026-03-20',
      lines: [{ poNumber: 'PO-VICTIM-7001', lineNumber: 1, sku: 'WID-100', quantity: '10', unit: 'EA' }],
    },
    postV1SupplierInvoices: {
      invoiceNumber: 'SINV-MATRIX',
      invoiceDate: '2026-03-22',
      poNumber: 'PO-VICTIM-7001',
      currency: 'USD',
      lines: [{ lineNumber: 1, sku: 'WID-100', quantity: '1', unit: 'EA', unitPrice: '4.25' }],
      tax: '0',
    },
    putV1SupplierItemsSkuAvailability: { available: '5', unit: 'EA' },
    oauthToken: 'grant_type=client_credentials',
    postV1OpsExceptionsIdResolve: { action: 'accept_change', note: 'matrix' },
    postV1WebhooksSubscriptions: { url: 'https://hooks.example.com/matrix', eventTypes: ['sales_order.*'] },
    patchV1WebhooksSubscriptionsId: { eventTypes: ['sales_order.shipped'] },
  };
  if (!op.requestBody) return undefined;
  if (!(op.operationId in bodies)) throw new Error(`no example body for ${op.operationId}: add one to the matrix`);
  return bodies[op.operationId];
}

interface Victim {
  /** Ids per tree, for path parameters. */
  ids: Record<Tree, string[]>;
  shippedOrderId: string;
  /** Strings that must never appear in another caller's answer. */
  markers: string[];
}

async function seedVictims(hub: Awaited<ReturnType<typeof hubApp>>): Promise<Victim> {
  const alice = customerOf('cus_alice');
  const order = hub.o2c.seedOrder(alice, { customerPoNumber: 'PO-VICTIM-ALICE' });
  const shipped = hub.o2c.seedOrder(alice, {
    customerPoNumber: 'PO-VICTIM-SHIPPED',
    status: 'Delivered',
    lines: [
      {
        lineNumber: 1,
        sku: 'WID-100',
        quantity: '30',
        unit: 'EA',
        unitPrice: { amount: '4.25', currency: 'USD' },
        status: 'Delivered',
        quantityAllocated: '30',
        quantityBackordered: '0',
        quantityShipped: '30',
      },
    ] as never,
  });
  const invoice = hub.o2c.seedInvoice(alice, { invoiceNumber: 'INV-VICTIM-ALICE' });
  const victimCtx: TenantContext = { tenantId: TENANT, partnerId: 'cus_alice', actor: { kind: 'client', id: 'cli_victim' }, scopes: CUSTOMER_SCOPES, correlationId: 'seed' };
  const rma = await hub.o2c.requestReturn(victimCtx, { orderId: shipped.id, reason: 'Victim return', lines: [{ lineNumber: 1, quantity: '1', reasonCode: 'DAMAGED' }] } as never);

  const po = hub.p2p.seedPurchaseOrder(PARTIES.supplierA, { poNumber: 'PO-VICTIM-7001', status: 'Received' });
  po.lines.forEach((l) => (l.quantityReceived = l.quantity));
  const supplierCtx: TenantContext = { tenantId: TENANT, partnerId: PARTIES.supplierA, actor: { kind: 'client', id: 'cli_sup_a' }, scopes: SUPPLIER_SCOPES, correlationId: 'seed' };
  const asn = await hub.p2p.submitAsn(supplierCtx, {
    asnNumber: 'ASN-VICTIM-1',
    shipDate: '2026-03-18',
    expectedDeliveryDate: '2026-03-20',
    lines: [{ poNumber: 'PO-VICTIM-7001', lineNumber: 1, sku: 'WID-100', quantity: '100', unit: 'EA' }],
  } as never);
  const sinv = await hub.p2p.submitInvoice(supplierCtx, {
    invoiceNumber: 'SINV-VICTIM-1',
    invoiceDate: '2026-03-22',
    poNumber: 'PO-VICTIM-7001',
    currency: 'USD',
    lines: [{ lineNumber: 1, sku: 'WID-100', quantity: '100', unit: 'EA', unitPrice: '4.25' }],
    tax: '0',
  } as never);
  await hub.p2p.updateAvailability(supplierCtx, 'WID-100', { available: '777', unit: 'EA' } as never);
  const exception = hub.desk.seed({ summary: 'EXC-VICTIM summary' });
  const { subscription } = await hub.webhooks.createSubscription(victimCtx, { url: 'https://victim.example.com/hooks', eventTypes: ['sales_order.*'] });
  const delivery = hub.webhooks.seedDelivery(subscription.id);

  const ids: Record<Tree, string[]> = {
    customer: [order.id, invoice.id, rma.id],
    supplier: [po.id, asn.id, sinv.id],
    ops: [exception.id],
    webhooks: [subscription.id, delivery.id],
  };
  const markers = [
    ...Object.values(ids).flat(),
    shipped.id,
    'PO-VICTIM-ALICE',
    'PO-VICTIM-SHIPPED',
    'INV-VICTIM-ALICE',
    'Victim return',
    'PO-VICTIM-7001',
    'ASN-VICTIM-1',
    'SINV-VICTIM-1',
    'EXC-VICTIM',
    'victim.example.com',
  ];
  return { ids, shippedOrderId: shipped.id, markers };
}

/** Fills the path's parameters (`{id}` addresses a document of the victim; other parameters name the caller's own records) with the victim's ids (matched by the parameter's pattern) or a known value. */
function victimPath(path: string, op: OpenApiOperation, tree: Tree | null, victim: Victim): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const param = (op.parameters ?? []).find((p) => p.in === 'path' && p.name === name) as { schema?: { pattern?: string } } | undefined;
    const pattern = param?.schema?.pattern;
    const candidates = tree ? victim.ids[tree] : [];
    // A SKU names the caller's own item record (each supplier keeps its own); ids name someone's document.
    const id = name === 'sku' ? 'WID-100' : pattern ? candidates.find((c) => new RegExp(pattern).test(c)) : name === 'id' ? candidates[0] : undefined;
    if (!id) throw new Error(`no victim value for path parameter ${name} of ${op.operationId}`);
    return encodeURIComponent(id);
  });
}

/** Reads a response stream until it ends or `ms` pass, then destroys it. */
async function readSome(stream: NodeJS.ReadableStream & { destroy(): void }, ms: number): Promise<string> {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    stream.on('data', (c: Buffer | string) => chunks.push(Buffer.from(c)));
    stream.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('error', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

function leaked(body: string, request: string, markers: readonly string[]): string[] {
  return markers.filter((m) => body.includes(m) && !request.includes(m));
}

for (const mode of ['oauth', 'api-key'] as const) {
  test(`cross-tenant matrix (${mode}): every operation in /openapi.json, 0 leaks`, async () => {
    const hub = await hubApp();
    const { app } = hub;
    const victim = await seedVictims(hub);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;

    const cache = new Map<string, string>();
    let n = 0;
    const credential = async (p: Principal): Promise<string> => {
      const key = JSON.stringify(p);
      const known = cache.get(key);
      if (known) return known;
      let value: string;
      if (mode === 'oauth') {
        const { client, clientSecret } = await hub.clients.register(adminOf(p.tenantId), {
          partnerId: p.partnerId,
          staffName: p.staffName,
          scopes: p.scopes.length ? p.scopes : ['none:none'],
        });
        const res = await fetchToken(app, client.clientId, clientSecret);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        value = String(res.body.access_token);
      } else {
        n += 1;
        value = `tlk_matrix_${mode}_${n}_0123456789`;
        const ctx: TenantContext = {
          tenantId: p.tenantId,
          ...(p.partnerId ? { partnerId: p.partnerId } : {}),
          actor: p.staffName ? { kind: 'user', id: p.staffName } : { kind: 'client', id: `cli_matrix_${n}` },
          scopes: [...p.scopes],
          correlationId: '',
        };
        hub.customerKeys.contexts.set(value, ctx);
        hub.supplierKeys.contexts.set(value, ctx);
      }
      cache.set(key, value);
      return value;
    };

    let operations = 0;
    let walked = 0;
    let calls = 0;
    const failures: string[] = [];
    const positives: Array<() => Promise<void>> = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        operations += 1;
        const tree = treeOf(path);
        const url = victimPath(path, op, tree, victim);
        const body = exampleBody(op, victim);
        const hasPathParams = /\{id\}/.test(path);
        const isEventStream = 'text/event-stream' in ((op.responses['200']?.content as object | undefined) ?? {});
        const call = async (who: string, authorization: string | undefined, allowed: (status: number) => boolean) => {
          calls += 1;
          const headers: Record<string, string> = {};
          if (authorization) headers.authorization = `Bearer ${authorization}`;
          if (method === 'post' && op['x-authenticated']) headers['idempotency-key'] = `matrix-${calls}`;
          if (op.requestBody && Object.keys((op.requestBody as { content: object }).content).includes('application/x-www-form-urlencoded')) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
          }
          const payload = body === undefined ? undefined : headers['content-type'] ? String(body) : (body as object);
          const streamed = await app.inject({ method: method.toUpperCase() as 'GET', url, headers, payloadAsStream: true, ...(payload !== undefined ? { payload } : {}) });
          // An event stream never ends by itself: read what came within a moment, then hang up.
          const text = await readSome(streamed.stream(), isEventStream ? 200 : 10_000);
          const res = { statusCode: streamed.statusCode, headers: streamed.headers, body: text };
          const request = `${url} ${JSON.stringify(body ?? '')}`;
          const leaks = leaked(res.body, request, victim.markers);
          if (!allowed(res.statusCode)) failures.push(`${method.toUpperCase()} ${path} as ${who}: status ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (leaks.length) failures.push(`${method.toUpperCase()} ${path} as ${who}: leaked ${leaks.join(', ')}`);
          if (res.statusCode >= 400 && op['x-authenticated']) {
            assert.match(String(res.headers['content-type']), /^application\/problem\+json/, `${op.operationId} as ${who}: a problem document`);
          }
        };
        const denied = (s: number) => s === 403 || s === 404;
        // Collections and creates answer the caller's own (empty) view; only the body decides whether they leak.
        const ownView = (s: number) => denied(s) || (!hasPathParams && s < 500);

        if (!op['x-authenticated'] || !tree) {
          assert.ok(!op['x-authenticated'], `${op.operationId}: authenticated routes live under /v1/customer, /v1/supplier or /v1/ops`);
          await call('anonymous', undefined, (s) => s < 500);
          walked += 1;
          continue;
        }
        const required = op['x-required-scopes'];
        assert.ok(required.length > 0, `${op.operationId}: every authenticated operation declares its scopes`);
        const t = TREES[tree];
        await call('nobody', undefined, (s) => s === 401);
        await call('another tenant (same partner id, every scope)', await credential({ ...t.victim, tenantId: OTHER_TENANT, scopes: t.scopes }), ownView);
        await call('another partner of the same tenant', await credential(t.otherPartner), tree === 'ops' ? (s) => s === 403 : ownView);
        const without = t.scopes.filter((s) => !required.includes(s));
        await call(`the owner without ${required.join('/')}`, await credential({ ...t.victim, scopes: without }), (s) => s === 403);
        if (method === 'get' && hasPathParams && !isEventStream) {
          positives.push(async () => {
            const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await credential(t.victim)}` } });
            assert.equal(res.statusCode, 200, `control: the owner reads ${op.operationId}: ${res.body.slice(0, 200)}`);
          });
        }
        walked += 1;
      }
    }
    // Controls: the ids the matrix used are real — their owner reads them.
    for (const p of positives) await p();
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.equal(walked, operations, 'every operation of the document was walked');
    assert.ok(operations >= 30, `the document lists the route trees (${operations} operations)`);
    assert.ok(positives.length >= 8);
    process.stdout.write(`# matrix ${mode}: ${walked} operations walked, ${calls} calls, ${positives.length} owner controls, 0 leaks\n`);
    await app.close();
  });
}
