/**
 * Gateway overhead: requests/s of an order read through the whole gateway vs a bare Fastify route doing the same
 * read, same process, same database.
 *
 * - gateway: `GET /v1/customer/orders/:id` on `buildApp` — correlation id, encoded-body check, rate limit (in-memory
 *   counters), the auth plugin resolving the API key (hashed key table behind the server's default 5 s in-process
 *   cache, `TRADELANE_AUTH_CACHE_TTL_MS`), the tenant context, the route's scope check, params/headers/response
 *   schemas, the audit plugin (an order read is not privileged, so it appends nothing), and the customer query
 *   reading the order with its timeline.
 * - bare (the ratio's baseline): a Fastify route with no hooks, no schemas and no auth that makes the same store call
 *   the customer route makes (`o2c.queries.getOrder` for a fixed customer context) and returns its result. The
 *   ratio is therefore what the gateway costs on top of the same workload.
 * - from memory (printed for transparency, not in the ratio): a bare route answering the same document from memory,
 *   i.e. Fastify and the load generator alone.
 *
 * On PGlite (the default) the database runs in this process on the same thread as both servers; each order read is
 * one statement. `TL_BENCH_DATABASE_URL` runs the same against server Postgres and prints a second line: the same
 * gateway with its rate limiter counting in Postgres (`createRateLimitRepo`, as the server does on Postgres; the
 * client's counts reserved in batches of up to 16 per upsert), with the one-upsert-per-request variant
 * (`maxBatch: 1`) measured in the same run beside it.
 *
 * Load: C keep-alive connections (node:http Agent) issuing requests back to back for S seconds after a warm-up;
 * each side is measured twice, interleaved, and the better run counts. Prints one line with both rates and the ratio
 * (the from-memory rate in its parenthesis).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '@tradelane/api';
import { systemClock, systemContext, type CustomerCommands, type OrderView, type RateLimitStore, type TenantContext } from '@tradelane/core';
import { createAuditLogRepo, createOrderToCashStore, createRateLimitRepo, createStore, migrate, openPglite, openPostgres, quoteIdent } from '@tradelane/store';

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
  // The server's default API key cache (TRADELANE_AUTH_CACHE_TTL_MS); TL_BENCH_AUTH_CACHE_MS=0 reads the key table per request.
  const keyCacheMs = Number(process.env.TL_BENCH_AUTH_CACHE_MS ?? 5000);
  const o2c = createOrderToCashStore(store, { apiKeyCache: { ttlMs: keyCacheMs } });
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
  const gatewayOn = async (rateLimitStore?: RateLimitStore) => {
    const app = await buildApp({
      logger,
      version: 'bench',
      readiness: { check: async () => ({}) },
      rateLimit: { limit: 1_000_000_000, ...(rateLimitStore ? { store: rateLimitStore } : {}) },
      customer: { commands, queries: o2c.queries, idempotency: store.idempotency, apiKeys: o2c.apiKeys },
      ...(process.env.TL_BENCH_GATEWAY_AUDIT === '0' ? {} : { audit: createAuditLogRepo(db, systemClock) }),
    });
    return { app, url: `${await app.listen({ port: 0, host: '127.0.0.1' })}/v1/customer/orders/${ORDER_ID}` };
  };
  const { app: gateway, url: gatewayUrl } = await gatewayOn();
  // With server Postgres: the rate limiter as the server runs it there (batched reservations), and one upsert per request.
  const pgLimited = DATABASE_URL ? await gatewayOn(createRateLimitRepo(db)) : undefined;
  const pgPerRequest = DATABASE_URL ? await gatewayOn(createRateLimitRepo(db, { maxBatch: 1 })) : undefined;
  const headers = { authorization: `Bearer ${key.apiKey}` };
  const check = await fetch(gatewayUrl, { headers });
  if (check.status !== 200) throw new Error(`gateway read failed: ${check.status} ${await check.text()}`);
  const document = await check.json();
  for (const side of [pgLimited, pgPerRequest]) {
    if (!side) continue;
    const r = await fetch(side.url, { headers });
    if (r.status !== 200 || !r.headers.get('ratelimit')) throw new Error(`gateway (rate limit on Postgres) read failed: ${r.status}`);
  }

  // The customer's context as the auth plugin builds it from the key, fixed: the bare side does no auth.
  const customer: TenantContext = { tenantId: TENANT, partnerId: 'cus_bench', actor: { kind: 'client', id: key.id }, scopes: key.scopes, correlationId: 'bench' };
  const bare: FastifyInstance = Fastify({ logger: false });
  bare.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const order = await o2c.queries.getOrder(customer, request.params.id);
    if (!order) return reply.code(404).send();
    return order;
  });
  bare.get('/memory/:id', async () => document);
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `${bareBase}/orders/${ORDER_ID}`;
  const memoryUrl = `${bareBase}/memory/${ORDER_ID}`;
  const bareCheck = await fetch(bareUrl);
  if (bareCheck.status !== 200) throw new Error(`bare read failed: ${bareCheck.status}`);
  assert.deepEqual(await bareCheck.json(), document, 'the bare route reads the same document');

  await load(gatewayUrl, headers, 1);
  await load(bareUrl, {}, 1);
  await load(memoryUrl, {}, 1);
  if (pgLimited && pgPerRequest) {
    await load(pgLimited.url, headers, 1);
    await load(pgPerRequest.url, headers, 1);
  }
  const ours: number[] = [];
  const baseline: number[] = [];
  const memory: number[] = [];
  const oursPg: number[] = [];
  const oursPgPerRequest: number[] = [];
  for (let round = 0; round < 2; round++) {
    baseline.push(await load(bareUrl, {}, SECONDS));
    ours.push(await load(gatewayUrl, headers, SECONDS));
    memory.push(await load(memoryUrl, {}, SECONDS));
    if (pgLimited && pgPerRequest) {
      oursPg.push(await load(pgLimited.url, headers, SECONDS));
      oursPgPerRequest.push(await load(pgPerRequest.url, headers, SECONDS));
    }
  }
  const g = Math.max(...ours);
  const b = Math.max(...baseline);
  const m = Math.max(...memory);
  await gateway.close();
  await pgLimited?.app.close();
  await pgPerRequest?.app.close();
  await bare.close();
  if (DATABASE_URL) await db.query(`DROP SCHEMA ${quoteIdent(SCHEMA)} CASCADE`);
  await db.close();
  console.log(
    `gateway overhead: ${Math.round(g)} req/s through auth+tenant+validation+audit on an order read vs ${Math.round(b)} req/s of a bare Fastify route ratio ${(g / b).toFixed(2)} ` +
      `(bare route making the same getOrder store call; the same document from memory: ${Math.round(m)} req/s, ratio ${(g / m).toFixed(2)}; ` +
      `${DATABASE_URL ? 'Postgres' : 'PGlite'}, API key cache ${keyCacheMs} ms, rate limit in memory; the audit plugin runs but order reads are not privileged, so no entry is appended; ${CONCURRENCY} connections, best of 2×${SECONDS} s)`,
  );
  if (oursPg.length > 0) {
    const p = Math.max(...oursPg);
    const q = Math.max(...oursPgPerRequest);
    console.log(
      `gateway overhead: ${Math.round(p)} req/s through auth+tenant+validation+audit on an order read with the rate limiter counting in Postgres vs ${Math.round(b)} req/s of a bare Fastify route ratio ${(p / b).toFixed(2)} ` +
        `(one client's counts reserved in batches of up to 16 per upsert; with one upsert per request: ${Math.round(q)} req/s, ratio ${(q / b).toFixed(2)}; ` +
        `same bare route, database and load as the line above)`,
    );
  }
}

await main();
