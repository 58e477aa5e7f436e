/**
 * Order-to-cash through the whole hub (HTTP API, PGlite store, outbox, flow engine, ERP connector, simulators in
 * process), as `npm start` runs it.
 *
 * 1. order-intake: N orders POSTed to the customer API by C concurrent clients, counted until every one of them is
 *    committed in the simulated ERP (exactly once), vs the same N orders POSTed by C clients straight to the ERP
 *    simulator's own order API. Prints orders/s for both and the ratio.
 * 2. event-to-timeline: M orders of an item with no stock are backordered; then stock arrives in the ERP one unit at a
 *    time at R receipts/s, each allocating the oldest backorder. Latency is measured from the receipt call to the
 *    `Allocated` entry arriving on that order's Server-Sent Events stream. Prints p50/p99 and the rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, startServer } from '@tradelane/server';

const N = Number(process.env.TL_BENCH_O2C_ORDERS ?? 300);
const C = Number(process.env.TL_BENCH_O2C_CLIENTS ?? 8);
const M = Number(process.env.TL_BENCH_O2C_EVENTS ?? 200);
const RATE = Number(process.env.TL_BENCH_O2C_RATE ?? 20);
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inParallel(count: number, clients: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${res.url}: ${text}`);
  return JSON.parse(text);
}

/** Reads one order's SSE stream and resolves the arrival time of its first `Allocated` entry. */
function watchAllocated(url: string, apiKey: string, signal: AbortSignal): { ready: Promise<void>; allocated: Promise<number> } {
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const allocated = (async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' }, signal });
    if (!res.ok || !res.body) throw new Error(`SSE ${res.status} ${url}`);
    markReady();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = message.split('\n').find((l) => l.startsWith('data:'));
        if (data && JSON.parse(data.slice(5)).status === 'Allocated') return performance.now();
      }
    }
    throw new Error(`SSE ended before Allocated: ${url}`);
  })();
  return { ready, allocated };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-bench-o2c-'));
  const config = loadConfig({
    PORT: '0',
    TRADELANE_SERVER_HOST: '127.0.0.1',
    TRADELANE_DATA_DIR: dir,
    TRADELANE_SIM_PORT_BASE: '0',
    TRADELANE_SIM_WMS_ADVANCE_MS: '0',
    TRADELANE_SIM_ADVANCE_MS: '0',
    TRADELANE_BUS_POLL_INTERVAL_MS: '20',
    TRADELANE_FLOWS_POLL_INTERVAL_MS: '20',
    TRADELANE_O2C_POLL_INTERVAL_MS: String(POLL_MS),
    TRADELANE_LOG_LEVEL: 'error',
    // A throughput figure: the clients' own polling must not be throttled by the per-client rate limit.
    TRADELANE_RATE_LIMIT_ENABLED: 'false',
  });
  const server = await startServer(config, { logger: pino({ level: 'error' }) });
  try {
    const demo = await server.demo!;
    // Orders are committed in submission order per customer, so intake spreads over the customers not on hold.
    const buyers = demo.customers.filter((c) => !c.onHold);
    const customer = buyers[0]!;
    const erp = server.simulators.endpoints.erp!;
    const hub = `${server.url}/v1/customer`;
    const auth = { authorization: `Bearer ${customer.apiKey}`, 'content-type': 'application/json' };
    const erpOrders = async () => (await json(await fetch(`${erp}/admin/stats`))).orders as number;
    const placeOrder = async (po: string, sku: string, buyer = customer) =>
      json(
        await fetch(`${hub}/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${buyer.apiKey}`, 'content-type': 'application/json', 'idempotency-key': po },
          body: JSON.stringify({ customerPoNumber: po, lines: [{ sku, quantity: '1', unit: 'EA' }] }),
        }),
      );
    const postDirect = async (ref: string, buyer = customer) =>
      json(
        await fetch(`${erp}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ AN8: Number(buyer.accountNumber), VR01: ref, EXTREF: ref, LINES: [{ LITM: 'FAS-1001', UORG: 1, UOM: 'EA' }] }),
        }),
      );
    const untilErpHas = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while ((await erpOrders()) < count) {
        if (Date.now() > deadline) throw new Error(`the ERP has ${await erpOrders()} orders, expected ${count}`);
        await sleep(10);
      }
    };

    // Warm-up both paths.
    const base0 = await erpOrders();
    await inParallel(20, C, (i) => postDirect(`WARM-D${i}`, buyers[i % buyers.length]));
    await inParallel(20, C, (i) => placeOrder(`WARM-H${i}`, 'FAS-1001', buyers[i % buyers.length]));
    await untilErpHas(base0 + 40, 60_000);

    // Baseline: straight to the ERP simulator.
    const base1 = await erpOrders();
    let t0 = performance.now();
    await inParallel(N, C, (i) => postDirect(`DIRECT-${i}`, buyers[i % buyers.length]));
    const directPerSec = N / ((performance.now() - t0) / 1000);

    // Through the hub: accepted over HTTP, committed to the ERP by the flow.
    const base2 = await erpOrders();
    if (base2 !== base1 + N) throw new Error(`direct orders: expected ${base1 + N}, the ERP has ${base2}`);
    t0 = performance.now();
    await inParallel(N, C, (i) => placeOrder(`HUB-${i}`, 'FAS-1001', buyers[i % buyers.length]));
    await untilErpHas(base2 + N, 300_000);
    const hubPerSec = N / ((performance.now() - t0) / 1000);
    const stats = await json(await fetch(`${erp}/admin/stats`));
    if (stats.duplicateExternalRefs.length > 0) throw new Error(`duplicates in the ERP: ${stats.duplicateExternalRefs.length}`);
    console.log(`o2c order-intake: ${hubPerSec.toFixed(1)} orders/s through the hub vs ${directPerSec.toFixed(1)} orders/s direct to the ERP simulator ratio ${(hubPerSec / directPerSec).toFixed(3)} (${N} orders of ${buyers.length} customers, ${C} clients, every order committed once)`);

    // Event-to-timeline: backorders of an item with no stock, then one unit of stock at a time.
    const SKU = 'FAS-1007';
    const branches = (await json(await fetch(`${erp}/inventory?LITM=${SKU}`))).ROWS as Array<{ MCU: string }>;
    for (const b of branches) {
      await json(await fetch(`${erp}/admin/inventory/${SKU}/${b.MCU}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ PQOH: 0 }) }));
    }
    const orders: Array<{ id: string }> = [];
    for (let i = 0; i < M; i++) orders.push(await placeOrder(`BO-${i}`, SKU));
    // Wait until every one is committed and backordered (its line shows the backorder).
    const deadline = Date.now() + 300_000;
    for (const o of orders) {
      for (;;) {
        const view = await json(await fetch(`${hub}/orders/${o.id}`, { headers: auth }));
        if (view.lines[0]?.quantityBackordered === '1') break;
        if (Date.now() > deadline) throw new Error(`order ${o.id} is not backordered: ${JSON.stringify(view.lines)}`);
        await sleep(20);
      }
    }
    // The warehouse the ERP backordered the lines at (the customer's default branch).
    const erpOrder = (await json(await fetch(`${erp}/orders?EXTREF=${orders[0]!.id}`))).ORDERS[0];
    const mcu: string = erpOrder.LINES[0].MCU;
    const abort = new AbortController();
    const watches = orders.map((o) => watchAllocated(`${hub}/orders/${o.id}/events`, customer.apiKey, abort.signal));
    await Promise.all(watches.map((w) => w.ready));
    const sent: number[] = [];
    const start = performance.now();
    for (let i = 0; i < M; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sent.push(performance.now());
      await json(await fetch(`${erp}/admin/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ LITM: SKU, MCU: mcu, TRQT: 1 }) }));
    }
    const arrived = await Promise.all(watches.map((w) => w.allocated));
    abort.abort();
    const rate = M / ((sent[M - 1]! - sent[0]!) / 1000);
    // Receipt i allocates the i-th oldest backorder (orders were placed one after another).
    const latencies = arrived.map((t, i) => t - sent[i]!).sort((a, b) => a - b);
    console.log(
      `o2c event-to-timeline p99: ${percentile(latencies, 99).toFixed(0)} ms at ${rate.toFixed(1)} events/s (p50 ${percentile(latencies, 50).toFixed(0)} ms, ${M} ERP stock receipts → Allocated on the order's SSE stream; ERP feed polled every ${POLL_MS} ms)`,
    );
  } finally {
    await server.shutdown('bench done');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
