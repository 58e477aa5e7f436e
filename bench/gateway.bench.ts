/**
 * Gateway overhead: requests/s of an order read through the whole gateway vs a bare Fastify route, same process.
 *
 * - gateway: `GET /v1/customer/orders/:id` on `buildApp` — correlation id, encoded-body check, rate limit (in-memory
 *   counters), the auth plugin resolving the API key against the hashed key table, the tenant context, the route's
 *   scope check, params/headers/response schemas, the audit plugin (an order read is not privileged, so it appends
 *   nothing), and the customer queries reading the order and its timeline from PGlite.
 * - bare: a Fastify route answering the same order document from memory, with no hooks and no schemas.
 *
 * On PGlite (the default) the read is bound by the embedded database: it runs every query on one thread, about 1 ms
 * per read (API key lookup, order, timeline). `TL_BENCH_DATABASE_URL` runs the same against server Postgres.
 *
 * Load: C keep-alive connections (node:http Agent) issuing requests back to back for S seconds after a warm-up;
 * each side is measured twice, interleaved, and the better run counts. Prints one line with both rates and the ratio.
 */
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '@tradelane/api';
import { systemClock, systemContext, type CustomerCommands, type OrderView } from '@tradelane/core';
import { createAuditLogRepo, createOrderToCashStore, createStore, migrate, openPglite, openPostgres, quoteIdent } from '@tradelane/store';

const CONCURRENCY = Number(process.env.TL_BENCH_GATEWAY_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.TL_BENCH_GATEWAY_SECONDS ?? 3);
/** Server Postgres instead of PGlite (a throw-away schema), e.g. postgres://postgres@127.0.0.1:5432/test. */
const DATABASE_URL = process.env.TL_BENCH_DATABASE_URL;
const SCHEMA = `tl_bench_${process.pid}`;
const TENANT = 'bench';
const ORDER_ID = 'so_01JZBENCH00000000000000000';

function orderView(): OrderView {
  return {
    id: ORDER_ID,
    customerPoNumber: 'PO-BENCH-1',
    orderNumber: '100042',
    status: 'Committed',
    orderedAt: '2026-03-01T10:00:00.000Z',
    shipTo: { code: 'MAIN', name: 'Main warehouse' },
    lines: [1, 2, 3].map((n) => ({
      lineNumber: n,
      sku: `FAS-100${n}`,
      description: `Fastener ${n}`,
      quantity: '10',
      unit: 'EA',
      unitPrice: { amount: '4.25', currency: 'USD' },
      status: 'Allocated',
      quantityAllocated: '10',
      quantityBackordered: '0',
      quantityShipped: '0',
    })),
    shipments: [],
    total: { amount: '127.5', currency: 'USD' },
    timeline: [],
  };
}

/** Issues GETs on `CONCURRENCY` keep-alive connections for `seconds`; resolves requests per second (2xx only). */
async function load(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(url);
  let ok = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok++;
          else failed++;
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  if (failed > 0) throw new Error(`${failed} requests to ${url} failed`);
  return ok / elapsed;
}

async function main(): Promise<void> {
  const logger = pino({ level: process.env.TL_BENCH_LOG ?? 'silent' });
  const db = DATABASE_URL ? await openPostgres(DATABASE_URL, { schema: SCHEMA, poolSize: CONCURRENCY }) : await openPglite('memory://');
  await migrate(db);
  const store = createStore(db);
  const o2c = createOrderToCashStore(store);
  const ctx = systemContext(TENANT, 'bench-setup', 'bench');
  const key = await o2c.apiKeys.createApiKey(ctx, { partnerId: 'cus_bench', scopes: ['orders:read'] });
  const view = orderView();
  await o2c.repos.orders.insert(ctx, {
    id: ORDER_ID,
    partnerId: 'cus_bench',
    submission: { customerPoNumber: view.customerPoNumber, lines: view.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unit: l.unit })) },
    view,
  });
  await o2c.repos.orders.appendTimeline(ctx, ORDER_ID, [{ key: 'received', status: 'Received', at: view.orderedAt, source: 'hub', detail: 'Order received' }]);

  const refuse = async () => {
    throw new Error('not used by the benchmark');
  };
  const commands = new Proxy({}, { get: () => refuse }) as CustomerCommands;
  const gateway = await buildApp({
    logger,
    version: 'bench',
    readiness: { check: async () => ({}) },
    rateLimit: { limit: 1_000_000_000 },
    customer: { commands, queries: o2c.queries, idempotency: store.idempotency, apiKeys: o2c.apiKeys },
    ...(process.env.TL_BENCH_GATEWAY_AUDIT === '0' ? {} : { audit: createAuditLogRepo(db, systemClock) }),
  });
  const gatewayUrl = `${await gateway.listen({ port: 0, host: '127.0.0.1' })}/v1/customer/orders/${ORDER_ID}`;
  const headers = { authorization: `Bearer ${key.apiKey}` };
  const check = await fetch(gatewayUrl, { headers });
  if (check.status !== 200) throw new Error(`gateway read failed: ${check.status} ${await check.text()}`);
  const document = await check.json();

  const bare: FastifyInstance = Fastify({ logger: false });
  bare.get('/orders/:id', async () => document);
  const bareUrl = `${await bare.listen({ port: 0, host: '127.0.0.1' })}/orders/${ORDER_ID}`;

  await load(gatewayUrl, headers, 1);
  await load(bareUrl, {}, 1);
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < 2; round++) {
    baseline.push(await load(bareUrl, {}, SECONDS));
    ours.push(await load(gatewayUrl, headers, SECONDS));
  }
  const g = Math.max(...ours);
  const b = Math.max(...baseline);
  await gateway.close();
  await bare.close();
  if (DATABASE_URL) await db.query(`DROP SCHEMA ${quoteIdent(SCHEMA)} CASCADE`);
  await db.close();
  console.log(
    `gateway overhead: ${Math.round(g)} req/s through auth+tenant+validation+audit on an order read vs ${Math.round(b)} req/s of a bare Fastify route ratio ${(g / b).toFixed(2)} ` +
      `(${DATABASE_URL ? 'Postgres' : 'PGlite'}, API key store, rate limit in memory; the audit plugin runs but order reads are not privileged, so no entry is appended; ${CONCURRENCY} connections, best of 2×${SECONDS} s)`,
  );
}

await main();
